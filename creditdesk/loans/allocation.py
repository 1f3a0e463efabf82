"""Allocating a repayment onto instalment components (冲账顺序), and the settlement figures: pure, no ORM, no clock.

Order (DOMAIN.md §4, configurable per product): the matured instalments (due on or before the payment date) first,
oldest first, each component in the product's order (default fees → penalty → interest → principal); in the mode
*instalment by instalment* (逐期) one instalment is cleared before the next, in the mode *component across
instalments* (横向) a component is cleared on every matured instalment before the next component. Then the current
instalment (the first not yet due) in the same component order. What is left prepays principal from the last
instalment backwards (the term shortens, 缩短期限), never interest of periods not yet begun (Civil Code Art. 677).
Money beyond all of that is an overpayment. No amount is ever allocated to collection fees: they are not a
component.

Settlement (Art. 677): the outstanding principal, the matured instalments' unpaid fees, penalty and interest, the
current period's interest for the days actually used (actual days × annual / 360, never more than the period's
scheduled interest, less what was already paid on it) and a configurable early-settlement fee.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from creditdesk.core.money import ZERO, quantize

COMPONENTS = ("fee", "penalty", "interest", "principal")
DEFAULT_ORDER = COMPONENTS
BY_INSTALMENT = "by_instalment"
BY_COMPONENT = "by_component"
DAYS_PER_YEAR = 360  # DOMAIN.md §4: daily rate = annual / 360
VAT_RATE = Decimal("0.06")  # 价税分离: interest income carries 6 % VAT


@dataclass(frozen=True)
class Line:
    """What one instalment still owes, per component."""

    period: int
    due_on: dt.date
    unpaid: dict[str, Decimal]
    paid_interest: Decimal = ZERO
    interest_due: Decimal = ZERO


@dataclass
class Split:
    """An allocation result: (period, component, amount) parts and what was left over."""

    parts: list[tuple[int, str, Decimal]] = field(default_factory=list)
    remainder: Decimal = ZERO

    @property
    def allocated(self) -> Decimal:
        return sum((amount for _, _, amount in self.parts), ZERO)


def check_order(order: Sequence[str]) -> tuple[str, ...]:
    if sorted(order) != sorted(COMPONENTS):
        raise ValueError(f"allocation order must name each of {COMPONENTS} once: {order!r}")
    return tuple(order)


def _take(split: Split, left: Decimal, line: Line, component: str, owed: dict[tuple[int, str], Decimal]) -> Decimal:
    due = owed[(line.period, component)]
    part = min(due, left)
    if part > ZERO:
        split.parts.append((line.period, component, part))
        owed[(line.period, component)] = due - part
        left -= part
    return left


def allocate(
    lines: Sequence[Line],
    amount: Decimal,
    *,
    on: dt.date,
    order: Sequence[str] = DEFAULT_ORDER,
    mode: str = BY_INSTALMENT,
) -> Split:
    """Split `amount` paid on `on` over the lines (ordered by period) as the module docstring says."""
    order = check_order(order)
    owed = {(line.period, c): line.unpaid.get(c, ZERO) for line in lines for c in COMPONENTS}
    split = Split()
    left = amount
    ordered = sorted(lines, key=lambda line: line.period)
    matured = [line for line in ordered if line.due_on <= on]
    later = [line for line in ordered if line.due_on > on]
    if mode == BY_COMPONENT:
        for component in order:
            for line in matured:
                left = _take(split, left, line, component, owed)
    else:
        for line in matured:
            for component in order:
                left = _take(split, left, line, component, owed)
    if later:
        for component in order:
            left = _take(split, left, later[0], component, owed)
    for line in reversed(later[1:]):
        left = _take(split, left, line, "principal", owed)
    split.remainder = left
    return split


@dataclass(frozen=True)
class Settlement:
    """The settlement quote (提前结清报价) of a loan on a date (Civil Code Art. 677)."""

    on: dt.date
    principal_amount: Decimal
    interest_amount: Decimal  # matured unpaid interest + the current period's interest for the days used
    accrued_interest_amount: Decimal  # of which: the current period's, for `days_used`
    days_used: int
    fee_amount: Decimal
    penalty_amount: Decimal
    early_settlement_fee_amount: Decimal
    total_amount: Decimal
    parts: tuple[tuple[int, str, Decimal], ...]  # the allocation that settles exactly this (period 0 fee: loan level)


def settlement(
    lines: Sequence[Line],
    *,
    on: dt.date,
    start_on: dt.date,
    annual_rate: Decimal,
    early_fee_rate: Decimal = ZERO,
    loan_level_period: int = -1,
) -> Settlement:
    """The amount that settles the loan on `on`, and the allocation that posting it makes.

    The current period runs from the previous due date (or the start) to `on`; its interest for the days used is
    the period's opening principal × annual / 360 × days, capped at the scheduled interest (a whole period never
    costs more than contracted) and less what was paid on it already. The early-settlement fee is a loan-level fee
    on `loan_level_period`.
    """
    ordered = sorted(lines, key=lambda line: line.period)
    parts: list[tuple[int, str, Decimal]] = []
    principal = interest = fee = penalty = accrued = ZERO
    days = 0
    previous_due = start_on
    current_seen = False
    for line in ordered:
        for component in ("fee", "penalty", "interest"):
            owed = line.unpaid.get(component, ZERO)
            if owed <= ZERO:
                continue
            if line.due_on <= on:
                parts.append((line.period, component, owed))
                if component == "fee":
                    fee += owed
                elif component == "penalty":
                    penalty += owed
                else:
                    interest += owed
        unpaid_principal = line.unpaid.get("principal", ZERO)
        if line.due_on > on and not current_seen and line.period > 0:
            current_seen = True
            days = max((on - previous_due).days, 0)
            # The period's opening principal: what is still owed on this and the later instalments (matured unpaid
            # principal bears penalty interest, not contract interest).
            base = sum((other.unpaid.get("principal", ZERO) for other in ordered if other.period >= line.period), ZERO)
            full = quantize(base * annual_rate * days / DAYS_PER_YEAR)
            owed_now = max(min(full, line.interest_due) - line.paid_interest, ZERO)
            if owed_now > ZERO:
                parts.append((line.period, "interest", owed_now))
                accrued = owed_now
                interest += owed_now
        if unpaid_principal > ZERO:
            parts.append((line.period, "principal", unpaid_principal))
            principal += unpaid_principal
        if line.due_on <= on and line.period > 0:
            previous_due = line.due_on
    early_fee = quantize(principal * early_fee_rate) if principal > ZERO else ZERO
    if early_fee > ZERO:
        parts.append((loan_level_period, "fee", early_fee))
    total = principal + interest + fee + penalty + early_fee
    return Settlement(
        on=on,
        principal_amount=principal,
        interest_amount=interest,
        accrued_interest_amount=accrued,
        days_used=days,
        fee_amount=fee,
        penalty_amount=penalty,
        early_settlement_fee_amount=early_fee,
        total_amount=total,
        parts=tuple(parts),
    )


def split_vat(interest_amount: Decimal) -> tuple[Decimal, Decimal]:
    """Interest received split into income and VAT (价税分离): income = amount / 1.06 to the fen, VAT the rest."""
    income = quantize(interest_amount / (1 + VAT_RATE))
    return income, interest_amount - income
