"""Issue 10 item 10: two-factor sign-in is mandatory for privileged users (system administrator, information
administrator, finance; 等保 level 3), whatever the two-factor policies say."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from creditdesk.accounts.choices import PRIVILEGED_TWO_FACTOR_MESSAGE
from creditdesk.accounts.models import ApiToken, TwoFactorPolicy
from creditdesk.accounts.tests.factories import UserFactory
from creditdesk.accounts.tests.otp import code_for, device_for, fresh_code, verify_session
from creditdesk.accounts.twofactor import needs_second_factor

pytestmark = pytest.mark.django_db

PRIVILEGED = ["mallory", "ivan", "frank"]  # system_admin, info_admin, finance
NOW = dt.datetime(2027, 3, 15, 9, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize("name", PRIVILEGED)
def test_privileged_roles_always_need_the_second_factor(persona, name):
    assert needs_second_factor(persona(name))
    assert not needs_second_factor(persona("alice"))  # others: only with a device or a policy


@pytest.mark.parametrize("role", ["system_admin", "info_admin", "finance"])
def test_a_policy_cannot_switch_it_off_for_a_privileged_role(role):
    TwoFactorPolicy.objects.filter(role=role).delete()
    with pytest.raises(IntegrityError), transaction.atomic():
        TwoFactorPolicy.objects.create(role=role, required=False)
    TwoFactorPolicy.objects.create(role="sales", required=False)  # an ordinary role may go without


def test_whoever_may_enter_the_admin_is_privileged():
    assert needs_second_factor(UserFactory(username="root", is_staff=True, is_superuser=True))
    assert needs_second_factor(UserFactory(username="staffer", is_staff=True))


def test_the_admin_refuses_to_switch_it_off_and_shows_privileged_rows_read_only(login):
    client = login(UserFactory(username="root", is_staff=True, is_superuser=True))
    TwoFactorPolicy.objects.filter(role="finance").delete()
    response = client.post("/admin/accounts/twofactorpolicy/add/", {"role": "finance", "required": ""})
    assert response.status_code == 200  # the form again, with the message
    assert str(PRIVILEGED_TWO_FACTOR_MESSAGE) in response.content.decode()
    assert not TwoFactorPolicy.objects.filter(role="finance").exists()

    policy = TwoFactorPolicy.objects.create(role="finance", required=True)
    other = TwoFactorPolicy.objects.create(role="sales", required=True)
    changelist = {
        "form-TOTAL_FORMS": "2",
        "form-INITIAL_FORMS": "2",
        "form-0-id": str(policy.pk),
        "form-0-required": "",
        "form-1-id": str(other.pk),
        "form-1-required": "on",
        "_save": "1",
    }
    TwoFactorPolicy.objects.exclude(pk__in=[policy.pk, other.pk]).delete()
    response = client.post("/admin/accounts/twofactorpolicy/", changelist)
    assert response.status_code == 200
    assert str(PRIVILEGED_TWO_FACTOR_MESSAGE) in response.content.decode()
    policy.refresh_from_db()
    assert policy.required

    page = client.get(f"/admin/accounts/twofactorpolicy/{policy.pk}/change/").content.decode()
    assert 'name="required"' not in page  # read-only: the rule is in the code


@pytest.mark.parametrize("name", PRIVILEGED)
def test_a_privileged_user_without_a_device_can_only_enrol(client, persona, business_on, time_machine, name):
    time_machine.move_to(NOW)
    user = persona(name)
    client.force_login(user)  # the password step only
    for path in ["/", "/admin/", "/accounts/access-log/", "/customers/"]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/accounts/otp/setup/"), path
    assert client.get("/api/v1/me").json()["code"] == "otp_setup_required"
    assert client.get("/accounts/otp/").status_code == 302  # nothing to verify yet: enrolment

    assert client.get("/accounts/otp/setup/").status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post("/accounts/otp/setup/", {"token": code_for(device), "next": "/"})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert client.get("/api/v1/me").status_code == 200


def test_a_device_is_not_replaced_before_its_code_is_given(client, persona, time_machine):
    """Whoever knows the password must not enrol an authenticator of their own instead of the owner's."""
    time_machine.move_to(NOW)
    user = persona("mallory")
    device_for(user)
    client.force_login(user)
    response = client.get("/accounts/otp/setup/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/otp/?")
    assert not TOTPDevice.objects.filter(user=user, confirmed=False).exists()
    verify_session(client, user)
    assert client.get("/accounts/otp/setup/").status_code == 200  # once verified, re-enrolling is allowed


@pytest.mark.parametrize("name", PRIVILEGED)
def test_no_token_for_a_privileged_user_without_a_verified_code(client, persona, password, name):
    user = persona(name)
    body = {"username": user.username, "password": password}
    response = client.post("/api/v1/auth/token", body, content_type="application/json")
    assert response.status_code == 401
    assert response.json()["code"] == "otp_setup_required"
    code = fresh_code(user)  # now enrolled
    response = client.post("/api/v1/auth/token", body, content_type="application/json")
    assert response.json()["code"] == "otp_required"
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    response = client.post("/api/v1/auth/token", {**body, "otp_token": wrong}, content_type="application/json")
    assert response.json()["code"] == "otp_required"
    response = client.post(
        "/api/v1/auth/token", {**body, "otp_token": fresh_code(user)}, content_type="application/json"
    )
    assert response.status_code == 200
    assert ApiToken.objects.filter(user=user).count() == 1
