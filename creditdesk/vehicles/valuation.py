"""Current-value estimates of a used car (二手车估值): pure calculation, no ORM, no clock (STYLE rule 5, INFO-3).

Heuristics from DOMAIN.md §12 — valuation conventions, not regulation, so every life figure is a parameter with
the usual value as its default:

- **54321 method** (`depreciation_54321`): the car's life (10 years or 300,000 km) is split into five equal
  segments in which it loses 5/15, 4/15, 3/15, 2/15 and 1/15 of its original value. Within a segment the loss
  runs linearly, pro rata to the elapsed time, so the value falls smoothly instead of in five steps and a segment
  boundary gives exactly the cumulative share (after two years of ten: 10/15 of the value is left).
  When the mileage is known the car's position in its life is the *more advanced* of the time-based and the
  mileage-based positions: a car driven 90,000 km in one year is as worn as a three-year-old one, and a lender
  valuing collateral should take the lower value, never average the wear away.
- **Replacement cost × 成新率** (`age_based_value`, GB/T 30323-2013 重置成本法): 成新率 = 1 − used life / specified
  life, floored at zero; the used life is counted in completed months, as appraisal reports do.

Elapsed time is counted in calendar months from the registration date (登记日期), with the same anchor-and-clamp
rule as repayment due dates (`core.months.add_months`: registered on 31 January, a month is complete on
28/29 February), plus the elapsed fraction of the current month for the 54321 method. Values are rounded once,
half up, to the fen (`core.money.quantize`); the arithmetic before that is exact (fractions).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

from django.utils.translation import gettext as _

from creditdesk.core.errors import ValidationFailed
from creditdesk.core.money import ZERO, quantize, to_decimal
from creditdesk.core.months import add_months

MONTHS_PER_YEAR = 12
SEGMENT_WEIGHTS = (5, 4, 3, 2, 1)  # fifteenths of the value lost in each fifth of the life (the "54321")
SEGMENT_TOTAL = sum(SEGMENT_WEIGHTS)


def vehicle_age_months(first_registered_on: dt.date, on: dt.date) -> int:
    """Completed months since first registration (车龄, in months) on the date `on` (INFO-3).

    Raises ValidationFailed on "first_registered_on" when the registration is after `on`.
    """
    if first_registered_on > on:
        raise ValidationFailed.on("first_registered_on", _("The registration date cannot be after the valuation date."))
    months = (on.year - first_registered_on.year) * MONTHS_PER_YEAR + on.month - first_registered_on.month
    if _months_after(first_registered_on, months) > on:
        months -= 1
    return months


def depreciation_54321(
    *,
    original_value: Decimal,
    first_registered_on: dt.date,
    on: dt.date,
    mileage_km: int | None,
    life_years: int = 10,
    life_km: int = 300_000,
) -> Decimal:
    """The value left on `on` of a car first worth `original_value`, by the 54321 method (DOMAIN.md §12, INFO-3).

    Returns the remaining value (not the amount depreciated), in yuan to the fen: never negative, zero from the end
    of the life on. `mileage_km` (None when unknown) moves the car further along its life when it is ahead of time.
    """
    value = _amount("original_value", original_value)
    _positive("life_years", life_years)
    _positive("life_km", life_km)
    months = vehicle_age_months(first_registered_on, on)
    month_start, month_end = _months_after(first_registered_on, months), _months_after(first_registered_on, months + 1)
    elapsed_months = months + Fraction((on - month_start).days, (month_end - month_start).days)
    position = elapsed_months / (life_years * MONTHS_PER_YEAR)
    if mileage_km is not None:
        if isinstance(mileage_km, bool) or not isinstance(mileage_km, int) or mileage_km < 0:
            raise ValidationFailed.on("mileage_km", _("Enter the mileage as a whole number of kilometres."))
        position = max(position, Fraction(mileage_km, life_km))
    return _share_of(value, 1 - _lost_share(min(position, Fraction(1))))


def age_based_value(
    *,
    replacement_cost: Decimal,
    first_registered_on: dt.date,
    on: dt.date,
    life_years: int = 15,
) -> Decimal:
    """Replacement cost × 成新率 (1 − used life / specified life), floored at zero, to the fen (DOMAIN.md §12).

    The default specified life, 15 years, is the usual figure for a private small passenger car in appraisal
    practice [M]; such cars have no mandatory scrap age, so pass the lender's own figure where it has one.
    """
    cost = _amount("replacement_cost", replacement_cost)
    _positive("life_years", life_years)
    used = Fraction(vehicle_age_months(first_registered_on, on), life_years * MONTHS_PER_YEAR)
    return _share_of(cost, max(1 - used, Fraction(0)))


def _lost_share(position: Fraction) -> Fraction:
    """The share of the value lost at `position` (0 = new, 1 = end of life): whole segments plus a linear part."""
    scaled = position * len(SEGMENT_WEIGHTS)
    segment = min(int(scaled), len(SEGMENT_WEIGHTS) - 1)  # the last segment includes the end of life itself
    lost = sum(SEGMENT_WEIGHTS[:segment]) + (scaled - segment) * SEGMENT_WEIGHTS[segment]
    return lost / SEGMENT_TOTAL


def _share_of(amount: Decimal, share: Fraction) -> Decimal:
    exact = Fraction(amount) * share
    return quantize(Decimal(exact.numerator) / Decimal(exact.denominator))


def _months_after(start: dt.date, months: int) -> dt.date:
    """`start` plus `months` calendar months, clamped to the month's end (the schedule's due-date convention)."""
    return add_months(start, months)


def _amount(field: str, value: Decimal) -> Decimal:
    try:
        amount = to_decimal(value)
    except (TypeError, ValueError):
        raise ValidationFailed.on(field, _("Enter an amount in yuan.")) from None
    if amount < ZERO:
        raise ValidationFailed.on(field, _("The amount cannot be negative."))
    return amount


def _positive(field: str, value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValidationFailed.on(field, _("Enter a whole number greater than zero."))
