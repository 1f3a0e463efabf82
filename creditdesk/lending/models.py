"""Lending: products (贷款产品), the LPR series, the pricing grid, approval chains, service plans and approvals."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from creditdesk.assessment.choices import RepaymentMethod
from creditdesk.assessment.models import cap_errors, cap_in_force, cap_scope_of
from creditdesk.core.model_fields import MoneyField, RateField
from creditdesk.core.models import BaseModel, MakerChecked
from creditdesk.customers.choices import CustomerKind, Grade
from creditdesk.lending.choices import (
    ApprovalStage,
    DecisionOutcome,
    ExceptionState,
    FeeDue,
    FeeKind,
    FirstPeriodBasis,
    GuaranteeKind,
    LprTenor,
    PlanStatus,
    RegistrationStatus,
    RiskLevel,
)


def _default_methods() -> list[str]:
    return ["equal_instalment", "equal_principal", "interest_first"]


def _default_terms() -> list[int]:
    return [12, 24, 36]


class Product(MakerChecked, BaseModel):
    """Loan product (贷款产品): limits, allowed terms and repayment methods, rate bounds and fees (PLAN-1…6).

    A product is versioned by `effective_on`: a change is a new row with the same code and a later date, so
    quotes and plans made earlier keep the terms they were made under.
    """

    code = models.CharField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=100)
    customer_kind = models.CharField(_("customer kind"), max_length=16, choices=CustomerKind.choices)
    effective_on = models.DateField(_("effective on"))
    min_amount = MoneyField(_("minimum amount"))
    max_amount = MoneyField(_("maximum amount"))
    allowed_terms = models.JSONField(_("allowed terms (months)"), default=_default_terms)
    allowed_methods = models.JSONField(_("allowed repayment methods"), default=_default_methods)
    max_ltv = RateField(
        _("maximum loan-to-value"),
        null=True,
        blank=True,
        help_text=_("Loan ÷ lower of price and appraised value; 0.700000 for used cars."),
    )
    rate_floor = RateField(_("rate floor"))
    rate_ceiling = RateField(_("rate ceiling"))
    upfront_fee_rate = RateField(
        _("service fee rate"),
        default=0,
        help_text=_("Share of the principal, charged as a separate fee: never deducted from the payout."),
    )
    gps_fee_amount = MoneyField(_("GPS fee"), default=0)
    registration_fee_amount = MoneyField(_("mortgage registration fee"), default=0)
    fees_due = models.CharField(
        _("one-off fees due"), max_length=24, choices=FeeDue.choices, default=FeeDue.ON_DISBURSEMENT
    )
    monthly_fee_amount = MoneyField(_("fee per instalment"), default=0)
    penalty_uplift = RateField(
        _("penalty-rate uplift"), default="0.500000", help_text=_("Overdue interest = contract rate × (1 + uplift).")
    )
    grace_days = models.PositiveSmallIntegerField(_("grace days"), default=3)
    repayment_day = models.PositiveSmallIntegerField(
        _("fixed repayment day"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
        help_text=_("1 to 28; empty: the day of month of the disbursement."),
    )
    first_period = models.CharField(
        _("first period interest"),
        max_length=16,
        choices=FirstPeriodBasis.choices,
        default=FirstPeriodBasis.FULL_MONTH,
        help_text=_("When the first period is not one calendar month."),
    )
    guarantee_rules = models.JSONField(
        _("guarantees by risk level"),
        default=dict,
        blank=True,
        help_text=_('e.g. {"medium": ["guarantor_or_down_payment"], "high": ["guarantor", "vehicle_mortgage"]}'),
    )
    is_active = models.BooleanField(_("active"), default=True)

    SERIES_FIELDS = ("code",)

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["code", "-effective_on"]
        constraints = [
            models.UniqueConstraint(fields=["code", "effective_on"], name="lending_product_version"),
            models.CheckConstraint(
                condition=models.Q(max_amount__gte=models.F("min_amount")) & models.Q(min_amount__gt=0),
                name="lending_product_amounts",
            ),
            models.CheckConstraint(
                condition=models.Q(rate_ceiling__gte=models.F("rate_floor")) & models.Q(rate_floor__gte=0),
                name="lending_product_rates",
            ),
            models.CheckConstraint(
                condition=models.Q(repayment_day__isnull=True) | models.Q(repayment_day__gte=1, repayment_day__lte=28),
                name="lending_product_repayment_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        """Refuse an LTV or a term above the regulatory cap in force on the product's date (issue 11 item 2)."""
        from django.core.exceptions import ValidationError

        if self.effective_on is None or not self.customer_kind:
            return
        terms = [t for t in (self.allowed_terms or []) if isinstance(t, int) and not isinstance(t, bool)]
        errors = cap_errors(
            cap_in_force(self.effective_on, cap_scope_of(self.customer_kind)),
            max_ltv=self.max_ltv,
            max_term_months=max(terms, default=None),
        )
        if "max_term_months" in errors:
            errors["allowed_terms"] = errors.pop("max_term_months")
        if errors:
            raise ValidationError(errors)


class LprRate(MakerChecked, BaseModel):
    """Loan prime rate (LPR) published on a date for a tenor (DOMAIN.md §5); the series is kept, never edited."""

    tenor = models.CharField(_("tenor"), max_length=2, choices=LprTenor.choices)
    effective_on = models.DateField(_("effective on"))
    rate = RateField(_("rate"))

    SERIES_FIELDS = ("tenor",)

    class Meta:
        verbose_name = _("LPR")
        verbose_name_plural = _("LPR series")
        ordering = ["tenor", "-effective_on"]
        constraints = [models.UniqueConstraint(fields=["tenor", "effective_on"], name="lending_lpr_per_date")]

    def __str__(self) -> str:
        return f"{self.tenor} {self.effective_on} {self.rate}"


class SpreadRule(MakerChecked, BaseModel):
    """Pricing grid (定价表): the spread over the LPR for a risk level and customer grade (PLAN-3)."""

    risk_level = models.CharField(_("risk level"), max_length=8, choices=RiskLevel.choices)
    grade = models.CharField(_("grade"), max_length=1, choices=Grade.choices)
    spread = RateField(_("spread"))
    effective_on = models.DateField(_("effective on"))

    SERIES_FIELDS = ("risk_level", "grade")

    class Meta:
        verbose_name = _("spread rule")
        verbose_name_plural = _("pricing grid")
        ordering = ["risk_level", "grade", "-effective_on"]
        constraints = [
            models.UniqueConstraint(fields=["risk_level", "grade", "effective_on"], name="lending_spread_version")
        ]

    def __str__(self) -> str:
        return f"{self.risk_level}/{self.grade} +{self.spread}"


class TermAdjustment(MakerChecked, BaseModel):
    """Term adjustment (期限调整): added to the rate for terms within a range of months (PLAN-3, PLAN-4)."""

    min_term_months = models.PositiveSmallIntegerField(_("from (months)"))
    max_term_months = models.PositiveSmallIntegerField(_("to (months)"))
    adjustment = RateField(_("adjustment"))
    effective_on = models.DateField(_("effective on"))

    SERIES_FIELDS = ("min_term_months", "max_term_months")

    class Meta:
        verbose_name = _("term adjustment")
        verbose_name_plural = _("term adjustments")
        ordering = ["min_term_months", "-effective_on"]

    def __str__(self) -> str:
        return f"{self.min_term_months}–{self.max_term_months}: {self.adjustment}"


class CreditCommittee(BaseModel):
    """Credit committee (贷审会): named approvers who vote on plans above every authority limit, N of M (PLAN-7).

    M is the number of members; only members see the committee's plans in their queue and vote, and only their
    votes count. A member's return is a vote; it ends the round at once only when `return_ends_round` says so.
    The approval chain in force names its committee; when it names none, the active committee created last sits.
    """

    name = models.CharField(_("name"), max_length=100, unique=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("members"),
        related_name="credit_committees",
        blank=True,
        help_text=_("Approvers only; a member who no longer holds the approver role or is inactive does not vote."),
    )
    quorum = models.PositiveSmallIntegerField(_("approvals needed (N)"), default=2)
    return_ends_round = models.BooleanField(
        _("one member's return ends the round"),
        default=False,
        help_text=_(
            "Off: a return is a vote; the plan goes back for revision only when N approvals can no longer be reached."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("credit committee")
        verbose_name_plural = _("credit committees")
        ordering = ["name"]
        constraints = [models.CheckConstraint(condition=models.Q(quorum__gte=1), name="lending_committee_quorum")]

    def __str__(self) -> str:
        return self.name


def _default_authority_limits() -> list[dict[str, str]]:
    return [{"role": "approver", "max_amount": "500000.00", "max_risk_level": "medium"}]


def _default_green_grades() -> list[str]:
    return ["A"]


class ApprovalChainVersion(MakerChecked, BaseModel):
    """Approval chain (审批流程配置), one version of `approval.ApprovalChain`, in force from `effective_on` (PLAN-7, 9).

    A change is a new row with a later date: plans already submitted keep the chain they were routed by (each plan
    stores a snapshot). Without any row in force the built-in defaults of `approval.ApprovalChain` apply.
    """

    version = models.CharField(_("version"), max_length=32, unique=True)
    effective_on = models.DateField(_("effective on"))
    department_review_sla_days = models.PositiveSmallIntegerField(_("department review (days)"), default=2)
    risk_review_sla_days = models.PositiveSmallIntegerField(_("risk review (days)"), default=3)
    final_decision_sla_days = models.PositiveSmallIntegerField(_("final decision (days)"), default=3)
    authority_limits = models.JSONField(
        _("authority limits"),
        default=_default_authority_limits,
        blank=True,
        help_text=_(
            "One decider alone up to an amount and risk level, e.g. "
            '[{"role": "approver", "max_amount": "500000.00", "max_risk_level": "medium"}]; '
            "above every limit the committee decides."
        ),
    )
    committee_size = models.PositiveSmallIntegerField(_("committee members (M)"), default=3)
    committee_quorum = models.PositiveSmallIntegerField(_("approvals needed (N)"), default=2)
    green_channel_grades = models.JSONField(_("green-channel grades"), default=_default_green_grades, blank=True)
    green_channel_max_amount = MoneyField(_("green-channel maximum amount"), default=Decimal("200000.00"))
    green_channel_max_risk_level = models.CharField(
        _("green-channel maximum risk level"), max_length=8, choices=RiskLevel.choices, default=RiskLevel.LOW
    )
    committee = models.ForeignKey(
        CreditCommittee,
        verbose_name=_("credit committee"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Decides above every authority limit; its members and quorum replace M and N above."),
    )
    separate_rating_and_review = models.BooleanField(
        _("separate rating and risk review"),
        default=True,
        help_text=_("Whoever rated the application may not take the plan's risk review (审贷分离)."),
    )

    class Meta:
        verbose_name = _("approval chain")
        verbose_name_plural = _("approval chains")
        ordering = ["-effective_on", "-id"]

    def __str__(self) -> str:
        return f"{self.version} ({self.effective_on})"

    def clean(self) -> None:
        """Refuse a chain the pure module would refuse, in the admin form, field by field."""
        from django.core.exceptions import ValidationError

        from creditdesk.core.errors import ValidationFailed
        from creditdesk.lending.selectors import chain_from_row

        try:
            chain_from_row(self)
        except ValidationFailed as err:
            raise ValidationError({k if hasattr(self, k) else "__all__": v for k, v in err.fields.items()}) from None
        except (TypeError, ValueError, KeyError, ArithmeticError):
            raise ValidationError(
                {"authority_limits": _("Each limit needs a role, a max_amount and a max_risk_level.")}
            ) from None


def fee_lines(fees: Iterable[Mapping[str, Any]]) -> list[tuple[str, Decimal, str]]:
    """(label, amount, due date) of one-off fees as stored on a plan (`fees.Fee.as_dict()`), for the pages."""
    return [(str(FeeKind(fee["kind"]).label), Decimal(str(fee["amount"])), str(fee["due_on"])) for fee in fees]


OPEN_PLAN_STATUSES = (PlanStatus.DRAFT, PlanStatus.PENDING_APPROVAL, PlanStatus.RETURNED, PlanStatus.APPROVED)
EDITABLE_PLAN_STATUSES = (PlanStatus.DRAFT, PlanStatus.RETURNED)


class ServicePlan(FSMModelMixin, BaseModel):
    """Service plan (金融服务方案): the loan offered on a rated application, and its approval (PLAN-1…PLAN-9).

    Built from the application, the product version in force and the rating's measures (ASSESS-2); every figure
    that the approval relied on is stored: the pricing components, the fees, the APR, the schedule's totals, the
    risk level and measures, the route and the chain version. States: draft → pending approval → approved /
    rejected / returned (→ revised as a new revision → pending approval again); draft, returned and pending plans
    may be withdrawn. Transitions go through `services.py` only.
    """

    application = models.ForeignKey(
        "assessment.LoanApplication", verbose_name=_("application"), on_delete=models.PROTECT, related_name="plans"
    )
    assessment = models.ForeignKey(
        "assessment.Assessment", verbose_name=_("assessment"), on_delete=models.PROTECT, related_name="+"
    )
    product = models.ForeignKey(Product, verbose_name=_("product version"), on_delete=models.PROTECT, related_name="+")
    revision = models.PositiveSmallIntegerField(_("revision"), default=1)
    price_amount = MoneyField(_("vehicle price"), null=True, blank=True)
    down_payment_amount = MoneyField(_("down payment"), default=Decimal("0.00"))
    principal_amount = MoneyField(_("loan amount"))
    term_months = models.PositiveSmallIntegerField(_("term (months)"))
    method = models.CharField(_("repayment method"), max_length=24, choices=RepaymentMethod.choices)
    annual_rate = RateField(_("annual rate"))
    rate_manual = models.BooleanField(_("rate set by hand"), default=False)
    # The pricing snapshot (PLAN-3): empty only when no pricing was configured and the rate was set by hand.
    priced_rate = RateField(_("rate from the pricing grid"), null=True, blank=True)
    base_rate = RateField(_("LPR used"), null=True, blank=True)
    spread = RateField(_("spread"), null=True, blank=True)
    term_adjustment = RateField(_("term adjustment"), null=True, blank=True)
    rate_clipped = models.CharField(_("clipped to the product's bound"), max_length=8, blank=True)
    upfront_fee_amount = MoneyField(_("one-off fees"), default=Decimal("0.00"))
    fees = models.JSONField(
        _("one-off fees (kind, amount, due date)"),
        default=list,
        blank=True,
        help_text=_("Separate charges, never deducted from the payout; empty on plans made before."),
    )
    monthly_fee_amount = MoneyField(_("fee per instalment"), default=Decimal("0.00"))
    apr_nominal_rate = RateField(_("APR (nominal, IRR method)"))
    apr_effective_rate = RateField(_("APR (effective)"))
    start_on = models.DateField(
        _("planned disbursement date"), null=True, blank=True, help_text=_("Empty on plans made before it was kept.")
    )
    first_due_on = models.DateField(_("first due date (illustrative)"))
    first_instalment_amount = MoneyField(_("first instalment"))
    total_interest_amount = MoneyField(_("total interest"))
    total_fee_amount = MoneyField(_("total fees per instalment"))
    total_amount = MoneyField(_("total repaid"))
    risk_level = models.CharField(_("risk rating"), max_length=8, choices=RiskLevel.choices)
    measures = models.JSONField(_("risk measures (ASSESS-2)"), default=dict)
    exception_requested = models.BooleanField(_("high-risk exception requested"), default=False)
    exception_reason = models.TextField(_("reason for the exception"), blank=True)
    failed_rules = models.JSONField(
        _("failed admission rules"),
        default=list,
        blank=True,
        help_text=_("The hard rules the plan fails (its assessment's and its own re-check): an exception covers them."),
    )
    status = FSMField(_("status"), max_length=24, choices=PlanStatus.choices, default=PlanStatus.DRAFT, protected=True)
    current_stage = models.CharField(_("approval stage"), max_length=24, choices=ApprovalStage.choices, blank=True)
    stage_entered_on = models.DateField(_("stage entered on"), null=True, blank=True)
    stage_due_on = models.DateField(_("stage due on"), null=True, blank=True)
    route = models.JSONField(_("approval route"), default=dict, blank=True)
    chain = models.JSONField(_("approval chain (snapshot)"), default=dict, blank=True)
    chain_version = models.CharField(_("approval chain"), max_length=32, blank=True)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("prepared by"), on_delete=models.PROTECT, related_name="+"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    concluded_on = models.DateField(_("decided on"), null=True, blank=True)

    SCOPE_OWNER = "application__customer__owner"
    SCOPE_ORG_UNIT = "application__customer__org_unit"

    class Meta:
        verbose_name = _("service plan")
        verbose_name_plural = _("service plans")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "-created_at"], name="lending_plan_status_idx"),
            # The approval queues: plans waiting at a stage, oldest due first (STYLE rule 8).
            models.Index(
                fields=["current_stage", "stage_due_on"],
                condition=models.Q(status="pending_approval"),
                name="lending_plan_queue_idx",
            ),
        ]
        constraints = [
            # One live plan per application: a new one only after the last was rejected or withdrawn.
            models.UniqueConstraint(
                fields=["application"],
                condition=models.Q(status__in=["draft", "pending_approval", "returned", "approved"]),
                name="lending_plan_one_open_per_application",
            ),
            models.CheckConstraint(condition=models.Q(principal_amount__gt=0), name="lending_plan_principal_positive"),
            models.CheckConstraint(
                condition=models.Q(down_payment_amount__gte=0), name="lending_plan_down_payment_not_negative"
            ),
            models.CheckConstraint(condition=models.Q(term_months__gt=0), name="lending_plan_term_positive"),
            models.CheckConstraint(condition=models.Q(revision__gte=1), name="lending_plan_revision_positive"),
            models.CheckConstraint(
                condition=(
                    models.Q(status="pending_approval", stage_due_on__isnull=False) & ~models.Q(current_stage="")
                )
                | (~models.Q(status="pending_approval") & models.Q(current_stage="")),
                name="lending_plan_stage_when_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.application.customer}"

    @property
    def reference(self) -> str:
        """The number staff quote (方案编号): FA followed by the id, zero-padded."""
        return f"FA{self.pk:07d}" if self.pk else "FA-"

    @property
    def net_payout_amount(self) -> Decimal:
        """What is paid to the payee: the whole principal, nothing deducted (Civil Code Art. 670, issue 11 item 6)."""
        return self.principal_amount

    @property
    def fee_lines(self) -> list[tuple[str, Decimal, str]]:
        """The one-off fees as (label, amount, due date) for the pages."""
        return fee_lines(self.fees)

    @property
    def monthly_rate(self) -> Decimal:
        """The contract rate per month (annual ÷ 12): shown, never more prominently than the APR (PLAN-8)."""
        return (self.annual_rate / 12).quantize(Decimal("0.000001"))

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_PLAN_STATUSES

    @transition(field=status, source=[PlanStatus.DRAFT, PlanStatus.RETURNED], target=PlanStatus.PENDING_APPROVAL)
    def submit(self) -> None:
        pass

    @transition(field=status, source=PlanStatus.PENDING_APPROVAL, target=PlanStatus.APPROVED)
    def approve(self) -> None:
        pass

    @transition(field=status, source=PlanStatus.PENDING_APPROVAL, target=PlanStatus.REJECTED)
    def reject(self) -> None:
        pass

    @transition(field=status, source=PlanStatus.PENDING_APPROVAL, target=PlanStatus.RETURNED)
    def return_for_revision(self) -> None:
        pass

    @transition(
        field=status,
        source=[PlanStatus.DRAFT, PlanStatus.PENDING_APPROVAL, PlanStatus.RETURNED],
        target=PlanStatus.WITHDRAWN,
    )
    def withdraw(self) -> None:
        pass


class PlanRevision(models.Model):
    """Plan revision (方案版本): every version's figures as JSON, with who changed it, when and why; immutable."""

    plan = models.ForeignKey(ServicePlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="revisions")
    revision = models.PositiveSmallIntegerField(_("revision"))
    values = models.JSONField(_("values"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("changed by"), on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)
    business_on = models.DateField(_("business date"))
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("plan revision")
        verbose_name_plural = _("plan revisions")
        ordering = ["plan", "revision"]
        constraints = [models.UniqueConstraint(fields=["plan", "revision"], name="lending_plan_revision_once")]

    def __str__(self) -> str:
        return f"{self.plan_id} r{self.revision}"


class PlanGuarantee(models.Model):
    """Guarantee (担保) of a service plan (PLAN-6): a mortgage on the financed vehicle, or a third-party guarantor.

    A guarantor is a customer of ours whose consent (授权书) was in force when the plan was prepared and submitted.
    """

    plan = models.ForeignKey(ServicePlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="guarantees")
    kind = models.CharField(_("kind"), max_length=24, choices=GuaranteeKind.choices)
    vehicle = models.ForeignKey(
        "vehicles.Vehicle", verbose_name=_("vehicle"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    registration_status = models.CharField(
        _("registration"), max_length=16, choices=RegistrationStatus.choices, blank=True
    )
    guarantor = models.ForeignKey(
        "customers.Customer",
        verbose_name=_("guarantor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plan_guarantees",
    )
    relationship = models.CharField(_("relationship to the applicant"), max_length=100, blank=True)
    consent = models.ForeignKey(
        "customers.CreditAuthorization",
        verbose_name=_("guarantor's consent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("guarantee")
        verbose_name_plural = _("guarantees")
        ordering = ["plan", "kind", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind="vehicle_mortgage", vehicle__isnull=False, guarantor__isnull=True)
                    & ~models.Q(registration_status="")
                )
                | models.Q(kind="guarantor", guarantor__isnull=False, vehicle__isnull=True, registration_status=""),
                name="lending_guarantee_kind_fields",
            ),
            models.UniqueConstraint(
                fields=["plan", "guarantor"], condition=models.Q(kind="guarantor"), name="lending_guarantor_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.guarantor or self.vehicle}"


class PlanDecision(models.Model):
    """Approval decision (审批意见): one person's approve / reject / return at one stage of one revision (PLAN-7).

    Immutable. The unique constraint is the database's guard of "nobody decides twice on one revision": a double
    click that slipped past the service's check still cannot write a second row.
    """

    plan = models.ForeignKey(ServicePlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="decisions")
    revision = models.PositiveSmallIntegerField(_("revision"))
    stage = models.CharField(_("stage"), max_length=24, choices=ApprovalStage.choices)
    decider = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField(_("decision"), max_length=8, choices=DecisionOutcome.choices)
    opinion = models.TextField(_("opinion"))
    decided_on = models.DateField(_("business date"))
    decided_at = models.DateTimeField(_("decided at"), auto_now_add=True)

    class Meta:
        verbose_name = _("approval decision")
        verbose_name_plural = _("approval decisions")
        ordering = ["plan", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "revision", "decider"], name="lending_decision_once_per_revision"),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} r{self.revision} {self.stage} {self.outcome}"


class PlanException(models.Model):
    """Exception request (例外审批申请): a plan that fails a hard rule goes ahead only if the credit committee agrees.

    Proposed when the plan is submitted with `exception_requested`: the rules it waives with the figures compared
    (`rules`: code, stage, measured, limit), the reason and the proposer. It always routes the plan to the credit
    committee, whatever the authority limits say; the committee's outcome on the plan is the exception's decision
    (`decided_by` the member whose vote concluded it). Regulatory caps are never waived: the plan's figures stay
    within them (issue 11 items 1 and 2). Immutable once decided; written only by `lending.services`/`decisions`.
    """

    plan = models.ForeignKey(ServicePlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="exceptions")
    revision = models.PositiveSmallIntegerField(_("revision"))
    rules = models.JSONField(_("rules waived"))
    reason = models.TextField(_("reason"))
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("proposed by"), on_delete=models.PROTECT, related_name="+"
    )
    proposed_on = models.DateField(_("proposed on"))
    proposed_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    state = models.CharField(
        _("state"), max_length=16, choices=ExceptionState.choices, default=ExceptionState.PENDING, db_index=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    opinion = models.TextField(_("decision opinion"), blank=True)

    SCOPE_OWNER = "plan__application__customer__owner"
    SCOPE_ORG_UNIT = "plan__application__customer__org_unit"

    class Meta:
        verbose_name = _("exception request")
        verbose_name_plural = _("exception requests")
        ordering = ["-proposed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan"], condition=models.Q(state="pending"), name="lending_exception_one_pending_per_plan"
            ),
            models.UniqueConstraint(fields=["plan", "revision"], name="lending_exception_once_per_revision"),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} r{self.revision} {self.state}"
