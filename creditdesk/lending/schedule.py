"""Repayment schedules (还款计划): pure calculation, no ORM, no clock (STYLE rule 5, PLAN-5).

Three methods, with the formulas of DOMAIN.md §4 (P = principal, i = annual rate / 12, n = months):

- equal instalment (等额本息): A = P·i·(1+i)^n / ((1+i)^n − 1), or P/n when i = 0;
  interest_k = B_{k−1}·i, principal_k = A − interest_k.
- equal principal (等额本金): principal_k = P/n, interest_k = B_{k−1}·i.
- interest first (先息后本): interest_k = P·i every month, all principal with the last instalment.

Rounding (ARCHITECTURE rule 1, `core.money.quantize`, half up to the fen):

- The instalment A and the principal slice P/n are rounded once; every month's interest is the rounded product
  of the *actual* opening balance (already whole fen) and the monthly rate. We chose interest on the real
  outstanding balance rather than on an un-rounded theoretical balance because that is what the borrower
  owes and what the ledger will accrue; the contractual golden values (PLAN-5 tests) come out the same.
- The last instalment takes whatever principal is left, so principal sums exactly to the loan and the final
  closing balance is exactly zero.
- On very small loans over many months a rounded-up A or P/n would repay the loan before the last month and
  drive the balance negative (1.00 over 60 months: 0.02 × 59 > 1.00). Then the rounded amount is lowered one
  fen at a time until the last instalment's remainder is not negative (1.00 over 60 months → 0.01 × 59 and
  0.41). This never happens on real loan sizes, and it keeps the "equal except the last" shape.

Monthly rate is annual/12 with no day counting: every period is one contractual month — except, when the product
says so, a broken first period (首期不足月/超过一个月), issue 11 item 7: with `FirstPeriod.ACTUAL_360` its interest is
the opening balance × annual rate / 360 × the actual days from the start (放款日) to the first due date; the
principal parts stay those of the regular plan, so only the first instalment's interest (and total) changes. The
default `FirstPeriod.FULL_MONTH` counts the first period as one month whatever its length.

Due dates (还款日) are anchored on the repayment day, never on the first due date after clamping: the start's day of
month, or a repayment day 1–28 the product fixes, each month clamped to its end (start 2027-01-31: 02-28, 03-31,
04-30; issue 11 item 7).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from django.utils.translation import gettext as _

from creditdesk.core.errors import ValidationFailed
from creditdesk.core.money import CENT, ZERO, quantize, to_decimal
from creditdesk.core.months import add_months

MONTHS_PER_YEAR = 12
MAX_TERM_MONTHS = 360


MAX_REPAYMENT_DAY = 28  # a fixed repayment day exists in every month
FIRST_PERIOD_MAX_MONTHS = 12  # the first due date falls within a year of the start


class FirstPeriod(StrEnum):
    """How a broken first period's interest is counted (首期计息方式), issue 11 item 7."""

    FULL_MONTH = "full_month"  # 首期按整月计息: annual/12 whatever the first period's length
    ACTUAL_360 = "actual_360"  # 首期按实际天数计息: annual/360 × the days from the start to the first due date


class Method(StrEnum):
    """Repayment method (还款方式), PLAN-5."""

    EQUAL_INSTALMENT = "equal_instalment"  # 等额本息
    EQUAL_PRINCIPAL = "equal_principal"  # 等额本金
    INTEREST_FIRST = "interest_first"  # 先息后本


@dataclass(frozen=True)
class Instalment:
    """One line of a repayment schedule (还款计划期次); all amounts in yuan to the fen."""

    period: int
    due_on: dt.date
    opening_balance_amount: Decimal
    principal_amount: Decimal
    interest_amount: Decimal
    fee_amount: Decimal
    total_amount: Decimal
    closing_balance_amount: Decimal


@dataclass(frozen=True)
class Schedule:
    """A whole repayment schedule (还款计划) with its totals."""

    instalments: tuple[Instalment, ...]
    total_principal_amount: Decimal
    total_interest_amount: Decimal
    total_fee_amount: Decimal
    total_amount: Decimal


def due_dates(first_due_on: dt.date, count: int) -> list[dt.date]:
    """`count` monthly due dates (还款日) starting on `first_due_on`.

    Every date is anchored on the first date's day of month and clamped to the month's end, so a loan due on
    the 31st stays on the 31st whenever the month has one (2027-01-31 → 2027-02-28 → 2027-03-31), instead of
    drifting to the 28th after February.
    """
    if count < 0:
        raise ValueError(f"count must not be negative: {count}")
    return [add_months(first_due_on, offset) for offset in range(count)]


def repayment_day_of(
    *, start_on: dt.date, first_due_on: dt.date | None = None, repayment_day: int | None = None
) -> int:
    """The day of month the loan falls due (还款日): the product's fixed day, else the chosen first due date's, else
    the start's. A first due date on a month's last day stands for the start's later day (start 01-31, first due
    02-28: the 31st)."""
    if repayment_day is not None:
        return repayment_day
    if first_due_on is None:
        return start_on.day
    month_end = add_months(first_due_on, 0, day=31) == first_due_on
    return max(first_due_on.day, start_on.day) if month_end else first_due_on.day


def repayment_dates(
    *, start_on: dt.date, count: int, first_due_on: dt.date | None = None, repayment_day: int | None = None
) -> list[dt.date]:
    """`count` monthly due dates of a loan paid out on `start_on`, on its repayment day clamped to each month's end
    (issue 11 item 7). Without a chosen first due date the first falls in the month after the start."""
    day = repayment_day_of(start_on=start_on, first_due_on=first_due_on, repayment_day=repayment_day)
    first = first_due_on or add_months(start_on, 1, day=day)
    return [add_months(first, offset, day=day) for offset in range(count)]


def check_dates(*, start_on: dt.date, first_due_on: dt.date | None, repayment_day: int | None) -> None:
    """Refuse a first due date not after the start or beyond a year, one off the fixed repayment day, or a
    repayment day outside 1–28 (ValidationFailed naming the field)."""
    if repayment_day is not None and (
        isinstance(repayment_day, bool)
        or not isinstance(repayment_day, int)
        or not 1 <= repayment_day <= MAX_REPAYMENT_DAY
    ):
        raise ValidationFailed.on(
            "repayment_day", _("The repayment day must be from 1 to %(max)s.") % {"max": MAX_REPAYMENT_DAY}
        )
    if first_due_on is None:
        return
    if first_due_on <= start_on:
        raise ValidationFailed.on("first_due_on", _("The first due date must be after the start date."))
    if first_due_on > add_months(start_on, FIRST_PERIOD_MAX_MONTHS):
        raise ValidationFailed.on(
            "first_due_on",
            _("The first due date must fall within %(n)s months of the start date.") % {"n": FIRST_PERIOD_MAX_MONTHS},
        )
    if repayment_day is not None and first_due_on.day != repayment_day:
        raise ValidationFailed.on(
            "first_due_on",
            _("The product's repayment day is the %(day)s of the month.") % {"day": repayment_day},
        )


def build_schedule(
    *,
    principal_amount: Decimal,
    annual_rate: Decimal,
    term_months: int,
    method: Method,
    first_due_on: dt.date | None = None,
    periodic_fee_amount: Decimal = ZERO,
    start_on: dt.date | None = None,
    repayment_day: int | None = None,
    first_period: FirstPeriod = FirstPeriod.FULL_MONTH,
) -> Schedule:
    """The repayment schedule of a loan (PLAN-5); raises ValidationFailed on impossible terms.

    `periodic_fee_amount` is a fee charged with every instalment (e.g. a monthly service fee); it counts in the
    line totals and therefore in the annualised rate (`lending.apr`, PLAN-8), but never reduces principal.

    Dates: with `start_on` (the disbursement date, 放款日) the due dates follow `repayment_dates`, and a broken
    first period is counted by `first_period`; with only `first_due_on` (older plans) they are anchored on it.
    """
    principal = parse_amount("principal_amount", principal_amount)
    if principal <= ZERO:
        raise ValidationFailed.on("principal_amount", _("The principal must be more than zero."))
    fee = parse_amount("periodic_fee_amount", periodic_fee_amount)
    if fee < ZERO:
        raise ValidationFailed.on("periodic_fee_amount", _("The fee cannot be negative."))
    rate = _rate(annual_rate)
    if isinstance(term_months, bool) or not isinstance(term_months, int) or not 1 <= term_months <= MAX_TERM_MONTHS:
        raise ValidationFailed.on(
            "term_months", _("The term must be from 1 to %(max)s months.") % {"max": MAX_TERM_MONTHS}
        )
    try:
        method = Method(method)
    except ValueError:
        raise ValidationFailed.on("method", _("Unknown repayment method.")) from None

    try:
        first_period = FirstPeriod(first_period)
    except ValueError:
        raise ValidationFailed.on("first_period", _("Unknown way of counting the first period.")) from None

    monthly_rate = rate / MONTHS_PER_YEAR
    plan = _PLANNERS[method](principal, monthly_rate, term_months)
    if start_on is not None:
        check_dates(start_on=start_on, first_due_on=first_due_on, repayment_day=repayment_day)
        dates = repayment_dates(
            start_on=start_on, count=term_months, first_due_on=first_due_on, repayment_day=repayment_day
        )
        if first_period == FirstPeriod.ACTUAL_360 and dates[0] != add_months(start_on, 1):
            # A broken first period: interest on the actual days (DOMAIN.md §4, daily rate = annual / 360).
            plan[0] = (plan[0][0], quantize(principal * rate * (dates[0] - start_on).days / 360))
    elif first_due_on is not None:
        dates = due_dates(first_due_on, term_months)
    else:
        raise ValueError("build_schedule needs start_on or first_due_on")
    instalments = []
    balance = principal
    for period, (due_on, (principal_part, interest)) in enumerate(zip(dates, plan, strict=True), start=1):
        instalments.append(
            Instalment(
                period=period,
                due_on=due_on,
                opening_balance_amount=balance,
                principal_amount=principal_part,
                interest_amount=interest,
                fee_amount=fee,
                total_amount=principal_part + interest + fee,
                closing_balance_amount=balance - principal_part,
            )
        )
        balance -= principal_part
    return Schedule(
        instalments=tuple(instalments),
        total_principal_amount=sum((line.principal_amount for line in instalments), ZERO),
        total_interest_amount=sum((line.interest_amount for line in instalments), ZERO),
        total_fee_amount=sum((line.fee_amount for line in instalments), ZERO),
        total_amount=sum((line.total_amount for line in instalments), ZERO),
    )


# A planner turns (principal, monthly rate, months) into [(principal_k, interest_k)] for k = 1..n, each already
# rounded to the fen, principal summing exactly to the loan.
_Lines = list[tuple[Decimal, Decimal]]


def _equal_instalment(principal: Decimal, monthly_rate: Decimal, months: int) -> _Lines:
    if monthly_rate == 0:
        payment = quantize(principal / months)
    else:
        growth = (1 + monthly_rate) ** months
        payment = quantize(principal * monthly_rate * growth / (growth - 1))
    while True:
        lines = _amortise(principal, monthly_rate, months, level_amount=payment, level_is_total=True)
        if lines is not None:
            return lines
        payment -= CENT  # see the module docstring: only tiny loans over long terms get here


def _equal_principal(principal: Decimal, monthly_rate: Decimal, months: int) -> _Lines:
    slice_amount = quantize(principal / months)
    while True:
        lines = _amortise(principal, monthly_rate, months, level_amount=slice_amount, level_is_total=False)
        if lines is not None:
            return lines
        slice_amount -= CENT  # see the module docstring: only tiny loans over long terms get here


def _interest_first(principal: Decimal, monthly_rate: Decimal, months: int) -> _Lines:
    interest = quantize(principal * monthly_rate)
    return [(ZERO, interest)] * (months - 1) + [(principal, interest)]


def _amortise(
    principal: Decimal, monthly_rate: Decimal, months: int, *, level_amount: Decimal, level_is_total: bool
) -> _Lines | None:
    """Lines where interest is charged on the outstanding balance and the last month clears it.

    Every month but the last repays `level_amount` of principal, or `level_amount` less that month's interest when
    `level_is_total` (the annuity). Returns None when these would repay more than the loan before the last month.
    """
    lines = []
    balance = principal
    for period in range(1, months + 1):
        interest = quantize(balance * monthly_rate)
        part = level_amount - interest if level_is_total else level_amount
        if period == months:
            part = balance
        elif part > balance:
            return None
        lines.append((part, interest))
        balance -= part
    return lines


_PLANNERS: dict[Method, Callable[[Decimal, Decimal, int], _Lines]] = {
    Method.EQUAL_INSTALMENT: _equal_instalment,
    Method.EQUAL_PRINCIPAL: _equal_principal,
    Method.INTEREST_FIRST: _interest_first,
}


def parse_amount(field: str, value: Decimal | int | str) -> Decimal:
    """An input amount for `field`: a number in whole fen; a fraction of a fen is refused, not silently rounded.

    Shared with `lending.apr` so both calculations refuse the same inputs with the same messages.
    """
    try:
        amount = to_decimal(value)
        rounded = quantize(amount)
    except (TypeError, ValueError, ArithmeticError):  # ArithmeticError: too many digits to hold to the fen
        raise ValidationFailed.on(field, _("Enter an amount in yuan.")) from None
    if amount != rounded:
        raise ValidationFailed.on(field, _("Amounts are in whole fen (two decimals at most)."))
    return rounded


def _rate(value: Decimal | int | str) -> Decimal:
    try:
        rate = to_decimal(value)
    except (TypeError, ValueError):
        raise ValidationFailed.on("annual_rate", _("Enter the annual rate as a fraction, e.g. 0.06.")) from None
    if not ZERO <= rate < 1:
        raise ValidationFailed.on("annual_rate", _("The annual rate must be at least 0 and below 1."))
    return rate
