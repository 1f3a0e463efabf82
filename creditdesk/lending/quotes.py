"""Quotes (报价试算): a repayment schedule and its annualised rate, computed without writing anything (PLAN-5, PLAN-8).

Without a product only the arithmetic applies. With one, its limits apply (terms, methods, amount range, LTV, rate
bounds), its fees enter the schedule and the APR, and a missing rate is priced from the risk level and grade. The
whole principal is paid out; one-off fees are separate charges with their own due dates (issue 11 item 6).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from creditdesk.assessment import limits
from creditdesk.core.errors import ValidationFailed
from creditdesk.core.money import ZERO
from creditdesk.core.months import add_months
from creditdesk.lending.apr import Apr, schedule_apr
from creditdesk.lending.fees import Fee, product_fees, total
from creditdesk.lending.schedule import FirstPeriod, Schedule, build_schedule, parse_amount

MAX_START_MONTHS = 60  # a quote's planned disbursement date is within five years of the business date


@dataclass(frozen=True)
class Quote:
    principal_amount: Decimal
    annual_rate: Decimal
    schedule: Schedule
    apr: Apr
    start_on: dt.date
    fees: tuple[Fee, ...] = ()  # one-off fees: separate charges, never deducted (issue 11 item 6)
    upfront_fee_amount: Decimal = ZERO  # their total
    product_code: str = ""

    @property
    def net_payout_amount(self) -> Decimal:
        """Paid to the payee: the whole principal (Civil Code Art. 670)."""
        return self.principal_amount


def quote(
    *,
    term_months: int,
    method: str,
    business_on: dt.date,
    principal_amount: Decimal | None = None,
    price_amount: Decimal | None = None,
    down_payment_amount: Decimal | None = None,
    annual_rate: Decimal | None = None,
    product: str | None = None,
    risk_level: str | None = None,
    grade: str | None = None,
    first_due_on: dt.date | None = None,
    start_on: dt.date | None = None,
) -> Quote:
    """A side-effect-free quote; the principal is given, or is the price less the down payment (PLAN-2).

    `start_on` is the planned disbursement date (放款日, default the business date): the due dates fall on its day of
    month, or on the product's fixed repayment day, clamped to each month's end (issue 11 item 7)."""
    from creditdesk.lending.selectors import priced_rate, product_for

    chosen = product_for(code=product, on=business_on) if product else None
    if product and chosen is None:
        raise ValidationFailed.on("product", _("No such product in force."))
    if principal_amount is None:
        if price_amount is None or down_payment_amount is None:
            raise ValidationFailed.on("principal_amount", _("Give the principal, or the price and the down payment."))
        price = parse_amount("price_amount", price_amount)
        down = parse_amount("down_payment_amount", down_payment_amount)
        if down < ZERO:
            raise ValidationFailed.on("down_payment_amount", _("The down payment cannot be negative."))
        if down >= price:
            raise ValidationFailed.on("down_payment_amount", _("The down payment must be less than the price."))
        principal_amount = price - down
    principal = parse_amount("principal_amount", principal_amount)
    if chosen is not None:
        _check_product(
            chosen,
            principal=principal,
            term_months=term_months,
            method=method,
            price=price_amount if price_amount is None else parse_amount("price_amount", price_amount),
            on=business_on,
        )
    if annual_rate is None:
        if chosen is None or not risk_level:
            field = "risk_level" if chosen is not None else "annual_rate"
            raise ValidationFailed.on(field, _("Give the annual rate, or a product and a risk level to price it."))
        priced = priced_rate(
            product=chosen, risk_level=risk_level, grade=grade or "B", term_months=term_months, on=business_on
        )
        if priced is None:
            raise ValidationFailed.on("risk_level", _("No pricing is configured for this risk level and grade."))
        annual_rate = priced.rate
    elif chosen is not None and not chosen.rate_floor <= annual_rate <= chosen.rate_ceiling:
        raise ValidationFailed.on(
            "annual_rate",
            _("The product allows rates from %(floor)s to %(ceiling)s.")
            % {"floor": limits.percent(chosen.rate_floor), "ceiling": limits.percent(chosen.rate_ceiling)},
        )
    start_on = start_on or business_on
    if not add_months(business_on, -MAX_START_MONTHS) <= start_on <= add_months(business_on, MAX_START_MONTHS):
        raise ValidationFailed.on(
            "start_on",
            _("The planned disbursement date must be within %(n)s months of the business date.")
            % {"n": MAX_START_MONTHS},
        )
    schedule = build_schedule(
        principal_amount=principal,
        annual_rate=annual_rate,
        term_months=term_months,
        method=method,  # type: ignore[arg-type]  # a code from the API; build_schedule checks it
        start_on=start_on,
        first_due_on=first_due_on,
        repayment_day=chosen.repayment_day if chosen is not None else None,
        first_period=FirstPeriod(chosen.first_period) if chosen is not None else FirstPeriod.FULL_MONTH,
        periodic_fee_amount=chosen.monthly_fee_amount if chosen is not None else ZERO,
    )
    fees = (
        product_fees(chosen, principal=principal, start_on=start_on, first_due_on=schedule.instalments[0].due_on)
        if chosen is not None
        else ()
    )
    return Quote(
        principal_amount=schedule.total_principal_amount,
        annual_rate=annual_rate,
        schedule=schedule,
        apr=schedule_apr(schedule, fees=fees),
        start_on=start_on,
        fees=fees,
        upfront_fee_amount=total(fees),
        product_code=chosen.code if chosen is not None else "",
    )


def _check_product(
    product: Any, *, principal: Decimal, term_months: int, method: str, price: Decimal | None, on: dt.date
) -> None:
    """The one limit check (`assessment.limits`) with the product's limits and the regulatory cap in force; a quote
    has no appraisal, so its LTV is on the price (the plan measures it on the lower of price and appraisal)."""
    from creditdesk.assessment.selectors import cap_for_product

    cap = cap_for_product(product, on)
    terms = limits.ProductLimits.of(product)
    breaches = limits.check(
        principal_amount=principal, term_months=term_months, method=method, price_amount=price, product=terms, cap=cap
    )
    if breaches:
        raise ValidationFailed(
            _("The quote is outside the product's limits."),
            fields=limits.field_errors(breaches, product=terms, cap=cap),
        )
