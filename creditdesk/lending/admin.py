"""Admin of the lending app: the configuration (products, LPR series, pricing grid, term adjustments, approval
chains). Service plans carry customer data and are not in the admin: they are read through the plan pages, under
the data scope, and change only through the services (issue 10 item 3)."""

from typing import Any

from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from creditdesk.core.forms import PercentField
from creditdesk.core.money import RateField
from creditdesk.lending.models import (
    ApprovalChainVersion,
    LprRate,
    Product,
    SpreadRule,
    TermAdjustment,
)

# Rates and spreads that may be below zero; every other rate field is at least 0.
SIGNED_RATES = frozenset({"spread", "adjustment"})


class PercentRatesAdmin(admin.ModelAdmin):
    """Every rate of the configuration is typed and shown in percent (issue 11 item 12): 5.5 for 0.055."""

    def formfield_for_dbfield(self, db_field: models.Field, request: Any, **kwargs: Any) -> Any:
        if isinstance(db_field, RateField):
            return PercentField(
                label=_("%(name)s (%%)") % {"name": str(db_field.verbose_name)},
                required=not db_field.blank,
                help_text=db_field.help_text,
                initial=db_field.get_default() if db_field.has_default() else None,
                signed=db_field.name in SIGNED_RATES,
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)


@admin.register(Product)
class ProductAdmin(PercentRatesAdmin):
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
class LprRateAdmin(PercentRatesAdmin):
    list_display = ["tenor", "effective_on", "rate"]
    list_filter = ["tenor"]


@admin.register(SpreadRule)
class SpreadRuleAdmin(PercentRatesAdmin):
    list_display = ["risk_level", "grade", "spread", "effective_on"]
    list_filter = ["risk_level", "grade"]


@admin.register(TermAdjustment)
class TermAdjustmentAdmin(PercentRatesAdmin):
    list_display = ["min_term_months", "max_term_months", "adjustment", "effective_on"]


@admin.register(ApprovalChainVersion)
class ApprovalChainVersionAdmin(admin.ModelAdmin):
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
