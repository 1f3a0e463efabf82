"""Strict input, parsing and text (issue #10 items 9 and 10, ARCHITECTURE rule 10): every input schema forbids
unknown fields, coerces nothing surprising, takes JSON numbers as Decimal, and cleans text the same way."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from creditdesk.core.values import clean_name, clean_text
from creditdesk.customers.models import Customer
from creditdesk.urls import api

pytestmark = pytest.mark.django_db
PERSON = {"kind": "individual", "name": "张三", "id_number": "11010519491231002X", "mobile": "13812345678"}


@pytest.fixture
def call(client, api_token, persona, business_on):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {api_token(persona('alice'))}"}

    def do(method, path, body):
        data = body if isinstance(body, str) else json.dumps(body)
        return client.generic(method, path, data, content_type="application/json", **headers)

    return do


def test_an_unknown_field_is_a_422_naming_it(call):
    response = call("POST", "/api/v1/customers", {**PERSON, "colour": "red"})
    assert response.status_code == 422
    assert "colour" in response.json()["fields"]
    assert not Customer.objects.exists()


@pytest.mark.parametrize("value", [0, 1700000000, "0", True])
def test_a_date_is_an_iso_string_not_a_number(call, value):
    response = call("POST", "/api/v1/customers", {**PERSON, "birth_on": value})
    assert response.status_code == 422
    assert "birth_on" in response.json()["fields"]


def test_a_list_is_no_patch_body(call):
    created = call("POST", "/api/v1/customers", PERSON)
    assert created.status_code == 201, created.content
    response = call("PATCH", f"/api/v1/customers/{created.json()['id']}", [None, None])
    assert response.status_code == 422
    assert Customer.objects.get().name == "张三"


def test_json_numbers_reach_decimal_without_float(call):
    """12345678.91 as a float is 12345678.9100000001…; parsed as Decimal it stays what the client wrote."""
    from creditdesk.core.api import TextSafeParser

    class Request:
        body = b'{"a": 12345678.91, "b": 0.1}'
        content_type = "application/json"
        path = "/api/v1/x"
        POST: dict[str, str] = {}

    data = TextSafeParser().parse_body(Request())  # type: ignore[arg-type]
    assert data == {"a": Decimal("12345678.91"), "b": Decimal("0.1")}
    assert all(isinstance(v, Decimal) for v in data.values())


def test_the_two_decision_schemas_have_unique_names(client):
    """Two schemas named DecisionIn made the OpenAPI describe the disclosure decision with the plan's fields."""
    doc = api.get_openapi_schema()
    body = doc["paths"]["/api/v1/disclosures/{disclosure_id}/decisions"]["post"]["requestBody"]
    ref = body["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert set(doc["components"]["schemas"][ref]["properties"]) == {"decision", "comment"}


@pytest.mark.parametrize(
    "name", ["张\u202e三", "\u200b\u200b", "张\x07三", "张\ue000三", "\u2066张\u2069", "张\n三", "   "]
)
def test_a_name_refuses_bidi_controls_and_invisible_characters(call, name):
    response = call("POST", "/api/v1/customers", {**PERSON, "name": name})
    assert response.status_code == 422, response.content
    assert "name" in response.json()["fields"]


def test_a_name_is_trimmed_and_in_nfc(call):
    response = call("POST", "/api/v1/customers", {**PERSON, "name": "  Zoe\u0301  "})
    assert response.status_code == 201, response.content
    assert Customer.objects.get().name == "Zo\u00e9"


def test_long_text_keeps_newlines_and_tabs_but_not_other_controls():
    assert clean_text(" a\r\n\tb ", multiline=True) == "a\n\tb"
    with pytest.raises(ValueError, match="U\\+202E"):
        clean_text("a\u202eb", multiline=True)
    with pytest.raises(ValueError, match="U\\+000A"):
        clean_text("a\nb")


@given(st.text())
def test_cleaned_text_is_stable_and_visible(value):
    try:
        cleaned = clean_name(value)
    except ValueError:
        return
    assert cleaned == clean_name(cleaned)
    assert cleaned
    assert cleaned == cleaned.strip()


@pytest.mark.parametrize("name", ["张\u202e三", "\u200b", "张\ue000三"])
def test_forms_clean_names_like_the_api(name):
    from creditdesk.customers.forms import LeadForm, PartnerForm

    for form in (LeadForm(data={"name": name}), PartnerForm(data={"name": name})):
        assert not form.is_valid()
        assert "name" in form.errors


def test_a_form_textarea_keeps_its_lines_and_a_name_is_nfc():
    from django import forms

    from creditdesk.core.forms import NameField, TextField

    assert TextField(widget=forms.Textarea).clean(" a\r\nb ") == "a\nb"
    assert NameField().clean(" Zoe\u0301 ") == "Zo\u00e9"
