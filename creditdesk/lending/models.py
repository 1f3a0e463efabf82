"""Lending configuration: products (贷款产品), the LPR series and the pricing grid."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from creditdesk.core.models import BaseModel
from creditdesk.core.money import MoneyField, RateField
from creditdesk.customers.choices import CustomerKind, Grade
from creditdesk.lending.choices import LprTenor, RiskLevel


def _default_methods() -> list[str]:
    return ["equal_instalment", "equal_principal", "interest_first"]


def _default_terms() -> list[int]:
    return [12, 24, 36]


class Product(BaseModel):
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
        _("upfront fee rate"), default=0, help_text=_("Share of the principal, taken at payout.")
    )
    monthly_fee_amount = MoneyField(_("fee per instalment"), default=0)
    penalty_uplift = RateField(
        _("penalty-rate uplift"), default="0.500000", help_text=_("Overdue interest = contract rate × (1 + uplift).")
    )
    grace_days = models.PositiveSmallIntegerField(_("grace days"), default=3)
    guarantee_rules = models.JSONField(
        _("guarantees by risk level"),
        default=dict,
        blank=True,
        help_text=_('e.g. {"medium": ["guarantor_or_down_payment"], "high": ["guarantor", "vehicle_mortgage"]}'),
    )
    is_active = models.BooleanField(_("active"), default=True)

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
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class LprRate(BaseModel):
    """Loan prime rate (LPR) published on a date for a tenor (DOMAIN.md §5); the series is kept, never edited."""

    tenor = models.CharField(_("tenor"), max_length=2, choices=LprTenor.choices)
    effective_on = models.DateField(_("effective on"))
    rate = RateField(_("rate"))

    class Meta:
        verbose_name = _("LPR")
        verbose_name_plural = _("LPR series")
        ordering = ["tenor", "-effective_on"]
        constraints = [models.UniqueConstraint(fields=["tenor", "effective_on"], name="lending_lpr_per_date")]

    def __str__(self) -> str:
        return f"{self.tenor} {self.effective_on} {self.rate}"


class SpreadRule(BaseModel):
    """Pricing grid (定价表): the spread over the LPR for a risk level and customer grade (PLAN-3)."""

    risk_level = models.CharField(_("risk level"), max_length=8, choices=RiskLevel.choices)
    grade = models.CharField(_("grade"), max_length=1, choices=Grade.choices)
    spread = RateField(_("spread"))
    effective_on = models.DateField(_("effective on"))

    class Meta:
        verbose_name = _("spread rule")
        verbose_name_plural = _("pricing grid")
        ordering = ["risk_level", "grade", "-effective_on"]
        constraints = [
            models.UniqueConstraint(fields=["risk_level", "grade", "effective_on"], name="lending_spread_version")
        ]

    def __str__(self) -> str:
        return f"{self.risk_level}/{self.grade} +{self.spread}"


class TermAdjustment(BaseModel):
    """Term adjustment (期限调整): added to the rate for terms within a range of months (PLAN-3, PLAN-4)."""

    min_term_months = models.PositiveSmallIntegerField(_("from (months)"))
    max_term_months = models.PositiveSmallIntegerField(_("to (months)"))
    adjustment = RateField(_("adjustment"))
    effective_on = models.DateField(_("effective on"))

    class Meta:
        verbose_name = _("term adjustment")
        verbose_name_plural = _("term adjustments")
        ordering = ["min_term_months", "-effective_on"]

    def __str__(self) -> str:
        return f"{self.min_term_months}–{self.max_term_months}: {self.adjustment}"
