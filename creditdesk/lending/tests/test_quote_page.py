"""The quote calculator page: live schedule with the APR first, inline errors (PLAN-5, PLAN-8)."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_calculator_shows_schedule_apr_and_chart_data(login, persona, business_on):
    client = login(persona("alice"))
    assert client.get("/lending/quote/").status_code == 200
    response = client.post(
        "/lending/quote/",
        {
            "product": "UC-RETAIL",
            "price_amount": "150000.00",
            "down_payment_amount": "45000.00",
            "term_months": "36",
            "method": "equal_instalment",
            "risk_level": "low",
            "grade": "A",
        },
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="apr"' in html
    assert 'id="quote-chart-data"' in html
    assert html.count("<tr>") == 37  # header + 36 instalments
    assert "<html" not in html  # an htmx fragment, not a page


def test_errors_are_shown_inline(login, persona, business_on):
    client = login(persona("alice"))
    response = client.post(
        "/lending/quote/",
        {
            "product": "UC-RETAIL",
            "price_amount": "150000.00",
            "down_payment_amount": "10000.00",
            "term_months": "36",
            "method": "equal_instalment",
            "risk_level": "low",
        },
    )
    assert response.status_code == 422
    assert 'class="field has-error"' in response.content.decode()


def test_the_calculator_needs_a_role(login, persona):
    assert login(persona("outsider")).get("/lending/quote/").status_code == 403


def test_the_calculator_takes_the_planned_disbursement_date_issue_11_item_7(login, persona, business_on):
    """Issue 11 item 7: a start on 2027-01-31 is due 02-28, 03-31, 04-30."""
    client = login(persona("alice"))
    response = client.post(
        "/lending/quote/",
        {
            "principal_amount": "60000.00",
            "annual_rate": "6.8",
            "term_months": "6",
            "method": "equal_instalment",
            "start_on": "2027-01-31",
        },
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200, html
    assert html.index("2027-02-28") < html.index("2027-03-31") < html.index("2027-04-30")
