"""Demo loan book (贷款账户): a loan on every approved demo service plan, with its repayment history.

Through the real services only (`open_loan`, `post_repayment`, `settle`), so the ledger stays consistent. The loans
start 1 to 18 months before the business date; each plan's place in the book (by plan id) gives it a deterministic
story: most pay every due instalment on or shortly after its due date, some are behind by 1, 2, 4 or 7 instalments,
some pay part of their latest instalment, one is settled early (提前结清) and one prepays principal (提前还款).
Skipped when loans exist, or when the finance demo user is missing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model

from creditdesk.core.dates import business_date
from creditdesk.core.errors import DomainError
from creditdesk.core.money import ZERO
from creditdesk.core.months import add_months
from creditdesk.lending.models import ServicePlan
from creditdesk.loans.choices import Channel, LoanStatus
from creditdesk.loans.models import Instalment, Loan
from creditdesk.loans.services import open_loan, post_repayment, settle

FINANCE = "finance"
# The story of the n-th loan; past the list, loans pay on time. Ordered so that a small book shows the most.
STORIES = (
    "behind_1",
    "settled",
    "on_time",
    "behind_2",
    "partial",
    "on_time",
    "behind_4",
    "prepaid",
    "on_time",
    "behind_7",
    "on_time",
    "partial",
)
BEHIND = {"behind_1": 1, "behind_2": 2, "behind_4": 4, "behind_7": 7}
CHANNELS = (Channel.DIRECT_DEBIT, Channel.DIRECT_DEBIT, Channel.BANK_TRANSFER, Channel.ONLINE, Channel.COUNTER)
FEN = Decimal("0.01")


def _story(index: int) -> str:
    return STORIES[index] if index < len(STORIES) else "on_time"


def _months_ago(index: int, story: str, term: int) -> int:
    """How long before the business date the loan started: staggered over 1 to 18 months, long enough for its
    story (a loan behind by k instalments has had at least k + 1 due), and never past its term."""
    months = 1 + (index * 7) % 18
    if story in BEHIND:
        months = max(months, BEHIND[story] + 2 + index % 3)
    elif story in ("settled", "partial", "prepaid"):
        months = max(months, 4 + index % 5)
    return max(1, min(months, term - 1))


def _unpaid(instalment: Instalment) -> Decimal:
    instalment.refresh_from_db()
    return Decimal(instalment.unpaid_amount).quantize(FEN)


class _Book:
    """Posts one loan's history and counts what it posted."""

    def __init__(self, finance: Any, today: dt.date) -> None:
        self.finance = finance
        self.today = today
        self.repayments = 0

    def pay(self, loan: Loan, instalment: Instalment, amount: Decimal, paid_on: dt.date, tag: str = "") -> None:
        if amount <= ZERO:
            return
        key = f"demo-{loan.number}-{instalment.period:02d}{tag}"
        post_repayment(
            loan=loan,
            amount=str(amount.quantize(FEN)),
            paid_on=min(paid_on, self.today),
            channel=CHANNELS[(loan.pk + instalment.period) % len(CHANNELS)],
            reference=f"{'提前还款' if tag else '还款'} {loan.number}-{instalment.period:02d}",
            idempotency_key=key,
            actor=self.finance,
        )
        self.repayments += 1

    def history(self, loan: Loan, index: int, story: str) -> None:
        due = [line for line in loan.instalments.order_by("period") if line.due_on <= self.today]
        unpaid_tail = BEHIND.get(story, 0)
        # A loan behind stops paying at the k-th last instalment past due (due before today): a later payment would
        # go to the oldest unpaid instalment first, so nothing after it is paid either. A partial payer pays part of
        # its last instalment past due, and nothing after it.
        past_due = [line for line in due if line.due_on < self.today]
        stop_at: int | None = None
        if unpaid_tail and past_due:
            stop_at = past_due[max(len(past_due) - unpaid_tail, 0)].period
        partial = past_due[-1].period if story == "partial" and past_due else None
        settle_on = max(loan.start_on, self.today - dt.timedelta(days=5 + index % 7))
        prepaid_after = due[len(due) // 2].period if story == "prepaid" and due else None
        for line in due:
            if stop_at is not None and line.period >= stop_at:
                break
            if partial is not None and line.period > partial:
                break
            if story == "settled" and line.due_on > settle_on:
                break
            late = (index + line.period) % 4  # on the due date or a few days after
            paid_on = line.due_on + dt.timedelta(days=late if line.period else 0)
            if story == "settled":
                paid_on = min(paid_on, settle_on)
            amount = _unpaid(line)
            if line.period == partial:
                amount = (amount * Decimal("0.6")).quantize(Decimal("1"))
            self.pay(loan, line, amount, paid_on)
            if line.period == prepaid_after:
                extra = (loan.principal_amount * Decimal("0.2")).quantize(Decimal("100"))
                self.pay(loan, line, extra, paid_on, tag="-prepay")
        if story == "settled":
            settle(loan=loan, on=settle_on, idempotency_key=f"demo-{loan.number}-settle", actor=self.finance)
            self.repayments += 1


def seed(*, stdout: Any) -> None:
    if Loan.objects.exists():
        stdout.write("Loans exist already; demo loans not seeded.")
        return
    finance = get_user_model().objects.filter(username=FINANCE).first()
    if finance is None:
        return
    today = business_date()
    book = _Book(finance, today)
    counts = {"opened": 0, "on time": 0, "behind": 0, "settled": 0}
    plans = ServicePlan.objects.filter(status="approved").order_by("pk")
    for index, plan in enumerate(plans):
        story = _story(index)
        months = _months_ago(index, story, plan.term_months)
        start_on = min(add_months(today, -months) - dt.timedelta(days=index % 9), today)
        try:
            loan = open_loan(plan=plan, start_on=start_on, actor=finance)
        except DomainError as err:
            stdout.write(f"  demo loan for {plan.reference} not opened: {err.message}")
            continue
        try:
            book.history(loan, index, story)
        except DomainError as err:
            stdout.write(f"  demo repayments of {loan.number} stopped: {err.message}")
        loan.refresh_from_db()
        counts["opened"] += 1
        if loan.status == LoanStatus.SETTLED:
            counts["settled"] += 1
        elif loan.instalments.filter(due_on__lt=today).exclude(status="paid").exists():
            counts["behind"] += 1
        else:
            counts["on time"] += 1
    summary = ", ".join(f"{count} {label}" for label, count in counts.items())
    stdout.write(f"Demo loans: {summary}; {book.repayments} repayments.")
