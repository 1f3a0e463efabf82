"""Issue 10 item 10: django-ninja's throttles on token issue (per address) and the expensive operations (per
user), answering 429 with `Retry-After` and the one error body; every throttled operation documents 429."""

from __future__ import annotations

import json

import pytest

from conftest import PERSONAS
from creditdesk.accounts.tests.factories import UserFactory
from creditdesk.urls import api

pytestmark = pytest.mark.django_db

THROTTLED = {
    "POST /api/v1/auth/token": "token",
    "GET /api/v1/access-log/export": "export",
    "GET /api/v1/disclosures/{disclosure_id}/export": "export",
    "GET /api/v1/subject-requests/{request_id}/copy": "export",
    "POST /api/v1/customers/{customer_id}/documents/{document_id}/download": "export",
    "POST /api/v1/vehicles/{vehicle_id}/condition-report/download": "export",
    "POST /api/v1/quotes": "quote",
    "POST /api/v1/applications/{application_id}/assessment": "assessment",
}
# Two callers with the permission (the throttle counts after authentication) and a URL; made-up ids are fine.
CALLERS = {
    "GET /api/v1/access-log/export": ("judy", "ivan", "/api/v1/access-log/export"),
    "GET /api/v1/disclosures/{disclosure_id}/export": ("alice", "bob", "/api/v1/disclosures/999999/export"),
    "GET /api/v1/subject-requests/{request_id}/copy": ("ivan", "info_admin", "/api/v1/subject-requests/999999/copy"),
    "POST /api/v1/customers/{customer_id}/documents/{document_id}/download": (
        "alice",
        "bob",
        "/api/v1/customers/999999/documents/999999/download",
    ),
    "POST /api/v1/vehicles/{vehicle_id}/condition-report/download": (
        "alice",
        "bob",
        "/api/v1/vehicles/999999/condition-report/download",
    ),
    "POST /api/v1/quotes": ("alice", "bob", "/api/v1/quotes"),
    "POST /api/v1/applications/{application_id}/assessment": (
        "carol",
        "risk_officer",
        "/api/v1/applications/999999/assessment",
    ),
}


@pytest.fixture
def rate(settings):
    """`rate(scope, "2/min")`: narrow one throttle for this test."""

    def narrow(scope: str, value: str) -> None:
        settings.CREDITDESK_THROTTLE_RATES = {**settings.CREDITDESK_THROTTLE_RATES, scope: value}

    return narrow


def _throttled_operations() -> dict[str, list[str]]:
    found = {}
    for bound in api._get_bound_routers():
        for path, view in bound.path_operations.items():
            for operation in view.operations:
                if operation.throttle_objects:
                    for method in operation.methods:
                        found[f"{method} /api/v1{path}"] = [t.scope for t in operation.throttle_objects]
    return found


def test_the_expensive_operations_are_throttled_and_document_429():
    assert _throttled_operations() == {key: [scope] for key, scope in THROTTLED.items()}
    paths = api.get_openapi_schema()["paths"]
    for key in THROTTLED:
        method, path = key.split(" ", 1)
        assert {429, "429"} & set(paths[path][method.lower()]["responses"]), key


def test_token_issue_is_throttled_per_address_with_retry_after(client, alice, password, rate):
    rate("token", "2/min")
    body = json.dumps({"username": "alice", "password": password})
    for _ in range(2):
        assert client.post("/api/v1/auth/token", body, content_type="application/json").status_code == 200
    response = client.post("/api/v1/auth/token", body, content_type="application/json")
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    assert response.json() == {
        "code": "throttled",
        "message": f"Too many requests: try again in {response['Retry-After']} s.",
        "fields": {},
        "details": {"retry_after": int(response["Retry-After"])},
    }
    other = client.post("/api/v1/auth/token", body, content_type="application/json", REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200  # another address has its own count
    spoofed = client.post("/api/v1/auth/token", body, content_type="application/json", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert spoofed.status_code == 429  # a client's own X-Forwarded-For is not believed


@pytest.mark.parametrize("key", sorted(CALLERS))
def test_expensive_operations_are_throttled_per_user(key, client, persona, login, rate, business_on):
    who, other, url = CALLERS[key]
    rate(THROTTLED[key], "1/hour")

    def call():
        if key.startswith("GET"):
            return client.get(url)
        return client.post(url, "{}", content_type="application/json")

    login(persona(who))
    assert call().status_code != 429
    second = call()
    assert second.status_code == 429, second.content
    assert second.json()["code"] == "throttled"
    assert int(second["Retry-After"]) > 0
    client.logout()
    # Someone else (with the same permission) keeps their own allowance.
    login(persona(other) if other in PERSONAS else UserFactory(username="second", roles=[other]))
    assert call().status_code not in {403, 429}


def test_an_empty_rate_switches_a_scope_off(client, alice, password, rate):
    rate("token", "")
    body = json.dumps({"username": "alice", "password": password})
    for _ in range(3):
        assert client.post("/api/v1/auth/token", body, content_type="application/json").status_code == 200


@pytest.mark.parametrize("name", ["judy", "alice"])
def test_the_export_pages_share_the_export_throttle(name, client, persona, login, rate, business_on):
    rate("export", "1/hour")
    url, api_url = {
        "judy": ("/accounts/access-log/export/", "/api/v1/access-log/export"),
        "alice": ("/accounts/disclosures/999999/export/", "/api/v1/disclosures/999999/export"),
    }[name]
    login(persona(name))
    assert client.get(url).status_code != 429
    response = client.get(url)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert client.get(api_url).status_code == 429  # one allowance for pages and API


@pytest.mark.parametrize(
    ("who", "url", "api_url"),
    [
        ("alice", "/customers/999999/documents/999999/", "/api/v1/customers/999999/documents/999999/download"),
        ("alice", "/vehicles/999999/condition-report/", "/api/v1/vehicles/999999/condition-report/download"),
        ("ivan", "/customers/subject-requests/999999/copy/", "/api/v1/subject-requests/999999/copy"),
    ],
)
def test_the_file_pages_count_their_openings_against_the_export_throttle(
    who, url, api_url, client, persona, login, rate, business_on
):
    """Opening a document or report, or a subject-request copy, counts on the page as in the API; asking the
    purpose (GET) does not."""
    rate("export", "1/hour")
    login(persona(who))
    if "copy" not in url:
        for _ in range(3):
            assert client.get(url).status_code != 429
    assert client.post(url, {"purpose": "核对资料"}).status_code != 429
    response = client.post(url, {"purpose": "核对资料"})
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert (
        client.get(api_url) if "copy" in api_url else client.post(api_url, "{}", content_type="application/json")
    ).status_code == 429
