"""Item 9: a bad bearer token on a write answers 401 like a read; only session writes are CSRF-checked."""

import datetime as dt

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

WRITES = [
    ("post", "/api/v1/customers"),
    ("patch", "/api/v1/customers/1"),
    ("delete", "/api/v1/auth/token"),
]


def _bad_token(kind: str, user, api_token, time_machine) -> str:
    if kind == "garbage":
        return "x" * 43
    token = api_token(user)
    if kind == "revoked":
        assert Client().delete("/api/v1/auth/token", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 204
    else:
        time_machine.move_to(dt.datetime.now(dt.UTC) + dt.timedelta(hours=13))
    return token


@pytest.mark.parametrize("kind", ["expired", "revoked", "garbage"])
@pytest.mark.parametrize(("method", "path"), WRITES)
def test_a_bad_bearer_token_on_a_write_is_401_not_a_csrf_failure(kind, method, path, alice, api_token, time_machine):
    """SEC item 9: token auth is not CSRF-protected, so a bad token is simply not authenticated."""
    token = _bad_token(kind, alice, api_token, time_machine)
    client = Client(enforce_csrf_checks=True)
    response = getattr(client, method)(
        path, "{}", content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(("method", "path"), WRITES)
def test_an_anonymous_write_without_credentials_is_401(method, path):
    response = getattr(Client(enforce_csrf_checks=True), method)(path, "{}", content_type="application/json")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


@pytest.mark.parametrize(("method", "path"), WRITES)
def test_a_session_write_without_the_csrf_token_is_still_refused(method, path, alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = getattr(client, method)(path, "{}", content_type="application/json")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert response.json()["message"] == "CSRF check Failed"


def test_a_session_write_with_a_garbage_token_is_still_csrf_checked(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.delete("/api/v1/auth/token", HTTP_AUTHORIZATION="Bearer " + "x" * 43)
    assert response.status_code == 403
