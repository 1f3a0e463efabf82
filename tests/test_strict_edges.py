"""Strict edges (issue #10 items 1, 7, 9, 10; ARCHITECTURE rule 10): bad input is a 4xx naming the field."""

from __future__ import annotations

import json

import pytest


@pytest.fixture
def sales(persona, api_token):
    return {"HTTP_AUTHORIZATION": f"Bearer {api_token(persona('alice'))}"}


def post(client, path, body, auth, method="post"):
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return getattr(client, method)(path, data, content_type="application/json", **auth)


PERSON = {"kind": "individual", "name": "张三", "id_number": "11010519491231002X", "mobile": "13800138000"}


@pytest.mark.django_db
def test_sec1_amount_above_the_ceiling_is_refused(client, sales, business_on):
    response = post(client, "/api/v1/customers", {**PERSON, "monthly_income_amount": "9999999999999999.99"}, sales)
    assert response.status_code == 422, response.content
    assert "monthly_income_amount" in response.json()["fields"]
    assert client.get("/api/v1/customers", **sales).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    "field,value",
    [("channel", "nope"), ("marital_status", "nope"), ("housing", "nope"), ("savings_band", "nope")],
)
def test_sec7_invalid_choice_on_customer_is_422(client, sales, business_on, field, value):
    response = post(client, "/api/v1/customers", {**PERSON, field: value}, sales)
    assert response.status_code == 422, response.content
    assert field in response.json()["fields"]


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["kind", "agreement_status"])
def test_sec7_invalid_choice_on_partner_is_422(client, sales, business_on, field):
    body = {"name": "车行", "kind": "dealer", field: "nope"}
    response = post(client, "/api/v1/partners", body, sales)
    assert response.status_code in (403, 422), response.content


@pytest.mark.django_db
def test_sec7_huge_and_negative_numbers_are_422(client, sales, business_on):
    assert client.get("/api/v1/customers?page=99999999999999999999", **sales).status_code == 422
    assert client.get("/api/v1/customers/99999999999999999999", **sales).status_code in (404, 422)
    assert client.get("/api/v1/customers/-1", **sales).status_code in (404, 422)


@pytest.mark.django_db
def test_sec7_body_over_the_limit_is_413(client, sales, business_on, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = post(client, "/api/v1/customers", {**PERSON, "address": "x" * 5000}, sales)
    assert response.status_code == 413
    assert response.json()["code"] == "request_too_large"


@pytest.mark.django_db
def test_sec9_unknown_fields_and_int_dates_are_refused(client, sales, business_on):
    response = post(client, "/api/v1/customers", {**PERSON, "colour": "red"}, sales)
    assert response.status_code == 422
    assert "colour" in response.json()["fields"]
    response = post(client, "/api/v1/customers", {**PERSON, "birth_on": 0}, sales)
    assert response.status_code == 422
    assert "birth_on" in response.json()["fields"]


@pytest.mark.django_db
def test_sec9_a_list_is_no_patch_body(client, sales, business_on):
    created = post(client, "/api/v1/customers", PERSON, sales)
    assert created.status_code == 201, created.content
    response = post(client, f"/api/v1/customers/{created.json()['id']}", [None, None], sales, method="patch")
    assert response.status_code == 422, response.content


@pytest.mark.django_db
def test_sec9_json_numbers_reach_decimal_exactly(client, sales, business_on):
    response = post(client, "/api/v1/customers", '{"kind": "individual", "name": "张三", "id_number": "11010519491231002X", "mobile": "13800138000", "monthly_income_amount": 12345.67}', sales)
    assert response.status_code == 201, response.content
    assert response.json()["monthly_income_amount"] == "12345.67"


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["张\u202e三", "\u200b\u200b", "张\x07三", "张\ue000三", "\u2066张\u2069"])
def test_sec10_names_refuse_bidi_controls_and_invisible_characters(client, sales, business_on, name):
    response = post(client, "/api/v1/customers", {**PERSON, "name": name}, sales)
    assert response.status_code == 422, response.content
    assert "name" in response.json()["fields"]


@pytest.mark.django_db
def test_sec10_names_are_trimmed_and_nfc(client, sales, business_on):
    response = post(client, "/api/v1/customers", {**PERSON, "name": "  Zoe\u0301  "}, sales)
    assert response.status_code == 201, response.content
    assert response.json()["name"] == "Zo\u00e9"
