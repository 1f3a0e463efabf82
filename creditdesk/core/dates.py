"""The business date (营业日): read with `business_date()`; moved only by `core.services.set_business_date()`.

Every rule about dues, overdue days, SLAs and reminders takes its date from here, never from the clock.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

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
