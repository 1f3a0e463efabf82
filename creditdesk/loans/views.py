"""Pages of loan accounts (贷款账户): the list with filters, and the loan page with its schedule (paid and unpaid per
component), transactions with their allocations and journal lines, reversals, the settlement quote and the
timeline; finance posts repayments, settles and reverses from it. Thin: permission, parse, one service, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from creditdesk.accounts.decorators import requires
from creditdesk.accounts.permissions import Perm, has_perm
from creditdesk.core.dates import business_date
from creditdesk.core.errors import DomainError
from creditdesk.core.forms import form_errors
from creditdesk.core.pagination import page_of
from creditdesk.loans import selectors, services
from creditdesk.loans.choices import EVENT_LABELS, LoanStatus, ReversalOutcome, ReversalState, TransactionKind
from creditdesk.loans.forms import (
    QuoteForm,
    RepaymentForm,
    ReversalDecisionForm,
    ReversalRequestForm,
    SettlementForm,
    new_key,
)
from creditdesk.loans.models import Loan


@requires(Perm.LOAN_VIEW)
def loan_list(request: HttpRequest) -> HttpResponse:
    """Loans in scope, searched by loan number, contract number or borrower and filtered by status."""
    status = request.GET.get("status", "") if request.GET.get("status", "") in LoanStatus.values else ""
    search = request.GET.get("q", "")[:100]
    loans = selectors.loan_list(user=request.user, status=status, search=search)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "loans/loan_list.html",
        {
            "page_obj": page_of(request, loans),
            "status": status,
            "q": search,
            "statuses": LoanStatus.choices,
            "query": query.urlencode(),
        },
    )


def _quote(loan: Loan, raw: str | None) -> tuple[QuoteForm, Any]:
    form = QuoteForm({"on": raw or business_date().isoformat()})
    if not form.is_valid():
        return form, None
    try:
        return form, services.settlement_quote(loan=loan, on=form.cleaned_data["on"])
    except DomainError as err:
        form_errors(form, err)
        return form, None


def _detail(
    request: HttpRequest,
    loan: Loan,
    *,
    repayment_form: RepaymentForm | None = None,
    settlement_form: SettlementForm | None = None,
    action_error: DomainError | None = None,
    status: int = 200,
) -> HttpResponse:
    can_post = has_perm(request.user, Perm.LOAN_POST) and loan.status == LoanStatus.ACTIVE
    today = business_date()
    quote_form, quote = _quote(loan, request.GET.get("quote_on"))
    reversals = list(selectors.reversal_requests(loan))
    pending = {r.transaction_id for r in reversals if r.state == ReversalState.PENDING}
    transactions = list(selectors.transactions(loan))
    reversed_ids = {tx.reverses_id for tx in transactions if tx.reverses_id}
    context = {
        "loan": loan,
        "schedule": selectors.schedule(loan),
        "transactions": [
            {
                "tx": tx,
                "reversible": has_perm(request.user, Perm.LOAN_POST)
                and tx.kind == TransactionKind.REPAYMENT
                and tx.pk not in reversed_ids
                and tx.pk not in pending,
            }
            for tx in transactions
        ],
        "reversals": [
            {"r": r, "decidable": r.state == ReversalState.PENDING and r.requested_by_id != request.user.pk}
            for r in reversals
        ],
        "can_post": can_post,
        "can_decide": has_perm(request.user, Perm.LOAN_POST),
        "events": [(e, EVENT_LABELS.get(e.event_type, _("Other audit event"))) for e in selectors.timeline(loan)],
        "quote_form": quote_form,
        "quote": quote,
        "repayment_form": repayment_form
        or RepaymentForm(initial={"paid_on": today, "idempotency_key": new_key(), "channel": "bank_transfer"}),
        "settlement_form": settlement_form
        or SettlementForm(initial={"on": today, "idempotency_key": new_key(), "channel": "bank_transfer"}),
        "reversal_form": ReversalRequestForm(),
        "decision_form": ReversalDecisionForm(initial={"outcome": ReversalOutcome.APPROVE}),
        "action_error": action_error,
    }
    return render(request, "loans/loan_detail.html", context, status=status)


def _get(request: HttpRequest, pk: int) -> Loan:
    return selectors.loan_get(user=request.user, pk=pk)


@requires(Perm.LOAN_VIEW)
def loan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _get(request, pk))


@requires(Perm.LOAN_POST)
def repayment_view(request: HttpRequest, pk: int) -> HttpResponse:
    loan = _get(request, pk)
    if request.method != "POST":
        return redirect("loans:detail", pk=pk)
    form = RepaymentForm(request.POST)
    if not form.is_valid():
        return _detail(request, loan, repayment_form=form, status=422)
    data = form.cleaned_data
    try:
        services.post_repayment(
            loan=loan,
            amount=data["amount"],
            paid_on=data["paid_on"],
            channel=data["channel"],
            reference=data["reference"],
            idempotency_key=data["idempotency_key"],
            actor=request.user,
        )
    except DomainError as err:
        form_errors(form, err)
        return _detail(request, loan, repayment_form=form, action_error=err, status=err.status)
    messages.success(request, _("The repayment is posted."))
    return redirect("loans:detail", pk=pk)


@requires(Perm.LOAN_POST)
def settlement_view(request: HttpRequest, pk: int) -> HttpResponse:
    loan = _get(request, pk)
    if request.method != "POST":
        return redirect("loans:detail", pk=pk)
    form = SettlementForm(request.POST)
    if not form.is_valid():
        return _detail(request, loan, settlement_form=form, status=422)
    data = form.cleaned_data
    try:
        services.settle(
            loan=loan,
            on=data["on"],
            channel=data["channel"],
            reference=data["reference"],
            idempotency_key=data["idempotency_key"],
            actor=request.user,
        )
    except DomainError as err:
        form_errors(form, err)
        return _detail(request, loan, settlement_form=form, action_error=err, status=err.status)
    messages.success(request, _("The loan is settled."))
    return redirect("loans:detail", pk=pk)


@requires(Perm.LOAN_POST)
def reversal_request_view(request: HttpRequest, pk: int, transaction_id: int) -> HttpResponse:
    loan = _get(request, pk)
    if request.method != "POST":
        return redirect("loans:detail", pk=pk)
    form = ReversalRequestForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(_("Give the reason for the reversal."), code="validation_error")
        tx = selectors.transaction_get(loan=loan, pk=transaction_id)
        services.reversal_request(transaction_=tx, reason=form.cleaned_data["reason"], actor=request.user)
    except DomainError as err:
        return _detail(request, loan, action_error=err, status=422 if err.status == 400 else err.status)
    messages.success(request, _("The reversal is requested; a second finance user decides on it."))
    return redirect("loans:detail", pk=pk)


@requires(Perm.LOAN_POST)
def reversal_decision_view(request: HttpRequest, pk: int, reversal_id: int) -> HttpResponse:
    loan = _get(request, pk)
    if request.method != "POST":
        return redirect("loans:detail", pk=pk)
    form = ReversalDecisionForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(_("Choose approve or reject."), code="validation_error")
        reversal = selectors.reversal_get(loan=loan, pk=reversal_id)
        decided = services.reversal_decide(
            request=reversal,
            approve=form.cleaned_data["outcome"] == ReversalOutcome.APPROVE,
            actor=request.user,
            comment=form.cleaned_data["opinion"],
        )
    except DomainError as err:
        return _detail(request, loan, action_error=err, status=422 if err.status == 400 else err.status)
    if decided.state == ReversalState.APPROVED:
        messages.success(request, _("The reversal is approved and posted."))
    else:
        messages.success(request, _("The reversal is rejected."))
    return redirect("loans:detail", pk=pk)
