"""`POST /api/v1/quotes`: schedule and APR preview without side effects (PLAN-2, PLAN-5, PLAN-8)."""

from decimal import Decimal

import pytest

from creditdesk.core.models import AuditEvent

pytestmark = pytest.mark.django_db
GOLDEN = [
    (
        {"principal_amount": "100000.00", "annual_rate": "0.06", "term_months": 36, "method": "equal_instalment"},
        "3042.19",
        "9519.01",
    ),
    (
        {"principal_amount": "100000.00", "annual_rate": "0.06", "term_months": 36, "method": "equal_principal"},
        "3277.78",
        "9250.00",
    ),
    (
        {"principal_amount": "50000.00", "annual_rate": "0.0725", "term_months": 12, "method": "interest_first"},
        "302.08",
        "3624.96",
    ),
]


@pytest.fixture
def post(client, api_token, persona, business_on):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {api_token(persona('alice'))}"}
    return lambda body: client.post("/api/v1/quotes", body, content_type="application/json", **headers)


@pytest.mark.parametrize(("body", "first_total", "total_interest"), GOLDEN)
def test_the_golden_schedules(post, body, first_total, total_interest):
    events = AuditEvent.objects.count()
    response = post({**body, "first_due_on": "2027-03-31"})
    assert response.status_code == 200
    data = response.json()
    rows = data["instalments"]
    assert (rows[0]["due_on"], rows[1]["due_on"]) == ("2027-03-31", "2027-04-30")
    assert Decimal(rows[0]["total_amount"]) == Decimal(first_total)
    assert Decimal(data["total_interest_amount"]) == Decimal(total_interest)
    assert sum(Decimal(r["principal_amount"]) for r in rows) == Decimal(body["principal_amount"])
    assert abs(Decimal(data["apr"]["nominal_rate"]) - Decimal(body["annual_rate"])) < Decimal("0.0005")
    assert AuditEvent.objects.count() == events  # no side effects


def test_the_principal_comes_from_price_and_down_payment(post):
    data = post(
        {
            "price_amount": "150000.00",
            "down_payment_amount": "45000.00",
            "term_months": 24,
            "method": "equal_instalment",
            "annual_rate": "0.08",
        }
    ).json()
    assert data["principal_amount"] == "105000.00"
    assert data["instalments"][0]["due_on"] == "2027-04-15"  # a month after the business date


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"price_amount": "100.00", "down_payment_amount": "100.00"}, "down_payment_amount"),
        ({"principal_amount": "0.00"}, "principal_amount"),
        ({"principal_amount": "-5.00"}, "principal_amount"),
        ({"principal_amount": "1000.00", "term_months": 0}, "term_months"),
        ({"principal_amount": "1000.00", "method": "balloon"}, "method"),
        ({"principal_amount": "1000.00", "annual_rate": None, "risk_level": "low"}, "annual_rate"),
        ({"principal_amount": "1000.00", "product": "UC-36"}, "product"),
        ({"principal_amount": "1000.00", "first_due_on": "2027-03-01"}, "first_due_on"),
        ({}, "principal_amount"),
    ],
)
def test_bad_quotes_name_the_field(post, body, field):
    base = {"term_months": 12, "method": "equal_instalment", "annual_rate": "0.06"}
    response = post({k: v for k, v in {**base, **body}.items() if v is not None})
    assert 400 <= response.status_code < 500
    assert field in response.json()["fields"]


def test_quotes_need_a_role(client, api_token, persona):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {api_token(persona('outsider'))}"}
    response = client.post("/api/v1/quotes", {}, content_type="application/json", **headers)
    assert response.status_code == 403


def test_a_product_applies_its_limits_fees_and_pricing(post):
    """PLAN-1…3, PLAN-8: UC-RETAIL: 12/24/36 months, 70 % LTV, 1 % upfront fee, priced LPR + spread + term."""
    data = post(
        {
            "product": "UC-RETAIL",
            "price_amount": "150000.00",
            "down_payment_amount": "45000.00",
            "term_months": 36,
            "method": "equal_instalment",
            "risk_level": "low",
            "grade": "A",
        }
    ).json()
    assert data["product"] == "UC-RETAIL"
    assert data["annual_rate"] == "0.050000"  # 1-year LPR 3.0 % + low/A spread 1.5 % + 25–36 months 0.5 %
    assert data["upfront_fee_amount"] == "1050.00"
    assert Decimal(data["apr"]["nominal_rate"]) > Decimal("0.05")  # the upfront fee raises the APR


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"term_months": 18}, "term_months"),
        ({"down_payment_amount": "30000.00"}, "down_payment_amount"),  # loan 80 % of the price
        ({"price_amount": "20000.00", "down_payment_amount": "10000.00"}, "principal_amount"),  # below the minimum
        ({"annual_rate": "0.30"}, "annual_rate"),  # above the ceiling
        ({"risk_level": None, "annual_rate": None}, "risk_level"),
    ],
)
def test_a_quote_outside_the_products_limits_names_the_field(post, body, field):
    base = {
        "product": "UC-RETAIL",
        "price_amount": "150000.00",
        "down_payment_amount": "45000.00",
        "term_months": 36,
        "method": "equal_instalment",
        "risk_level": "medium",
    }
    response = post({k: v for k, v in {**base, **body}.items() if v is not None})
    assert response.status_code == 422
    assert field in response.json()["fields"]
