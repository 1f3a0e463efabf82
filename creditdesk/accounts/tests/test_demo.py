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
