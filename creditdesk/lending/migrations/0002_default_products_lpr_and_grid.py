"""Data migration: the LPR series (DOMAIN.md §5), the two default products and the pricing grid (PLAN-1…3).

All of it is configuration: editable in the admin, versioned by effective date.
"""

import datetime as dt
from decimal import Decimal as D

from django.db import migrations

EFFECTIVE = dt.date(2025, 5, 20)
LPR = [("1y", dt.date(2024, 10, 21), "0.031000"), ("5y", dt.date(2024, 10, 21), "0.036000"),
       ("1y", EFFECTIVE, "0.030000"), ("5y", EFFECTIVE, "0.035000")]
PRODUCTS = [
    dict(code="UC-RETAIL", name="二手车消费贷款", customer_kind="individual", min_amount=D("20000.00"),
         max_amount=D("500000.00"), allowed_terms=[12, 24, 36],
         allowed_methods=["equal_instalment", "equal_principal", "interest_first"], max_ltv=D("0.700000"),
         rate_floor=D("0.040000"), rate_ceiling=D("0.180000"), upfront_fee_rate=D("0.010000"),
         monthly_fee_amount=D("0.00"), penalty_uplift=D("0.500000"), grace_days=3,
         guarantee_rules={"low": ["vehicle_mortgage"], "medium": ["vehicle_mortgage", "guarantor_or_down_payment"],
                          "high": ["vehicle_mortgage", "guarantor"]}),
    dict(code="CORP-WC", name="企业流动资金贷款", customer_kind="company", min_amount=D("200000.00"),
         max_amount=D("10000000.00"), allowed_terms=[6, 12, 24, 36], allowed_methods=["interest_first", "equal_instalment"],
         max_ltv=None, rate_floor=D("0.035000"), rate_ceiling=D("0.150000"), upfront_fee_rate=D("0.005000"),
         monthly_fee_amount=D("0.00"), penalty_uplift=D("0.500000"), grace_days=3,
         guarantee_rules={"medium": ["guarantor"], "high": ["guarantor", "collateral"]}),
]
SPREADS = {"low": {"A": "0.015000", "B": "0.020000", "C": "0.030000", "D": "0.045000"},
           "medium": {"A": "0.030000", "B": "0.035000", "C": "0.045000", "D": "0.060000"},
           "high": {"A": "0.050000", "B": "0.060000", "C": "0.075000", "D": "0.090000"}}
TERMS = [(1, 12, "0.000000"), (13, 24, "0.002500"), (25, 36, "0.005000"), (37, 60, "0.007500"), (61, 360, "0.010000")]


def seed(apps, schema_editor):
    LprRate = apps.get_model("lending", "LprRate")
    Product = apps.get_model("lending", "Product")
    SpreadRule = apps.get_model("lending", "SpreadRule")
    TermAdjustment = apps.get_model("lending", "TermAdjustment")
    for tenor, on, rate in LPR:
        LprRate.objects.get_or_create(tenor=tenor, effective_on=on, defaults={"rate": D(rate)})
    for product in PRODUCTS:
        Product.objects.get_or_create(code=product["code"], effective_on=EFFECTIVE, defaults=product)
    for level, grades in SPREADS.items():
        for grade, spread in grades.items():
            SpreadRule.objects.get_or_create(risk_level=level, grade=grade, effective_on=EFFECTIVE,
                                             defaults={"spread": D(spread)})
    for low, high, adjustment in TERMS:
        TermAdjustment.objects.get_or_create(min_term_months=low, max_term_months=high, effective_on=EFFECTIVE,
                                             defaults={"adjustment": D(adjustment)})


def unseed(apps, schema_editor):
    for name in ("TermAdjustment", "SpreadRule", "Product", "LprRate"):
        apps.get_model("lending", name).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("lending", "0001_products_lpr_pricing_grid")]
    operations = [migrations.RunPython(seed, unseed)]
