"""Login security: lockout after repeated failures, security headers, cookie and session settings (SEC-3)."""

import datetime as dt

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def sign_in(client: Client, password: str):
    return client.post("/accounts/login/", {"username": "alice", "password": password})


def test_five_failures_lock_the_account_even_for_the_right_password(client, alice, password, time_machine):
    time_machine.move_to(dt.datetime(2027, 3, 15, 9, 0, tzinfo=dt.UTC))
    for _ in range(5):
        assert sign_in(client, "wrong-password").status_code in (200, 429)
    response = sign_in(client, password)
    assert response.status_code == 429
    assert "锁定" in response.content.decode()
    time_machine.move_to(dt.datetime(2027, 3, 15, 9, 16, tzinfo=dt.UTC))
    response = sign_in(client, password)
    assert response.status_code == 302


def test_four_failures_do_not_lock(client, alice, password):
    for _ in range(4):
        sign_in(client, "wrong-password")
    assert sign_in(client, password).status_code == 302


def test_the_token_endpoint_locks_too(client, alice, password):
    for _ in range(5):
        client.post("/api/v1/auth/token", {"username": "alice", "password": "nope"}, content_type="application/json")
    response = client.post(
        "/api/v1/auth/token", {"username": "alice", "password": password}, content_type="application/json"
    )
    assert response.status_code == 429
    assert response.json()["code"] == "locked_out"


def test_a_lockout_of_one_user_leaves_others_alone(client, alice, persona, password):
    persona("bob")
    for _ in range(5):
        sign_in(client, "wrong-password")
    assert client.post("/accounts/login/", {"username": "bob", "password": password}).status_code == 302


def test_pages_carry_the_security_headers(client):
    response = client.get("/accounts/login/", secure=True)
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "object-src 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


def test_cookies_are_secure_http_only_and_sessions_expire_when_idle(client, alice, password, settings):
    response = sign_in(client, password)
    session_cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session_cookie["secure"] is True
    assert session_cookie["httponly"] is True
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


def test_weak_passwords_are_refused():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    for weak in ("12345678901", "password123", "short"):
        with pytest.raises(ValidationError):
            validate_password(weak)
    validate_password("Lender-ledger-2027!")


def test_passwords_are_hashed_with_argon2_outside_tests():
    import subprocess
    import sys

    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='creditdesk.settings'; django.setup();"
        "from django.conf import settings; print(settings.PASSWORD_HASHERS[0])"
    )
    env = {"CREDITDESK_DEBUG": "1", "CREDITDESK_TESTING": "0", "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "django.contrib.auth.hashers.Argon2PasswordHasher"
