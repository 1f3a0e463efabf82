"""The data-subject request register (issue 10 item 11, PIPL Art. 44–47, SEC-7)."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from openpyxl import load_workbook

from creditdesk.accounts.models import AccessLogEntry
from creditdesk.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from creditdesk.core.services import set_business_date
from creditdesk.customers import retention
from creditdesk.customers.anonymisation import ANONYMOUS_NAME
from creditdesk.customers.models import CreditAuthorization, SubjectRequest
from creditdesk.customers.selectors import authorization_in_force, subject_requests_overdue
from creditdesk.customers.subject_requests import (
    anonymise_due,
    subject_request_complete,
    subject_request_copy,
    subject_request_receive,
    subject_request_refuse,
    subject_request_verify,
)
from creditdesk.vehicles.tests.factories import make_customer

pytestmark = pytest.mark.django_db
END = dt.date(2027, 1, 31)


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        (retention.CustomerFacts(relationship_ended_on=None), None),
        (retention.CustomerFacts(relationship_ended_on=END), dt.date(2037, 1, 31)),
        (retention.CustomerFacts(relationship_ended_on=END, has_collection=True), dt.date(2037, 1, 31)),
        (retention.CustomerFacts(relationship_ended_on=END, has_transactions=True), dt.date(2057, 1, 31)),
    ],
)
def test_retention_runs_from_the_end_of_the_relationship_by_the_longest_rule(facts, expected):
    """AML identity data 10 years, accounting records 30 years (when there were transactions)."""
    assert retention.anonymise_on(facts) == expected


def test_every_retention_rule_names_its_law():
    assert all(rule.law and rule.months > 0 for rule in retention.RETENTION)
    assert {rule.code for rule in retention.RETENTION} >= {"identity", "accounting", "collection", "logs"}


@pytest.fixture
def zhang(persona, business_on):
    customer = make_customer(persona("alice"), name="张三")
    CreditAuthorization.objects.create(
        customer=customer,
        signed_on=business_on,
        expires_on=business_on.replace(year=2028),
        purpose="贷款审批",
        document_reference="SQ-1",
        recorded_by=persona("alice"),
    )
    return customer


def receive(persona, customer, kind):
    return subject_request_receive(actor=persona("grace"), customer=customer, kind=kind, channel="counter")


def test_a_request_is_due_within_15_days_of_the_business_date(persona, zhang, business_on):
    persona("grace").org_unit = zhang.org_unit
    request = subject_request_receive(actor=persona("alice"), customer=zhang, kind="access", channel="phone")
    assert request.due_on == business_on + dt.timedelta(days=15)
    assert list(subject_requests_overdue(user=persona("ivan"), on=business_on)) == []
    set_business_date(on=business_on + dt.timedelta(days=16))
    assert list(subject_requests_overdue(user=persona("ivan"), on=business_on + dt.timedelta(days=16))) == [request]


def test_the_steps_follow_the_state_machine(persona, zhang):
    request = subject_request_receive(actor=persona("alice"), customer=zhang, kind="access", channel="counter")
    with pytest.raises(InvalidTransition):
        subject_request_complete(actor=persona("ivan"), request=request, outcome="已提供副本")
    with pytest.raises(PermissionDenied):
        subject_request_verify(actor=persona("alice"), request=request, evidence="核对身份证原件")
    request = subject_request_verify(actor=persona("ivan"), request=request, evidence="核对身份证原件")
    assert request.status == "verified"
    with pytest.raises(ValidationFailed):
        subject_request_refuse(actor=persona("ivan"), request=request, reason="")
    done = subject_request_complete(actor=persona("ivan"), request=request, outcome="已提供副本")
    assert (done.status, done.closed_on, done.handled_by) == ("completed", done.received_on, persona("ivan"))
    with pytest.raises(InvalidTransition):
        subject_request_refuse(actor=persona("ivan"), request=done, reason="重复申请")


def test_an_outsider_and_out_of_scope_staff_cannot_take_requests_in(persona, zhang):
    from creditdesk.accounts.tests.factories import UserFactory

    with pytest.raises(PermissionDenied):
        subject_request_receive(actor=persona("outsider"), customer=zhang, kind="access", channel="counter")
    wang = UserFactory(username="wang", org_unit=persona("alice").org_unit, roles=["sales"])
    with pytest.raises(PermissionDenied):
        subject_request_receive(actor=wang, customer=zhang, kind="access", channel="counter")


def test_the_copy_is_logged_and_formula_safe(persona, zhang):
    zhang.name = "=1+2"
    zhang.save()
    request = subject_request_receive(actor=persona("alice"), customer=zhang, kind="access", channel="counter")
    with pytest.raises(InvalidTransition):
        subject_request_copy(actor=persona("ivan"), request=request)
    request = subject_request_verify(actor=persona("ivan"), request=request, evidence="核对身份证原件")
    content = subject_request_copy(actor=persona("ivan"), request=request)
    values = [c.value for row in load_workbook(io.BytesIO(content)).active.iter_rows() for c in row]
    assert "'=1+2" in values
    assert zhang.id_number in values
    assert AccessLogEntry.objects.filter(action="export", subject_id=str(zhang.pk), actor=persona("ivan")).exists()


def test_withdrawing_consent_stops_new_bureau_queries(persona, zhang, business_on):
    assert authorization_in_force(customer=zhang, on=business_on) is not None
    request = subject_request_receive(actor=persona("alice"), customer=zhang, kind="withdraw_consent", channel="letter")
    request = subject_request_verify(actor=persona("ivan"), request=request, evidence="书面申请已核对签名")
    subject_request_complete(actor=persona("ivan"), request=request, outcome="征信查询授权已撤回")
    assert authorization_in_force(customer=zhang, on=business_on) is None


def test_deletion_waits_for_retention_then_anonymises_once(persona, zhang, business_on):
    request = subject_request_receive(actor=persona("alice"), customer=zhang, kind="deletion", channel="letter")
    request = subject_request_verify(actor=persona("ivan"), request=request, evidence="书面申请已核对签名")
    done = subject_request_complete(actor=persona("ivan"), request=request, outcome="停止处理，仅保存至法定期限届满")
    assert done.anonymise_on == zhang.updated_at.date().replace(year=zhang.updated_at.year + 10)
    assert anonymise_due(on=business_on) == 0
    assert anonymise_due(on=done.anonymise_on) == 1
    zhang.refresh_from_db()
    assert (zhang.name, zhang.id_number, zhang.mobile) == (ANONYMOUS_NAME, "", "")
    assert anonymise_due(on=done.anonymise_on) == 0  # idempotent


def test_deletion_is_refused_while_an_application_is_live(persona, business_on):
    from creditdesk.lending.tests.factories import rated_car_loan

    customer = rated_car_loan(persona("alice"), persona("carol")).customer
    request = subject_request_receive(actor=persona("alice"), customer=customer, kind="deletion", channel="letter")
    request = subject_request_verify(actor=persona("ivan"), request=request, evidence="书面申请已核对签名")
    with pytest.raises(ValidationFailed):
        subject_request_complete(actor=persona("ivan"), request=request, outcome="删除")
    assert SubjectRequest.objects.get(pk=request.pk).status == "verified"


def test_the_api_round_trip(client, api_token, persona, zhang):
    def call(who, method, path, body=None):
        return client.generic(
            method,
            path,
            json.dumps(body) if body is not None else "",
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {api_token(persona(who))}",
        )

    created = call(
        "alice", "POST", "/api/v1/subject-requests", {"customer_id": zhang.pk, "kind": "access", "channel": "phone"}
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert (
        call("alice", "POST", f"/api/v1/subject-requests/{pk}/verify", {"evidence": "核对身份证原件"}).status_code
        == 403
    )
    assert (
        call("ivan", "POST", f"/api/v1/subject-requests/{pk}/complete", {"outcome": "已提供信息副本"}).status_code
        == 409
    )
    assert (
        call("ivan", "POST", f"/api/v1/subject-requests/{pk}/verify", {"evidence": "核对身份证原件"}).status_code == 200
    )
    copy = call("ivan", "GET", f"/api/v1/subject-requests/{pk}/copy")
    assert copy.status_code == 200
    assert copy["Cache-Control"] == "no-store"
    body = call("ivan", "POST", f"/api/v1/subject-requests/{pk}/complete", {"outcome": "已提供副本"}).json()
    assert body["status"] == "completed"
    assert body["customer_name"] == "张*"  # the information administrator sees names masked
    listed = call("ivan", "GET", "/api/v1/subject-requests?status=completed")
    assert listed.json().get("count") == 1, listed.content


def test_the_pages(login, persona, zhang, django_assert_max_num_queries):
    sales = login(persona("alice"))
    response = sales.post(
        "/customers/subject-requests/new/", {"customer": zhang.pk, "kind": "deletion", "channel": "counter"}
    )
    assert response.status_code == 302
    pk = SubjectRequest.objects.get().pk
    ivan = login(persona("ivan"))
    assert ivan.post(f"/customers/subject-requests/{pk}/verify/", {"evidence": ""}).status_code == 422
    assert ivan.post(f"/customers/subject-requests/{pk}/verify/", {"evidence": "核对身份证原件"}).status_code == 302
    with django_assert_max_num_queries(25):
        html = ivan.get("/customers/subject-requests/").content.decode()
    assert "删除" in html or "Delete" in html
    assert ivan.get(f"/customers/subject-requests/{pk}/").status_code == 200
    assert login(persona("heidi")).get("/customers/subject-requests/").status_code == 403


@pytest.mark.parametrize(
    ("step", "field", "source"),
    [
        (subject_request_verify, "evidence", "received"),
        (subject_request_complete, "outcome", "verified"),
        (subject_request_refuse, "reason", "verified"),
    ],
)
def test_every_handling_step_has_the_same_shape(persona, zhang, step, field, source):
    """Item 11 (review): the role first, then the text (stripped, at least 4 characters, its field named), then the
    state machine; the event is named after the new status and carries the text."""
    from creditdesk.core.models import AuditEvent

    request = subject_request_receive(actor=persona("alice"), customer=zhang, kind="access", channel="counter")
    if source == "verified":
        request = subject_request_verify(actor=persona("ivan"), request=request, evidence="核对身份证原件")
    with pytest.raises(PermissionDenied):
        step(actor=persona("alice"), request=request, **{field: "核对身份证原件"})
    with pytest.raises(ValidationFailed) as short:
        step(actor=persona("ivan"), request=request, **{field: "  短  "})
    assert list(short.value.fields) == [field]
    done = step(actor=persona("ivan"), request=request, **{field: "  已核对并处理完毕  "})
    event = AuditEvent.objects.filter(event_type=f"subject_request.{done.status}").get()
    assert (event.comment, event.payload["request"]) == ("已核对并处理完毕", done.pk)
    with pytest.raises(InvalidTransition):
        step(actor=persona("ivan"), request=done, **{field: "再次处理此申请"})
