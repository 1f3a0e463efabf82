"""Two-factor sign-in with TOTP: optional per user, required per role by the administrator (SEC-3)."""

import datetime as dt

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from creditdesk.accounts.models import TwoFactorPolicy
from creditdesk.accounts.tests.otp import code_for

pytestmark = pytest.mark.django_db


def test_without_a_device_or_policy_no_second_step(login, alice, business_on):
    assert login(alice).get("/").status_code == 200


NOW = dt.datetime(2027, 3, 15, 9, 0, tzinfo=dt.UTC)


def test_a_role_policy_sends_the_user_to_enrolment_then_lets_them_in(
    client, alice, password, business_on, time_machine
):
    time_machine.move_to(NOW)
    TwoFactorPolicy.objects.create(role="sales", required=True)
    client.post("/accounts/login/", {"username": "alice", "password": password})
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/otp/")
    page = client.get("/accounts/otp/setup/")
    assert "data:image/svg+xml;base64," in page.content.decode()
    device = TOTPDevice.objects.get(user=alice, confirmed=False)
    assert client.post("/accounts/otp/setup/", {"token": "000000"}).status_code == 200
    time_machine.move_to(NOW + dt.timedelta(seconds=30))  # a failed code throttles the device for a moment
    response = client.post("/accounts/otp/setup/", {"token": code_for(device), "next": "/"})
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_a_user_with_a_device_must_enter_a_code_after_the_password(client, alice, password, business_on, time_machine):
    time_machine.move_to(NOW)
    device = TOTPDevice.objects.create(user=alice, name="phone", confirmed=True)
    client.post("/accounts/login/", {"username": "alice", "password": password})
    assert client.get("/").status_code == 302
    assert "/api/" not in client.get("/")["Location"]
    assert client.get("/api/v1/me").json()["code"] == "otp_required"
    response = client.post("/accounts/otp/", {"token": "123456"})
    assert "验证码错误" in response.content.decode()
    time_machine.move_to(NOW + dt.timedelta(seconds=30))
    response = client.post("/accounts/otp/", {"token": code_for(device), "next": "/"})
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_an_unsafe_next_is_ignored(client, alice, password):
    device = TOTPDevice.objects.create(user=alice, name="phone", confirmed=True)
    client.post("/accounts/login/", {"username": "alice", "password": password})
    response = client.post("/accounts/otp/", {"token": code_for(device), "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_api_tokens_need_the_code_too(client, alice, password):
    device = TOTPDevice.objects.create(user=alice, name="phone", confirmed=True)
    body = {"username": "alice", "password": password}
    response = client.post("/api/v1/auth/token", body, content_type="application/json")
    assert response.status_code == 401
    assert response.json()["code"] == "otp_required"
    response = client.post(
        "/api/v1/auth/token", {**body, "otp_token": code_for(device)}, content_type="application/json"
    )
    assert response.status_code == 200


def test_api_tokens_for_a_required_role_without_device_explain_the_setup(client, alice, password):
    TwoFactorPolicy.objects.create(role="sales", required=True)
    response = client.post(
        "/api/v1/auth/token", {"username": "alice", "password": password}, content_type="application/json"
    )
    assert response.json()["code"] == "otp_setup_required"
