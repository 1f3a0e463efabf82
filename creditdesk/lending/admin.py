"""Admin of the lending app: the configuration (products, LPR series, pricing grid, term adjustments, approval
chains) and a read-only view of service plans, which change only through the services."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from creditdesk.lending.models import (
    ApprovalChainVersion,
    LprRate,
    PlanDecision,
    PlanGuarantee,
    PlanRevision,
    Product,
    ServicePlan,
    SpreadRule,
    TermAdjustment,
)


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
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
class LprRateAdmin(admin.ModelAdmin):
    list_display = ["tenor", "effective_on", "rate"]
    list_filter = ["tenor"]


@admin.register(SpreadRule)
class SpreadRuleAdmin(admin.ModelAdmin):
    list_display = ["risk_level", "grade", "spread", "effective_on"]
    list_filter = ["risk_level", "grade"]


@admin.register(TermAdjustment)
class TermAdjustmentAdmin(admin.ModelAdmin):
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


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class GuaranteeInline(_ReadOnlyInline):
    model = PlanGuarantee


class RevisionInline(_ReadOnlyInline):
    model = PlanRevision


class DecisionInline(_ReadOnlyInline):
    model = PlanDecision


@admin.register(ServicePlan)
class ServicePlanAdmin(admin.ModelAdmin):
    """Read only: plans move through `lending.services` (one write path, with the audit trail)."""

    list_display = ["id", "application", "status", "current_stage", "stage_due_on", "principal_amount", "risk_level"]
    list_filter = ["status", "current_stage", "risk_level"]
    inlines = [GuaranteeInline, RevisionInline, DecisionInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
