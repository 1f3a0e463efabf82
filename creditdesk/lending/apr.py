"""Annualised rate (年化利率) by the IRR method (内部收益率法): pure calculation, no ORM, no clock (PLAN-8).

PBoC Announcement 〔2021〕No.3 makes every lender show the annualised rate of a loan: all costs the borrower pays
(interest and every fee directly related to the loan) over the principal actually received, as a yearly figure.
The whole principal is paid out (no deduction, Civil Code Art. 670); one-off fees are separate charges on their
own due dates (`lending.fees`), counted where they fall.
We use the compound (IRR) method it allows: find the periodic rate r with

    principal − fees due at t0 = Σ_k payment_k / (1 + r)^k   (payment k, with any fee due then, falls k periods
                                                              after the disbursement)

and report r three ways: the periodic rate, the nominal annual rate r × periods (what Chinese lenders show and
what the contract states, DOMAIN.md §3), and the effective annual rate (1 + r)^periods − 1, for whoever must
label it the other way. The periods are taken as equal (every month counts the same), matching the schedule's
monthly rate of annual/12; a short or long first period is not weighted by days.

The IRR is solved in Decimal at high precision (never float): Newton's method kept inside a bracket that
always holds the root, falling back to bisection whenever a Newton step leaves it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, localcontext

from django.utils.translation import gettext as _

from creditdesk.core.errors import ValidationFailed
from creditdesk.core.money import ZERO, quantize_rate
from creditdesk.lending.fees import Fee
from creditdesk.lending.schedule import Schedule, parse_amount

MAX_PERIODS_PER_YEAR = 365
_PRECISION = 50  # significant digits while solving; the result is rounded to 6 places afterwards
_TOLERANCE = Decimal("1e-12")  # stop when a step moves the periodic rate by less than this
_MAX_ITERATIONS = 400  # bisection alone halves any bracket below the tolerance long before this


@dataclass(frozen=True)
class Apr:
    """An annualised rate (年化利率) by the IRR method, each figure a fraction rounded to six places."""

    periodic_rate: Decimal  # IRR per period (e.g. per month)
    nominal_rate: Decimal  # periodic × periods per year: the figure disclosed (PLAN-8)
    effective_rate: Decimal  # (1 + periodic)^periods per year − 1


def annualised_rate(*, net_disbursed_amount: Decimal, payments: Sequence[Decimal], periods_per_year: int = 12) -> Apr:
    """The IRR-method annualised rate of a loan paying out `net_disbursed_amount` now and collecting `payments`.

    A loan that costs nothing (payments sum to the net amount) has rate zero; one whose payments sum to less than
    was paid out would have a negative rate, which no loan product has, so it is refused as an input error.
    """
    net = parse_amount("net_disbursed_amount", net_disbursed_amount)
    if net <= ZERO:
        raise ValidationFailed.on("net_disbursed_amount", _("The net amount paid out must be more than zero."))
    if isinstance(payments, str | bytes) or not payments:
        raise ValidationFailed.on("payments", _("At least one payment is needed."))
    flows = [parse_amount("payments", payment) for payment in payments]
    if any(flow < ZERO for flow in flows):
        raise ValidationFailed.on("payments", _("Payments cannot be negative."))
    if sum(flows, ZERO) < net:
        raise ValidationFailed.on("payments", _("The payments must repay at least the net amount paid out."))
    if (
        isinstance(periods_per_year, bool)
        or not isinstance(periods_per_year, int)
        or not 1 <= periods_per_year <= MAX_PERIODS_PER_YEAR
    ):
        raise ValidationFailed.on(
            "periods_per_year",
            _("Periods per year must be from 1 to %(max)s.") % {"max": MAX_PERIODS_PER_YEAR},
        )

    with localcontext() as ctx:
        ctx.prec = _PRECISION
        periodic = _irr(net, flows)
        nominal = periodic * periods_per_year
        effective = (1 + periodic) ** periods_per_year - 1
    try:
        return Apr(
            periodic_rate=quantize_rate(periodic),
            nominal_rate=quantize_rate(nominal),
            effective_rate=quantize_rate(effective),
        )
    except ArithmeticError:  # more digits than a rate can hold: no real loan gets near this
        raise ValidationFailed.on("payments", _("These payments imply a rate too high to state.")) from None


def schedule_apr(schedule: Schedule, *, fees: Sequence[Fee] = ()) -> Apr:
    """The annualised rate of a repayment schedule and its one-off fees (PLAN-8, issue 11 item 6), monthly periods.

    The borrower receives the whole principal (nothing is deducted, Civil Code Art. 670) and pays each one-off fee
    on its own due date: a fee due on the disbursement date (period 0) is netted at t0, one due with instalment k
    is added to payment k. Fees charged with each instalment are already in the instalment totals. Every fee
    raises the rate, as the PBoC rule requires: the cost is interest *and* every fee tied to the loan.
    """
    payments = [line.total_amount for line in schedule.instalments]
    at_start = ZERO
    for fee in fees:
        amount = parse_amount("fees", fee.amount)
        if amount < ZERO:
            raise ValidationFailed.on("fees", _("A fee cannot be negative."))
        if not 0 <= fee.period <= len(payments):
            raise ValidationFailed.on("fees", _("A fee falls due on the disbursement date or with an instalment."))
        if fee.period == 0:
            at_start += amount
        else:
            payments[fee.period - 1] += amount
    if at_start >= schedule.total_principal_amount:
        raise ValidationFailed.on("fees", _("The fees due on the disbursement date must be less than the principal."))
    return annualised_rate(
        net_disbursed_amount=schedule.total_principal_amount - at_start,
        payments=payments,
        periods_per_year=12,
    )


def _irr(net: Decimal, flows: list[Decimal]) -> Decimal:
    """The periodic rate r ≥ 0 where the discounted payments equal `net` (call inside a high-precision context).

    f(r) = Σ flow_k/(1+r)^k − net falls as r rises. f(0) = Σ flows − net ≥ 0, and at r = Σ flows/net − 1 every
    discount factor is at most 1/(1+r), so f ≤ 0 there: the root lies in [0, Σ flows/net − 1].
    """
    total = sum(flows, Decimal(0))
    if total == net:
        return Decimal(0)
    low, high = Decimal(0), total / net - 1
    # Start from the simple-interest estimate (cost spread over the average life), clipped into the bracket.
    rate = min(2 * (total - net) / (net * (len(flows) + 1)), (low + high) / 2)
    for _iteration in range(_MAX_ITERATIONS):
        value, slope = _npv_and_slope(rate, net, flows)
        if value == 0:
            return rate
        if value > 0:
            low = rate
        else:
            high = rate
        candidate = rate - value / slope if slope != 0 else low
        if not low < candidate < high:
            candidate = (low + high) / 2
        if abs(candidate - rate) < _TOLERANCE:
            return candidate
        rate = candidate
    raise ArithmeticError("the IRR did not converge")  # unreachable: bisection alone converges in ~100 steps


def _npv_and_slope(rate: Decimal, net: Decimal, flows: list[Decimal]) -> tuple[Decimal, Decimal]:
    """f(rate) = Σ flow_k·v^k − net and f'(rate) = −Σ k·flow_k·v^(k+1), with v = 1/(1+rate)."""
    discount = 1 / (1 + rate)
    factor = Decimal(1)
    value, slope = -net, Decimal(0)
    for period, flow in enumerate(flows, start=1):
        factor *= discount
        value += flow * factor
        slope -= period * flow * factor * discount
    return value, slope
