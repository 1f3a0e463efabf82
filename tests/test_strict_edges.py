"""Strict input, edges (issue #10 item 7, ARCHITECTURE rule 10): values outside a field's domain are a 4xx naming
the field, never a 500: unknown choices, null for a required value, integers too large for the database, bodies
over the size limit."""

from __future__ import annotations

import json

import pytest

from creditdesk.assessment.tests.factories import make_company
from creditdesk.customers.models import Customer, Partner
from creditdesk.urls import api

pytestmark = pytest.mark.django_db
HUGE = "99999999999999999999"
IDN = "11010519491231002X"


@pytest.fixture
def call(client, api_token, persona, business_on):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {api_token(persona('alice'))}"}

    def do(method, path, body=None, **extra):
        data = json.dumps(body) if body is not None else ""
        return client.generic(method, path, data, content_type="application/json", **headers, **extra)

    return do


@pytest.mark.parametrize("field", ["channel", "marital_status", "housing", "savings_band"])
def test_an_unknown_choice_on_a_customer_is_a_422_on_its_field(call, field):
    body = {"kind": "individual", "name": "张三", "id_number": IDN, "mobile": "13812345678", field: "bogus"}
    response = call("POST", "/api/v1/customers", body)
    assert response.status_code == 422
    assert field in response.json()["fields"]
    assert not Customer.objects.exists()


@pytest.mark.parametrize("field", ["kind", "agreement_status"])
def test_an_unknown_choice_on_a_partner_is_a_422_on_its_field(call, field):
    body = {"name": "永达汽车", "kind": "dealer", field: "bogus"}
    response = call("POST", "/api/v1/partners", body)
    assert response.status_code == 422
    assert field in response.json()["fields"]
    assert not Partner.objects.exists()


CHOICE_FIELDS = {
    "channel": "own_sales",
    "marital_status": "married",
    "housing": "owned",
    "savings_band": "50k_200k",
    "agreement_status": "signed",
    "event_type": "litigation",
    "impact": "severe",
    "repayment_method": "equal_principal",
    "bank_account": "salary",
    "method": "depreciation_54321",
    "legal_basis": "regulator",
}


def _enums(doc, name):
    """The enum values documented for input field `name`, over every component schema."""
    found = set()
    for component in doc["components"]["schemas"].values():
        prop = component.get("properties", {}).get(name, {})
        for part in [prop, *prop.get("anyOf", [])]:
            found.update(part.get("enum", []))
    return found


@pytest.mark.parametrize(("field", "value"), CHOICE_FIELDS.items())
def test_the_choices_are_documented_as_enums(client, field, value):
    assert value in _enums(api.get_openapi_schema(), field)


def test_null_for_a_required_value_in_a_patch_is_a_422(call, persona):
    partner = Partner.objects.create(name="永达汽车", kind="dealer", org_unit=persona("alice").org_unit)
    response = call("PATCH", f"/api/v1/partners/{partner.pk}", {"is_active": None})
    assert response.status_code == 422
    assert "is_active" in response.json()["fields"]


def test_an_empty_event_type_is_a_422(call, persona):
    company = make_company(persona("alice"))
    body = {"event_type": "", "occurred_on": "2027-03-01", "description": "x"}
    response = call("POST", f"/api/v1/customers/{company.pk}/events", body)
    assert response.status_code == 422
    assert "event_type" in response.json()["fields"]


@pytest.mark.parametrize(
    "path",
    [
        f"/api/v1/customers?page={HUGE}",
        f"/api/v1/partners?page={HUGE}",
        f"/api/v1/applications?page={HUGE}",
        f"/api/v1/vehicles?page={HUGE}",
        f"/api/v1/applications?customer_id={HUGE}",
        "/api/v1/applications?customer_id=-1",
        f"/api/v1/vehicles?customer_id={HUGE}",
    ],
)
def test_huge_or_negative_numbers_in_the_query_are_a_422(call, path):
    response = call("GET", path)
    assert response.status_code == 422, response.content


@pytest.mark.parametrize(
    "path",
    [
        f"/api/v1/customers/{HUGE}",
        "/api/v1/customers/-1",
        f"/api/v1/partners/{HUGE}",
        f"/api/v1/subject-requests/{HUGE}",
        "/api/v1/subject-requests/0",
    ],
)
def test_huge_or_negative_ids_in_the_path_are_a_4xx(call, path):
    response = call("GET", path)
    assert response.status_code in (404, 422), response.content
    assert response.json()["code"]


@pytest.mark.parametrize("debug", [False, True])
def test_a_body_over_the_limit_is_a_413_with_the_error_body(call, settings, debug):
    settings.DEBUG = debug
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = {"kind": "individual", "name": "张三" * 1000}
    response = call("POST", "/api/v1/customers", body)
    assert response.status_code == 413
    assert response.json()["code"] == "request_too_large"
