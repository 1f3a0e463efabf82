"""The applications API: create, submit, review, assess, confirm or override; errors with codes and fields."""

from __future__ import annotations

import pytest

from creditdesk.assessment.tests.factories import make_car, make_individual
from creditdesk.assessment.tests.test_services import VERIFIED


@pytest.fixture
def call(client, api_token):
    def do(user, method, path, body=None):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {api_token(user)}"}
        kwargs = {"content_type": "application/json", **headers}
        if body is not None:
            kwargs["data"] = body
        return getattr(client, method)(f"/api/v1{path}", **kwargs)

    return do


def _body(customer, car, **overrides):
    return {
        "customer_id": customer.pk,
        "vehicle_id": car.pk,
        "product_code": "UC-RETAIL",
        "price_amount": "150000.00",
        "down_payment_amount": "45000.00",
        "term_months": 36,
        "repayment_method": "equal_instalment",
        "purpose": "家庭用车",
        "bank_account": "salary",
        **overrides,
    }


def test_the_api_journey(call, persona, applicant, car) -> None:
    alice, carol = persona("alice"), persona("carol")
    created = call(alice, "post", "/applications", _body(applicant, car))
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["requested_amount"] == "105000.00"
    assert data["status"] == "draft"
    assert data["checklist"] == []
    app_id = data["id"]
    submitted = call(alice, "post", f"/applications/{app_id}/submit", {"comment": "资料齐全"})
    assert submitted.json()["status"] == "submitted"
    assert submitted.json()["checklist_passed"] is True
    assert call(carol, "post", f"/applications/{app_id}/review").json()["status"] == "in_review"
    assessed = call(carol, "post", f"/applications/{app_id}/assessment", VERIFIED)
    assert assessed.status_code == 201, assessed.content
    result = assessed.json()
    assert result["decision"] == "pending"
    assert len(result["admission"]["results"]) == 13
    assert result["automated_level"] in ("low", "medium", "high")
    read = call(alice, "get", f"/applications/{app_id}/assessment")
    assert read.status_code == 200
    assert read.json()["id"] == result["id"]
    confirmed = call(carol, "post", f"/applications/{app_id}/rating", {"decision": "confirmed"})
    assert confirmed.status_code == 200
    assert confirmed.json()["final_level"] == result["automated_level"]
    listed = call(alice, "get", "/applications?status=rated")
    assert [row["id"] for row in listed.json()["items"]] == [app_id]


def test_field_errors_and_wrong_state(call, persona, applicant, car) -> None:
    alice, carol = persona("alice"), persona("carol")
    bad = call(alice, "post", "/applications", _body(applicant, car, term_months=48, down_payment_amount="200000.00"))
    assert bad.status_code == 422
    assert {"term_months", "down_payment_amount"} <= set(bad.json()["fields"])
    app_id = call(alice, "post", "/applications", _body(applicant, car)).json()["id"]
    wrong = call(carol, "post", f"/applications/{app_id}/assessment", VERIFIED)
    assert wrong.status_code == 409
    assert wrong.json()["code"] == "invalid_transition"
    refused = call(alice, "post", f"/applications/{app_id}/review")
    assert refused.status_code == 403
    missing = call(carol, "get", f"/applications/{app_id}/assessment")
    assert missing.status_code == 404


def test_a_bureau_timeout_is_a_503_and_nothing_is_lost(call, persona, business_on) -> None:
    alice, carol = persona("alice"), persona("carol")
    customer = make_individual(alice, sequence="999")
    app_id = call(alice, "post", "/applications", _body(customer, make_car(customer, alice))).json()["id"]
    call(alice, "post", f"/applications/{app_id}/submit", {})
    call(carol, "post", f"/applications/{app_id}/review")
    response = call(carol, "post", f"/applications/{app_id}/assessment", VERIFIED)
    assert response.status_code == 503
    assert response.json()["code"] == "bureau_timeout"
    detail = call(carol, "get", f"/applications/{app_id}").json()
    assert detail["status"] == "in_review"
    assert detail["bureau_status"] == "timeout"


def test_an_override_without_reason_is_422_and_appears_in_the_report_once_given(call, persona, applicant, car) -> None:
    alice, carol = persona("alice"), persona("carol")
    app_id = call(alice, "post", "/applications", _body(applicant, car)).json()["id"]
    call(alice, "post", f"/applications/{app_id}/submit", {})
    call(carol, "post", f"/applications/{app_id}/review")
    level = call(carol, "post", f"/applications/{app_id}/assessment", VERIFIED).json()["automated_level"]
    other = "high" if level != "high" else "medium"
    bad = call(carol, "post", f"/applications/{app_id}/rating", {"decision": "overridden", "level": other})
    assert bad.status_code == 422
    assert "reason" in bad.json()["fields"]
    ok = call(
        carol,
        "post",
        f"/applications/{app_id}/rating",
        {"decision": "overridden", "level": other, "reason": "经营波动"},
    )
    assert ok.status_code == 200
    report = call(persona("judy"), "get", "/rating-overrides").json()["items"]
    assert [(r["application_id"], r["final_level"], r["decision_reason"]) for r in report] == [
        (app_id, other, "经营波动")
    ]


def test_a_customer_outside_scope_is_404_on_create(call, persona, business_on) -> None:
    from creditdesk.accounts.choices import Role
    from creditdesk.accounts.tests.factories import UserFactory

    sam = UserFactory(username="sam", roles=[Role.SALES])
    customer = make_individual(persona("alice"))
    response = call(sam, "post", "/applications", _body(customer, make_car(customer, persona("alice"))))
    assert response.status_code == 404
    assert "customer_id" in response.json()["fields"]
