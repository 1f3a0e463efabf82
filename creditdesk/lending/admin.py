"""Admin of the lending app: the configuration (products, LPR series, pricing grid, term adjustments, approval
chains). Service plans carry customer data and are not in the admin: they are read through the plan pages, under
the data scope, and change only through the services (issue 10 item 3)."""

from django.contrib import admin

from creditdesk.accounts.config_admin import MakerCheckedAdmin
from creditdesk.lending.models import (
    ApprovalChainVersion,
    LprRate,
    Product,
    SpreadRule,
    TermAdjustment,
)


@admin.register(Product)
class ProductAdmin(MakerCheckedAdmin):
    """A change is a new version: copy the product with a later effective date (old quotes keep their terms)."""

    list_display = [
        "code",
        "name",
        "customer_kind",
        "effective_on",
        "min_amount",
        "max_amount",
        "rate_floor",
        "rate_ceiling",
        "is_active",
    ]
    list_filter = ["customer_kind", "is_active"]


@admin.register(LprRate)
class LprRateAdmin(MakerCheckedAdmin):
    list_display = ["tenor", "effective_on", "rate"]
    list_filter = ["tenor"]


@admin.register(SpreadRule)
class SpreadRuleAdmin(MakerCheckedAdmin):
    signed_rates = frozenset({"spread"})  # a spread may be below zero
    list_display = ["risk_level", "grade", "spread", "effective_on"]
    list_filter = ["risk_level", "grade"]


@admin.register(TermAdjustment)
class TermAdjustmentAdmin(MakerCheckedAdmin):
    signed_rates = frozenset({"adjustment"})
    list_display = ["min_term_months", "max_term_months", "adjustment", "effective_on"]


@admin.register(ApprovalChainVersion)
class ApprovalChainVersionAdmin(MakerCheckedAdmin):
    """A change is a new version with a later effective date; submitted plans keep the chain they were routed by."""

    list_display = [
        "version",
        "effective_on",
        "department_review_sla_days",
        "risk_review_sla_days",
        "final_decision_sla_days",
        "committee_quorum",
        "committee_size",
        "green_channel_max_amount",
    ]
