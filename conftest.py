"""Shared test fixtures: role personas, a frozen business date, API clients."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from creditdesk.accounts.choices import Role
from creditdesk.accounts.tests.factories import PASSWORD, UserFactory
from creditdesk.accounts.tests.otp import fresh_code, sign_in
from creditdesk.accounts.twofactor import needs_second_factor

# One persona per role (healthchecks style), plus `outsider`, who holds no role and must be refused everywhere.
PERSONAS: dict[str, str | None] = {
    "alice": Role.SALES,
    "bob": Role.DEPARTMENT_HEAD,
    "carol": Role.RISK_OFFICER,
    "dave": Role.APPROVER,
    "erin": Role.LEGAL,
    "frank": Role.FINANCE,
    "grace": Role.CUSTOMER_SERVICE,
    "heidi": Role.COLLECTOR,
    "ivan": Role.INFO_ADMIN,
    "judy": Role.AUDITOR,
    "mallory": Role.SYSTEM_ADMIN,
    "outsider": None,
}
BUSINESS_DATE = dt.date(2027, 3, 15)


@pytest.fixture
def business_on(db):
    """The business date, frozen for the test at 2027-03-15 (a Monday)."""
    from creditdesk.core.services import set_business_date

    return set_business_date(on=BUSINESS_DATE, allow_backward=True)


@pytest.fixture
def persona(db):
    """`persona("alice")` → the staff member of that persona (created on first use)."""

    made: dict[str, object] = {}

    def make(name: str):
        # One object per persona per test: re-running the factory would reset the password and end sessions.
        if name in made:
            return made[name]
        role = PERSONAS[name]
        # The system administrator works in the Django admin, which needs is_staff (as user_upsert sets it).
        made[name] = UserFactory(username=name, roles=[role] if role else [], is_staff=role == Role.SYSTEM_ADMIN)
        return made[name]

    return make


@pytest.fixture
def alice(persona):
    return persona("alice")


@pytest.fixture
def outsider(persona):
    return persona("outsider")


@pytest.fixture
def login(client: Client):
    """`login(user)` → the test client signed in as that user, with the second factor passed when the user needs
    one (privileged roles always do). To test the second step itself, use `client.force_login` instead."""

    def do(user) -> Client:
        return sign_in(client, user)

    return do


@pytest.fixture
def api_token(client: Client):
    """`api_token(user)` → a bearer token obtained through the real endpoint (with a TOTP code when the user needs
    the second factor)."""

    def get(user) -> str:
        body = {"username": user.username, "password": PASSWORD}
        if needs_second_factor(user):
            body["otp_token"] = fresh_code(user)
        response = client.post("/api/v1/auth/token", body, content_type="application/json")
        assert response.status_code == 200, response.content
        return response.json()["token"]

    return get


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture(scope="session")
def _media_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _private_media(settings, _media_dir):
    """Uploaded documents go to a scratch folder, never to var/media."""
    settings.MEDIA_ROOT = _media_dir


@pytest.fixture(autouse=True)
def _fresh_throttles():
    """Every test starts with empty throttle counts (the rates under pytest are wide open anyway)."""
    from django.core.cache import caches

    caches["throttle"].clear()
