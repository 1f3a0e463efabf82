"""The loans API (`/api/v1/`), issue 13 item 4 (REPAY-3): loans, the schedule with what is paid, repayments
(`Idempotency-Key` required), transactions, reversals (maker-checker) and early settlement (Art. 677).

Finance posts and reverses; every role that reads loans reads within its data scope."""

from typing import Any

from django.http import HttpRequest
from ninja import Header, Query, Router
from ninja.pagination import paginate
from ninja.responses import Status

from creditdesk.accounts.auth import IDEMPOTENCY_HEADER, api_auth
from creditdesk.accounts.permissions import Perm
from creditdesk.core.api import ERRORS
from creditdesk.core.dates import business_date
from creditdesk.core.pagination import PageNumber
from creditdesk.core.schema import Date, Id
from creditdesk.loans import selectors, services
from creditdesk.loans.choices import ReversalOutcome
from creditdesk.loans.models import Loan
from creditdesk.loans.schemas import (
    LoanDetailOut,
    LoanOut,
    LoanQuery,
    RepaymentIn,
    ReversalDecisionIn,
    ReversalIn,
    ReversalOut,
    ScheduleLineOut,
    SettlementIn,
    SettlementQuoteOut,
    TransactionOut,
)

router = Router(tags=["loans"])

KEY = Header(..., alias=IDEMPOTENCY_HEADER, min_length=1, max_length=100, description="Makes a retry safe.")


def _get(request: HttpRequest, loan_id: int) -> Loan:
    return selectors.loan_get(user=request.user, pk=loan_id)


def _transaction(loan: Loan, pk: int) -> Any:
    return selectors.transactions(loan).get(pk=pk)


@router.get(
    "/loans",
    auth=api_auth(Perm.LOAN_VIEW),
    response={200: list[LoanOut], **ERRORS},
    summary="Loans within your scope, the newest disbursement first",
)
@paginate(PageNumber)
def loan_list(request: HttpRequest, filters: Query[LoanQuery]) -> Any:
    return selectors.loan_list(
        user=request.user, status=filters.status, customer_id=filters.customer_id, search=filters.search
    )


@router.get(
    "/loans/{loan_id}",
    auth=api_auth(Perm.LOAN_VIEW),
    response={200: LoanDetailOut, **ERRORS},
    summary="One loan with its balances",
)
def loan_detail(request: HttpRequest, loan_id: Id) -> Any:
    return _get(request, loan_id)


@router.get(
    "/loans/{loan_id}/schedule",
    auth=api_auth(Perm.LOAN_VIEW),
    response={200: list[ScheduleLineOut], **ERRORS},
    summary="The schedule with what is paid on each component",
)
def loan_schedule(request: HttpRequest, loan_id: Id) -> Any:
    return list(selectors.schedule(_get(request, loan_id)))


@router.post(
    "/loans/{loan_id}/repayments",
    auth=api_auth(Perm.LOAN_POST, idempotent=True),
    response={201: TransactionOut, 200: TransactionOut, **ERRORS},
    summary="Post a repayment (Idempotency-Key required)",
)
def repayment_create(request: HttpRequest, loan_id: Id, payload: RepaymentIn, idempotency_key: str = KEY) -> Any:
    """201 with the transaction; the same key and body again answer 200 with the same transaction. 400
    `idempotency_key_required`, 409 `idempotency_key_reused`, `loan_settled`, `overpayment`; 422 field errors."""
    loan = _get(request, loan_id)
    before = loan.transactions.filter(idempotency_key=idempotency_key.strip()).exists()
    tx = services.post_repayment(
        loan=loan,
        amount=payload.amount,
        paid_on=payload.paid_on,
        channel=payload.channel,
        reference=payload.reference,
        idempotency_key=idempotency_key,
        actor=request.user,
    )
    return Status(200 if before else 201, _transaction(loan, tx.pk))


@router.get(
    "/loans/{loan_id}/transactions",
    auth=api_auth(Perm.LOAN_VIEW),
    response={200: list[TransactionOut], **ERRORS},
    summary="The loan's transactions, newest first, with allocations and journal lines",
)
@paginate(PageNumber)
def transaction_list(request: HttpRequest, loan_id: Id) -> Any:
    return selectors.transactions(_get(request, loan_id))


@router.post(
    "/loans/{loan_id}/transactions/{transaction_id}/reversal",
    auth=api_auth(Perm.LOAN_POST),
    response={201: ReversalOut, **ERRORS},
    summary="Ask for the reversal of a repayment (a second finance user decides)",
)
def reversal_create(request: HttpRequest, loan_id: Id, transaction_id: Id, payload: ReversalIn) -> Any:
    """409 `cannot_reverse_reversal`, `already_reversed`, `not_reversible`, `reversal_pending`."""
    loan = _get(request, loan_id)
    tx = selectors.transaction_get(loan=loan, pk=transaction_id)
    reversal = services.reversal_request(transaction_=tx, reason=payload.reason, actor=request.user)
    return Status(201, reversal)


@router.get(
    "/loans/{loan_id}/reversals",
    auth=api_auth(Perm.LOAN_VIEW),
    response={200: list[ReversalOut], **ERRORS},
    summary="The loan's reversal requests, newest first",
)
def reversal_list(request: HttpRequest, loan_id: Id) -> Any:
    return list(selectors.reversal_requests(_get(request, loan_id)))


@router.post(
    "/loans/{loan_id}/reversals/{reversal_id}/decisions",
    auth=api_auth(Perm.LOAN_POST),
    response={200: ReversalOut, **ERRORS},
    summary="A second finance user approves (the reversal is written) or rejects",
)
def reversal_decision(request: HttpRequest, loan_id: Id, reversal_id: Id, payload: ReversalDecisionIn) -> Any:
    """403 `segregation_of_duties` for the user who asked; 409 `reversal_decided`."""
    request_ = selectors.reversal_get(loan=_get(request, loan_id), pk=reversal_id)
    decided = services.reversal_decide(
        request=request_,
        approve=payload.outcome == ReversalOutcome.APPROVE,
        actor=request.user,
        comment=payload.opinion,
    )
    return decided


@router.get(
    "/loans/{loan_id}/settlement-quote",
    auth=api_auth(Perm.LOAN_VIEW),
    response={200: SettlementQuoteOut, **ERRORS},
    summary="What settles the loan on a date (interest for the days used, Civil Code Art. 677)",
)
def settlement_quote(request: HttpRequest, loan_id: Id, on: Query[Date | None] = None) -> Any:
    return services.settlement_quote(loan=_get(request, loan_id), on=on or business_date())


@router.post(
    "/loans/{loan_id}/settlement",
    auth=api_auth(Perm.LOAN_POST, idempotent=True),
    response={201: TransactionOut, 200: TransactionOut, **ERRORS},
    summary="Settle early: post exactly the quote of the date (Idempotency-Key required)",
)
def settlement_create(request: HttpRequest, loan_id: Id, payload: SettlementIn, idempotency_key: str = KEY) -> Any:
    loan = _get(request, loan_id)
    before = loan.transactions.filter(idempotency_key=idempotency_key.strip()).exists()
    tx = services.settle(
        loan=loan,
        on=payload.on,
        idempotency_key=idempotency_key,
        channel=payload.channel,
        reference=payload.reference,
        actor=request.user,
    )
    return Status(200 if before else 201, _transaction(loan, tx.pk))
