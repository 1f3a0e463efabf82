"""Writes of loan accounts (issue 13 item 4): open a loan, post a repayment, reverse (maker-checker), settle.

Every call is one transaction with the loan row locked first (`select_for_update`), so concurrent postings on one
loan queue up instead of both reading the same balances. Each money movement writes one immutable `Transaction`,
its `Allocation` rows, balanced `JournalLine`s, updates the stored balances the allocations imply and records an
audit event. Money-moving calls take an idempotency key: the same key with the same request returns the first
result and writes nothing; the same key with another request is refused (409 `idempotency_key_reused`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from creditdesk.accounts.permissions import Perm
from creditdesk.accounts.scoping import require_perm
from creditdesk.core.audit import record_event
from creditdesk.core.dates import business_date
from creditdesk.core.errors import Conflict, InvalidTransition, PermissionDenied, ValidationFailed
from creditdesk.core.money import ZERO
from creditdesk.lending.choices import PlanStatus
from creditdesk.lending.fees import product_fees
from creditdesk.lending.models import ServicePlan
from creditdesk.lending.schedule import FirstPeriod, Method, build_schedule, parse_amount
from creditdesk.loans import allocation as alloc
from creditdesk.loans.choices import (
    AccountRole,
    Channel,
    Component,
    InstalmentStatus,
    LoanStatus,
    OverpaymentRule,
    ReversalState,
    TransactionKind,
)
from creditdesk.loans.models import (
    COMPONENT_PAID,
    LOAN_PAID,
    Allocation,
    Instalment,
    JournalLine,
    LedgerAccount,
    Loan,
    RepaymentRule,
    ReversalRequest,
    Transaction,
)

MAX_REFERENCE = 100
MAX_KEY = 100


# --- configuration -------------------------------------------------------------------------------------------


def rule_for(loan: Loan) -> RepaymentRule:
    """The product's repayment rule, or the defaults of DOMAIN.md §4 when it has none (an unsaved row)."""
    rule = RepaymentRule.objects.filter(product_code=loan.product.code).first()
    return rule or RepaymentRule(product_code=loan.product.code)


def _accounts() -> dict[str, LedgerAccount]:
    accounts = {account.role: account for account in LedgerAccount.objects.all()}
    missing = set(AccountRole.values) - set(accounts)
    if missing:
        raise Conflict(
            _("The chart of accounts is incomplete."), code="chart_incomplete", details={"missing": sorted(missing)}
        )
    return accounts


# --- helpers ---------------------------------------------------------------------------------------------------


def _locked(loan: Loan) -> Loan:
    return Loan.objects.select_for_update(of=("self",)).select_related("product", "customer").get(pk=loan.pk)


def _audit(actor: Any, loan: Loan, event: str, comment: str = "", **payload: Any) -> None:
    record_event(actor=actor, subject=loan, event_type=event, payload=payload, comment=comment)


def request_hash(**values: Any) -> str:
    """A stable digest of a money-moving request, to tell a replay (same digest) from a reused key."""
    text = json.dumps({k: str(v) for k, v in sorted(values.items())}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _replay(loan: Loan, key: str, digest: str) -> Transaction | None:
    previous = Transaction.objects.filter(loan=loan, idempotency_key=key).first()
    if previous is None:
        return None
    if previous.request_hash != digest:
        raise Conflict(
            _("This idempotency key was used for another request."),
            code="idempotency_key_reused",
            details={"transaction_id": previous.pk},
        )
    return previous


def _check_key(key: str) -> str:
    key = (key or "").strip()
    if not key:
        raise ValidationFailed.on(
            "idempotency_key", _("An idempotency key is required."), code="idempotency_key_required"
        )
    if len(key) > MAX_KEY:
        raise ValidationFailed.on("idempotency_key", _("The idempotency key is too long (100 characters at most)."))
    return key


def _lines(instalments: Iterable[Instalment]) -> list[alloc.Line]:
    return [
        alloc.Line(
            period=line.period,
            due_on=line.due_on,
            unpaid={c: line.due(c) - line.paid(c) for c in Component.values},
            paid_interest=line.paid_interest_amount,
            interest_due=line.interest_amount,
        )
        for line in instalments
    ]


def _instalments(loan: Loan) -> list[Instalment]:
    return list(loan.instalments.order_by("period"))


def instalment_status(line: Instalment, *, today: dt.date, settled: bool) -> str:
    if settled or line.unpaid_amount <= ZERO:
        return InstalmentStatus.PAID
    if line.due_on < today:
        return InstalmentStatus.OVERDUE
    if line.due_on == today:
        return InstalmentStatus.DUE
    return InstalmentStatus.NOT_DUE


def _post(
    *,
    loan: Loan,
    kind: str,
    amount: Decimal,
    value_on: dt.date,
    channel: str,
    reference: str,
    actor: Any,
    parts: Iterable[tuple[Instalment | None, str, Decimal]],
    unallocated: Decimal = ZERO,
    key: str = "",
    digest: str = "",
    settles: bool = False,
    reverses: Transaction | None = None,
    journal: list[tuple[str, Decimal, Decimal]] | None = None,
    instalments: list[Instalment] | None = None,
) -> Transaction:
    """Write one transaction with its allocations and journal lines, and move the stored balances with them."""
    tx = Transaction.objects.create(
        loan=loan,
        kind=kind,
        amount=amount,
        unallocated_amount=unallocated,
        value_on=value_on,
        posted_on=business_date(),
        channel=channel,
        reference=reference,
        idempotency_key=key,
        request_hash=digest,
        settles_loan=settles,
        reverses=reverses,
        created_by=actor,
    )
    totals: dict[str, Decimal] = defaultdict(lambda: ZERO)
    rows = []
    touched: dict[int, Instalment] = {}
    for instalment, component, part in parts:
        if part == ZERO:
            continue
        rows.append(Allocation(transaction=tx, instalment=instalment, component=component, amount=part))
        totals[component] += part
        if instalment is not None:
            field = COMPONENT_PAID[component]
            setattr(instalment, field, getattr(instalment, field) + part)
            touched[instalment.pk] = instalment
    Allocation.objects.bulk_create(rows)
    accounts = _accounts()
    lines = journal if journal is not None else _repayment_journal(amount, totals, unallocated)
    JournalLine.objects.bulk_create(
        [
            JournalLine(transaction=tx, account=accounts[role], debit_amount=debit, credit_amount=credit)
            for role, debit, credit in lines
            if debit or credit
        ]
    )
    loan.outstanding_principal_amount -= totals[Component.PRINCIPAL]
    for component, field in LOAN_PAID.items():
        setattr(loan, field, getattr(loan, field) + totals[component])
    loan.credit_balance_amount += unallocated
    today = business_date()
    everything = instalments if instalments is not None else _instalments(loan)
    for line in everything:
        if line.pk in touched:
            line = touched[line.pk]
        status = instalment_status(line, today=today, settled=settles)
        if line.pk in touched or status != line.status:
            line.status = status
            touched[line.pk] = line
    if touched:
        Instalment.objects.bulk_update(touched.values(), [*COMPONENT_PAID.values(), "status"])
    return tx


def _repayment_journal(
    amount: Decimal, totals: dict[str, Decimal], unallocated: Decimal
) -> list[tuple[str, Decimal, Decimal]]:
    """Dr bank; Cr loans receivable (principal), interest income and VAT (价税分离), fee and penalty income,
    suspense (a credit balance kept). A negative amount (a reversal) swaps the sides."""
    income, vat = alloc.split_vat(totals[Component.INTEREST])
    credits = [
        (AccountRole.LOANS_RECEIVABLE, totals[Component.PRINCIPAL]),
        (AccountRole.INTEREST_INCOME, income),
        (AccountRole.VAT_PAYABLE, vat),
        (AccountRole.FEE_INCOME, totals[Component.FEE]),
        (AccountRole.PENALTY_INCOME, totals[Component.PENALTY]),
        (AccountRole.SUSPENSE, unallocated),
    ]
    lines = [(AccountRole.BANK.value, amount, ZERO)] + [(str(role), ZERO, value) for role, value in credits]
    return [_side(role, debit, credit) for role, debit, credit in lines]


def _side(role: str, debit: Decimal, credit: Decimal) -> tuple[str, Decimal, Decimal]:
    """A line with a negative side becomes a positive amount on the other side."""
    net = debit - credit
    return (role, net, ZERO) if net >= 0 else (role, ZERO, -net)


# --- open ----------------------------------------------------------------------------------------------------


def open_loan(
    *, plan: ServicePlan, start_on: dt.date | None = None, actor: Any, channel: str = Channel.BANK_TRANSFER
) -> Loan:
    """Open the loan of an approved plan, disbursed on `start_on` (default the business date): the schedule from
    `lending.schedule` on the whole approved principal (fees are separate charges, never deducted: Art. 670), and a
    disbursement transaction (Dr loans receivable, Cr bank). The disbursement workflow calls this."""
    require_perm(actor, Perm.LOAN_POST, _("Only finance opens loans."))
    start_on = start_on or business_date()
    if start_on > business_date():
        raise ValidationFailed.on("start_on", _("The disbursement date cannot be after the business date."))
    with transaction.atomic():
        plan = (
            ServicePlan.objects.select_for_update(of=("self",)).select_related("product", "application").get(pk=plan.pk)
        )
        if plan.status != PlanStatus.APPROVED:
            raise InvalidTransition(_("Only an approved plan can become a loan."), code="plan_not_approved")
        if Loan.objects.filter(plan=plan).exists():
            raise Conflict(_("This plan has a loan already."), code="loan_exists")
        product = plan.product
        schedule = build_schedule(
            principal_amount=plan.principal_amount,
            annual_rate=plan.annual_rate,
            term_months=plan.term_months,
            method=Method(plan.method),
            start_on=start_on,
            repayment_day=product.repayment_day,
            first_period=FirstPeriod(product.first_period),
            periodic_fee_amount=plan.monthly_fee_amount,
        )
        first_due_on = schedule.instalments[0].due_on
        fees = product_fees(product, principal=plan.principal_amount, start_on=start_on, first_due_on=first_due_on)
        upfront = sum((fee.amount for fee in fees if fee.period == 0), ZERO)
        with_first = sum((fee.amount for fee in fees if fee.period == 1), ZERO)
        loan = Loan.objects.create(
            number=f"DK{start_on:%Y%m}{plan.pk:07d}",
            customer=plan.application.customer,
            plan=plan,
            product=product,
            principal_amount=plan.principal_amount,
            annual_rate=plan.annual_rate,
            term_months=plan.term_months,
            method=plan.method,
            start_on=start_on,
            first_due_on=first_due_on,
            outstanding_principal_amount=plan.principal_amount,
        )
        rows = []
        if upfront > ZERO:  # period 0: the one-off fees due on the disbursement date (FeeDue.ON_DISBURSEMENT)
            rows.append(
                Instalment(
                    loan=loan,
                    period=0,
                    due_on=start_on,
                    opening_balance_amount=plan.principal_amount,
                    principal_amount=ZERO,
                    interest_amount=ZERO,
                    fee_amount=upfront,
                    total_amount=upfront,
                    closing_balance_amount=plan.principal_amount,
                )
            )
        for line in schedule.instalments:
            extra = with_first if line.period == 1 else ZERO
            rows.append(
                Instalment(
                    loan=loan,
                    period=line.period,
                    due_on=line.due_on,
                    opening_balance_amount=line.opening_balance_amount,
                    principal_amount=line.principal_amount,
                    interest_amount=line.interest_amount,
                    fee_amount=line.fee_amount + extra,
                    total_amount=line.total_amount + extra,
                    closing_balance_amount=line.closing_balance_amount,
                )
            )
        today = business_date()
        for row in rows:
            row.status = instalment_status(row, today=today, settled=False)
        Instalment.objects.bulk_create(rows)
        _post(
            loan=loan,
            kind=TransactionKind.DISBURSEMENT,
            amount=plan.principal_amount,
            value_on=start_on,
            channel=channel,
            reference=plan.reference,
            actor=actor,
            parts=[],
            journal=[
                (AccountRole.LOANS_RECEIVABLE.value, plan.principal_amount, ZERO),
                (AccountRole.BANK.value, ZERO, plan.principal_amount),
            ],
            instalments=[],
        )
        _audit(actor, loan, "loan.opened", principal_amount=str(plan.principal_amount), plan=plan.reference)
    return loan


# --- repayment ---------------------------------------------------------------------------------------------------


def _check_repayment(loan: Loan, amount: Any, paid_on: dt.date, channel: str, reference: str) -> Decimal:
    errors: dict[str, list[str]] = {}
    value = ZERO
    try:
        value = parse_amount("amount", amount)
        if value <= ZERO:
            errors["amount"] = [_("The amount must be more than zero.")]
    except ValidationFailed as err:
        errors.update(err.fields)
    if not isinstance(paid_on, dt.date):
        errors["paid_on"] = [_("Enter the date as YYYY-MM-DD.")]
    elif paid_on < loan.start_on:
        errors["paid_on"] = [_("The payment date cannot be before the disbursement date.")]
    elif paid_on > business_date():
        errors["paid_on"] = [_("The payment date cannot be after the business date.")]
    if channel not in Channel.values:
        errors["channel"] = [_("Unknown channel.")]
    if len(reference or "") > MAX_REFERENCE:
        errors["reference"] = [_("The reference is too long (100 characters at most).")]
    if errors:
        raise ValidationFailed(_("The repayment is not valid."), fields=errors)
    return value


def _refuse_closed(loan: Loan) -> None:
    if loan.status == LoanStatus.SETTLED:
        raise Conflict(_("The loan is settled: nothing more can be paid on it."), code="loan_settled")
    if loan.status != LoanStatus.ACTIVE:
        raise InvalidTransition(
            _("The loan is %(status)s: no repayment can be posted.") % {"status": loan.get_status_display()},
            code="loan_not_active",
        )


def post_repayment(
    *,
    loan: Loan,
    amount: Any,
    paid_on: dt.date,
    channel: str,
    reference: str = "",
    idempotency_key: str,
    actor: Any,
) -> Transaction:
    """Post a repayment received on `paid_on` (REPAY-3), allocated by the product's rule (`allocation.allocate`).

    Money beyond everything the schedule still owes is kept as a credit balance or refused with 409
    `overpayment`, per the product's rule. A repayment that leaves nothing owed settles the loan.
    """
    require_perm(actor, Perm.LOAN_POST, _("Only finance posts repayments."), on=loan)
    key = _check_key(idempotency_key)
    digest = request_hash(amount=amount, paid_on=paid_on, channel=channel, reference=reference or "")
    try:
        with transaction.atomic():
            loan = _locked(loan)
            previous = _replay(loan, key, digest)
            if previous is not None:
                return previous
            value = _check_repayment(loan, amount, paid_on, channel, reference)
            _refuse_closed(loan)
            return _repay(loan, value, paid_on, channel, reference or "", key, digest, actor)
    except IntegrityError:
        # A concurrent request with the same key won the race (no row lock on SQLite): answer as a replay.
        previous = _replay(loan, key, digest)
        if previous is None:
            raise
        return previous


def _repay(
    loan: Loan, value: Decimal, paid_on: dt.date, channel: str, reference: str, key: str, digest: str, actor: Any
) -> Transaction:
    rule = rule_for(loan)
    instalments = _instalments(loan)
    split = alloc.allocate(
        _lines(instalments), value, on=paid_on, order=rule.allocation_order, mode=rule.allocation_mode
    )
    if split.remainder > ZERO and rule.overpayment == OverpaymentRule.REFUSE:
        raise Conflict(
            _("The amount is more than the loan owes (%(owed)s yuan).") % {"owed": split.allocated},
            code="overpayment",
            fields={"amount": [_("At most %(owed)s yuan.") % {"owed": split.allocated}]},
        )
    by_period = {line.period: line for line in instalments}
    paid: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for period, _component, part in split.parts:
        paid[period] += part
    settles = all(line.unpaid_amount - paid[line.period] <= ZERO for line in instalments)
    tx = _post(
        loan=loan,
        kind=TransactionKind.REPAYMENT,
        amount=value,
        value_on=paid_on,
        channel=channel,
        reference=reference,
        actor=actor,
        parts=[(by_period[period], component, part) for period, component, part in split.parts],
        unallocated=split.remainder,
        key=key,
        digest=digest,
        settles=settles,
        instalments=instalments,
    )
    if settles:
        loan.settle()
        loan.settled_on = paid_on
    loan.save()
    _audit(actor, loan, "loan.repayment_posted", amount=str(value), paid_on=str(paid_on), transaction=tx.pk)
    if settles:
        _audit(actor, loan, "loan.settled", settled_on=str(paid_on), transaction=tx.pk)
    return tx


# --- settlement --------------------------------------------------------------------------------------------------


def settlement_quote(*, loan: Loan, on: dt.date) -> alloc.Settlement:
    """What settles the loan on `on` (Civil Code Art. 677): see `allocation.settlement`."""
    if on < loan.start_on:
        raise ValidationFailed.on("on", _("The date cannot be before the disbursement date."))
    rule = rule_for(loan)
    return alloc.settlement(
        _lines(_instalments(loan)),
        on=on,
        start_on=loan.start_on,
        annual_rate=loan.annual_rate,
        early_fee_rate=rule.early_settlement_fee_rate,
    )


def settle(
    *,
    loan: Loan,
    on: dt.date,
    idempotency_key: str,
    actor: Any,
    channel: str = Channel.BANK_TRANSFER,
    reference: str = "",
) -> Transaction:
    """Early settlement (提前结清): post a repayment of exactly the quote on `on` and mark the loan settled; interest
    of the periods not begun is not owed (Art. 677)."""
    require_perm(actor, Perm.LOAN_POST, _("Only finance settles loans."), on=loan)
    key = _check_key(idempotency_key)
    digest = request_hash(settle_on=on, channel=channel, reference=reference or "")
    with transaction.atomic():
        loan = _locked(loan)
        previous = _replay(loan, key, digest)
        if previous is not None:
            return previous
        if on > business_date():
            raise ValidationFailed.on("on", _("The settlement date cannot be after the business date."))
        _refuse_closed(loan)
        quote = settlement_quote(loan=loan, on=on)
        instalments = _instalments(loan)
        by_period: dict[int, Instalment | None] = {line.period: line for line in instalments}
        tx = _post(
            loan=loan,
            kind=TransactionKind.REPAYMENT,
            amount=quote.total_amount,
            value_on=on,
            channel=channel,
            reference=reference or "",
            actor=actor,
            parts=[(by_period.get(period), component, part) for period, component, part in quote.parts],
            key=key,
            digest=digest,
            settles=True,
            instalments=instalments,
        )
        loan.settle()
        loan.settled_on = on
        loan.save()
        _audit(actor, loan, "loan.settled", amount=str(quote.total_amount), settled_on=str(on), transaction=tx.pk)
    return tx


# --- reversal (maker-checker) ----------------------------------------------------------------------------------


def _reversible(tx: Transaction) -> None:
    if tx.kind == TransactionKind.REVERSAL:
        raise Conflict(_("A reversal cannot itself be reversed."), code="cannot_reverse_reversal")
    if Transaction.objects.filter(reverses=tx).exists():
        raise Conflict(_("This transaction is reversed already."), code="already_reversed")
    if tx.kind != TransactionKind.REPAYMENT:
        raise Conflict(_("Only repayments can be reversed here."), code="not_reversible")


def reversal_request(*, transaction_: Transaction, reason: str, actor: Any) -> ReversalRequest:
    """A finance user asks to reverse a repayment, with a reason; a second finance user decides (maker-checker)."""
    require_perm(actor, Perm.LOAN_POST, _("Only finance requests reversals."), on=transaction_.loan)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed.on("reason", _("Give the reason for the reversal."))
    with transaction.atomic():
        loan = _locked(transaction_.loan)
        tx = Transaction.objects.get(pk=transaction_.pk)
        _reversible(tx)
        if ReversalRequest.objects.filter(transaction=tx, state=ReversalState.PENDING).exists():
            raise Conflict(_("A reversal of this transaction is waiting for approval."), code="reversal_pending")
        request = ReversalRequest.objects.create(
            transaction=tx, reason=reason, requested_by=actor, requested_on=business_date()
        )
        _audit(actor, loan, "loan.reversal_requested", reason, transaction=tx.pk, request=request.pk)
    return request


def reversal_decide(*, request: ReversalRequest, approve: bool, actor: Any, comment: str = "") -> ReversalRequest:
    """The checker approves (writing the reversal) or rejects; never the user who asked (403
    `segregation_of_duties`)."""
    require_perm(actor, Perm.LOAN_POST, _("Only finance decides on reversals."), on=request.transaction.loan)
    with transaction.atomic():
        loan = _locked(request.transaction.loan)
        request = ReversalRequest.objects.select_for_update().get(pk=request.pk)
        if request.state != ReversalState.PENDING:
            raise InvalidTransition(_("This reversal request is decided already."), code="reversal_decided")
        if request.requested_by_id == actor.pk:
            raise PermissionDenied(
                _("A second finance user must decide on the reversal you asked for."), code="segregation_of_duties"
            )
        request.decided_by = actor
        request.decided_on = business_date()
        if not approve:
            request.state = ReversalState.REJECTED
            request.save()
            _audit(actor, loan, "loan.reversal_rejected", comment, request=request.pk)
            return request
        request.reversal = _reverse(loan, Transaction.objects.get(pk=request.transaction_id), actor)
        request.state = ReversalState.APPROVED
        request.save()
        _audit(actor, loan, "loan.reversal_approved", comment, request=request.pk, reversal=request.reversal.pk)
    return request


def _reverse(loan: Loan, original: Transaction, actor: Any) -> Transaction:
    """The mirror of `original`: negative allocations and swapped journal lines, so every stored balance returns to
    what it was before."""
    _reversible(original)
    if loan.status != LoanStatus.ACTIVE and not original.settles_loan:
        raise Conflict(
            _("The loan is %(status)s: only the payment that closed it can be reversed.")
            % {"status": loan.get_status_display()},
            code="loan_settled",
        )
    allocations = list(original.allocations.select_related("instalment"))
    instalments = _instalments(loan)
    by_pk = {line.pk: line for line in instalments}
    journal = [
        (line.account.role, line.credit_amount, line.debit_amount)
        for line in original.journal_lines.select_related("account")
    ]
    tx = _post(
        loan=loan,
        kind=TransactionKind.REVERSAL,
        amount=-original.amount,
        value_on=original.value_on,
        channel=original.channel,
        reference=original.reference,
        actor=actor,
        parts=[(by_pk[a.instalment_id] if a.instalment_id else None, a.component, -a.amount) for a in allocations],
        unallocated=-original.unallocated_amount,
        reverses=original,
        journal=journal,
        instalments=instalments,
    )
    if loan.status == LoanStatus.SETTLED and original.settles_loan:
        loan.reopen()
        loan.settled_on = None
    loan.save()
    return tx
