"""Item 10: lockout by username and IP, an IP-wide limit, 429 with Retry-After, no hint whether a user exists."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

OTHER_IP = "203.0.113.9"


def page_sign_in(client: Client, username: str, password: str, ip: str = "127.0.0.1"):
    return client.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)


def api_sign_in(client: Client, username: str, password: str, ip: str = "127.0.0.1"):
    body = {"username": username, "password": password}
    return client.post("/api/v1/auth/token", body, content_type="application/json", REMOTE_ADDR=ip)


def test_failures_from_one_address_do_not_lock_the_user_elsewhere(client, alice, password):
    """Item 10: five wrong passwords from an attacker's address leave alice free to sign in from her own."""
    for _ in range(5):
        api_sign_in(client, "alice", "wrong", ip=OTHER_IP)
    assert api_sign_in(client, "alice", "wrong", ip=OTHER_IP).status_code == 429
    assert api_sign_in(Client(), "alice", password).status_code == 200


def test_many_users_guessed_from_one_address_lock_the_address(client, persona, password, settings):
    """Item 10: four guesses each across many usernames trip the address-wide limit."""
    settings.CREDITDESK_LOCKOUT_IP_FAILURES = 12
    for n in range(3):
        for _ in range(4):
            api_sign_in(client, f"user{n}", "wrong", ip=OTHER_IP)
    response = api_sign_in(client, "user9", "wrong", ip=OTHER_IP)
    assert response.status_code == 429
    assert response.json()["code"] == "locked_out"
    persona("bob")
    assert api_sign_in(Client(), "bob", password).status_code == 200  # other addresses are not affected


def test_the_api_lockout_says_when_to_retry(client, alice):
    for _ in range(5):
        api_sign_in(client, "alice", "wrong")
    response = api_sign_in(client, "alice", "wrong")
    assert response.status_code == 429
    assert response["Retry-After"] == "900"
    assert set(response.json()) >= {"code", "message", "fields"}


def test_the_login_page_lockout_is_a_clear_429_page(client, alice):
    for _ in range(5):
        page_sign_in(client, "alice", "wrong")
    response = page_sign_in(client, "alice", "wrong")
    assert response.status_code == 429
    assert response["Retry-After"] == "900"
    assert "15" in response.content.decode()


@pytest.mark.parametrize("who", ["unknown", "wrong_password", "inactive"])
def test_sign_in_answers_the_same_whether_or_not_the_user_exists(who, client, alice, password):
    """Item 10: unknown users, wrong passwords and inactive users get the same answers, lockout included."""
    if who == "inactive":
        alice.is_active = False
        alice.save()
    username = "nobody" if who == "unknown" else "alice"
    secret = "wrong" if who == "wrong_password" else password
    answers = [api_sign_in(client, username, secret) for _ in range(5)]
    assert [r.status_code for r in answers] == [401] * 4 + [429]
    assert answers[0].json()["code"] == "invalid_credentials"
    assert answers[0].json()["message"] == "Wrong username or password."
    assert answers[-1].json()["message"] == "Too many failed sign-ins: try again in 15 minutes."
    page = page_sign_in(Client(), username, secret, ip=OTHER_IP)
    assert page.status_code == 200
    assert "用户名或密码错误" in page.content.decode() or "correct username and password" in page.content.decode()
