"""The assessment pages: form, list and queue, the workflow buttons, the explained decision, the overrides report."""

from __future__ import annotations

import pytest
from django.urls import reverse

from creditdesk.assessment import services
from creditdesk.assessment.models import LoanApplication
from creditdesk.assessment.tests.factories import car_loan
from creditdesk.assessment.tests.test_services import VERIFIED, _FixedBureau


def test_sales_prepares_an_application_from_the_form(login, persona, applicant, car) -> None:
    client = login(persona("alice"))
    url = reverse("assessment:new") + f"?customer={applicant.pk}"
    page = client.get(url)
    assert page.status_code == 200
    assert "UC-RETAIL" in page.content.decode()
    response = client.post(
        url,
        {
            "product_code": "UC-RETAIL",
            "vehicle": str(car.pk),
            "price_amount": "150000.00",
            "down_payment_amount": "45000.00",
            "term_months": "36",
            "repayment_method": "equal_instalment",
            "purpose": "家庭用车",
            "bank_account": "salary",
        },
    )
    application = LoanApplication.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("assessment:detail", args=[application.pk])
    assert application.requested_amount == 105000


def test_the_form_shows_field_errors_inline(login, persona, applicant, car) -> None:
    client = login(persona("alice"))
    response = client.post(
        reverse("assessment:new") + f"?customer={applicant.pk}",
        {
            "product_code": "UC-RETAIL",
            "vehicle": str(car.pk),
            "price_amount": "150000.00",
            "down_payment_amount": "160000.00",
            "term_months": "48",
            "repayment_method": "equal_instalment",
            "purpose": "x",
        },
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert body.count('class="field-error"') >= 2
    assert not LoanApplication.objects.exists()


def test_the_whole_workflow_through_the_pages(login, persona, applicant, car, monkeypatch) -> None:
    monkeypatch.setattr("creditdesk.assessment.bureau.get_adapter", lambda name: _FixedBureau())
    application = services.application_create(actor=persona("alice"), customer=applicant, vehicle=car, **car_loan())
    sales = login(persona("alice"))
    assert sales.post(reverse("assessment:submit", args=[application.pk]), {"comment": ""}).status_code == 302
    risk = login(persona("carol"))
    queue = risk.get(reverse("assessment:list") + "?status=queue")
    assert application.reference in queue.content.decode()
    home = risk.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert reverse("assessment:list") + "?status=queue" in home.content.decode()
    assert risk.post(reverse("assessment:review", args=[application.pk])).status_code == 302
    missing = risk.post(reverse("assessment:assess", args=[application.pk]), {"verification_notes": ""})
    assert missing.status_code == 422
    done = risk.post(
        reverse("assessment:assess", args=[application.pk]),
        {"identity_verified": "on", "income_verified": "on", "verification_notes": VERIFIED["verification_notes"]},
    )
    assert done.status_code == 302
    detail = risk.get(reverse("assessment:detail", args=[application.pk]))
    assert 'data-testid="rating-form"' in detail.content.decode()
    no_reason = risk.post(
        reverse("assessment:rating", args=[application.pk]), {"decision": "overridden", "level": "high"}
    )
    assert no_reason.status_code == 422
    application.refresh_from_db()
    assert application.status == "scored"
    assert (
        risk.post(
            reverse("assessment:rating", args=[application.pk]),
            {"decision": "overridden", "level": "high", "reason": "行业风险上升"},
        ).status_code
        == 302
    )
    assert (
        'data-testid="prepare-plan"'
        not in risk.get(reverse("assessment:detail", args=[application.pk])).content.decode()
    )
    sales_view = login(persona("alice")).get(reverse("assessment:detail", args=[application.pk])).content.decode()
    assert f"/lending/applications/{application.pk}/plan/" in sales_view
    risk = login(persona("carol"))
    decision = risk.get(reverse("assessment:decision", args=[application.pk])).content.decode()
    assert decision.count('data-testid="rule-row"') == 13
    assert decision.count('data-testid="contribution-row"') >= 5
    assert "行业风险上升" in decision
    report = risk.get(reverse("assessment:overrides")).content.decode()
    assert application.reference in report
    assert "行业风险上升" in report


def test_a_wrong_state_transition_shows_a_clear_error(login, persona, applicant, car) -> None:
    application = services.application_create(actor=persona("alice"), customer=applicant, vehicle=car, **car_loan())
    response = login(persona("carol")).post(reverse("assessment:review", args=[application.pk]))
    assert response.status_code == 422
    assert 'data-code="invalid_transition"' in response.content.decode()


def test_a_failed_review_lists_the_failures_and_prefills_the_return(login, persona, applicant, car) -> None:
    car.invoice = False
    car.save()
    application = services.application_create(actor=persona("alice"), customer=applicant, vehicle=car, **car_loan())
    services.application_submit(actor=persona("alice"), application=application)
    risk = login(persona("carol"))
    detail = risk.get(reverse("assessment:detail", args=[application.pk])).content.decode()
    assert 'data-outcome="fail"' in detail
    assert 'data-testid="return-form"' in detail
    assert (
        risk.post(reverse("assessment:return", args=[application.pk]), {"reasons": "补充购车发票"}).status_code == 302
    )
    application.refresh_from_db()
    assert application.status == "returned"


@pytest.mark.parametrize("name", ["grace", "heidi", "mallory", "outsider"])
def test_people_without_the_permission_are_refused(login, persona, applicant, car, name) -> None:
    application = services.application_create(actor=persona("alice"), customer=applicant, vehicle=car, **car_loan())
    assert login(persona(name)).get(reverse("assessment:detail", args=[application.pk])).status_code == 403


def test_another_salesperson_cannot_see_the_application(login, persona, applicant, car) -> None:
    from creditdesk.accounts.choices import Role
    from creditdesk.accounts.tests.factories import UserFactory

    application = services.application_create(actor=persona("alice"), customer=applicant, vehicle=car, **car_loan())
    sam = UserFactory(username="sam", roles=[Role.SALES])
    assert login(sam).get(reverse("assessment:detail", args=[application.pk])).status_code == 404
    assert application.reference not in login(sam).get(reverse("assessment:list")).content.decode()


def test_the_list_is_paginated_with_a_pinned_query_count(
    login, persona, applicant, car, django_assert_max_num_queries
) -> None:
    for _ in range(30):
        services.application_create(actor=persona("alice"), customer=applicant, vehicle=car, **car_loan())
    client = login(persona("alice"))
    with django_assert_max_num_queries(14):
        response = client.get(reverse("assessment:list"))
    assert response.content.decode().count('data-testid="application-row"') == 20


def test_the_credit_query_log_lists_every_attempt(login, persona, applicant, car, client, api_token) -> None:
    application = services.application_create(actor=persona("alice"), customer=applicant, vehicle=car, **car_loan())
    services.application_submit(actor=persona("alice"), application=application)
    services.review_start(actor=persona("carol"), application=application)
    services.assessment_run(actor=persona("carol"), application=application, adapter=_FixedBureau(), **VERIFIED)
    page = login(persona("ivan")).get(reverse("assessment:credit-queries")).content.decode()
    assert page.count('data-testid="credit-query-row"') == 1
    assert f"AUTH-{applicant.pk}" in page
    token = api_token(persona("judy"))
    rows = client.get("/api/v1/credit-queries", HTTP_AUTHORIZATION=f"Bearer {token}").json()["items"]
    assert [(r["customer_id"], r["outcome"], r["queried_by"]) for r in rows] == [(applicant.pk, "report", "carol")]
    assert login(persona("alice")).get(reverse("assessment:credit-queries")).status_code == 403


def test_the_customer_timeline_shows_the_application(login, persona, applicant, car) -> None:
    application = services.application_create(actor=persona("alice"), customer=applicant, vehicle=car, **car_loan())
    services.application_submit(actor=persona("alice"), application=application, comment="请审核")
    page = login(persona("alice")).get(
        reverse("customers:detail", args=[applicant.pk]) + "?tab=timeline", HTTP_ACCEPT_LANGUAGE="en"
    )
    body = page.content.decode()
    assert application.reference in body
    assert "Submitted to risk" in body or "已提交风控" in body
