"""The figures of a service plan (方案测算), PLAN-1…PLAN-6: inputs checked, priced, scheduled and annualised.

`compute()` is the one place a plan's figures are made, for `plan_create`, `plan_update` and `plan_submit`. It
collects every problem (malformed inputs, the guarantors, the exception request, and every rule of
`plan_rules.check_plan`) into one ValidationFailed, code `plan_outside_limits`, one list of messages per field.
It reads the pricing grid and the guarantors' consents for the business date it is given; it writes nothing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from creditdesk.assessment import recheck
from creditdesk.assessment.models import Assessment, LoanApplication
from creditdesk.assessment.rating import HIGH, LOW_MEASURES, Measures
from creditdesk.assessment.selectors import cap_for_product, rating_policy_on
from creditdesk.core.errors import ValidationFailed
from creditdesk.core.money import ZERO, quantize_rate, to_decimal
from creditdesk.customers.models import CreditAuthorization, Customer
from creditdesk.customers.selectors import authorization_in_force
from creditdesk.lending.apr import schedule_apr
from creditdesk.lending.fees import product_fees, total
from creditdesk.lending.models import Product, ServicePlan
from creditdesk.lending.plan_rules import PlanTerms, PlanValues, check_plan
from creditdesk.lending.schedule import FirstPeriod, build_schedule, parse_amount
from creditdesk.lending.selectors import priced_rate

Guarantor = tuple[Customer, str]  # (the guarantor, their relationship to the applicant)
_Add = Callable[[str, str], None]


@dataclass(frozen=True)
class PlanInputs:
    """What the preparer chooses; None for the principal means the price less the down payment (PLAN-2), None for
    the rate means the pricing grid's rate (PLAN-3)."""

    price_amount: Any
    down_payment_amount: Any
    principal_amount: Any
    term_months: Any
    method: Any
    annual_rate: Any = None
    exception_requested: Any = False
    exception_reason: Any = ""

    @classmethod
    def of(cls, plan: ServicePlan) -> PlanInputs:
        return cls(
            price_amount=plan.price_amount,
            down_payment_amount=plan.down_payment_amount,
            principal_amount=None if plan.price_amount is not None else plan.principal_amount,
            term_months=plan.term_months,
            method=plan.method,
            annual_rate=plan.annual_rate if plan.rate_manual else None,
            exception_requested=plan.exception_requested,
            exception_reason=plan.exception_reason,
        )

    def changed(self, changes: dict[str, Any]) -> PlanInputs:
        values = {**dataclasses.asdict(self), **changes}
        if values["price_amount"] is not None and "principal_amount" not in changes:
            values["principal_amount"] = None  # derived again from the (new) price and down payment
        return PlanInputs(**values)


def _amount(name: str, value: Any, add: _Add) -> Decimal | None:
    if isinstance(value, float):
        add(name, _("Enter an amount in yuan."))
        return None
    try:
        return parse_amount(name, value)
    except ValidationFailed as err:
        for message in err.fields.get(name, [err.message]):
            add(name, message)
        return None


def _rate(value: Any, add: _Add) -> Decimal | None:
    try:
        if isinstance(value, float):
            raise TypeError
        rate = to_decimal(value)
    except (TypeError, ValueError):
        add("annual_rate", _("Enter the annual rate as a fraction, e.g. 0.06."))
        return None
    if quantize_rate(rate) != rate:
        add("annual_rate", _("Give the annual rate with six decimals at most."))
        return None
    return rate


def validate_guarantors(
    application: LoanApplication,
    guarantors: list[Guarantor],
    *,
    on: dt.date,
    add: _Add | None = None,
    raise_errors: bool = False,
) -> dict[int, CreditAuthorization]:
    """Each guarantor (第三方保证人) is another customer, listed once, with a relationship and a consent in force
    on `on` (PLAN-6); returns the consents by customer id."""
    errors: list[str] = []
    consents: dict[int, CreditAuthorization] = {}
    seen: set[int] = set()
    for customer, relationship in guarantors:
        if customer.pk == application.customer_id:
            errors.append(_("The applicant cannot guarantee their own loan."))
        elif customer.pk in seen:
            errors.append(_("%(name)s is listed twice.") % {"name": customer.name})
        elif not str(relationship or "").strip():
            errors.append(_("Give the relationship of %(name)s to the applicant.") % {"name": customer.name})
        else:
            consent = authorization_in_force(customer=customer, on=on)
            if consent is None:
                errors.append(
                    _("%(name)s has no consent in force: record the guarantor's consent.") % {"name": customer.name}
                )
            else:
                consents[customer.pk] = consent
        seen.add(customer.pk)
    for message in errors:
        if add is not None:
            add("guarantees", message)
    if errors and raise_errors:
        raise ValidationFailed(
            _("The plan is outside the limits."), code="plan_outside_limits", fields={"guarantees": errors}
        )
    return consents


def measures_from_dict(raw: dict[str, str]) -> Measures:
    """Rebuild the measures an assessment recorded as strings (`Measures.as_dict()`)."""
    values: dict[str, Any] = {}
    for field in dataclasses.fields(Measures):
        kind = type(getattr(LOW_MEASURES, field.name))
        text = str(raw[field.name])
        if kind is bool:
            values[field.name] = text == "true"
        elif kind is Decimal:
            values[field.name] = Decimal(text)
        elif kind is int:
            values[field.name] = int(text)
        else:
            values[field.name] = text
    return Measures(**values)


def measures_of(recorded: dict[str, str], level: str, on: dt.date) -> Measures:
    """The measures an assessment or a plan recorded, else those of the rating policy in force (older records)."""
    if recorded:
        return measures_from_dict(recorded)
    return rating_policy_on(on).measures_for(level)


def terms_of(product: Product) -> PlanTerms:
    return PlanTerms(
        code=product.code,
        min_amount=product.min_amount,
        max_amount=product.max_amount,
        allowed_terms=tuple(product.allowed_terms),
        allowed_methods=tuple(product.allowed_methods),
        max_ltv=product.max_ltv,
        rate_floor=product.rate_floor,
        rate_ceiling=product.rate_ceiling,
    )


def _check_product_guarantees(
    product: Product, level: str, *, has_guarantor: bool, application: LoanApplication, add: Any
) -> None:
    """The product's guarantee requirements for the risk level (PLAN-6), e.g. {"high": ["vehicle_mortgage",
    "guarantor"]}. "guarantor_or_down_payment" is the rating's measure, checked by `check_plan`; "collateral"
    (other than the car) is not modelled yet and is left to the reviewers."""
    required = (product.guarantee_rules or {}).get(level, [])
    if "guarantor" in required and not has_guarantor:
        add("guarantees", _("The product requires a third-party guarantor at this risk level."))
    if "vehicle_mortgage" in required and application.vehicle_id is None:
        add("guarantees", _("The product requires a mortgage on the vehicle at this risk level."))


def compute(
    *,
    application: LoanApplication,
    product: Product,
    level: str,
    measures: Measures,
    inputs: PlanInputs,
    guarantors: list[Guarantor],
    on: dt.date,
    assessment: Assessment | None = None,
) -> tuple[dict[str, Any], dict[int, CreditAuthorization]]:
    """The plan's stored figures and the guarantors' consents; raises one ValidationFailed listing every problem.

    The product's limits and the regulatory cap in force are hard (422); the admission rules the plan fails (those
    of its `assessment`, and its own re-run: `assessment.recheck`) are returned as `failed_rules`: the plan may be
    kept and revised, but it is submitted only with an exception request (issue 11 items 1 and 4)."""
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        if message not in errors.setdefault(name, []):
            errors[name].append(message)

    price = None if inputs.price_amount is None else _amount("price_amount", inputs.price_amount, add)
    down = _amount(
        "down_payment_amount", ZERO if inputs.down_payment_amount is None else inputs.down_payment_amount, add
    )
    if inputs.principal_amount is not None:
        principal = _amount("principal_amount", inputs.principal_amount, add)
    elif inputs.price_amount is None:
        principal = None
        add("principal_amount", _("Give the loan amount."))
    else:
        principal = price - down if price is not None and down is not None else None
    term = inputs.term_months
    if isinstance(term, bool) or not isinstance(term, int):
        add("term_months", _("The term must be a whole number of months."))
        term = None
    method = str(inputs.method or "")
    manual = None if inputs.annual_rate is None else _rate(inputs.annual_rate, add)
    if inputs.exception_requested and not str(inputs.exception_reason or "").strip():
        add("exception_reason", _("Give the reason for the exception: the credit committee decides on it."))
    consents = validate_guarantors(application, guarantors, on=on, add=add)
    priced = None
    if term is not None:
        grade = application.customer.grade
        priced = priced_rate(product=product, risk_level=level, grade=grade, term_months=term, on=on)
        if priced is None and inputs.annual_rate is None:
            add("annual_rate", _("No pricing is configured for this risk level and grade: give the rate."))
    rate = manual if inputs.annual_rate is not None else (priced.rate if priced is not None else None)
    valuation = recheck.valuation_of(application) if price is not None else None
    failed: list[dict[str, Any]] = []
    if assessment is not None and principal is not None and principal > 0 and term and rate is not None:
        failed = recheck.plan_failures(
            application=application,
            assessment=assessment,
            principal_amount=principal,
            price_amount=price,
            term_months=term,
            method=method,
            annual_rate=rate,
            on=on,
        )
    if inputs.exception_requested and level != HIGH and not failed:
        add("exception_requested", _("The plan fails no rule and is not high risk: it needs no exception."))
    if down is not None and principal is not None and term is not None and rate is not None:
        values = PlanValues(
            price_amount=price,
            down_payment_amount=down,
            principal_amount=principal,
            term_months=term,
            method=method,
            annual_rate=rate,
            has_guarantor=bool(guarantors),
            has_vehicle_mortgage=application.vehicle_id is not None,
            # The request stands in for the approval here: only the credit committee's approval lets it through.
            exception_approved=bool(inputs.exception_requested),
            valuation_amount=valuation,
        )
        try:
            check_plan(terms_of(product), measures, level, values, cap=cap_for_product(product, on))
        except ValidationFailed as err:
            for name, messages in err.fields.items():
                for message in messages:
                    add(name, message)
    _check_product_guarantees(product, level, has_guarantor=bool(guarantors), application=application, add=add)
    # Every None below has put its message in `errors` already; the test also narrows the types.
    if errors or principal is None or down is None or term is None or rate is None:
        raise ValidationFailed(_("The plan is outside the limits."), code="plan_outside_limits", fields=errors)
    schedule = build_schedule(
        principal_amount=principal,
        annual_rate=rate,
        term_months=term,
        method=method,  # type: ignore[arg-type]  # checked against the product's methods above
        start_on=on,  # illustrative: the schedule starts when the loan is paid out
        repayment_day=product.repayment_day,
        first_period=FirstPeriod(product.first_period),
        periodic_fee_amount=product.monthly_fee_amount,
    )
    fees = product_fees(product, principal=principal, start_on=on, first_due_on=schedule.instalments[0].due_on)
    apr = schedule_apr(schedule, fees=fees)
    figures = {
        "price_amount": price,
        "down_payment_amount": down,
        "principal_amount": principal,
        "term_months": term,
        "method": method,
        "annual_rate": rate,
        "rate_manual": inputs.annual_rate is not None,
        "priced_rate": priced.rate if priced is not None else None,
        "base_rate": priced.base_rate if priced is not None else None,
        "spread": priced.spread if priced is not None else None,
        "term_adjustment": priced.term_adjustment if priced is not None else None,
        "rate_clipped": priced.clipped if priced is not None else "",
        "upfront_fee_amount": total(fees),
        "fees": [fee.as_dict() for fee in fees],
        "monthly_fee_amount": product.monthly_fee_amount,
        "apr_nominal_rate": apr.nominal_rate,
        "apr_effective_rate": apr.effective_rate,
        "start_on": on,
        "first_due_on": schedule.instalments[0].due_on,
        "first_instalment_amount": schedule.instalments[0].total_amount,
        "total_interest_amount": schedule.total_interest_amount,
        "total_fee_amount": schedule.total_fee_amount,
        "total_amount": schedule.total_amount,
        "exception_requested": bool(inputs.exception_requested),
        "exception_reason": str(inputs.exception_reason or "").strip(),
        "failed_rules": failed,
    }
    return figures, consents


SNAPSHOT_FIELDS = (
    "price_amount",
    "down_payment_amount",
    "principal_amount",
    "term_months",
    "method",
    "annual_rate",
    "rate_manual",
    "priced_rate",
    "base_rate",
    "spread",
    "term_adjustment",
    "rate_clipped",
    "upfront_fee_amount",
    "fees",
    "monthly_fee_amount",
    "apr_nominal_rate",
    "apr_effective_rate",
    "start_on",
    "first_due_on",
    "first_instalment_amount",
    "total_interest_amount",
    "total_amount",
    "risk_level",
    "exception_requested",
    "exception_reason",
    "failed_rules",
)


def snapshot(plan: ServicePlan, guarantors: list[Guarantor]) -> dict[str, Any]:
    """One revision's figures as JSON (strings for money, rates and dates), with its guarantees."""

    def text(value: Any) -> Any:
        if value is None or isinstance(value, bool | int | str | list):
            return value
        return value.isoformat() if isinstance(value, dt.date) else str(value)

    values: dict[str, Any] = {name: text(getattr(plan, name)) for name in SNAPSHOT_FIELDS}
    values["vehicle_mortgage"] = plan.application.vehicle_id
    values["guarantors"] = [{"customer_id": c.pk, "name": c.name, "relationship": r.strip()} for c, r in guarantors]
    return values
