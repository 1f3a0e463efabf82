"""API authentication: bearer tokens (hashed, expiring, revocable), sessions, and `/me`."""

import datetime as dt

import pytest
from django.test import Client

from creditdesk.accounts.models import ApiToken
from creditdesk.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_me_without_credentials_is_401_with_the_error_body(client: Client):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json() == {
        "code": "not_authenticated",
        "message": "Sign in or send a valid bearer token.",
        "fields": {},
    }
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_token_identifies_the_user_and_roles(client, alice, api_token, business_on):
    token = api_token(alice)
    response = client.get("/api/v1/me", **bearer(token))
    assert response.status_code == 200
    body = response.json()
    assert body["username"] == "alice"
    assert body["roles"] == ["sales"]
    assert body["role_labels"][0]["code"] == "sales"
    assert body["org_unit"]["kind"] == "department"
    assert body["business_date"] == "2027-03-15"


def test_tokens_are_stored_only_as_digests(client, alice, api_token):
    token = api_token(alice)
    stored = ApiToken.objects.get(user=alice)
    assert token not in (stored.digest, stored.prefix)
    assert stored.prefix == token[:8]
    assert AuditEvent.objects.filter(event_type="api_token.issued", subject_id=str(alice.pk)).exists()


def test_a_wrong_password_gets_no_token(client, alice):
    response = client.post(
        "/api/v1/auth/token", {"username": "alice", "password": "nope"}, content_type="application/json"
    )
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_credentials"
    assert not ApiToken.objects.exists()


def test_an_inactive_user_gets_no_token(client, alice, password):
    alice.is_active = False
    alice.save()
    response = client.post(
        "/api/v1/auth/token", {"username": "alice", "password": password}, content_type="application/json"
    )
    assert response.status_code == 401


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({}, {"username", "password"}),
        ({"username": "alice"}, {"password"}),
        ({"username": 5, "password": "x"}, {"username"}),
        ({"username": "", "password": ""}, {"username", "password"}),
    ],
)
def test_missing_or_wrong_typed_fields_are_named(client, body, fields):
    response = client.post("/api/v1/auth/token", body, content_type="application/json")
    assert response.status_code == 422
    assert set(response.json()["fields"]) == fields


def test_malformed_json_is_a_400_not_a_500(client):
    response = client.post("/api/v1/auth/token", '{"username": ', content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "malformed_request"


def test_an_expired_token_is_refused(client, alice, api_token, time_machine):
    issued_at = dt.datetime(2027, 3, 15, 9, 0, tzinfo=dt.UTC)  # token lifetimes are real time, frozen here
    time_machine.move_to(issued_at, tick=False)
    token = api_token(alice)
    time_machine.move_to(issued_at + dt.timedelta(hours=11, minutes=59))
    assert client.get("/api/v1/me", **bearer(token)).status_code == 200
    time_machine.move_to(issued_at + dt.timedelta(hours=13))
    assert client.get("/api/v1/me", **bearer(token)).status_code == 401


def test_a_revoked_token_is_refused(client, alice, api_token):
    token = api_token(alice)
    assert client.delete("/api/v1/auth/token", **bearer(token)).status_code == 204
    assert ApiToken.objects.get(user=alice).revoked_at is not None
    assert client.get("/api/v1/me", **bearer(token)).status_code == 401


def test_a_made_up_token_is_refused(client, alice):
    assert client.get("/api/v1/me", **bearer("x" * 43)).status_code == 401


def test_a_signed_in_session_works_too(client, alice, business_on):
    client.force_login(alice)
    assert client.get("/api/v1/me").json()["username"] == "alice"


def test_session_writes_need_the_csrf_token(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.delete("/api/v1/auth/token")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_unknown_api_paths_answer_json(client):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
