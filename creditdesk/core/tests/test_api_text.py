"""NUL characters in API input are refused on their field (PostgreSQL text cannot hold them): 422, never a 500."""

from __future__ import annotations

import json

import pytest


@pytest.mark.django_db
def test_nul_credentials_are_wrong_credentials(client) -> None:
    body = json.dumps({"username": "ali\u0000ce", "password": "x"})
    response = client.post("/api/v1/auth/token", body, content_type="application/json")
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_credentials"


def test_a_nul_in_the_body_is_a_422_on_its_field(client, persona, api_token) -> None:
    token = api_token(persona("alice"))
    body = json.dumps({"name": "张\u0000三", "kind": "individual"})
    response = client.post(
        "/api/v1/customers", body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert response.status_code == 422
    assert response.json()["fields"] == {"name": ["Text may not contain NUL characters."]}


def test_a_nul_in_the_query_is_a_422(client, persona, api_token) -> None:
    token = api_token(persona("alice"))
    response = client.get("/api/v1/customers?q=%00", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 422
    assert "q" in response.json()["fields"]


def test_nested_values_are_checked(client, persona, api_token, business_on) -> None:
    token = api_token(persona("alice"))
    body = {
        "customer_id": 1,
        "product_code": "UC-RETAIL",
        "term_months": 12,
        "purpose": "x",
        "guarantors": [{"customer_id": 2, "relationship": "a\u0000"}],
    }
    response = client.post(
        "/api/v1/applications", json.dumps(body), content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert response.status_code == 422
    assert "relationship" in response.json()["fields"]
