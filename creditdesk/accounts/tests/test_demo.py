"""`creditdesk demo` seeds one staff member per role, idempotently, and only in DEBUG unless forced."""

import io

import pytest
from django.core.management import CommandError, call_command

from creditdesk.accounts.choices import Role
from creditdesk.accounts.models import OrgUnit, User

pytestmark = pytest.mark.django_db


def run_demo(*args: str) -> str:
    out = io.StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def test_demo_creates_one_user_per_role_with_the_demo_password(settings):
    settings.DEBUG = True
    output = run_demo()
    for role in Role.values:
        assert User.objects.filter(groups__name=role).exists(), role
    assert User.objects.get(username="sales").check_password(settings.DEMO_PASSWORD)
    assert settings.DEMO_PASSWORD in output
    assert OrgUnit.objects.get(code="SH-RETAIL").branch().code == "SH"


def test_demo_is_idempotent(settings):
    settings.DEBUG = True
    run_demo()
    counts = (User.objects.count(), OrgUnit.objects.count())
    run_demo()
    assert (User.objects.count(), OrgUnit.objects.count()) == counts


def test_demo_is_refused_outside_debug_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        run_demo()
    assert not User.objects.exists()
    run_demo("--force")
    assert User.objects.filter(username="admin", is_superuser=True).exists()


def test_if_empty_leaves_an_existing_installation_alone(settings, alice):
    settings.DEBUG = True
    assert "not seeded" in run_demo("--if-empty")
    assert not User.objects.filter(username="sales").exists()


def _seed_staff() -> str:
    from creditdesk.accounts import demo

    out = io.StringIO()
    demo.seed(stdout=out)
    return out.getvalue()


def test_privileged_demo_staff_get_a_known_authenticator_and_demo_otp_prints_its_code(settings, client):
    """Issue 10 item 10: the privileged demo users sign in with two factors, with the documented demo secrets."""
    import base64

    from django_otp.plugins.otp_totp.models import TOTPDevice

    from creditdesk.accounts.demo import DEMO_OTP_SECRETS

    settings.DEBUG = True
    assert "demo-otp" in _seed_staff()
    _seed_staff()  # idempotent
    assert set(DEMO_OTP_SECRETS) == {"admin", "infoadmin", "finance"}
    for username, secret in DEMO_OTP_SECRETS.items():
        device = TOTPDevice.objects.get(user__username=username, confirmed=True)
        assert device.bin_key == base64.b32decode(secret)
    assert not TOTPDevice.objects.filter(user__username="sales").exists()
    out = io.StringIO()
    call_command("demo_otp", "finance", stdout=out, stderr=io.StringIO())
    body = {"username": "finance", "password": settings.DEMO_PASSWORD, "otp_token": out.getvalue().strip()}
    assert client.post("/api/v1/auth/token", body, content_type="application/json").status_code == 200


def test_no_demo_authenticators_and_no_demo_otp_outside_debug(settings):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    settings.DEBUG = False
    _seed_staff()
    assert not TOTPDevice.objects.exists()
    with pytest.raises(CommandError, match="CREDITDESK_DEBUG"):
        call_command("demo_otp", "admin", stdout=io.StringIO())
