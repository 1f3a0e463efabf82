"""Issue 11 item 12: on the pages a rate is typed and shown in percent; the plan stores the fraction."""

from decimal import Decimal

import pytest

from creditdesk.lending.models import ServicePlan

pytestmark = pytest.mark.django_db


def test_the_plan_form_takes_the_rate_in_percent_and_shows_it_in_percent_on_edit(login, rated, alice):
    application = rated()
    client = login(alice)
    form = client.get(f"/lending/applications/{application.pk}/plan/").content.decode()
    assert "年利率（%）" in form
    assert "例如 6 或 5.5" in form
    response = client.post(
        f"/lending/applications/{application.pk}/plan/",
        {
            "price_amount": "150000.00",
            "down_payment_amount": "60000.00",
            "term_months": "24",
            "method": "equal_principal",
            "annual_rate": "5.5",
        },
    )
    assert response.status_code == 302, response.content.decode()
    plan = ServicePlan.objects.get()
    assert (plan.annual_rate, plan.rate_manual) == (Decimal("0.055"), True)
    edit = client.get(f"/lending/plans/{plan.pk}/edit/").content.decode()
    assert 'name="annual_rate" value="5.5"' in edit


def test_a_rate_typed_as_a_fraction_by_habit_is_read_as_percent_and_refused_by_the_product(login, rated, alice):
    """0.055 typed in the percent field is 0.055 % — below the product's floor, refused beside the field."""
    application = rated()
    response = login(alice).post(
        f"/lending/applications/{application.pk}/plan/",
        {
            "price_amount": "150000.00",
            "down_payment_amount": "60000.00",
            "term_months": "24",
            "method": "equal_principal",
            "annual_rate": "0.055",
        },
    )
    assert response.status_code == 422
    assert not ServicePlan.objects.exists()


def test_the_quote_calculator_takes_the_rate_in_percent(login, persona, business_on):
    response = login(persona("alice")).post(
        "/lending/quote/",
        {"principal_amount": "60000.00", "annual_rate": "6", "term_months": "12", "method": "equal_instalment"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200, html
    assert "6.00%" in html  # the contract rate, shown in percent


def test_the_api_documents_rates_as_fractions(client):
    from creditdesk.urls import api

    schema = api.get_openapi_schema()
    schemas = schema["components"]["schemas"]
    for name in ("QuoteIn", "QuoteOut", "PlanIn", "PlanChanges", "PlanOut"):
        if name in schemas:
            assert "0.055 表示 5.5%" in schemas[name]["properties"]["annual_rate"]["description"], name
