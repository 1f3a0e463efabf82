"""Writes of the kernel: moving the business date (营业日).

Reading it is `core.dates.business_date()`, which imports nothing that writes, so the audit log can read it.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from creditdesk.core.audit import record_event
from creditdesk.core.errors import ValidationFailed
from creditdesk.core.models import BusinessDate


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
