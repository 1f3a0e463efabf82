"""Issue 11 item 1 on the screens and the API: the failed rules and the exception request on the plan, on the
application's decision page and in the exceptions report (paginated, by state, in the reader's scope)."""

import datetime as dt
import json
from decimal import Decimal as D

import pytest

from creditdesk.assessment import services as assessment
from creditdesk.assessment.tests.factories import car_loan, make_car, make_individual
from creditdesk.lending import services
from creditdesk.lending.tests.factories import rate_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(alice, carol, committee, business_on):
    """A plan on a car too old at maturity (ADM-6 failed, rating overridden to medium), submitted with an exception."""
    customer = make_individual(alice)
    application = assessment.application_create(
        actor=alice,
        customer=customer,
        vehicle=make_car(customer, alice, first_registered_on=dt.date(2017, 3, 1)),
        **car_loan(down_payment_amount=D("60000.00")),
    )
    rate_application(application, carol, level="medium")
    plan = services.plan_create(
        actor=alice, application=application, exception_requested=True, exception_reason="车况良好，客户收入稳定"
    )
    return services.plan_submit(actor=alice, plan=plan)


@pytest.fixture
def login(client, settings):
    def do(user):
        client.logout()
        client.force_login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return do


def test_the_plan_page_shows_the_failed_rules_and_the_request(submitted, login, alice):
    html = login(alice).get(f"/lending/plans/{submitted.pk}/").content.decode()
    assert 'data-testid="failed-rules"' in html
    assert "Vehicle age" in html or "vehicle" in html.lower()
    assert 'data-testid="exception-request" data-state="pending"' in html
    assert "车况良好，客户收入稳定" in html
    assert "ADM-6" not in html  # staff read labels, not codes


def test_the_decision_page_shows_the_exception(submitted, login, carol):
    html = login(carol).get(f"/applications/{submitted.application_id}/decision/").content.decode()
    assert 'data-testid="exception-requests"' in html
    assert submitted.reference in html


def test_the_exceptions_report_filters_by_state_and_scope(
    submitted, login, alice, persona, django_assert_max_num_queries
):
    client = login(alice)
    with django_assert_max_num_queries(20):
        pending = client.get("/lending/exceptions/?state=pending").content.decode()
    assert pending.count('data-testid="exception-row"') == 1
    assert submitted.reference in pending
    approved = client.get("/lending/exceptions/?state=approved").content.decode()
    assert 'data-testid="exception-row"' not in approved
    assert login(persona("outsider")).get("/lending/exceptions/").status_code in (302, 403)


def test_the_api_lists_the_exceptions_and_shows_them_on_the_plan(submitted, client, api_token, alice, settings):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {api_token(alice)}"}
    listing = client.get("/api/v1/plan-exceptions?state=pending", **headers)
    assert listing.status_code == 200
    items = json.loads(listing.content)["items"]
    assert [(x["plan_id"], x["state"], x["proposed_by"]) for x in items] == [(submitted.pk, "pending", "alice")]
    assert [r["code"] for r in items[0]["rules"]] == ["ADM-6.vehicle_age", "ADM-6.vehicle_age"]
    assert client.get("/api/v1/plan-exceptions?state=nonsense", **headers).status_code == 422
    plan = json.loads(client.get(f"/api/v1/plans/{submitted.pk}", **headers).content)
    assert plan["exception_requests"][0]["state"] == "pending"
    assert plan["failed_rules"][0]["measured"] == "156"
