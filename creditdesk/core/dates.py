"""The business date (营业日): read with `business_date()`, moved only by `set_business_date()`.

Every rule about dues, overdue days, SLAs and reminders takes its date from here, never from the clock.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from creditdesk.core.audit import record_event
from creditdesk.core.errors import ValidationFailed
from creditdesk.core.models import BusinessDate
from creditdesk.core.singletons import singleton_value


def _initial_business_date() -> dt.date:
    """The date a new installation starts its books on: the setting, else the local calendar date.

    This is the only place the wall clock is read for a business date, and only once per installation.
    """
    configured = getattr(settings, "INITIAL_BUSINESS_DATE", "")
    if configured:
        return dt.date.fromisoformat(configured)
    return timezone.localdate()


def business_date() -> dt.date:
    """The current business date of the books (read on nearly every request: one prepared statement)."""
    current: dt.date | None = singleton_value(BusinessDate, "current_on", BusinessDate.SINGLETON_PK)
    if current is None:
        row, _created = BusinessDate.objects.get_or_create(
            pk=BusinessDate.SINGLETON_PK, defaults={"current_on": _initial_business_date()}
        )
        current = row.current_on
    return current


@transaction.atomic
def set_business_date(
    *, on: dt.date, actor: object | None = None, reason: str = "", allow_backward: bool = False
) -> dt.date:
    """Move the business date to `on`, recording who moved it and why.

    Moving backwards would re-open closed days, so it is refused unless `allow_backward` (tests, repairs).
    """
    row, _created = BusinessDate.objects.select_for_update().get_or_create(
        pk=BusinessDate.SINGLETON_PK, defaults={"current_on": on}
    )
    previous = row.current_on
    if on < previous and not allow_backward:
        raise ValidationFailed.on(
            "on",
            _("The business date cannot move back from %(previous)s to %(new)s.")
            % {"previous": previous.isoformat(), "new": on.isoformat()},
        )
    if on != previous or _created:
        row.current_on = on
        row.save(update_fields=["current_on", "moved_at"])
        record_event(
            actor=actor,
            subject=None,
            event_type="business_date.moved",
            payload={"from": previous.isoformat(), "to": on.isoformat()},
            comment=reason,
            business_on=on,
        )
    return on
