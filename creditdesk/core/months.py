"""Calendar months, the one way (pure): used by repayment due dates and by vehicle ages alike."""

from __future__ import annotations

import calendar
import datetime as dt


def add_months(anchor: dt.date, months: int, *, day: int | None = None) -> dt.date:
    """The date `months` calendar months after `anchor`, on the anchor's day (or `day`) clamped to the month's end.

    Anchored, not chained: 2027-01-31 + 1 → 2027-02-28, + 2 → 2027-03-31 (never drifting to the 28th). With `day`
    the result falls on that day of the month instead: add_months(2027-02-28, 1, day=31) → 2027-03-31.
    """
    month_index = anchor.month - 1 + months
    year, month = anchor.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(anchor.day if day is None else day, calendar.monthrange(year, month)[1]))
