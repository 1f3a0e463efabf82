"""Admin of the lending app: the configuration (products, LPR series, pricing grid, term adjustments, approval
chains). Service plans carry customer data and are not in the admin: they are read through the plan pages, under
the data scope, and change only through the services (issue 10 item 3)."""

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from creditdesk.accounts.choices import Role
from creditdesk.accounts.config_admin import MakerCheckedAdmin
from creditdesk.lending.models import (
    ApprovalChainVersion,
    CreditCommittee,
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
        "committee",
        "separate_rating_and_review",
    ]


class CreditCommitteeForm(forms.ModelForm):
    """Members are approvers, at least as many as the approvals the committee needs."""

    class Meta:
        model = CreditCommittee
        fields = ["name", "members", "quorum", "return_ends_round", "is_active"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        members = self.fields["members"]
        assert isinstance(members, forms.ModelMultipleChoiceField)
        members.queryset = get_user_model().objects.filter(is_active=True, groups__name=Role.APPROVER).distinct()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        members, quorum = data.get("members"), data.get("quorum")
        if members is not None and quorum is not None and quorum > len(members):
            self.add_error("members", _("The committee needs at least as many members as the approvals it needs."))
        return data


@admin.register(CreditCommittee)
class CreditCommitteeAdmin(admin.ModelAdmin):
    """The named committee (贷审会): plans above every authority limit go to its members, N of M."""

    form = CreditCommitteeForm
    list_display = ["name", "quorum", "return_ends_round", "is_active"]
    filter_horizontal = ["members"]
