"""The plan pages: prepare, revise, detail (APR first, schedule, guarantees, history, SLA), the decision form with
its confirmation, the list's filters, the home-page queues and the navigation (PLAN-1…PLAN-9)."""

import datetime as dt
import re

import pytest
from django.utils import translation

from creditdesk.core.services import set_business_date
from creditdesk.lending import services
from creditdesk.lending.decisions import plan_decide
from creditdesk.lending.models import PlanDecision, ServicePlan

pytestmark = pytest.mark.django_db


@pytest.fixture
def login(client, settings):
    """`login(user)` → the test client signed in as that user, pages in English (the language cookie)."""

    def do(user):
        client.logout()
        client.force_login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return do


def html_of(response) -> str:
    return response.content.decode()


def test_a_plan_is_prepared_from_a_rated_application(login, rated, alice):
    application = rated()
    client = login(alice)
    listing = html_of(client.get("/lending/plans/"))
    assert f"/lending/applications/{application.pk}/plan/" in listing  # rated, still without a plan

    form = client.get(f"/lending/applications/{application.pk}/plan/")
    assert form.status_code == 200
    assert 'value="45000.00"' in html_of(form)
    response = client.post(
        f"/lending/applications/{application.pk}/plan/",
        {
            "price_amount": "150000.00",
            "down_payment_amount": "60000.00",
            "term_months": "24",
            "method": "equal_principal",
        },
    )
    plan = ServicePlan.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/lending/plans/{plan.pk}/"
    assert (plan.principal_amount, plan.term_months, plan.method) == (90000, 24, "equal_principal")


def test_bad_input_is_shown_inline_with_a_422(login, rated, alice):
    application = rated()
    response = login(alice).post(
        f"/lending/applications/{application.pk}/plan/",
        {
            "price_amount": "150000.00",
            "down_payment_amount": "10000.00",
            "term_months": "48",
            "method": "equal_instalment",
            "annual_rate": "50",
        },
    )
    html = html_of(response)
    assert response.status_code == 422
    assert html.count('class="field has-error"') == 3  # down payment (LTV), term, rate
    assert not ServicePlan.objects.exists()


def test_the_detail_shows_the_apr_first_the_schedule_and_the_guarantees(login, draft, alice):
    """PLAN-8: the APR is never less prominent than the monthly rate: first, larger and in bold."""
    plan = draft()
    html = html_of(login(alice).get(f"/lending/plans/{plan.pk}/"))

    apr = re.search(r'<p class="apr" data-testid="apr">.*?<strong>([\d.]+%)</strong>', html, re.S)
    assert apr is not None
    assert apr.group(1) == f"{plan.apr_nominal_rate * 100:.2f}%"
    assert html.index('data-testid="apr"') < html.index('data-testid="contract-rate"')
    assert "0.4583%" in html.split('data-testid="contract-rate"')[1].split("</p>")[0]
    assert html.count('data-testid="instalment"') == 36
    assert html.count('data-testid="guarantee-row"') == 1
    assert 'data-testid="revise"' in html
    assert 'data-testid="submit-form"' in html
    assert 'data-testid="decision-form"' not in html  # a salesperson does not decide


def test_revising_a_plan_on_the_page(login, draft, alice):
    plan = draft()
    client = login(alice)
    assert client.get(f"/lending/plans/{plan.pk}/edit/").status_code == 200
    response = client.post(
        f"/lending/plans/{plan.pk}/edit/",
        {
            "price_amount": "150000.00",
            "down_payment_amount": "50000.00",
            "term_months": "36",
            "method": "equal_instalment",
        },
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.revision, plan.principal_amount) == (2, 100000)


def test_submit_and_decide_with_a_confirmation(login, draft, alice, bob, client):
    plan = draft()
    assert login(alice).post(f"/lending/plans/{plan.pk}/submit/").status_code == 302
    page = html_of(login(bob).get(f"/lending/plans/{plan.pk}/"))
    assert 'data-testid="decision-form"' in page
    assert 'data-testid="stage-due"' in page
    assert "2027-03-17" in page

    unconfirmed = client.post(f"/lending/plans/{plan.pk}/decide/", {"outcome": "approve", "opinion": "方案合理"})
    assert unconfirmed.status_code == 422
    assert "Tick the box to confirm the decision." in html_of(unconfirmed)
    assert not PlanDecision.objects.exists()

    confirmed = client.post(
        f"/lending/plans/{plan.pk}/decide/", {"outcome": "approve", "opinion": "方案合理", "confirm": "on"}
    )
    assert confirmed.status_code == 302
    plan.refresh_from_db()
    assert plan.current_stage == "risk_review"
    page = html_of(client.get(f"/lending/plans/{plan.pk}/"))
    assert 'data-testid="decision-form"' not in page  # bob has decided; risk review is not his
    assert page.count('data-testid="decision-row"') == 1
    assert 'data-kind="plan.stage_entered"' in page  # the activity shows who was told, and when


def test_a_refused_decision_answers_with_its_status(login, draft, alice, carol):
    plan = draft()
    services.plan_submit(actor=alice, plan=plan)
    response = login(carol).post(
        f"/lending/plans/{plan.pk}/decide/", {"outcome": "approve", "opinion": "同意", "confirm": "on"}
    )
    assert response.status_code == 403
    assert "Your role cannot decide at this stage." in html_of(response)


def test_a_refused_submission_is_shown_on_the_detail(login, draft, alice):
    plan = draft()
    services.plan_submit(actor=alice, plan=plan)
    response = login(alice).post(f"/lending/plans/{plan.pk}/submit/")
    assert response.status_code == 409
    assert 'data-testid="action-error"' in html_of(response)


def test_an_overdue_stage_is_highlighted(login, draft, alice, bob):
    plan = draft()
    services.plan_submit(actor=alice, plan=plan)
    set_business_date(on=dt.date(2027, 3, 18))
    client = login(bob)
    detail = html_of(client.get(f"/lending/plans/{plan.pk}/"))
    assert 'data-overdue="true"' in detail
    assert 'data-testid="overdue"' in detail
    listing = html_of(client.get("/lending/plans/?overdue=1"))
    assert listing.count('data-testid="plan-row"') == 1
    assert 'data-overdue="true"' in listing


def test_the_list_filters_by_status_and_stage(login, draft, alice):
    first = draft()
    draft()
    services.plan_submit(actor=alice, plan=first)
    client = login(alice)
    assert html_of(client.get("/lending/plans/")).count('data-testid="plan-row"') == 2
    assert html_of(client.get("/lending/plans/?status=draft")).count('data-testid="plan-row"') == 1
    assert html_of(client.get("/lending/plans/?stage=department_review")).count('data-testid="plan-row"') == 1
    assert html_of(client.get("/lending/plans/?stage=nonsense")).count('data-testid="plan-row"') == 2


def test_the_list_costs_a_fixed_number_of_queries(login, draft, alice, django_assert_max_num_queries):
    for _ in range(3):
        draft()
    client = login(alice)
    client.get("/lending/plans/")
    with django_assert_max_num_queries(16):
        assert client.get("/lending/plans/").status_code == 200


def test_each_role_sees_its_queue_on_the_home_page(login, draft, alice, bob, carol, client):
    plan = draft()
    services.plan_submit(actor=alice, plan=plan)
    home = html_of(login(bob).get("/"))
    assert "Plans awaiting department review" in home
    assert "/lending/plans/?status=pending_approval&amp;stage=department_review" in home
    plan_decide(actor=bob, plan=plan, outcome="return", opinion="请补充担保")
    assert "My plans returned for revision" in html_of(login(alice).get("/"))
    assert "Plans awaiting risk review" in html_of(login(carol).get("/"))


def test_the_navigation_shows_plans_to_credit_readers(login, persona):
    assert "/lending/plans/" in html_of(login(persona("judy")).get("/"))


def test_people_without_the_permission_are_refused(login, draft, persona, client):
    plan = draft()
    outsider = login(persona("outsider"))
    for url in ("/lending/plans/", f"/lending/plans/{plan.pk}/", f"/lending/applications/{plan.application_id}/plan/"):
        assert outsider.get(url).status_code == 403
    auditor = login(persona("judy"))
    assert auditor.get(f"/lending/plans/{plan.pk}/").status_code == 200
    assert auditor.get(f"/lending/plans/{plan.pk}/edit/").status_code == 403
    assert auditor.post(f"/lending/plans/{plan.pk}/decide/", {}).status_code == 403


def test_the_detail_costs_a_fixed_number_of_queries(login, draft, alice, bob, django_assert_max_num_queries):
    plan = draft()
    services.plan_submit(actor=alice, plan=plan)
    plan_decide(actor=bob, plan=plan, outcome="approve", opinion="方案合理")
    client = login(alice)
    client.get(f"/lending/plans/{plan.pk}/")
    with django_assert_max_num_queries(21):
        assert client.get(f"/lending/plans/{plan.pk}/").status_code == 200


def test_the_measures_are_shown_as_the_rating_set_them(login, draft, alice):
    html = html_of(login(alice).get(f"/lending/plans/{draft(level='low').pk}/"))
    assert "a guarantor is required" not in html
    assert "30%" in html


def test_the_plan_appears_on_the_customers_timeline(draft, alice):
    from creditdesk.customers.selectors import timeline

    plan = draft()
    services.plan_submit(actor=alice, plan=plan)
    with translation.override("en"):
        rows = [(e.kind, e.title) for e in timeline(customer=plan.application.customer) if e.kind == "plan"]
    assert ("plan", "Submitted for approval") in rows
    assert ("plan", "Prepared") in rows
