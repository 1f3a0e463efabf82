"""Writes of the accounts app: roles, org units, staff and API tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from creditdesk.accounts import tokencache
from creditdesk.accounts.choices import ALLOWED_PARENT_KINDS, AccessAction, OrgUnitKind, Role
from creditdesk.accounts.models import (
    AccessLogEntry,
    ApiToken,
    ConfidentialityAgreement,
    OrgUnit,
    TrainingSession,
    User,
)
from creditdesk.accounts.scoping import require_perm
from creditdesk.core.audit import record_event
from creditdesk.core.errors import PermissionDenied, ValidationFailed


def roles_ensure() -> list[Group]:
    """Make sure every role exists as a group (idempotent)."""
    return [Group.objects.get_or_create(name=role.value)[0] for role in Role]


def org_unit_upsert(*, code: str, name: str, kind: str, parent: OrgUnit | None = None) -> OrgUnit:
    """Create or update the org unit with this code; the kind must fit under the parent's kind."""
    if kind not in OrgUnitKind.values:
        raise ValidationFailed.on("kind", f"unknown org-unit kind {kind!r}")
    parent_kind = parent.kind if parent else None
    allowed = ALLOWED_PARENT_KINDS[kind]
    if (parent_kind is None and allowed) or (parent_kind is not None and parent_kind not in allowed):
        raise ValidationFailed.on("parent", f"a {kind} cannot sit under {parent_kind or 'nothing'}")
    unit, _created = OrgUnit.objects.update_or_create(
        code=code, defaults={"name": name, "kind": kind, "parent": parent}
    )
    return unit


@transaction.atomic
def user_upsert(
    *,
    username: str,
    full_name: str,
    org_unit: OrgUnit | None,
    roles: Iterable[str],
    password: str | None = None,
    email: str = "",
    is_superuser: bool = False,
) -> User:
    """Create or update a staff member and set exactly these roles. A None password leaves it unchanged."""
    unknown = set(roles) - set(Role.values)
    if unknown:
        raise ValidationFailed.on("roles", f"unknown roles: {', '.join(sorted(unknown))}")
    user, created = User.objects.get_or_create(username=username)
    user.full_name = full_name
    user.email = email
    user.org_unit = org_unit
    user.is_superuser = is_superuser
    user.is_staff = is_superuser or Role.SYSTEM_ADMIN in roles
    if password is not None:
        user.set_password(password)
    elif created:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    user.groups.set(Group.objects.filter(name__in=list(roles)))
    return user


def _digest(raw: str) -> str:
    # Tokens are 256-bit random strings, so a plain SHA-256 is enough (no salt or stretching needed).
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def token_issue(*, user: User, now: dt.datetime | None = None) -> tuple[str, ApiToken]:
    """Issue a bearer token for the user; the raw value is returned once and never stored."""
    now = now or timezone.now()
    raw = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        digest=_digest(raw),
        prefix=raw[:8],
        expires_at=now + dt.timedelta(hours=settings.API_TOKEN_TTL_HOURS),
    )
    record_event(actor=user, subject=user, event_type="api_token.issued", payload={"prefix": token.prefix})
    return raw, token


def token_authenticate(raw: str, *, now: dt.datetime | None = None) -> User | None:
    """The active user behind a raw token, or None if it is unknown, expired, revoked or the user inactive.

    Found tokens are cached with their user and roles until anything they depend on changes (accounts/tokencache.py),
    so a call with a token reads one integer instead of the token, the user and the roles."""
    now = now or timezone.now()
    digest = _digest(raw)
    stamp = tokencache.generation()  # before the look-up: a change committed after it makes the entry stale
    user = tokencache.cached_user(digest, stamp=stamp, now=now)
    if user is not None:
        return user
    token = (
        ApiToken.objects.select_related("user", "user__org_unit")
        .filter(digest=digest, revoked_at__isnull=True, expires_at__gt=now, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    # Touch last-use at most once a minute, to keep reads cheap.
    if token.last_used_at is None or now - token.last_used_at > tokencache.TOUCH_INTERVAL:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    tokencache.remember(digest, token, stamp=stamp, now=now)
    return token.user


@transaction.atomic
def token_revoke(*, raw: str, actor: User) -> bool:
    """Revoke the token with this raw value if it belongs to the actor; True if one was revoked."""
    revoked = ApiToken.objects.filter(digest=_digest(raw), user=actor, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if revoked:
        tokencache.bump()  # a queryset update sends no signal: end the cached authentication here
        record_event(actor=actor, subject=actor, event_type="api_token.revoked", payload={"prefix": raw[:8]})
    return bool(revoked)


def access_log_record(
    *,
    actor: Any,
    action: str,
    subject: models.Model | None,
    purpose: str,
    field: str = "",
    subject_repr: str = "",
    record_count: int = 1,
    client_address: str | None = None,
) -> AccessLogEntry:
    """Append one access-log row (SEC-7): who saw or exported what, when, why and from where."""
    entry = AccessLogEntry(
        actor=actor,
        action=action,
        field=field,
        purpose=purpose,
        record_count=record_count,
        client_address=client_address or None,
        subject_repr=(subject_repr or (str(subject) if subject is not None else ""))[:200],
    )
    if subject is not None:
        entry.subject_type = ContentType.objects.get_for_model(subject, for_concrete_model=True)
        entry.subject_id = str(subject.pk)
    entry.full_clean(exclude=["actor", "subject_type"])
    entry.save()
    return entry


MIN_PURPOSE_LENGTH = 4


@transaction.atomic
def sensitive_value_unmask(
    *, actor: Any, subject: models.Model, field: str, purpose: str, client_address: str | None = None
) -> str:
    """Reveal one sensitive value once, for a stated purpose, and log it (PRIN-3, SEC-7).

    The caller has already fetched `subject` through the data scope (`scoping.get_in_scope`); the model lists
    its sensitive fields in `SENSITIVE_FIELDS` ({field: mask kind}) and names the permission in `UNMASK_PERMISSION`.
    """
    sensitive: dict[str, str] = getattr(subject, "SENSITIVE_FIELDS", {})
    if field not in sensitive:
        raise ValidationFailed.on("field", _("This field cannot be unmasked."))
    permission = getattr(subject, "UNMASK_PERMISSION", None)
    if permission is None:
        raise PermissionDenied(_("Your role may not see this value unmasked."))
    require_perm(actor, permission, _("Your role may not see this value unmasked."), on=subject)
    purpose = (purpose or "").strip()
    if len(purpose) < MIN_PURPOSE_LENGTH:
        raise ValidationFailed.on("purpose", _("State why you need to see this value (at least 4 characters)."))
    access_log_record(
        actor=actor, action="unmask", subject=subject, field=field, purpose=purpose, client_address=client_address
    )
    return str(getattr(subject, field) or "")


def file_download_record(
    *, actor: Any, subject: models.Model, field: str, purpose: str, subject_repr: str, client_address: str | None
) -> AccessLogEntry:
    """Log the opening of a stored private file for a stated purpose (issue #10 item 8); the caller checked access."""
    purpose = (purpose or "").strip()
    if len(purpose) < MIN_PURPOSE_LENGTH:
        raise ValidationFailed.on("purpose", _("State why you need to see this document (at least 4 characters)."))
    return access_log_record(
        actor=actor,
        action=AccessAction.DOWNLOAD,
        subject=subject,
        field=field,
        purpose=purpose,
        subject_repr=subject_repr,
        client_address=client_address,
    )


@transaction.atomic
def agreement_record(
    *, actor: Any, staff: User, signed_on: dt.date, expires_on: dt.date | None = None, reference: str = ""
) -> ConfidentialityAgreement:
    """Record a staff member's signed confidentiality agreement (SEC-5)."""
    if expires_on is not None and expires_on < signed_on:
        raise ValidationFailed.on("expires_on", _("An agreement cannot expire before it is signed."))
    agreement = ConfidentialityAgreement(staff=staff, signed_on=signed_on, expires_on=expires_on, reference=reference)
    agreement.full_clean()
    agreement.save()
    record_event(
        actor=actor,
        subject=staff,
        event_type="confidentiality.agreement_recorded",
        payload={"signed_on": signed_on, "expires_on": expires_on},
    )
    return agreement


@transaction.atomic
def training_record(
    *, actor: Any, title: str, held_on: dt.date, trainer: str = "", attendees: Iterable[User] = ()
) -> TrainingSession:
    """Record a confidentiality training session and its attendees (SEC-5)."""
    if not title.strip():
        raise ValidationFailed.on("title", _("Give the training a title."))
    session = TrainingSession(title=title.strip(), held_on=held_on, trainer=trainer.strip())
    session.full_clean()
    session.save()
    session.attendees.set(list(attendees))
    record_event(
        actor=actor,
        subject=session,
        event_type="confidentiality.training_recorded",
        payload={"attendees": session.attendees.count()},
    )
    return session
