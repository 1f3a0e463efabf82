"""The plans API with bearer tokens: create, revise, submit, decide, withdraw; errors as 4xx with codes and field
errors; scope; query counts (PLAN-1…PLAN-9)."""

import datetime as dt
import json
from decimal import Decimal

import pytest

from creditdesk.accounts.choices import Role
from creditdesk.accounts.tests.factories import UserFactory
from creditdesk.assessment.tests.factories import make_individual
from creditdesk.core.services import set_business_date
from creditdesk.lending.models import PlanDecision, ServicePlan

pytestmark = pytest.mark.django_db


@pytest.fixture
def call(client, api_token, business_on, settings):
    """`call(user, method, path, body)` with a bearer token of that user; messages in English."""
    tokens = {}

    def do(user, method, path, body=None):
        if user.pk not in tokens:
            tokens[user.pk] = api_token(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client.generic(
            method,
            path,
            data=json.dumps(body) if body is not None else "",
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {tokens[user.pk]}",
        )

    return do


@pytest.fixture
def created(call, rated, alice):
    """`created(**body)` → the JSON of Alice's new plan on a fresh low-risk application."""

    def make(level="low", grade="B", **body):
        response = call(alice, "POST", "/api/v1/plans", {"application_id": rated(level, grade).pk, **body})
        assert response.status_code == 201, response.content
        return response.json()

    return make


def test_a_plan_is_prepared_with_its_apr_schedule_and_guarantees(created):
    """PLAN-8: the APR (nominal and effective) is on every plan, beside the contract and monthly rates."""
    body = created()

    assert body["status"] == "draft"
    assert body["revision"] == body["revisions"] == 1
    assert (body["price_amount"], body["down_payment_amount"], body["principal_amount"]) == (
        "150000.00",
        "45000.00",
        "105000.00",
    )
    assert body["annual_rate"] == "0.055000"
    assert body["monthly_rate"] == "0.004583"
    assert body["apr"]["nominal_rate"] > body["annual_rate"]
    assert set(body["apr"]) == {"nominal_rate", "effective_rate"}
    assert body["pricing"] == {
        "priced_rate": "0.055000",
        "base_rate": "0.030000",
        "spread": "0.020000",
        "term_adjustment": "0.005000",
        "clipped": "",
    }
    assert body["schedule"]["instalments"] == 36 == len(body["instalments"])
    interest = sum(Decimal(line["interest_amount"]) for line in body["instalments"])
    assert body["schedule"]["total_interest_amount"] == str(interest)
    assert body["instalments"][0]["principal_amount"].count(".") == 1
    assert [g["kind"] for g in body["guarantees"]] == ["vehicle_mortgage"]
    assert body["guarantees"][0]["registration_status"] == "pending"
    assert body["stage"] is None
    assert body["overdue"] is False
    assert body["upfront_fee_amount"] == "1050.00"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"term_months": 48}, "term_months"),
        ({"down_payment_amount": "40000.00"}, "down_payment_amount"),  # LTV above the cap
        ({"annual_rate": "0.200000"}, "annual_rate"),
        ({"annual_rate": "0.010000"}, "annual_rate"),
        ({"down_payment_amount": "-1.00"}, "down_payment_amount"),
        ({"price_amount": "0.00"}, "price_amount"),
        ({"down_payment_amount": "200000.00"}, "down_payment_amount"),
    ],
)
def test_bad_input_answers_422_with_a_code_and_field_errors(call, rated, alice, body, field):
    response = call(alice, "POST", "/api/v1/plans", {"application_id": rated().pk, **body})
    assert response.status_code == 422, response.content
    assert response.json()["code"] == "plan_outside_limits"
    assert field in response.json()["fields"]
    assert not ServicePlan.objects.exists()


def test_an_unknown_method_is_refused_by_the_documented_enum(call, rated, alice):
    """Issue #10 item 7: the repayment method is one of its documented values, checked before the plan rules."""
    response = call(alice, "POST", "/api/v1/plans", {"application_id": rated().pk, "method": "balloon"})
    assert response.status_code == 422, response.content
    assert "method" in response.json()["fields"]
    assert not ServicePlan.objects.exists()


def test_a_term_above_the_ratings_cap_is_refused(call, rated, alice):
    body = {
        "application_id": rated("high").pk,
        "exception_requested": True,
        "exception_reason": "例外",
        "term_months": 36,
    }
    response = call(alice, "POST", "/api/v1/plans", body)
    assert response.status_code == 422
    assert "At this risk level the term may be at most 24 months." in response.json()["fields"]["term_months"]


def test_a_second_plan_and_an_unrated_application_answer_409(call, created, alice):
    body = created()
    response = call(alice, "POST", "/api/v1/plans", {"application_id": body["application_id"]})
    assert response.status_code == 409
    assert response.json()["code"] == "plan_exists"
    assert response.json()["details"] == {"plan_id": body["id"]}


def test_applications_and_plans_outside_the_scope_are_not_found(call, created, persona, alice):
    body = created()
    sam = UserFactory(username="sam", roles=[Role.SALES])
    response = call(sam, "POST", "/api/v1/plans", {"application_id": body["application_id"]})
    assert response.status_code == 404
    assert "application_id" in response.json()["fields"]
    assert call(sam, "GET", f"/api/v1/plans/{body['id']}").status_code == 404
    assert call(sam, "GET", "/api/v1/plans").json()["count"] == 0


def test_a_plan_is_revised_with_guarantors_and_submitted(call, created, alice):
    body = created(level="medium", down_payment_amount="60000.00")
    guarantor = make_individual(alice, name="李四")
    response = call(
        alice,
        "PATCH",
        f"/api/v1/plans/{body['id']}",
        {"down_payment_amount": "45000.00", "guarantors": [{"customer_id": guarantor.pk, "relationship": "配偶"}]},
    )
    assert response.status_code == 200, response.content
    revised = response.json()
    assert (revised["revision"], revised["principal_amount"]) == (2, "105000.00")
    assert [g["kind"] for g in revised["guarantees"]] == ["guarantor", "vehicle_mortgage"]

    response = call(alice, "POST", f"/api/v1/plans/{body['id']}/submit", {"comment": "请审批"})
    assert response.status_code == 200
    submitted = response.json()
    assert (submitted["status"], submitted["stage"], submitted["stage_role"]) == (
        "pending_approval",
        "department_review",
        "department_head",
    )
    assert submitted["stage_due_on"] == "2027-03-17"
    assert submitted["route"]["stages"] == ["department_review", "risk_review", "final_decision"]


def test_the_approval_through_the_api(call, created, alice, bob, carol, dave):
    plan_id = created()["id"]
    call(alice, "POST", f"/api/v1/plans/{plan_id}/submit", {})
    url = f"/api/v1/plans/{plan_id}/decisions"

    response = call(carol, "POST", url, {"outcome": "approve", "opinion": "同意"})
    assert (response.status_code, response.json()["code"]) == (403, "wrong_role")
    assert call(alice, "POST", url, {"outcome": "approve", "opinion": "同意"}).status_code == 403
    response = call(bob, "POST", url, {"outcome": "approve", "opinion": ""})
    assert (response.status_code, list(response.json()["fields"])) == (422, ["opinion"])

    response = call(bob, "POST", url, {"outcome": "approve", "opinion": "方案合理"})
    assert response.status_code == 201, response.content
    assert (response.json()["plan_stage"], response.json()["decider"]) == ("risk_review", "bob")
    response = call(bob, "POST", url, {"outcome": "approve", "opinion": "再次同意"})
    assert (response.status_code, response.json()["code"]) == (403, "wrong_role")

    assert call(carol, "POST", url, {"outcome": "approve", "opinion": "风险可控"}).status_code == 201
    response = call(dave, "POST", url, {"outcome": "approve", "opinion": "批准"})
    assert response.json()["plan_status"] == "approved"
    response = call(dave, "POST", url, {"outcome": "approve", "opinion": "批准"})
    assert (response.status_code, response.json()["code"]) == (409, "plan_not_pending")

    history = call(alice, "GET", url).json()
    assert [(d["stage"], d["outcome"], d["decider"]) for d in history] == [
        ("department_review", "approve", "bob"),
        ("risk_review", "approve", "carol"),
        ("final_decision", "approve", "dave"),
    ]


def test_the_same_person_twice_is_refused(call, created, alice, bob):
    both = UserFactory(username="rita", roles=[Role.RISK_OFFICER, Role.APPROVER])
    plan_id = created()["id"]
    call(alice, "POST", f"/api/v1/plans/{plan_id}/submit", {})
    url = f"/api/v1/plans/{plan_id}/decisions"
    call(bob, "POST", url, {"outcome": "approve", "opinion": "同意"})
    assert call(both, "POST", url, {"outcome": "approve", "opinion": "风险可控"}).status_code == 201
    response = call(both, "POST", url, {"outcome": "approve", "opinion": "批准"})
    assert (response.status_code, response.json()["code"]) == (403, "segregation_of_duties")
    assert PlanDecision.objects.count() == 2


def test_a_decision_on_a_draft_answers_409(call, created, bob):
    plan_id = created()["id"]
    response = call(bob, "POST", f"/api/v1/plans/{plan_id}/decisions", {"outcome": "approve", "opinion": "同意"})
    assert (response.status_code, response.json()["code"]) == (409, "plan_not_pending")


def test_withdrawing_needs_a_comment(call, created, alice):
    plan_id = created()["id"]
    response = call(alice, "POST", f"/api/v1/plans/{plan_id}/withdraw", {})
    assert (response.status_code, list(response.json()["fields"])) == (422, ["comment"])
    response = call(alice, "POST", f"/api/v1/plans/{plan_id}/withdraw", {"comment": "客户放弃"})
    assert response.json()["status"] == "withdrawn"


def test_the_list_filters_and_flags_overdue_plans(call, created, alice, bob):
    first, second = created()["id"], created()["id"]
    call(alice, "POST", f"/api/v1/plans/{first}/submit", {})
    set_business_date(on=dt.date(2027, 3, 18))
    rows = call(bob, "GET", "/api/v1/plans?overdue=true").json()
    assert [row["id"] for row in rows["items"]] == [first]
    assert rows["items"][0]["overdue"] is True
    assert [r["id"] for r in call(bob, "GET", "/api/v1/plans?status=draft").json()["items"]] == [second]
    assert call(bob, "GET", "/api/v1/plans?stage=department_review").json()["count"] == 1
    assert call(bob, "GET", "/api/v1/plans?page_size=1&page=2").json()["items"][0]["id"] == first


def test_the_list_costs_a_fixed_number_of_queries(call, created, alice, django_assert_max_num_queries):
    for _ in range(3):
        created()
    call(alice, "GET", "/api/v1/plans")  # warm the token
    with django_assert_max_num_queries(8):
        response = call(alice, "GET", "/api/v1/plans")
    assert response.json()["count"] == 3


def test_roles_without_the_permission_are_refused(call, created, persona):
    plan_id = created()["id"]
    outsider = persona("outsider")
    for method, path in [
        ("GET", "/api/v1/plans"),
        ("GET", f"/api/v1/plans/{plan_id}"),
        ("POST", f"/api/v1/plans/{plan_id}/submit"),
        ("POST", f"/api/v1/plans/{plan_id}/decisions"),
    ]:
        assert call(outsider, method, path, {}).status_code == 403
    assert call(persona("judy"), "PATCH", f"/api/v1/plans/{plan_id}", {"term_months": 24}).status_code == 403
