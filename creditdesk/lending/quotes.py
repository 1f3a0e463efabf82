"""Quotes (报价试算): a repayment schedule and its annualised rate, computed without writing anything (PLAN-5, PLAN-8).

Only the arithmetic for now: products (limits, fees) and pricing from the risk level come with the service-plan
capability; until then a quote needs an explicit annual rate and names no product.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from creditdesk.core.errors import ValidationFailed
from creditdesk.core.money import ZERO
from creditdesk.core.months import add_months
from creditdesk.lending.apr import Apr, schedule_apr
from creditdesk.lending.schedule import Schedule, build_schedule, parse_amount


@dataclass(frozen=True)
class Quote:
    principal_amount: Decimal
    annual_rate: Decimal
    schedule: Schedule
    apr: Apr


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
    first_due_on: dt.date | None = None,
) -> Quote:
    """A side-effect-free quote; the principal is given, or is the price less the down payment (PLAN-2)."""
    if product:
        raise ValidationFailed.on("product", _("Products are not configured yet: quote without a product."))
    if annual_rate is None:
        field = "risk_level" if risk_level else "annual_rate"
        raise ValidationFailed.on(field, _("Give the annual rate: pricing by risk level is not configured yet."))
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
    if first_due_on is not None and first_due_on <= business_on:
        raise ValidationFailed.on("first_due_on", _("The first due date must be after the business date."))
    schedule = build_schedule(
        principal_amount=principal_amount,
        annual_rate=annual_rate,
        term_months=term_months,
        method=method,  # type: ignore[arg-type]  # a code from the API; build_schedule checks it
        first_due_on=first_due_on or add_months(business_on, 1),
    )
    return Quote(
        principal_amount=schedule.total_principal_amount,
        annual_rate=annual_rate,
        schedule=schedule,
        apr=schedule_apr(schedule),
    )
