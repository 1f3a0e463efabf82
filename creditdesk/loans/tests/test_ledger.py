"""Opening a loan and posting repayments (issue 13 item 4, REPAY-3)."""

import datetime as dt
from decimal import Decimal

import pytest

from creditdesk.core.errors import Conflict, PermissionDenied, ValidationFailed
from creditdesk.core.services import set_business_date
from creditdesk.loans.models import ImmutableError, JournalLine, Transaction
from creditdesk.loans.services import post_repayment, reversal_decide, reversal_request, settle, settlement_quote

pytestmark = pytest.mark.django_db


def balanced(tx):
    lines = JournalLine.objects.filter(transaction=tx)
    return sum(x.debit_amount for x in lines) == sum(x.credit_amount for x in lines)


def test_a_loan_pays_out_the_whole_principal_and_books_it(loan, approved_plan):
    """Art. 670: the principal is the approved amount, fees are not deducted."""
    assert loan.principal_amount == approved_plan.principal_amount
    assert loan.outstanding_principal_amount == loan.principal_amount
    tx = loan.transactions.get()
    assert tx.kind == "disbursement"
    assert tx.amount == loan.principal_amount
    assert balanced(tx)
    assert loan.instalments.filter(period__gte=1).count() == loan.term_months


def test_a_repayment_goes_fees_penalty_interest_principal_and_is_idempotent(loan, frank):
    set_business_date(on=dt.date(2027, 4, 20), allow_backward=True)
    first = loan.instalments.get(period=1)
    kw = {
        "loan": loan,
        "amount": "100.00",
        "paid_on": dt.date(2027, 4, 20),
        "channel": "bank_transfer",
        "reference": "r1",
    }
    tx = post_repayment(idempotency_key="k1", actor=frank, **kw)
    again = post_repayment(idempotency_key="k1", actor=frank, **kw)
    assert again.pk == tx.pk
    assert Transaction.objects.filter(kind="repayment").count() == 1
    parts = [(a.instalment.period, a.component) for a in tx.allocations.select_related("instalment")]
    assert parts == sorted(parts, key=lambda p: (p[0], ["fee", "penalty", "interest", "principal"].index(p[1])))
    assert sum(a.amount for a in tx.allocations.all()) == Decimal("100.00")
    assert first.period == 1
    assert balanced(tx)
    with pytest.raises(Conflict) as err:
        post_repayment(idempotency_key="k1", actor=frank, **{**kw, "amount": "200.00"})
    assert err.value.code == "idempotency_key_reused"


@pytest.mark.parametrize("amount", ["1.001", "0", "-5"])
def test_bad_amounts_are_field_errors(loan, frank, amount):
    with pytest.raises(ValidationFailed) as err:
        post_repayment(
            loan=loan, amount=amount, paid_on=loan.start_on, channel="counter", idempotency_key="x", actor=frank
        )
    assert "amount" in err.value.fields


def test_dates_outside_the_loan_are_field_errors(loan, frank):
    for day in (loan.start_on - dt.timedelta(days=1), loan.start_on + dt.timedelta(days=1)):
        with pytest.raises(ValidationFailed) as err:
            post_repayment(loan=loan, amount="1.00", paid_on=day, channel="counter", idempotency_key="d", actor=frank)
        assert "paid_on" in err.value.fields


def test_only_finance_posts(loan, persona):
    with pytest.raises(PermissionDenied):
        post_repayment(
            loan=loan,
            amount="1.00",
            paid_on=loan.start_on,
            channel="counter",
            idempotency_key="a",
            actor=persona("alice"),
        )


def test_a_reversal_restores_the_state_exactly_and_needs_a_second_user(loan, frank, persona):
    from creditdesk.accounts.choices import Role
    from creditdesk.accounts.tests.factories import UserFactory

    set_business_date(on=dt.date(2027, 5, 20), allow_backward=True)
    before = [(i.paid_interest_amount, i.paid_principal_amount, i.paid_fee_amount) for i in loan.instalments.all()]
    tx = post_repayment(
        loan=loan, amount="9000.00", paid_on=dt.date(2027, 5, 20), channel="counter", idempotency_key="r", actor=frank
    )
    request = reversal_request(transaction_=tx, reason="误入账", actor=frank)
    with pytest.raises(PermissionDenied):
        reversal_decide(request=request, approve=True, actor=frank)
    checker = UserFactory(username="fiona", roles=[Role.FINANCE])
    request = reversal_decide(request=request, approve=True, actor=checker)
    loan.refresh_from_db()
    assert loan.outstanding_principal_amount == loan.principal_amount
    assert loan.paid_interest_amount == 0
    assert [
        (i.paid_interest_amount, i.paid_principal_amount, i.paid_fee_amount) for i in loan.instalments.all()
    ] == before
    with pytest.raises(Conflict) as err:
        reversal_request(transaction_=request.reversal, reason="再冲", actor=frank)
    assert err.value.code == "cannot_reverse_reversal"
    with pytest.raises(ImmutableError):
        tx.save()


def test_early_settlement_charges_interest_for_the_days_used(loan, frank):
    """Civil Code Art. 677."""
    on = loan.start_on + dt.timedelta(days=10)
    set_business_date(on=on, allow_backward=True)
    quote = settlement_quote(loan=loan, on=on)
    expected = (loan.principal_amount * loan.annual_rate * 10 / 360).quantize(Decimal("0.01"))
    assert quote.days_used == 10
    assert quote.accrued_interest_amount == expected
    tx = settle(loan=loan, on=on, idempotency_key="s", actor=frank)
    loan.refresh_from_db()
    assert loan.status == "settled"
    assert loan.outstanding_principal_amount == 0
    assert tx.amount == quote.total_amount
    with pytest.raises(Conflict) as err:
        post_repayment(loan=loan, amount="1.00", paid_on=on, channel="counter", idempotency_key="z", actor=frank)
    assert err.value.code == "loan_settled"


def test_check_ledger_finds_nothing_on_a_consistent_book_and_a_tampered_balance(loan, frank):
    """Issue 13 item 6: set-based invariant, `creditdesk check-ledger` exits non-zero on a difference."""
    from django.core.management import call_command

    from creditdesk.loans.ledger_check import differences
    from creditdesk.loans.models import Loan

    set_business_date(on=dt.date(2027, 4, 20), allow_backward=True)
    post_repayment(
        loan=loan, amount="5000.00", paid_on=dt.date(2027, 4, 20), channel="counter", idempotency_key="c", actor=frank
    )
    assert differences() == []
    call_command("check_ledger")
    Loan.objects.filter(pk=loan.pk).update(outstanding_principal_amount=Decimal("1.00"))
    assert len(differences()) == 1
    with pytest.raises(SystemExit):
        call_command("check_ledger")
