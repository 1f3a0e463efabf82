"""Strict input, amounts (issue #10 item 1, ARCHITECTURE rule 10): every amount a client sends is within its
business ceiling with at most two decimals, so every stored amount reads back exactly on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from creditdesk.assessment.tests.factories import make_company, make_individual
from creditdesk.core import fields
from creditdesk.customers.models import Customer, FinancialStatement
from creditdesk.customers.services import NEVER_NEGATIVE, STATEMENT_AMOUNTS
from creditdesk.vehicles.models import Vehicle
from creditdesk.vehicles.tests.factories import make_vehicle, vin

pytestmark = pytest.mark.django_db
HUGE = "9999999999999999.99"


@pytest.fixture
def call(client, api_token, persona, business_on):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {api_token(persona('alice'))}"}

    def do(method, path, body):
        return client.generic(method, path, json.dumps(body), content_type="application/json", **headers)

    return do


def test_a_huge_income_is_refused_and_the_customer_list_still_reads(call):
    """Item 1: 9999999999999999.99 was stored (201) and then every read of the row answered 500."""
    body = {"kind": "individual", "name": "张三", "id_number": "11010519491231002X", "mobile": "13812345678"}
    response = call("POST", "/api/v1/customers", {**body, "monthly_income_amount": HUGE})
    assert response.status_code == 422
    assert "monthly_income_amount" in response.json()["fields"]
    assert not Customer.objects.exists()
    assert call("GET", "/api/v1/customers", None).status_code == 200


def test_a_huge_price_is_refused(call, persona):
    customer = make_individual(persona("alice"))
    body = {
        "customer_id": customer.pk,
        "brand": "大众",
        "model_name": "朗逸",
        "vin": vin(),
        "engine_number": "DLF1",
        "first_registered_on": "2025-03-15",
        "mileage_km": 1,
        "original_price_amount": HUGE,
    }
    response = call("POST", "/api/v1/vehicles", body)
    assert response.status_code == 422
    assert "original_price_amount" in response.json()["fields"]
    assert not Vehicle.objects.exists()


def test_huge_statement_figures_and_three_decimals_are_refused(call, persona):
    company = make_company(persona("alice"))
    figures = dict.fromkeys(STATEMENT_AMOUNTS, "100.00")
    body = {"period": "2025", "period_end_on": "2025-12-31", **figures}
    path = f"/api/v1/customers/{company.pk}/financials"
    huge = call("POST", path, {**body, "revenue_amount": HUGE})
    assert huge.status_code == 422
    assert "revenue_amount" in huge.json()["fields"]
    fen = call("POST", path, {**body, "equity_amount": "1.001"})
    assert fen.status_code == 422
    assert "equity_amount" in fen.json()["fields"]


def test_the_form_refuses_an_amount_above_its_ceiling():
    from creditdesk.customers.forms import StatementForm

    form = StatementForm(data={"period": "2025", "period_end_on": "2025-12-31", "revenue_amount": HUGE})
    assert not form.is_valid()
    assert "revenue_amount" in form.errors


@pytest.mark.parametrize(
    ("kind", "ceiling", "floor"),
    [
        (fields.Amount, fields.AMOUNT_MAX, -fields.AMOUNT_MAX),
        (fields.IncomeAmount, fields.INCOME_MAX, -fields.INCOME_MAX),
        (fields.PriceAmount, fields.PRICE_MAX, -fields.PRICE_MAX),
    ],
)
def test_each_type_accepts_its_bounds_and_refuses_a_fen_more(kind, ceiling, floor):
    adapter = TypeAdapter(kind)
    assert adapter.validate_python(str(ceiling)) == ceiling
    assert adapter.validate_python(str(floor)) == floor
    for refused in (str(ceiling + Decimal("0.01")), str(floor - Decimal("0.01")), "0.001", "NaN", "Infinity"):
        with pytest.raises(ValidationError):
            adapter.validate_python(refused)


def test_the_ceilings_fit_what_sqlite_gives_back():
    assert fields.AMOUNT_MAX <= fields.DATABASE_SAFE_MAX
    assert max(fields.INCOME_MAX, fields.PRICE_MAX) <= fields.AMOUNT_MAX


def amounts(floor: Decimal, ceiling: Decimal):
    return st.decimals(min_value=floor, max_value=ceiling, places=2, allow_nan=False, allow_infinity=False)


SIGNED = set(STATEMENT_AMOUNTS) - set(NEVER_NEGATIVE)
ZERO = Decimal("0.00")


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    figure=amounts(-fields.AMOUNT_MAX, fields.AMOUNT_MAX),
    income=amounts(ZERO, fields.INCOME_MAX),
    price=amounts(ZERO, fields.PRICE_MAX),
)
@example(figure=fields.AMOUNT_MAX, income=fields.INCOME_MAX, price=fields.PRICE_MAX)
@example(figure=-fields.AMOUNT_MAX, income=ZERO, price=Decimal("0.01"))
@example(figure=fields.AMOUNT_MAX - Decimal("0.01"), income=Decimal("0.01"), price=fields.PRICE_MAX - Decimal("0.01"))
def test_accepted_amounts_read_back_exactly(persona, figure, income, price):
    """Any value the types accept survives save → read unchanged (run on SQLite and on PostgreSQL); income and
    prices are drawn from zero up, as the services and the check constraints refuse negative ones."""
    figure = TypeAdapter(fields.Amount).validate_python(str(figure))
    income = TypeAdapter(fields.IncomeAmount).validate_python(str(income))
    price = TypeAdapter(fields.PriceAmount).validate_python(str(price))
    owner = persona("alice")
    with transaction.atomic():
        customer = make_individual(
            owner, consent=False, monthly_income_amount=income, registered_capital_amount=abs(figure)
        )
        vehicle = make_vehicle(customer, original_price_amount=price)
        statement = FinancialStatement.objects.create(
            customer=customer,
            period="2026",
            period_end_on=dt.date(2026, 12, 31),
            recorded_by=owner,
            **dict.fromkeys(NEVER_NEGATIVE, abs(figure)),
            **dict.fromkeys(SIGNED, figure),
        )
        read = Customer.objects.get(pk=customer.pk)
        assert (read.monthly_income_amount, read.registered_capital_amount) == (income, abs(figure))
        assert Vehicle.objects.get(pk=vehicle.pk).original_price_amount == price
        figures = FinancialStatement.objects.get(pk=statement.pk)
        assert (figures.revenue_amount, figures.net_profit_amount) == (abs(figure), figure)
        assert list(Customer.objects.filter(pk=customer.pk).values_list("monthly_income_amount", flat=True)) == [income]
        transaction.set_rollback(True)
