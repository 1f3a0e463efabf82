"""No existence oracle (issue 10 item 6, ACQ-2): a duplicate identifier is refused, but outside the caller's scope
the answer says only that it is registered — no id, no link, no name — and offers a request for access that goes
to the owner."""

import json
import random

import pytest

from creditdesk.accounts.tests.factories import UserFactory
from creditdesk.core.models import AuditEvent
from creditdesk.customers.models import Customer
from creditdesk.customers.synthetic import resident_id

pytestmark = pytest.mark.django_db
IDN = "11010519491231002X"
OTHER = resident_id(random.Random(3))


@pytest.fixture
def wang(persona):
    """Another salesperson: Alice's customers are outside his scope."""
    return UserFactory(username="wang", org_unit=persona("alice").org_unit, roles=["sales"])


@pytest.fixture
def zhang(persona, business_on):
    from creditdesk.customers.services import customer_create

    return customer_create(
        actor=persona("alice"), kind="individual", name="张三丰", id_number=IDN, mobile="13812345678"
    )


def call(client, token, method, path, body=None):
    return client.generic(
        method,
        path,
        data=json.dumps(body) if body is not None else "",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


def test_a_duplicate_outside_the_scope_reveals_no_id(client, api_token, wang, zhang):
    token = api_token(wang)
    response = call(
        client,
        token,
        "POST",
        "/api/v1/customers",
        {"kind": "individual", "name": "张三", "id_number": IDN, "mobile": "13900000000"},
    )
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "identifier_registered"
    assert "existing_id" not in body["details"]
    assert body["details"] == {"access_request": True}
    assert "张三丰" not in json.dumps(body, ensure_ascii=False)
    assert f"/customers/{zhang.pk}" not in json.dumps(body)
    assert body["fields"]["id_number"]
    assert Customer.objects.count() == 1


def test_a_duplicate_in_scope_still_names_the_existing_customer(client, api_token, persona, zhang):
    bob = persona("bob")
    bob.org_unit = persona("alice").org_unit
    bob.save()
    response = call(
        client,
        api_token(persona("bob")),
        "POST",
        "/api/v1/customers",
        {"kind": "individual", "name": "张三", "id_number": IDN, "mobile": "13900000000"},
    )
    assert response.status_code == 409
    assert response.json()["details"]["existing_id"] == zhang.pk


def test_an_edit_to_a_duplicate_outside_the_scope_reveals_no_id(wang, business_on, zhang):
    from creditdesk.core.errors import Conflict
    from creditdesk.customers.services import customer_create, customer_update

    own = customer_create(actor=wang, kind="individual", name="王五", id_number=OTHER, mobile="13700000000")
    with pytest.raises(Conflict) as refused:
        customer_update(actor=wang, customer=own, id_number=IDN)
    assert refused.value.code == "identifier_registered"
    assert "existing_id" not in refused.value.details


def test_the_access_request_reaches_the_owner_and_answers_alike_for_unknown_identifiers(
    client, api_token, login, persona, wang, zhang
):
    token = api_token(wang)
    sent = call(
        client, token, "POST", "/api/v1/customers/access-requests", {"id_number": IDN, "reason": "客户到店要求办理"}
    )
    assert sent.status_code == 202
    unknown = call(
        client,
        token,
        "POST",
        "/api/v1/customers/access-requests",
        {"id_number": OTHER, "reason": "客户到店要求办理"},
    )
    assert (unknown.status_code, unknown.json()) == (sent.status_code, sent.json())
    event = AuditEvent.objects.get(event_type="customer.access_requested")
    assert (event.subject_id, event.actor) == (str(zhang.pk), wang)
    listed = call(client, api_token(persona("alice")), "GET", "/api/v1/customers/access-requests").json()
    assert [row["customer_id"] for row in listed["items"]] == [zhang.pk]
    assert call(client, token, "GET", "/api/v1/customers/access-requests").json()["count"] == 0
    home = login(persona("alice")).get("/").content.decode()
    assert "/customers/access-requests/" in home
    page = login(persona("alice")).get("/customers/access-requests/").content.decode()
    assert "客户到店要求办理" in page


def test_an_access_request_needs_a_reason_and_one_identifier(client, api_token, wang, zhang):
    token = api_token(wang)
    no_reason = call(client, token, "POST", "/api/v1/customers/access-requests", {"id_number": IDN, "reason": "a"})
    assert no_reason.status_code == 422
    assert "reason" in no_reason.json()["fields"]
    neither = call(client, token, "POST", "/api/v1/customers/access-requests", {"reason": "客户到店要求办理"})
    assert neither.status_code == 422


def test_the_registration_page_offers_the_request_instead_of_a_link(login, wang, zhang):
    client = login(wang)
    response = client.post(
        "/customers/new/",
        {"kind": "individual", "name": "张三", "id_number": IDN, "mobile": "13900000000", "channel": "own_sales"},
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert f"/customers/{zhang.pk}/" not in html
    assert 'action="/customers/access-requests/new/"' in html
    sent = client.post("/customers/access-requests/new/", {"id_number": IDN, "reason": "客户到店要求办理"})
    assert sent.status_code == 302
    assert AuditEvent.objects.filter(event_type="customer.access_requested", subject_id=str(zhang.pk)).exists()
