"""Credit assessment (信用评估): loan applications, data reviews, credit-bureau queries and assessments.

The rules, the scorecard and the rating are pure modules (`rules.py`, `scorecard.py`, `rating.py`); these models
keep what they decided, with the policy versions and figures, so every decision explains itself later.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from creditdesk.assessment import limits
from creditdesk.assessment.choices import (
    ApplicationStatus,
    BankAccountReading,
    CapScope,
    QueryOutcome,
    RatingDecision,
    RepaymentMethod,
)
from creditdesk.core.crypto import EncryptedTextField
from creditdesk.core.errors import ValidationFailed
from creditdesk.core.model_fields import MoneyField, RateField
from creditdesk.core.models import BaseModel, MakerChecked

RISK_LEVELS = [("low", _("Low risk")), ("medium", _("Medium risk")), ("high", _("High risk"))]
EDITABLE = (ApplicationStatus.DRAFT, ApplicationStatus.RETURNED)


class LoanApplication(FSMModelMixin, BaseModel):
    """Loan application (贷款申请): what a customer asks for, from draft to an explained risk rating.

    States: draft → submitted → in data review → (returned for completion → submitted again) → scored → rated;
    a draft, returned or submitted application may be withdrawn. Every transition goes through
    `services.py`, which checks the role, records an audit event with the actor and comment, and keeps the
    application unchanged when anything fails.
    """

    customer = models.ForeignKey(
        "customers.Customer", verbose_name=_("customer"), on_delete=models.PROTECT, related_name="applications"
    )
    vehicle = models.ForeignKey(
        "vehicles.Vehicle",
        verbose_name=_("vehicle"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
    )
    product_code = models.CharField(_("product"), max_length=32)
    price_amount = MoneyField(_("vehicle price"), null=True, blank=True)
    down_payment_amount = MoneyField(_("down payment"), null=True, blank=True)
    requested_amount = MoneyField(_("requested amount"))
    term_months = models.PositiveSmallIntegerField(_("term (months)"))
    repayment_method = models.CharField(
        _("repayment method"), max_length=24, choices=RepaymentMethod.choices, default=RepaymentMethod.EQUAL_INSTALMENT
    )
    purpose = models.CharField(_("loan purpose"), max_length=200)
    bank_account = models.CharField(_("bank statement"), max_length=16, choices=BankAccountReading.choices, blank=True)
    status = FSMField(
        _("status"), max_length=16, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT, protected=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("prepared by"), on_delete=models.PROTECT, related_name="+"
    )
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("risk officer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    return_reasons = models.TextField(_("reasons for return"), blank=True)
    identity_verified = models.BooleanField(_("identity and full civil capacity verified in person"), default=False)
    income_verified = models.BooleanField(_("income verified against documents"), default=False)
    verification_notes = models.TextField(_("verification notes"), blank=True)
    bureau_status = models.CharField(_("credit-bureau status"), max_length=16, choices=QueryOutcome.choices, blank=True)
    risk_level = models.CharField(_("risk rating"), max_length=8, choices=RISK_LEVELS, blank=True)
    rated_on = models.DateField(_("rated on"), null=True, blank=True)

    SCOPE_OWNER = "customer__owner"
    SCOPE_ORG_UNIT = "customer__org_unit"

    class Meta:
        verbose_name = _("loan application")
        verbose_name_plural = _("loan applications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "-created_at"], name="assessment_app_status_idx")]
        constraints = [
            models.CheckConstraint(condition=models.Q(requested_amount__gt=0), name="assessment_app_amount_positive"),
            models.CheckConstraint(condition=models.Q(term_months__gt=0), name="assessment_app_term_positive"),
            models.CheckConstraint(
                condition=models.Q(down_payment_amount__isnull=True) | models.Q(down_payment_amount__gte=0),
                name="assessment_app_down_payment_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.customer}"

    @property
    def reference(self) -> str:
        """The number staff quote (申请编号): SQ followed by the id, zero-padded."""
        return f"SQ{self.pk:07d}" if self.pk else "SQ-"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE

    @transition(field=status, source=[ApplicationStatus.DRAFT, ApplicationStatus.RETURNED], target="submitted")
    def submit(self) -> None:
        pass

    @transition(field=status, source=ApplicationStatus.SUBMITTED, target=ApplicationStatus.IN_REVIEW)
    def start_review(self) -> None:
        pass

    @transition(field=status, source=[ApplicationStatus.SUBMITTED, ApplicationStatus.IN_REVIEW], target="returned")
    def return_for_completion(self) -> None:
        pass

    @transition(field=status, source=ApplicationStatus.IN_REVIEW, target=ApplicationStatus.SCORED)
    def score(self) -> None:
        pass

    @transition(field=status, source=ApplicationStatus.SCORED, target=ApplicationStatus.RATED)
    def rate(self) -> None:
        pass

    @transition(
        field=status,
        source=[ApplicationStatus.DRAFT, ApplicationStatus.RETURNED, ApplicationStatus.SUBMITTED],
        target=ApplicationStatus.WITHDRAWN,
    )
    def withdraw(self) -> None:
        pass


class ApplicationGuarantor(BaseModel):
    """Guarantor (保证人) on an application: another customer of ours, who must have given consent (PLAN-6)."""

    SCOPE_OWNER = "application__customer__owner"  # scoped like the record it belongs to
    SCOPE_ORG_UNIT = "application__customer__org_unit"

    application = models.ForeignKey(
        LoanApplication, verbose_name=_("application"), on_delete=models.CASCADE, related_name="guarantors"
    )
    guarantor = models.ForeignKey(
        "customers.Customer", verbose_name=_("guarantor"), on_delete=models.PROTECT, related_name="guarantees_given"
    )
    relationship = models.CharField(_("relationship to the applicant"), max_length=100)

    class Meta:
        verbose_name = _("guarantor")
        verbose_name_plural = _("guarantors")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "guarantor"], name="assessment_guarantor_once"),
        ]

    def __str__(self) -> str:
        return f"{self.guarantor} ({self.relationship})"


class ApplicationCoBorrower(BaseModel):
    """Co-borrower (共同借款人) on an application: another individual customer of ours, jointly liable for the loan.

    Commonly the spouse. Each co-borrower has their own credit-report consent (`consent`: the one in force when they
    were added), their own bureau query at the assessment, and, as the admission policy says, their income and debt
    service in the application's debt-to-income.
    """

    SCOPE_OWNER = "application__customer__owner"  # scoped like the record it belongs to
    SCOPE_ORG_UNIT = "application__customer__org_unit"

    application = models.ForeignKey(
        LoanApplication, verbose_name=_("application"), on_delete=models.CASCADE, related_name="co_borrowers"
    )
    co_borrower = models.ForeignKey(
        "customers.Customer", verbose_name=_("co-borrower"), on_delete=models.PROTECT, related_name="co_borrowings"
    )
    relationship = models.CharField(_("relationship to the applicant"), max_length=100)
    consent = models.ForeignKey(
        "customers.CreditAuthorization",
        verbose_name=_("co-borrower's consent"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("added by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("co-borrower")
        verbose_name_plural = _("co-borrowers")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "co_borrower"], name="assessment_co_borrower_once"),
        ]

    def __str__(self) -> str:
        return f"{self.co_borrower} ({self.relationship})"


class DataReview(models.Model):
    """Data review (资料审核) of an application: the automatic checklist as it stood at one moment (ASSESS-1).

    Items are `{"code", "outcome": pass|fail|warn, "reason", "compared"}`; a review with a failed item stops the
    assessment and its failures go back to the salesperson as reasons.
    """

    application = models.ForeignKey(
        LoanApplication, verbose_name=_("application"), on_delete=models.CASCADE, related_name="reviews"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), auto_now_add=True)
    business_on = models.DateField(_("business date"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    items = models.JSONField(_("checklist"), default=list)
    passed = models.BooleanField(_("passed"))

    class Meta:
        verbose_name = _("data review")
        verbose_name_plural = _("data reviews")
        ordering = ["-reviewed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.application_id} {self.business_on} {'pass' if self.passed else 'fail'}"

    @property
    def failures(self) -> list[dict[str, Any]]:
        return [item for item in self.items if item["outcome"] == "fail"]


class CreditQuery(models.Model):
    """Credit-report query log (征信查询记录): who queried whose file, when, why, under which consent (§7.2).

    One row per attempt, including refused and failed ones. The report itself is kept encrypted; only the
    assessment that used it shows its figures, to people allowed to see the application.
    """

    customer = models.ForeignKey(
        "customers.Customer", verbose_name=_("customer"), on_delete=models.PROTECT, related_name="credit_queries"
    )
    application = models.ForeignKey(
        LoanApplication,
        verbose_name=_("application"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="credit_queries",
    )
    authorization = models.ForeignKey(
        "customers.CreditAuthorization",
        verbose_name=_("consent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="queries",
    )
    consent_reference = models.CharField(_("consent reference"), max_length=100, blank=True)
    purpose = models.CharField(_("purpose"), max_length=32)
    adapter = models.CharField(_("bureau"), max_length=32)
    queried_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("queried by"), on_delete=models.PROTECT, related_name="+"
    )
    queried_at = models.DateTimeField(_("queried at"), auto_now_add=True)
    business_on = models.DateField(_("business date"))
    outcome = models.CharField(_("outcome"), max_length=16, choices=QueryOutcome.choices)
    message = models.CharField(_("message"), max_length=300, blank=True)
    report = EncryptedTextField(_("report (encrypted)"), blank=True)

    SCOPE_OWNER = "customer__owner"
    SCOPE_ORG_UNIT = "customer__org_unit"

    class Meta:
        verbose_name = _("credit-report query")
        verbose_name_plural = _("credit-report queries")
        ordering = ["-queried_at", "-id"]

    def __str__(self) -> str:
        return f"{self.customer_id} {self.business_on} {self.outcome}"


class Assessment(models.Model):
    """Assessment (评估结论): admission decision, internal score and automated rating, then a person's decision.

    Immutable once written, except the human decision (confirm or override, PIPL Art. 24), which is set once.
    `admission`, `scorecard` and `rating` hold the pure modules' JSON forms with their versions.
    """

    application = models.ForeignKey(
        LoanApplication, verbose_name=_("application"), on_delete=models.PROTECT, related_name="assessments"
    )
    business_on = models.DateField(_("business date"))
    assessed_at = models.DateTimeField(_("assessed at"), auto_now_add=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assessed by"), on_delete=models.PROTECT, related_name="+"
    )
    credit_query = models.ForeignKey(
        CreditQuery, verbose_name=_("credit report"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    admission_policy_version = models.CharField(_("admission policy"), max_length=32)
    admitted = models.BooleanField(_("admitted"))
    admission = models.JSONField(_("admission rules"))
    scorecard_version = models.CharField(_("scorecard"), max_length=32)
    internal_score = models.IntegerField(_("internal score"), null=True, blank=True)
    probability_of_default = RateField(_("probability of default"), null=True, blank=True)
    scorecard = models.JSONField(_("score contributions"))
    bureau_facts = models.JSONField(_("credit-report facts"), default=dict)
    rating_policy_version = models.CharField(_("rating policy"), max_length=32)
    automated_level = models.CharField(_("automated rating"), max_length=8, choices=RISK_LEVELS)
    rating = models.JSONField(_("rating reasons and measures"))
    decision = models.CharField(
        _("decision"), max_length=16, choices=RatingDecision.choices, default=RatingDecision.PENDING
    )
    final_level = models.CharField(_("final rating"), max_length=8, choices=RISK_LEVELS, blank=True)
    measures = models.JSONField(_("measures for the plan"), default=dict)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)

    SCOPE_OWNER = "application__customer__owner"
    SCOPE_ORG_UNIT = "application__customer__org_unit"

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["-assessed_at", "-id"]
        indexes = [models.Index(fields=["decision", "-decided_at"], name="assessment_decision_idx")]

    def __str__(self) -> str:
        return f"{self.application_id} {self.automated_level}→{self.final_level or '?'}"


class RegulatoryCap(MakerChecked, BaseModel):
    """Regulatory cap (监管上限): the law's highest loan-to-value and longest term for a kind of lending, from a date.

    One effective-dated table, each row citing its source (DOMAIN.md §1): for used-car retail loans LTV ≤ 70 % of
    the lower of transaction price and appraisal (PBoC/CBRC 2017 notice, unchanged by the PBoC/NFRA 2024 notice)
    and term ≤ 36 months including extensions (《汽车贷款管理办法》 2017). Admission policies, products and exception
    requests cannot exceed the cap in force on their date. A change is a new row with a later date.
    """

    applies_to = models.CharField(_("applies to"), max_length=24, choices=CapScope.choices)
    effective_on = models.DateField(_("effective on"))
    max_ltv = RateField(
        _("maximum loan-to-value"),
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.000001")), MaxValueValidator(Decimal("1"))],
        help_text=_("Of the lower of price and appraised value; empty: the law sets none."),
    )
    max_term_months = models.PositiveSmallIntegerField(
        _("maximum term (months, extensions included)"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    source = models.TextField(_("source"), help_text=_("The regulation and article the cap comes from."))

    SERIES_FIELDS = ("applies_to",)

    class Meta:
        verbose_name = _("regulatory cap")
        verbose_name_plural = _("regulatory caps")
        ordering = ["applies_to", "-effective_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["applies_to", "effective_on"], name="assessment_cap_per_date"),
            models.CheckConstraint(
                condition=models.Q(max_ltv__isnull=True) | models.Q(max_ltv__gt=0, max_ltv__lte=1),
                name="assessment_cap_ltv_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_applies_to_display()} {self.effective_on}"


def cap_scope_of(customer_kind: str) -> str:
    """A product for individuals is used-car retail lending; one for companies, corporate lending."""
    return CapScope.CORPORATE if customer_kind == "company" else CapScope.USED_CAR_RETAIL


def cap_in_force(on: dt.date, applies_to: str) -> limits.Cap | None:
    """The regulatory cap (监管上限) in force on `on` for a kind of lending (`CapScope`); None when none is recorded."""
    row = RegulatoryCap.objects.in_force(on).filter(applies_to=applies_to).first()
    if row is None:
        return None
    ltv = row.max_ltv.normalize() if row.max_ltv is not None else None
    return limits.Cap(max_ltv=ltv, max_term_months=row.max_term_months, source=row.source)


def cap_errors(
    cap: Any, *, max_ltv: Decimal | None, max_term_months: int | None, ltv_field: str = "max_ltv"
) -> dict[str, list[str]]:
    """Field errors for a configuration that would exceed the regulatory `cap` (a `limits.Cap` or None)."""
    errors: dict[str, list[str]] = {}
    if cap is None:
        return errors
    if cap.max_ltv is not None and max_ltv is not None and max_ltv > cap.max_ltv:
        errors[ltv_field] = [
            str(
                _("At most %(ltv)s: the regulatory cap in force (%(source)s).")
                % {"ltv": limits.percent(cap.max_ltv), "source": cap.source}
            )
        ]
    if cap.max_term_months is not None and max_term_months is not None and max_term_months > cap.max_term_months:
        errors["max_term_months"] = [
            str(
                _("At most %(max)s months, extensions included: the regulatory cap in force (%(source)s).")
                % {"max": cap.max_term_months, "source": cap.source}
            )
        ]
    return errors


class AdmissionPolicyVersion(MakerChecked, BaseModel):
    """Admission policy (准入政策), one version with its effective date (ADM-1…ADM-7); a change is a new row.

    The fields are those of `rules.AdmissionPolicy`; without any row in force the built-in defaults apply.
    """

    version = models.CharField(_("version"), max_length=32, unique=True)
    effective_on = models.DateField(_("effective on"))
    min_age = models.PositiveSmallIntegerField(_("minimum age"), default=18)
    max_age = models.PositiveSmallIntegerField(_("maximum age"), default=60)
    max_age_at_maturity = models.PositiveSmallIntegerField(
        _("maximum age at maturity"), null=True, blank=True, default=65
    )
    require_full_civil_capacity = models.BooleanField(_("full civil capacity required"), default=True)
    min_bureau_score = models.PositiveSmallIntegerField(_("minimum credit-bureau score"), default=600)
    bad_record_lookback_months = models.PositiveSmallIntegerField(_("bad-record look-back (months)"), default=24)
    max_debt_to_income = RateField(_("maximum debt-to-income"), default=Decimal("0.55"))
    require_vehicle_documents = models.BooleanField(_("vehicle documents required"), default=True)
    refuse_major_accident = models.BooleanField(_("refuse cars with a major accident"), default=True)
    max_vehicle_age_months_at_maturity = models.PositiveSmallIntegerField(
        _("maximum vehicle age at maturity (months)"), default=120
    )
    max_mileage_km = models.PositiveIntegerField(_("maximum mileage (km)"), default=200_000)
    require_valuation = models.BooleanField(_("valuation required"), default=True)
    max_ltv = RateField(_("maximum loan-to-value"), default=Decimal("0.70"))
    max_term_months = models.PositiveSmallIntegerField(_("maximum term (months)"), default=36)
    stress_rate = RateField(
        _("rate for the debt-to-income test"),
        default=Decimal("0.12"),
        help_text=_("The annual rate at which the new instalment is estimated before the plan is priced."),
    )
    co_borrower_income_counts = models.BooleanField(
        _("co-borrowers' income and debts count in debt-to-income"),
        default=True,
        help_text=_(
            "On: the co-borrowers' monthly income and debt service are added to the applicant's. "
            "Off: the applicant's alone (the co-borrowers' reports are still queried and shown)."
        ),
    )

    class Meta:
        verbose_name = _("admission policy")
        verbose_name_plural = _("admission policies")
        ordering = ["-effective_on", "-id"]

    def __str__(self) -> str:
        return f"{self.version} ({self.effective_on})"

    def clean(self) -> None:
        """Refuse an LTV or a term above the used-car regulatory cap in force on the policy's date (issue 11)."""
        if self.effective_on is None:
            return
        cap = cap_in_force(self.effective_on, CapScope.USED_CAR_RETAIL)
        errors = cap_errors(cap, max_ltv=self.max_ltv, max_term_months=self.max_term_months)
        if errors:
            raise ValidationError(errors)


class RatingPolicyVersion(MakerChecked, BaseModel):
    """Rating policy (评级政策), one version of the thresholds of `rating.RatingPolicy` (ASSESS-1, ASSESS-2).

    `measures` may override the default measures per level, e.g. `{"medium": {"min_down_payment_share": "0.45"}}`.
    """

    version = models.CharField(_("version"), max_length=32, unique=True)
    effective_on = models.DateField(_("effective on"))
    low_min_bureau_score = models.PositiveSmallIntegerField(_("lowest bureau score for low risk"), default=680)
    high_max_bureau_score = models.PositiveSmallIntegerField(_("highest bureau score for high risk"), default=580)
    low_min_internal_score = models.PositiveSmallIntegerField(_("lowest internal score for low risk"), default=551)
    high_max_internal_score = models.PositiveSmallIntegerField(_("highest internal score for high risk"), default=511)
    max_delinquencies_24m_for_low = models.PositiveSmallIntegerField(
        _("overdue spells allowed for low risk"), default=0
    )
    high_min_delinquencies_24m = models.PositiveSmallIntegerField(_("overdue spells that make high risk"), default=3)
    max_inquiries_6m_for_low = models.PositiveSmallIntegerField(
        _("inquiries in 6 months allowed for low risk"), default=3
    )
    measures = models.JSONField(_("measures by level"), default=dict, blank=True)

    class Meta:
        verbose_name = _("rating policy")
        verbose_name_plural = _("rating policies")
        ordering = ["-effective_on", "-id"]

    def __str__(self) -> str:
        return f"{self.version} ({self.effective_on})"


class ScorecardVersion(MakerChecked, BaseModel):
    """Application scorecard (申请评分卡, A 卡), one version of the expert bands and points (`expert_scorecard`).

    The version in force on the business date (the latest effective on or before it) scores every assessment,
    which keeps its name. `characteristics` is the list `expert_scorecard.card_from_data` reads; it is checked
    on every save (ordered, contiguous bands, known characteristics), a problem is an error on that field.
    """

    name = models.CharField(_("name"), max_length=32, unique=True)
    effective_on = models.DateField(_("effective on"))
    base_points = models.SmallIntegerField(_("base points"))
    characteristics = models.JSONField(_("characteristics, bands and points"))
    notes = models.TextField(_("reasoning and changes"), blank=True)

    class Meta:
        verbose_name = _("application scorecard")
        verbose_name_plural = _("application scorecards")
        ordering = ["-effective_on", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.effective_on})"

    def card(self) -> Any:
        """The pure scorecard (`expert_scorecard.ExpertScorecard`) this row describes."""
        from creditdesk.assessment.expert_scorecard import card_from_data

        return card_from_data(name=self.name, base_points=self.base_points, characteristics=self.characteristics)

    def clean(self) -> None:
        try:
            self.card()
        except ValidationFailed as err:
            raise ValidationError({k: list(v) for k, v in (err.fields or {}).items()}) from None

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.clean()  # the bands are checked however the row is written (admin, shell, fixtures)
        super().save(*args, **kwargs)
