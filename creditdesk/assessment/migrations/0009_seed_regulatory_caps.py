"""The regulatory caps of used-car retail loans, each citing its source (DOMAIN.md §1; issue 11 item 2)."""

import datetime as dt
from decimal import Decimal

from django.db import migrations

CAPS = [
    {
        "applies_to": "used_car_retail",
        "effective_on": dt.date(2018, 1, 1),
        "max_ltv": Decimal("0.700000"),
        "max_term_months": 36,
        "source": (
            "《汽车贷款管理办法》（中国人民银行、中国银行业监督管理委员会令〔2017〕第2号，2018-01-01施行）：二手车贷款期限"
            "（含展期）不得超过3年；《关于调整汽车贷款有关政策的通知》（中国人民银行、中国银行业监督管理委员会，2017-11-08，2018-01-01施行）：二手车贷款最高发放比例70%，"
            "以成交价与评估价孰低为准。"
        ),
    },
    {
        "applies_to": "used_car_retail",
        "effective_on": dt.date(2024, 4, 3),
        "max_ltv": Decimal("0.700000"),
        "max_term_months": 36,
        "source": (
            "《关于调整汽车贷款有关政策的通知》（中国人民银行、国家金融监督管理总局，2024-04-03发布）：二手车贷款最高发放比例"
            "维持70%不变；期限（含展期）仍按《汽车贷款管理办法》（2017）不超过3年。"
        ),
    },
]


def seed(apps, schema_editor):
    cap = apps.get_model("assessment", "RegulatoryCap")
    for row in CAPS:
        cap.objects.get_or_create(applies_to=row["applies_to"], effective_on=row["effective_on"], defaults=row)


def unseed(apps, schema_editor):
    cap = apps.get_model("assessment", "RegulatoryCap")
    for row in CAPS:
        cap.objects.filter(applies_to=row["applies_to"], effective_on=row["effective_on"]).delete()


class Migration(migrations.Migration):
    dependencies = [("assessment", "0008_regulatory_caps")]

    operations = [migrations.RunPython(seed, unseed)]
