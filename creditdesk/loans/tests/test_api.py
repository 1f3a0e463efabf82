"""The loans API (issue 13, "API"): fields, the schedule, repayments with their Idempotency-Key, reversals,
the settlement quote; finance posts, the other roles read in scope."""

import datetime as dt
from decimal import Decimal

import pytest

from creditdesk.accounts.choices import Role
from creditdesk.accounts.tests.factories import UserFactory
from creditdesk.core.services import set_business_date
from creditdesk.loans.models import Transaction

pytestmark = pytest.mark.django_db

LOAN_FIELDS = {
    "id",
    "number",
    "customer_id",
    "contract_id",
    "status",
    "principal_amount",
    "outstanding_principal_amount",
    "annual_rate",
    "term_months",
    "method",
    "start_on",
    "first_due_on",
    "days_past_due",
    "classification",
}


@pytest.fixture
def auth(api_token):
    return lambda user, **extra: {"HTTP_AUTHORIZATION": f"Bearer {api_token(user)}", **extra}


def _post(client, url, body, headers):
    return client.post(url, body, content_type="application/json", **headers)


def test_the_list_carries_the_contracted_fields_and_filters(client, loan, frank, persona, auth):
    body = client.get("/api/v1/loans?status=active", **auth(frank)).json()
    assert body["count"] == 1
    item = body["items"][0]
    assert set(item) >= LOAN_FIELDS
    assert (item["id"], item["status"], item["days_past_due"], item["classification"]) == (
        loan.pk,
        "active",
        0,
        "normal",
    )
    assert Decimal(item["principal_amount"]) == loan.principal_amount
    assert client.get("/api/v1/loans?status=settled", **auth(frank)).json()["count"] == 0
    # Alice sells to this borrower and reads the loan; a salesperson of another team does not see it.
    assert client.get(f"/api/v1/loans/{loan.pk}", **auth(persona("alice"))).status_code == 200
    stranger = UserFactory(username="sam", roles=[Role.SALES])
    assert client.get(f"/api/v1/loans/{loan.pk}", **auth(stranger)).status_code == 404
    assert client.get("/api/v1/loans", **auth(stranger)).json()["count"] == 0


def test_the_schedule_shows_what_is_paid(client, loan, frank, auth):
    set_business_date(on=dt.date(2027, 4, 20), allow_backward=True)
    url = f"/api/v1/loans/{loan.pk}/repayments"
    paid = _post(
        client,
        url,
        {"amount": "100.00", "paid_on": "2027-04-20", "channel": "counter"},
        auth(frank, HTTP_IDEMPOTENCY_KEY="a"),
    )
    assert paid.status_code == 201, paid.content
    lines = client.get(f"/api/v1/loans/{loan.pk}/schedule", **auth(frank)).json()
    assert [line["period"] for line in lines] == sorted(line["period"] for line in lines)
    received = sum(
        Decimal(line[f"paid_{c}_amount"]) for line in lines for c in ("principal", "interest", "fee", "penalty")
    )
    assert received == Decimal("100.00")
    assert {line["status"] for line in lines} <= {"not_due", "due", "overdue", "paid"}


def test_a_repayment_needs_its_key_and_a_replay_posts_nothing_twice(client, loan, frank, auth):
    set_business_date(on=dt.date(2027, 4, 20), allow_backward=True)
    url = f"/api/v1/loans/{loan.pk}/repayments"
    body = {"amount": "250.00", "paid_on": "2027-04-20", "channel": "bank_transfer", "reference": "B1"}
    # Missing key: 400 before the body is read, even a broken body.
    for sent in (body, {"amount": "x"}):
        response = _post(client, url, sent, auth(frank))
        assert response.status_code == 400
        assert response.json()["code"] == "idempotency_key_required"
    first = _post(client, url, body, auth(frank, HTTP_IDEMPOTENCY_KEY="k-1"))
    again = _post(client, url, body, auth(frank, HTTP_IDEMPOTENCY_KEY="k-1"))
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert Transaction.objects.filter(loan=loan, kind="repayment").count() == 1
    other = _post(client, url, {**body, "amount": "251.00"}, auth(frank, HTTP_IDEMPOTENCY_KEY="k-1"))
    assert (other.status_code, other.json()["code"]) == (409, "idempotency_key_reused")
    tx = first.json()
    assert sum(Decimal(a["amount"]) for a in tx["allocations"]) == Decimal("250.00")
    debits = sum(Decimal(x["debit_amount"]) for x in tx["journal_lines"])
    assert debits == sum(Decimal(x["credit_amount"]) for x in tx["journal_lines"]) == Decimal("250.00")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"amount": "1.001", "paid_on": "2027-04-20", "channel": "counter"}, "amount"),
        ({"amount": "0", "paid_on": "2027-04-20", "channel": "counter"}, "amount"),
        ({"amount": "-3.00", "paid_on": "2027-04-20", "channel": "counter"}, "amount"),
        ({"amount": "10.00", "paid_on": "2099-01-01", "channel": "counter"}, "paid_on"),
        ({"amount": "10.00", "paid_on": "2000-01-01", "channel": "counter"}, "paid_on"),
        ({"amount": "10.00", "paid_on": "2027-04-20", "channel": "pigeon"}, "channel"),
    ],
)
def test_bad_repayments_are_field_errors_and_post_nothing(client, loan, frank, auth, body, field):
    set_business_date(on=dt.date(2027, 4, 20), allow_backward=True)
    response = _post(client, f"/api/v1/loans/{loan.pk}/repayments", body, auth(frank, HTTP_IDEMPOTENCY_KEY="bad"))
    assert response.status_code == 422, response.content
    assert field in str(response.json()["fields"])
    assert not Transaction.objects.filter(loan=loan, kind="repayment").exists()


def test_only_finance_posts_and_readers_read(client, loan, persona, auth):
    body = {"amount": "10.00", "paid_on": str(loan.start_on), "channel": "counter"}
    for name in ("alice", "carol"):
        user = persona(name)
        assert client.get(f"/api/v1/loans/{loan.pk}/transactions", **auth(user)).status_code == 200
        response = _post(client, f"/api/v1/loans/{loan.pk}/repayments", body, auth(user, HTTP_IDEMPOTENCY_KEY="z"))
        assert response.status_code == 403
    assert not Transaction.objects.filter(loan=loan, kind="repayment").exists()


def test_a_reversal_goes_through_a_second_finance_user(client, loan, frank, auth):
    set_business_date(on=dt.date(2027, 4, 20), allow_backward=True)
    tx = _post(
        client,
        f"/api/v1/loans/{loan.pk}/repayments",
        {"amount": "500.00", "paid_on": "2027-04-20", "channel": "counter"},
        auth(frank, HTTP_IDEMPOTENCY_KEY="r"),
    ).json()
    asked = _post(
        client, f"/api/v1/loans/{loan.pk}/transactions/{tx['id']}/reversal", {"reason": "误入账"}, auth(frank)
    )
    assert asked.status_code == 201, asked.content
    decisions = f"/api/v1/loans/{loan.pk}/reversals/{asked.json()['id']}/decisions"
    own = _post(client, decisions, {"outcome": "approve"}, auth(frank))
    assert (own.status_code, own.json()["code"]) == (403, "segregation_of_duties")
    checker = UserFactory(username="fiona", roles=[Role.FINANCE])
    done = _post(client, decisions, {"outcome": "approve", "opinion": "核实"}, auth(checker))
    assert done.status_code == 200, done.content
    assert done.json()["state"] == "approved"
    loan.refresh_from_db()
    assert loan.outstanding_principal_amount == loan.principal_amount
    reversal = done.json()["reversal_id"]
    again = _post(client, f"/api/v1/loans/{loan.pk}/transactions/{reversal}/reversal", {"reason": "再冲"}, auth(frank))
    assert (again.status_code, again.json()["code"]) == (409, "cannot_reverse_reversal")


def test_the_settlement_quote_and_settling_early(client, loan, frank, auth):
    on = loan.start_on + dt.timedelta(days=10)
    set_business_date(on=on, allow_backward=True)
    quote = client.get(f"/api/v1/loans/{loan.pk}/settlement-quote?on={on}", **auth(frank)).json()
    assert quote["days_used"] == 10
    assert Decimal(quote["principal_amount"]) == loan.principal_amount
    before = client.get(f"/api/v1/loans/{loan.pk}/settlement-quote?on=2000-01-01", **auth(frank))
    assert before.status_code == 422
    settled = _post(
        client, f"/api/v1/loans/{loan.pk}/settlement", {"on": str(on)}, auth(frank, HTTP_IDEMPOTENCY_KEY="s")
    )
    assert settled.status_code == 201, settled.content
    assert Decimal(settled.json()["amount"]) == Decimal(quote["total_amount"])
    assert client.get(f"/api/v1/loans/{loan.pk}", **auth(frank)).json()["status"] == "settled"
    late = _post(
        client,
        f"/api/v1/loans/{loan.pk}/repayments",
        {"amount": "1.00", "paid_on": str(on), "channel": "counter"},
        auth(frank, HTTP_IDEMPOTENCY_KEY="late"),
    )
    assert (late.status_code, late.json()["code"]) == (409, "loan_settled")
