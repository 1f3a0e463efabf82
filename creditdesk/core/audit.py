"""Domain audit log: one function records an event with actor, subject, type and payload."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from creditdesk.core.dates import business_date
from creditdesk.core.models import AuditEvent


def record_event(
    *,
    actor: Any | None,
    subject: models.Model | None,
    event_type: str,
    payload: dict[str, Any] | None = None,
    comment: str = "",
    business_on: dt.date | None = None,
) -> AuditEvent:
    """Append an audit event; call it inside the transaction of the change it describes.

    `actor` is a user (or None for the system); `subject` the business object the event is about.
    Sensitive values must be masked by the caller before they go into `payload`.
    """
    if business_on is None:
        # Imported here, not at module level: dates.py records its own moves through this function.
        business_on = business_date()
    event = _event(actor, event_type, payload or {}, comment, business_on)
    if subject is not None:
        event.subject_type = ContentType.objects.get_for_model(subject, for_concrete_model=True)
        event.subject_id = str(subject.pk)
        event.subject_repr = str(subject)[:200]
    event.save()
    return event


def _event(
    actor: Any | None, event_type: str, payload: dict[str, Any], comment: str, business_on: dt.date
) -> AuditEvent:
    user = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    return AuditEvent(
        business_on=business_on,
        actor=user,
        actor_repr=user.get_username() if user is not None else "system",
        event_type=event_type,
        payload=payload,
        comment=comment,
    )


def record_events(
    *, actor: Any | None, event_type: str, payloads: list[dict[str, Any]], business_on: dt.date | None = None
) -> list[AuditEvent]:
    """Append one event per payload in one statement (a set-based job's record), without a subject."""
    if business_on is None:
        business_on = business_date()
    return AuditEvent.objects.bulk_create(
        [_event(actor, event_type, payload, "", business_on) for payload in payloads], batch_size=500
    )


def events_for(subject: models.Model) -> models.QuerySet[AuditEvent]:
    """The audit events about one object, newest first."""
    return AuditEvent.objects.filter(
        subject_type=ContentType.objects.get_for_model(subject, for_concrete_model=True), subject_id=str(subject.pk)
    ).select_related("actor")


def events_for_objects(objects: models.QuerySet[Any]) -> models.QuerySet[AuditEvent]:
    """The audit events about any of `objects` (one model), newest first: a customer's applications or plans."""
    ids = [str(pk) for pk in objects.values_list("pk", flat=True)]
    return (
        AuditEvent.objects.filter(
            subject_type=ContentType.objects.get_for_model(objects.model, for_concrete_model=True), subject_id__in=ids
        )
        .select_related("actor")
        .order_by("-occurred_at", "-id")
    )


def actor_name(event: AuditEvent) -> str:
    """Who did it, as people read it: the staff member's name (not the username), or “system”."""
    if event.actor_id is None:
        from django.utils.translation import gettext

        return gettext("System")
    return str(event.actor)
