"""Current-value estimates of a used car (二手车估值), DOMAIN.md §12, for the vehicle record of INFO-3.

Hand-computed values at the 54321 segment boundaries and inside segments, the mileage rule, replacement cost ×
成新率, vehicle age in months, and invariants over time and mileage. Pure calculation: no database (STYLE rule 5).
"""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from creditdesk.core.errors import ValidationFailed
from creditdesk.vehicles.valuation import age_based_value, depreciation_54321, vehicle_age_months

REGISTERED_ON = dt.date(2020, 1, 15)


def value_54321(on, original="150000.00", mileage_km=None, registered_on=REGISTERED_ON, **life):
    return depreciation_54321(
        original_value=Decimal(original), first_registered_on=registered_on, on=on, mileage_km=mileage_km, **life
    )


# --- 54321: hand-computed values ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (dt.date(2020, 1, 15), "150000.00"),  # new: nothing lost
        (dt.date(2022, 1, 15), "100000.00"),  # end of segment 1: 5/15 lost
        (dt.date(2024, 1, 15), "60000.00"),  # end of segment 2: 9/15 lost
        (dt.date(2026, 1, 15), "30000.00"),  # end of segment 3: 12/15 lost
        (dt.date(2028, 1, 15), "10000.00"),  # end of segment 4: 14/15 lost
        (dt.date(2030, 1, 15), "0.00"),  # end of life: all lost
    ],
)
def test_segment_boundaries_leave_the_cumulative_fifteenths(on, expected):
    """INFO-3, DOMAIN.md §12: over ten years the car loses 5, 4, 3, 2, 1 fifteenths in successive two-year steps."""
    assert value_54321(on) == Decimal(expected)


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (dt.date(2021, 1, 15), "125000.00"),  # half of segment 1: 2.5/15 lost
        (dt.date(2023, 1, 15), "80000.00"),  # half of segment 2: 5 + 2 = 7/15 lost
        (dt.date(2029, 1, 15), "5000.00"),  # half of segment 5: 14.5/15 lost
    ],
)
def test_within_a_segment_the_value_falls_linearly(on, expected):
    """INFO-3: half-way through a segment, half of that segment's fifteenths are lost."""
    assert value_54321(on) == Decimal(expected)


def test_a_fraction_of_a_month_counts_by_its_days():
    """INFO-3: 15 of January's 31 days → position (15/31)/120, loss 5/3 × position = 0.67204…% of 100,000."""
    assert value_54321(dt.date(2024, 1, 16), original="100000.00", registered_on=dt.date(2024, 1, 1)) == Decimal(
        "99327.96"
    )


def test_one_month_in_is_rounded_half_up_to_the_fen():
    """INFO-3: 1/120 of the life → 1/72 of the value lost → 100,000 × 71/72 = 98,611.111… → 98,611.11."""
    assert value_54321(dt.date(2024, 2, 1), original="100000.00", registered_on=dt.date(2024, 1, 1)) == Decimal(
        "98611.11"
    )


def test_the_value_stays_zero_after_the_end_of_life():
    """INFO-3: never below zero, however old the car."""
    assert value_54321(dt.date(2041, 6, 1)) == Decimal("0.00")


def test_high_mileage_moves_the_car_further_along_its_life():
    """INFO-3: 90,000 km in one year is 3/10 of 300,000 km, ahead of 1/10 by time: valued as at three years."""
    assert value_54321(dt.date(2021, 1, 15), mileage_km=90_000) == Decimal("80000.00")


def test_low_mileage_does_not_make_an_old_car_younger():
    """INFO-3: the more advanced position wins; 10,000 km in two years still loses the two years."""
    assert value_54321(dt.date(2022, 1, 15), mileage_km=10_000) == Decimal("100000.00")


def test_mileage_beyond_the_life_leaves_nothing():
    """INFO-3: at or past 300,000 km the car is at the end of its life."""
    assert value_54321(dt.date(2021, 1, 15), mileage_km=450_000) == Decimal("0.00")


def test_life_figures_are_parameters():
    """INFO-3, DOMAIN.md §12 ([S]/[M] heuristics are configurable): a 5-year life reaches 10/15 after one year."""
    assert value_54321(dt.date(2021, 1, 15), life_years=5) == Decimal("100000.00")
    assert value_54321(dt.date(2020, 6, 1), mileage_km=30_000, life_km=150_000) == Decimal("100000.00")


# --- 54321: errors -----------------------------------------------------------------------------------------------


def test_a_registration_after_the_valuation_date_is_refused():
    """INFO-3: a car cannot be valued before it was registered."""
    with pytest.raises(ValidationFailed) as caught:
        value_54321(dt.date(2020, 1, 14))
    assert "first_registered_on" in caught.value.fields


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"original": "-1.00"}, "original_value"),
        ({"mileage_km": -1}, "mileage_km"),
        ({"mileage_km": 12.5}, "mileage_km"),
        ({"life_years": 0}, "life_years"),
        ({"life_km": 0}, "life_km"),
    ],
)
def test_impossible_inputs_are_refused_on_their_field(arguments, field):
    """INFO-3: negative values, fractional kilometres and empty lives are validation errors."""
    with pytest.raises(ValidationFailed) as caught:
        value_54321(dt.date(2021, 1, 15), **arguments)
    assert field in caught.value.fields


def test_a_float_value_is_refused():
    """INFO-3: money is never built from floats (STYLE rule 6)."""
    with pytest.raises(ValidationFailed) as caught:
        depreciation_54321(
            original_value=150000.0, first_registered_on=REGISTERED_ON, on=dt.date(2021, 1, 1), mileage_km=None
        )
    assert "original_value" in caught.value.fields


# --- Replacement cost × 成新率 ------------------------------------------------------------------------------------


def age_value(on, cost="200000.00", registered_on=dt.date(2020, 3, 10), **life):
    return age_based_value(replacement_cost=Decimal(cost), first_registered_on=registered_on, on=on, **life)


def test_age_based_value_is_replacement_cost_times_the_newness_rate():
    """INFO-3: 3 of 15 years used → 成新率 80 % → 160,000.00 of 200,000.00."""
    assert age_value(dt.date(2023, 3, 10)) == Decimal("160000.00")


def test_age_based_value_counts_completed_months_only():
    """INFO-3: the day before the third anniversary is 35 months: 200,000 × 145/180 = 161,111.11."""
    assert age_value(dt.date(2023, 3, 9)) == Decimal("161111.11")


def test_age_based_value_is_zero_at_and_after_the_specified_life():
    """INFO-3: 成新率 is floored at zero."""
    assert age_value(dt.date(2035, 3, 10)) == Decimal("0.00")
    assert age_value(dt.date(2040, 1, 1)) == Decimal("0.00")


def test_age_based_value_takes_another_specified_life():
    """INFO-3: with a 10-year life, 3 years used leaves 70 %."""
    assert age_value(dt.date(2023, 3, 10), life_years=10) == Decimal("140000.00")


def test_age_based_value_refuses_a_registration_after_the_valuation_date():
    """INFO-3: same date rule as the 54321 method."""
    with pytest.raises(ValidationFailed) as caught:
        age_value(dt.date(2020, 3, 9))
    assert "first_registered_on" in caught.value.fields


# --- Vehicle age -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("registered_on", "on", "months"),
    [
        (dt.date(2020, 1, 15), dt.date(2020, 1, 15), 0),
        (dt.date(2020, 1, 15), dt.date(2020, 2, 14), 0),
        (dt.date(2020, 1, 15), dt.date(2020, 2, 15), 1),
        (dt.date(2020, 1, 15), dt.date(2023, 1, 15), 36),
        (dt.date(2020, 1, 15), dt.date(2023, 1, 14), 35),
        (dt.date(2023, 1, 31), dt.date(2023, 2, 27), 0),
        (dt.date(2023, 1, 31), dt.date(2023, 2, 28), 1),  # month-end clamp, as for due dates
        (dt.date(2024, 1, 31), dt.date(2024, 2, 29), 1),
        (dt.date(2023, 1, 31), dt.date(2023, 3, 30), 1),
        (dt.date(2023, 1, 31), dt.date(2023, 3, 31), 2),
        (dt.date(2024, 2, 29), dt.date(2025, 2, 28), 12),
    ],
)
def test_vehicle_age_counts_completed_calendar_months(registered_on, on, months):
    """INFO-3: 车龄 in completed months, with the month-end clamp of the repayment schedule."""
    assert vehicle_age_months(registered_on, on) == months


def test_vehicle_age_refuses_a_registration_in_the_future():
    """INFO-3: the registration date cannot be after the date of the age."""
    with pytest.raises(ValidationFailed) as caught:
        vehicle_age_months(dt.date(2024, 5, 2), dt.date(2024, 5, 1))
    assert "first_registered_on" in caught.value.fields


# --- Invariants --------------------------------------------------------------------------------------------------

dates = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2045, 12, 31))
originals = st.integers(min_value=0, max_value=1_000_000_000).map(lambda fen: Decimal(fen).scaleb(-2))
mileages = st.none() | st.integers(min_value=0, max_value=700_000)
days = st.integers(min_value=0, max_value=9000)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])  # generation is slow on a loaded machine
@given(registered_on=dates, gap=days, step=days, original=originals, mileage=mileages)
def test_the_54321_value_never_rises_as_time_passes(registered_on, gap, step, original, mileage):
    """INFO-3: with the same mileage, a later valuation date never gives a higher value; always within [0, original]."""
    earlier = registered_on + dt.timedelta(days=gap)  # built in order, not filtered: no example is thrown away
    later = earlier + dt.timedelta(days=step)

    value_earlier = value_54321(earlier, original=original, mileage_km=mileage, registered_on=registered_on)
    value_later = value_54321(later, original=original, mileage_km=mileage, registered_on=registered_on)

    assert value_later <= value_earlier
    assert Decimal(0) <= value_later <= value_earlier <= original


@settings(max_examples=300)
@given(registered_on=dates, gap=days, original=originals, low=mileages, extra=st.integers(0, 300_000))
def test_the_54321_value_never_rises_with_more_mileage(registered_on, gap, original, low, extra):
    """INFO-3: more kilometres on the same date never give a higher value."""
    on = registered_on + dt.timedelta(days=gap)
    high = (low or 0) + extra

    assert value_54321(on, original=original, mileage_km=high, registered_on=registered_on) <= value_54321(
        on, original=original, mileage_km=low, registered_on=registered_on
    )


@settings(max_examples=200)
@given(registered_on=dates, years=st.integers(min_value=10, max_value=40), original=originals)
def test_the_54321_value_is_zero_from_the_end_of_life_on(registered_on, years, original):
    """INFO-3: ten years (or more) after registration nothing is left."""
    on = registered_on + dt.timedelta(days=366 * years)  # at least `years` calendar years later

    assert value_54321(on, original=original, registered_on=registered_on) == Decimal("0.00")


@settings(max_examples=300)
@given(
    registered_on=dates,
    gap=days,
    step=days,
    cost=originals,
)
def test_the_age_based_value_never_rises_as_time_passes(registered_on, gap, step, cost):
    """INFO-3: 成新率 only falls with age, and the value stays within [0, replacement cost]."""
    # Built in order (registration ≤ earlier ≤ later) rather than filtered, so no example is thrown away.
    earlier = registered_on + dt.timedelta(days=gap)
    later = earlier + dt.timedelta(days=step)

    value_earlier = age_value(earlier, cost=cost, registered_on=registered_on)
    value_later = age_value(later, cost=cost, registered_on=registered_on)

    assert Decimal(0) <= value_later <= value_earlier <= cost
