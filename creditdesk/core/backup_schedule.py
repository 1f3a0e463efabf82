"""The daily backup's schedule (SEC-4): when it falls due, and enqueueing it exactly once a day."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone

from creditdesk.core.audit import record_event
from creditdesk.core.models import AuditEvent
from creditdesk.core.tasks import backup_database

SCHEDULED_EVENT = "backup.scheduled"
# Any constant: serialises concurrent `creditdesk scheduler` processes on PostgreSQL (SQLite's IMMEDIATE
# transactions serialise them already).
_SCHEDULER_LOCK_KEY = 0x63726462


def daily_backup_due_at(*, now: dt.datetime) -> dt.datetime | None:
    """When the daily backup of `now`'s local day falls due (BACKUP_DAILY_AT), or None if none is configured."""
    configured = settings.BACKUP_DAILY_AT.strip()
    if not configured:
        return None
    try:
        at = dt.time.fromisoformat(configured)
    except ValueError as error:
        raise ImproperlyConfigured(
            f"CREDITDESK_BACKUP_DAILY_AT must be a local time HH:MM (or empty), not {configured!r}."
        ) from error
    local = timezone.localtime(now)
    return dt.datetime.combine(local.date(), at, tzinfo=local.tzinfo)


def backup_enqueue_if_due(*, now: dt.datetime) -> bool:
    """Enqueue today's backup task if it is due and not yet enqueued; True when it was enqueued now.

    "Enqueued" is remembered as a `backup.scheduled` audit event written in the same transaction as the queue
    row (django-tasks-db), so a scheduler restart or a second scheduler never enqueues the same day twice.
    """
    due_at = daily_backup_due_at(now=now)
    if due_at is None or now < due_at:
        return False
    with transaction.atomic():
        connection = connections[DEFAULT_DB_ALIAS]
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_SCHEDULER_LOCK_KEY])
        if AuditEvent.objects.filter(event_type=SCHEDULED_EVENT, occurred_at__gte=due_at).exists():
            return False
        record_event(actor=None, subject=None, event_type=SCHEDULED_EVENT, payload={"due_at": due_at.isoformat()})
        backup_database.enqueue()
    return True
