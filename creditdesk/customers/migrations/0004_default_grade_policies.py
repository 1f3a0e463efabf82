"""Data migration: default grade policies (CLASS-4) — admin-editable; new versions get a later effective date."""

import datetime as dt
from decimal import Decimal

from django.db import migrations

DEFAULTS = [
    # grade, limit factor, rate adjustment, visits per quarter, monitoring level, description
    ("A", "1.20", "-0.005000", 1, "normal", "优先支持，优惠利率，简化流程"),
    ("B", "1.00", "0.000000", 1, "normal", "正常支持，标准条件，加强贷后管理"),
    ("C", "0.60", "0.010000", 2, "close", "严格限额，增加监控，追加风险缓释"),
    ("D", "0.00", "0.020000", 3, "intensive", "压缩退出，提前收回"),
]
EFFECTIVE = dt.date(2000, 1, 1)


def seed(apps, schema_editor):
    GradePolicy = apps.get_model("customers", "GradePolicy")
    for grade, factor, adjustment, visits, level, description in DEFAULTS:
        GradePolicy.objects.get_or_create(
            grade=grade,
            effective_on=EFFECTIVE,
            defaults={
                "limit_factor": Decimal(factor),
                "rate_adjustment": Decimal(adjustment),
                "visits_per_quarter": visits,
                "monitoring_level": level,
                "description": description,
            },
        )


def unseed(apps, schema_editor):
    apps.get_model("customers", "GradePolicy").objects.filter(effective_on=EFFECTIVE).delete()


class Migration(migrations.Migration):
    dependencies = [("customers", "0003_documents_financials_events_grading")]
    operations = [migrations.RunPython(seed, unseed)]
