"""The loan pages (issue 13 item 7): list, loan page with schedule, transactions, journal and quote; finance posts
repayments, settles and reverses from it; a resubmitted form posts nothing twice."""

import datetime as dt
import re

import pytest

from creditdesk.accounts.choices import Role
from creditdesk.accounts.tests.factories import UserFactory
from creditdesk.core.services import set_business_date
from creditdesk.loans.models import Transaction
from creditdesk.loans.queues import QUEUES, reversal_queue

pytestmark = pytest.mark.django_db


def _key(page: str) -> str:
    return re.search(r'name="idempotency_key" value="(\w+)"', page).group(1)


def test_the_list_and_the_loan_page_show_the_account(login, loan, persona):
    alice = login(persona("alice"))
    listing = alice.get("/loans/?status=active").content.decode()
    assert loan.number in listing
    assert loan.number not in alice.get("/loans/?status=settled").content.decode()
    page = alice.get(f"/loans/{loan.pk}/").content.decode()
    assert 'data-testid="schedule"' in page
    assert 'data-testid="transactions"' in page
    assert 'data-testid="quote"' in page
    assert 'data-testid="repayment-form"' not in page  # sales reads, finance posts


def test_finance_posts_a_repayment_once_even_when_the_form_is_sent_twice(login, loan, frank):
    set_business_date(on=dt.date(2027, 4, 20), allow_backward=True)
    finance = login(frank)
    page = finance.get(f"/loans/{loan.pk}/").content.decode()
    form = {
        "amount": "300.00",
        "paid_on": "2027-04-20",
        "channel": "counter",
        "reference": "柜台",
        "idempotency_key": _key(page),
    }
    for _ in range(2):
        response = finance.post(f"/loans/{loan.pk}/repayments/", form)
        assert response.status_code == 302
    assert Transaction.objects.filter(loan=loan, kind="repayment").count() == 1
    bad = finance.post(f"/loans/{loan.pk}/repayments/", {**form, "amount": "1.005", "idempotency_key": "n"})
    assert bad.status_code == 422
    assert 'class="field-error"' in bad.content.decode()
    late = finance.post(f"/loans/{loan.pk}/repayments/", {**form, "paid_on": "2030-01-01", "idempotency_key": "m"})
    assert late.status_code == 422
    assert Transaction.objects.filter(loan=loan, kind="repayment").count() == 1


def test_a_reversal_asked_on_the_page_waits_for_a_second_user(login, loan, frank, client):
    set_business_date(on=dt.date(2027, 4, 20), allow_backward=True)
    finance = login(frank)
    form = {"amount": "300.00", "paid_on": "2027-04-20", "channel": "counter", "idempotency_key": "p1"}
    finance.post(f"/loans/{loan.pk}/repayments/", form)
    tx = Transaction.objects.get(loan=loan, kind="repayment")
    assert finance.post(f"/loans/{loan.pk}/transactions/{tx.pk}/reversal/", {"reason": "误入账"}).status_code == 302
    request = tx.reversal_requests.get()
    own = finance.post(f"/loans/{loan.pk}/reversals/{request.pk}/decision/", {"outcome": "approve"})
    assert own.status_code == 403
    client.logout()
    fiona = UserFactory(username="fiona", roles=[Role.FINANCE])
    waiting = reversal_queue(fiona)
    assert (waiting.count, loan.number in waiting.items[0]["label"]) == (1, True)
    assert reversal_queue in QUEUES
    assert reversal_queue(frank).count == 0  # not the one they asked for
    checker = login(fiona)
    done = checker.post(f"/loans/{loan.pk}/reversals/{request.pk}/decision/", {"outcome": "approve", "opinion": "核实"})
    assert done.status_code == 302
    loan.refresh_from_db()
    assert loan.outstanding_principal_amount == loan.principal_amount
    assert Transaction.objects.filter(loan=loan, kind="reversal").count() == 1


def test_settling_from_the_page_needs_the_confirmation(login, loan, frank):
    on = loan.start_on + dt.timedelta(days=5)
    set_business_date(on=on, allow_backward=True)
    finance = login(frank)
    form = {"on": str(on), "channel": "bank_transfer", "idempotency_key": "s1"}
    unconfirmed = finance.post(f"/loans/{loan.pk}/settlement/", form)
    assert unconfirmed.status_code == 422
    loan.refresh_from_db()
    assert loan.status == "active"
    assert finance.post(f"/loans/{loan.pk}/settlement/", {**form, "confirm": "on"}).status_code == 302
    loan.refresh_from_db()
    assert loan.status == "settled"
    assert 'data-testid="repayment-form"' not in finance.get(f"/loans/{loan.pk}/").content.decode()
