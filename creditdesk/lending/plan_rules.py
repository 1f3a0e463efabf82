"""Service-plan rules (金融服务方案校验), PLAN-1…PLAN-6 and ASSESS-2: pure, no ORM, no clock (STYLE rule 5).

`check_plan()` holds a plan against two sets of limits at once and reports **every** breach in one
`ValidationFailed` (code `plan_outside_limits`, one list of messages per field), so the preparer fixes the plan in
one pass instead of discovering the rules one by one:

- the product's limits (`PlanTerms`): amount range, allowed terms and repayment methods, rate floor and ceiling,
  and the loan-to-value cap (PLAN-2, PLAN-3, PLAN-4, PLAN-5);
- the risk measures of the rating level (`assessment.rating.Measures`, ASSESS-2): the minimum down-payment share
  (lower with a guarantor), the longest term, a required guarantor, and "high risk is declined by default" unless
  an exception was approved (PLAN-6).

A vehicle loan (a price is given) must be secured by a mortgage on the vehicle (车辆抵押, PLAN-6); a loan with no
vehicle (a corporate working-capital loan) has no price, no down payment and no LTV or down-payment share.

Boundaries are inclusive, as a lender reads a policy: an LTV exactly at the cap and a down-payment share exactly at
the minimum pass. Ratios are compared exactly, as fractions and by cross-multiplying (principal ≤ cap × price
rather than principal ÷ price ≤ cap): a quotient such as 1/3 has no exact Decimal, and even a Decimal product is
rounded to the context's 28 digits, so either could let a hair-over plan pass. Money and rates are Decimal only;
a float is refused with TypeError, as everywhere (`core.money`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.utils.translation import gettext as _

from creditdesk.assessment import limits
from creditdesk.assessment.rating import HIGH, LEVELS, Measures
from creditdesk.core.errors import ValidationFailed

_Add = Callable[[str, str], None]  # records one message against one field


def _decimal(name: str, value: object) -> None:
    if not isinstance(value, Decimal):
        raise TypeError(f"{name} must be a Decimal, not {type(value).__name__}: {value!r}")
    if not value.is_finite():
        raise ValidationFailed.on(name, f"{name} must be a finite number.")


def _whole(name: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be a whole number, not {type(value).__name__}: {value!r}")


@dataclass(frozen=True, kw_only=True)
class PlanTerms:
    """Product limits (产品条件) a plan must stay within: plain values copied from `lending.Product`."""

    code: str
    min_amount: Decimal
    max_amount: Decimal
    allowed_terms: tuple[int, ...]
    allowed_methods: tuple[str, ...]
    max_ltv: Decimal | None  # loan ÷ the lower of price and appraisal; None: the product sets no cap
    rate_floor: Decimal
    rate_ceiling: Decimal

    def __post_init__(self) -> None:
        # The product stores terms and methods as JSON lists; keep tuples so the terms stay immutable.
        object.__setattr__(self, "allowed_terms", tuple(self.allowed_terms))
        object.__setattr__(self, "allowed_methods", tuple(self.allowed_methods))
        for name in ("min_amount", "max_amount", "rate_floor", "rate_ceiling"):
            _decimal(name, getattr(self, name))
        for term in self.allowed_terms:
            _whole("allowed_terms", term)
        if self.max_ltv is not None:
            _decimal("max_ltv", self.max_ltv)
            if not 0 < self.max_ltv <= 1:
                raise ValidationFailed.on("max_ltv", "max_ltv must be above 0 and at most 1.")
        if self.min_amount <= 0 or self.max_amount < self.min_amount:
            raise ValidationFailed.on("max_amount", "The amount range must be positive and not inverted.")
        if self.rate_floor < 0 or self.rate_ceiling < self.rate_floor:
            raise ValidationFailed.on("rate_ceiling", "The rate bounds must be zero or more and not inverted.")


@dataclass(frozen=True, kw_only=True)
class PlanValues:
    """The figures of a service plan (金融服务方案) to check; `price_amount` None for a loan with no vehicle."""

    price_amount: Decimal | None
    down_payment_amount: Decimal
    principal_amount: Decimal
    term_months: int
    method: str
    annual_rate: Decimal
    has_guarantor: bool  # a third-party guarantor (第三方保证)
    has_vehicle_mortgage: bool  # a mortgage on the vehicle (车辆抵押)
    exception_approved: bool  # a high-risk exception approved under ASSESS-2
    valuation_amount: Decimal | None = None  # the vehicle's latest appraisal (评估价): LTV on the lower of the two

    def __post_init__(self) -> None:
        for name in ("down_payment_amount", "principal_amount", "annual_rate"):
            _decimal(name, getattr(self, name))
        for name in ("price_amount", "valuation_amount"):
            if getattr(self, name) is not None:
                _decimal(name, getattr(self, name))
        _whole("term_months", self.term_months)
        for name in ("has_guarantor", "has_vehicle_mortgage", "exception_approved"):
            if not isinstance(getattr(self, name), bool):
                raise TypeError(f"{name} must be True or False.")


_percent = limits.percent


def check_plan(
    terms: PlanTerms, measures: Measures, level: str, values: PlanValues, cap: limits.Cap | None = None
) -> None:
    """Raise one ValidationFailed listing every rule the plan breaks (PLAN-1…PLAN-6, ASSESS-2); see the module.

    The product's amount, terms, methods and LTV and the regulatory `cap` are checked by `assessment.limits`, the
    one limit check the checklist, the assessment and the quotes use too (issue 11 item 4)."""
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    price, down, principal = values.price_amount, values.down_payment_amount, values.principal_amount
    if level not in LEVELS:
        add("risk_level", _("Unknown risk level."))
    elif level == HIGH and measures.declined_by_default and not values.exception_approved:
        add("risk_level", _("High-risk applications are declined unless an exception is approved."))

    if principal <= 0:
        add("principal_amount", _("The principal must be more than zero."))
    else:
        product = limits.ProductLimits.of(terms)
        breaches = limits.check(
            principal_amount=principal,
            term_months=values.term_months,
            method=values.method,
            price_amount=price if price is not None and price > 0 else None,
            valuation_amount=values.valuation_amount if price is not None else None,
            product=product,
            cap=cap,
        )
        for name, messages in limits.field_errors(breaches, product=product, cap=cap).items():
            for message in messages:
                add(name, message)
    if down < 0:
        add("down_payment_amount", _("The down payment cannot be negative."))

    if price is None:
        if down > 0:
            add("down_payment_amount", _("A down payment needs a vehicle price."))
    elif price <= 0:
        add("price_amount", _("The price must be more than zero."))
    else:
        _check_vehicle_loan(terms, measures, values, price, add)

    if values.term_months > measures.max_term_months:
        add(
            "term_months",
            _("At this risk level the term may be at most %(max)s months.") % {"max": measures.max_term_months},
        )
    if not terms.rate_floor <= values.annual_rate <= terms.rate_ceiling:
        add(
            "annual_rate",
            _("The product allows rates from %(floor)s to %(ceiling)s.")
            % {"floor": limits.percent(terms.rate_floor), "ceiling": limits.percent(terms.rate_ceiling)},
        )
    if measures.guarantor_required and not values.has_guarantor:
        add("guarantees", _("At this risk level a third-party guarantor is required."))
    if errors:
        raise ValidationFailed(_("The plan is outside the limits."), code="plan_outside_limits", fields=errors)


def _check_vehicle_loan(terms: PlanTerms, measures: Measures, values: PlanValues, price: Decimal, add: _Add) -> None:
    """The rules of a loan on a vehicle of `price` (> 0): PLAN-2 and the down payment of ASSESS-2, PLAN-6."""
    down, principal = values.down_payment_amount, values.principal_amount
    if down >= price:
        add("down_payment_amount", _("The down payment must be less than the price."))
    elif down >= 0 and principal != price - down:
        add("principal_amount", _("The principal must be the price less the down payment."))
    required = (
        measures.min_down_payment_share_with_guarantor if values.has_guarantor else measures.min_down_payment_share
    )
    if down >= 0 and Fraction(down) < Fraction(required) * Fraction(price):
        add(
            "down_payment_amount",
            _("At this risk level the down payment must be at least %(share)s of the price.")
            % {"share": _percent(required)},
        )
    if not values.has_vehicle_mortgage:
        add("guarantees", _("A vehicle loan must be secured by a mortgage on the vehicle."))
