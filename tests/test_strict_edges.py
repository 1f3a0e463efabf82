"""Strict input, edges (issue #10 item 7, ARCHITECTURE rule 10): values outside a field's domain are a 4xx naming
the field, never a 500: unknown choices, null for a required value, integers too large for the database, bodies
over the size limit."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.django_db
HUGE = "99999999999999999999"


@pytest.fixture
def call(client, api_token, persona, business_on):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {api_token(persona('alice'))}"}

    def do(method, path, body=None, **extra):
        data = json.dumps(body) if body is not None else ""
        return client.generic(method, path, data, content_type="application/json", **headers, **extra)

    return do


@pytest.mark.parametrize(
    "path",
    [
        f"/api/v1/customers?page={HUGE}",
        f"/api/v1/partners?page={HUGE}",
        f"/api/v1/applications?page={HUGE}",
        f"/api/v1/vehicles?page={HUGE}",
    ],
)
def test_huge_or_negative_numbers_in_the_query_are_a_422(call, path):
    response = call("GET", path)
    assert response.status_code == 422, response.content


@pytest.mark.parametrize("debug", [False, True])
def test_a_body_over_the_limit_is_a_413_with_the_error_body(call, settings, debug):
    settings.DEBUG = debug
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = {"kind": "individual", "name": "张三" * 1000}
    response = call("POST", "/api/v1/customers", body)
    assert response.status_code == 413
    assert response.json()["code"] == "request_too_large"
