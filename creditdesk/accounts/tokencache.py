"""Cached bearer-token authentication (issue #11 item 21): a token's user, roles and org units, read once a minute.

Without it every API call with a token ran three queries (the token and its user, the user's roles, then the
operation's own) before doing anything. With it a call reads one integer: the authentication generation
(`AuthGeneration`), a counter moved in the same transaction as every change that could end or narrow what a
token may do — a token revoked or edited, a user saved (activity, org unit, password) or deleted, roles added or
removed, a role group or an org unit changed. An entry stamped with an older generation is ignored, so the change
holds at once in every server process, whichever process made it; the cache never has to be reached to be
cleared. Entries also lapse after `TOUCH_INTERVAL` (when the token's last use is recorded anyway) and never
outlive the token's expiry.

The cache is Django's default cache: per process (local memory) unless the operator configures a shared one.
Values are pickled, so every request gets its own copy of the user.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from creditdesk.accounts.models import ApiToken, AuthGeneration, OrgUnit, User
from creditdesk.core.singletons import singleton_value

# How often a token's last use is written, and so how long an entry lives at most.
TOUCH_INTERVAL = dt.timedelta(minutes=1)
_SINGLETON = 1


@dataclass(frozen=True)
class Entry:
    generation: int
    expires_at: dt.datetime
    last_used_at: dt.datetime
    user: User


def _key(digest: str) -> str:
    return f"creditdesk:api-token:{digest}"


def generation(using: str = "default") -> int:
    """The current authentication generation (0 before the first change): one read by primary key."""
    return singleton_value(AuthGeneration, "value", _SINGLETON, using=using) or 0


def bump(using: str = "default") -> None:
    """Make every cached token authentication stale, in every process (within the caller's transaction)."""
    rows = AuthGeneration.objects.using(using).filter(pk=_SINGLETON)
    if not rows.update(value=models.F("value") + 1):
        AuthGeneration.objects.using(using).get_or_create(pk=_SINGLETON)
        rows.update(value=models.F("value") + 1)


def cached_user(digest: str, *, stamp: int, now: dt.datetime) -> User | None:
    """The user of a cached, still current entry for this token digest, else None (look it up again)."""
    entry: Entry | None = cache.get(_key(digest))
    if entry is None or entry.generation != stamp or entry.expires_at <= now:
        return None
    if now - entry.last_used_at > TOUCH_INTERVAL:
        return None
    return entry.user


def remember(digest: str, token: ApiToken, *, stamp: int, now: dt.datetime) -> None:
    """Cache a token just found valid, with its user's roles, under the generation read *before* looking it up."""
    user = token.user
    user.role_codes  # noqa: B018 (loads the roles into the instance, so they are cached with it)
    if user.org_unit is not None:
        user.org_unit.branch()  # loads the parent units the data scope walks (accounts/scoping.py)
    last_used_at = token.last_used_at or now
    timeout = min(TOUCH_INTERVAL, token.expires_at - now).total_seconds()
    if timeout > 0:
        cache.set(_key(digest), Entry(stamp, token.expires_at, last_used_at, user), timeout)


# --- What moves the generation -------------------------------------------------------------------------------
# Saves and deletes of the models a cached entry depends on. Queryset updates send no signal: services that
# update these models in bulk (token_revoke) call bump() themselves.


def _changed(sender: Any, using: str = "default", **kwargs: Any) -> None:
    bump(using)


@receiver(post_save, sender=User, dispatch_uid="tokencache.user_saved")
def _user_saved(sender: Any, update_fields: Any = None, using: str = "default", **kwargs: Any) -> None:
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return  # signing in changes nothing a token may do
    bump(using)


@receiver(post_save, sender=ApiToken, dispatch_uid="tokencache.token_saved")
def _token_saved(sender: Any, created: bool = False, using: str = "default", **kwargs: Any) -> None:
    if not created:  # a new token is in no cache yet
        bump(using)


@receiver(m2m_changed, sender=User.groups.through, dispatch_uid="tokencache.roles_changed")
def _roles_changed(sender: Any, action: str = "", using: str = "default", **kwargs: Any) -> None:
    if action in {"post_add", "post_remove", "post_clear"}:
        bump(using)


for _model in (User, ApiToken, Group, OrgUnit):
    post_delete.connect(_changed, sender=_model, dispatch_uid=f"tokencache.{_model.__name__}_deleted")
for _model in (Group, OrgUnit):
    post_save.connect(_changed, sender=_model, dispatch_uid=f"tokencache.{_model.__name__}_saved")
