"""Reads of the loans app, always through the caller's data scope (the scope of the borrower)."""

from __future__ import annotations

from typing import Any

from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404

from creditdesk.accounts.scoping import get_in_scope, in_scope
from creditdesk.contracts.choices import LIVE_STATUSES
from creditdesk.contracts.models import Contract
from creditdesk.core.audit import actor_name, events_for, events_for_objects
from creditdesk.core.models import AuditEvent
from creditdesk.customers.models import Customer
from creditdesk.customers.selectors import TimelineEntry
from creditdesk.loans.choices import EVENT_LABELS, ReversalState
from creditdesk.loans.models import Allocation, Instalment, JournalLine, Loan, ReversalRequest, Transaction


def _loans(user: Any) -> QuerySet[Loan]:
    """Loans in scope, each with its contract's id and number (the live contract of its plan)."""
    contract = Contract.objects.filter(plan=OuterRef("plan"), status__in=LIVE_STATUSES).order_by("-id")
    return in_scope(Loan.objects.select_related("customer", "product"), user).annotate(
        contract_id=Subquery(contract.values("pk")[:1]), contract_number=Subquery(contract.values("number")[:1])
    )


def loan_list(*, user: Any, status: str = "", customer_id: int | None = None, search: str = "") -> QuerySet[Loan]:
    """Loans in the caller's scope, the newest disbursement first; `search` matches the loan number, the contract
    number or the borrower's name."""
    loans = _loans(user)
    if status:
        loans = loans.filter(status__in=status.split(","))
    if customer_id is not None:
        loans = loans.filter(customer__pk=customer_id)
    search = search.replace("\x00", "").strip()
    if search:
        loans = loans.filter(
            Q(number__icontains=search) | Q(customer__name__icontains=search) | Q(contract_number__icontains=search)
        )
    return loans.order_by("-start_on", "-id")


def loan_get(*, user: Any, pk: int) -> Loan:
    """One loan in the caller's scope (Http404 otherwise)."""
    return get_in_scope(_loans(user), user, pk=pk)


def schedule(loan: Loan) -> QuerySet[Instalment]:
    return loan.instalments.order_by("period")


def transactions(loan: Loan) -> QuerySet[Transaction]:
    """The loan's transactions, newest first, with their allocations and journal lines in three queries."""
    return (
        loan.transactions.select_related("created_by", "reverses")
        .prefetch_related(
            Prefetch("allocations", queryset=Allocation.objects.select_related("instalment").order_by("id")),
            Prefetch("journal_lines", queryset=JournalLine.objects.select_related("account").order_by("id")),
        )
        .order_by("-created_at", "-id")
    )


def reversal_requests(loan: Loan) -> QuerySet[ReversalRequest]:
    return (
        ReversalRequest.objects.filter(transaction__loan=loan)
        .select_related("transaction", "requested_by", "decided_by", "reversal")
        .order_by("-id")
    )


def reversal_get(*, loan: Loan, pk: int) -> ReversalRequest:
    """A reversal request of `loan` (already read in scope); Http404 for another loan's."""
    return get_object_or_404(ReversalRequest.objects.select_related("transaction__loan"), transaction__loan=loan, pk=pk)


def pending_reversals(*, user: Any) -> QuerySet[ReversalRequest]:
    """Reversal requests in scope waiting for a second finance user: not the ones this user asked for."""
    return (
        in_scope(ReversalRequest.objects.filter(state=ReversalState.PENDING), user)
        .exclude(requested_by=user)
        .select_related("transaction", "transaction__loan", "transaction__loan__customer")
        .order_by("id")
    )


def transaction_get(*, loan: Loan, pk: int) -> Transaction:
    """A transaction of `loan` (already read in scope); Http404 for another loan's."""
    return get_object_or_404(Transaction.objects.select_related("loan"), loan=loan, pk=pk)


def timeline(loan: Loan) -> QuerySet[AuditEvent]:
    return events_for(loan)


def customer_timeline(customer: Customer, limit: int) -> list[TimelineEntry]:
    """The customer's loans and their events (disbursement, repayments, reversals, settlement), as rows of the
    customer's timeline (registered in ready)."""
    loans = Loan.objects.filter(customer=customer)
    numbers = dict(loans.values_list("pk", "number"))
    events = events_for_objects(loans)[:limit]
    return [
        TimelineEntry(
            e.occurred_at,
            "loan",
            str(EVENT_LABELS.get(e.event_type, e.event_type)),
            f"{numbers.get(int(e.subject_id), '')} {actor_name(e)}{': ' + e.comment if e.comment else ''}",
        )
        for e in events
    ]
