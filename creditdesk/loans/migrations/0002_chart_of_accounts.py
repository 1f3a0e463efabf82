"""The default chart of accounts (会计科目表) the postings use; codes and names are editable afterwards."""

from django.db import migrations

CHART = [
    ("bank", "1002", "银行存款", "asset"),
    ("loans_receivable", "1303", "贷款", "asset"),
    ("interest_receivable", "1132", "应收利息", "asset"),
    ("interest_income", "6011", "利息收入", "income"),
    ("vat_payable", "222101", "应交税费—应交增值税（销项税额）", "liability"),
    ("fee_income", "6021", "手续费及佣金收入", "income"),
    ("penalty_income", "601102", "利息收入—罚息", "income"),
    ("suspense", "224101", "其他应付款—暂收款项", "liability"),
]


def seed(apps, schema_editor):
    account = apps.get_model("loans", "LedgerAccount")
    for role, code, name, kind in CHART:
        account.objects.get_or_create(role=role, defaults={"code": code, "name": name, "kind": kind})


def unseed(apps, schema_editor):
    apps.get_model("loans", "LedgerAccount").objects.filter(role__in=[row[0] for row in CHART]).delete()


class Migration(migrations.Migration):
    dependencies = [("loans", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
