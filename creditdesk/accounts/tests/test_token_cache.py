"""Issue #11 item 21: bearer-token authentication is cached (two queries per `/me`, not three), and nothing a
cache holds lets a revoked token, a removed role, an inactive user or a moved staff member keep working."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from creditdesk.accounts import tokencache
from creditdesk.accounts.choices import OrgUnitKind, Role
from creditdesk.accounts.models import ApiToken, OrgUnit
from creditdesk.accounts.services import _digest, user_upsert

pytestmark = pytest.mark.django_db


def bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def _cached(client, token: str, path: str = "/api/v1/me") -> None:
    """Call twice, so the second answer came from the cache (and the entry is there)."""
    for _ in range(2):
        assert client.get(path, **bearer(token)).status_code == 200
    assert cache.get(tokencache._key(_digest(token))) is not None


def test_me_with_a_token_runs_two_queries(client, alice, api_token, business_on):
    """Item 21: the authentication generation and the business date; it was the token with its user, the roles
    and the business date."""
    token = api_token(alice)
    _cached(client, token)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/v1/me", **bearer(token))
    assert response.status_code == 200
    assert response.json()["roles"] == ["sales"]
    assert len(queries) == 2, [query["sql"] for query in queries]


def test_a_cached_token_revoked_through_the_api_is_refused_at_once(client, alice, api_token, business_on):
    token = api_token(alice)
    _cached(client, token)
    assert client.delete("/api/v1/auth/token", **bearer(token)).status_code == 204
    assert client.get("/api/v1/me", **bearer(token)).status_code == 401


def test_a_cached_token_revoked_elsewhere_is_refused_without_reaching_this_cache(client, alice, api_token, business_on):
    """Another server process revokes it: its entry in this process is still there, and ignored."""
    token = api_token(alice)
    _cached(client, token)
    stored = ApiToken.objects.get(user=alice)
    stored.revoked_at = timezone.now()
    stored.save()  # as the admin does
    assert cache.get(tokencache._key(_digest(token))) is not None
    assert client.get("/api/v1/me", **bearer(token)).status_code == 401


def test_a_removed_role_ends_its_permissions_at_once(client, alice, api_token, business_on):
    token = api_token(alice)
    _cached(client, token, "/api/v1/customers")
    user_upsert(username=alice.username, full_name=alice.full_name, org_unit=alice.org_unit, roles=[])
    assert client.get("/api/v1/customers", **bearer(token)).status_code == 403
    assert client.get("/api/v1/me", **bearer(token)).json()["roles"] == []


@pytest.mark.parametrize("change", ["remove", "clear", "delete_group", "rename_group"])
def test_every_way_of_taking_a_role_away_is_seen(client, alice, api_token, business_on, change):
    token = api_token(alice)
    _cached(client, token, "/api/v1/customers")
    group = Group.objects.get(name=Role.SALES)
    if change == "remove":
        alice.groups.remove(group)
    elif change == "clear":
        group.user_set.clear()
    elif change == "delete_group":
        group.delete()
    else:
        group.name = "former-sales"
        group.save()
    assert client.get("/api/v1/customers", **bearer(token)).status_code == 403


def test_an_added_role_is_seen_at_once(client, alice, api_token, business_on):
    token = api_token(alice)
    _cached(client, token)
    alice.groups.add(Group.objects.get_or_create(name=Role.AUDITOR)[0])
    assert client.get("/api/v1/me", **bearer(token)).json()["roles"] == ["auditor", "sales"]


def test_a_deactivated_user_is_refused_at_once(client, alice, api_token, business_on):
    token = api_token(alice)
    _cached(client, token)
    alice.is_active = False
    alice.save()
    assert client.get("/api/v1/me", **bearer(token)).status_code == 401


def test_a_move_to_another_unit_is_seen_at_once(client, alice, api_token, business_on):
    token = api_token(alice)
    _cached(client, token)
    parent = alice.org_unit.parent
    unit = OrgUnit.objects.create(code="MOVED", name="调入部门", kind=OrgUnitKind.DEPARTMENT, parent=parent)
    alice.org_unit = unit
    alice.save()
    assert client.get("/api/v1/me", **bearer(token)).json()["org_unit"]["code"] == "MOVED"


def test_a_cached_token_still_expires(client, alice, api_token, business_on, time_machine):
    token = api_token(alice)
    _cached(client, token)
    time_machine.move_to(timezone.now() + dt.timedelta(hours=13))
    assert client.get("/api/v1/me", **bearer(token)).status_code == 401


def test_last_use_is_still_recorded_once_a_minute(client, alice, api_token, business_on, time_machine):
    token = api_token(alice)
    _cached(client, token)
    first = ApiToken.objects.get(user=alice).last_used_at
    later = timezone.now() + dt.timedelta(minutes=2)
    time_machine.move_to(later)
    assert client.get("/api/v1/me", **bearer(token)).status_code == 200
    assert ApiToken.objects.get(user=alice).last_used_at > first


def test_signing_in_does_not_empty_the_cache(alice):
    before = tokencache.generation()
    alice.last_login = timezone.now()
    alice.save(update_fields=["last_login"])
    assert tokencache.generation() == before
    alice.save()
    assert tokencache.generation() == before + 1


def test_the_units_a_scope_walks_are_cached_too(client, persona, api_token, business_on):
    """Branch-scoped roles (customer service) walk up from their unit to its branch: no query per call for it."""
    grace = persona("grace")
    token = api_token(grace)
    _cached(client, token, "/api/v1/customers")
    user = cache.get(tokencache._key(_digest(token))).user
    with CaptureQueriesContext(connection) as queries:
        user.org_unit.branch()
    assert len(queries) == 0
