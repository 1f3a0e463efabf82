"""Enterprise size class (企业规模) under the 2017 measures, DOMAIN.md §8: CLASS-2, with the CLASS-1 mapping.

Every bound of every row is tested at the bound and just below it; the table itself is pinned to DOMAIN.md §8.
Pure calculation: no database (STYLE rule 5).
"""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from creditdesk.core.errors import ValidationFailed
from creditdesk.customers.sizing import (
    SIZE_THRESHOLDS,
    Indicator,
    SizeClass,
    SizeIndustry,
    size_class,
    size_industry_for_section,
)

TIERS = [SizeClass.LARGE, SizeClass.MEDIUM, SizeClass.SMALL, SizeClass.MICRO]

# DOMAIN.md §8 transcribed independently of the code: row → [(indicator, large, medium, small lower bound)].
DOMAIN_TABLE = {
    "agriculture": [("revenue_10k", 20000, 500, 50)],
    "industry": [("employees", 1000, 300, 20), ("revenue_10k", 40000, 2000, 300)],
    "construction": [("revenue_10k", 80000, 6000, 300), ("assets_10k", 80000, 5000, 300)],
    "wholesale": [("employees", 200, 20, 5), ("revenue_10k", 40000, 5000, 1000)],
    "retail": [("employees", 300, 50, 10), ("revenue_10k", 20000, 500, 100)],
    "transport": [("employees", 1000, 300, 20), ("revenue_10k", 30000, 3000, 200)],
    "warehousing": [("employees", 200, 100, 20), ("revenue_10k", 30000, 1000, 100)],
    "postal": [("employees", 1000, 300, 20), ("revenue_10k", 30000, 2000, 100)],
    "accommodation": [("employees", 300, 100, 10), ("revenue_10k", 10000, 2000, 100)],
    "catering": [("employees", 300, 100, 10), ("revenue_10k", 10000, 2000, 100)],
    "information_transmission": [("employees", 2000, 100, 10), ("revenue_10k", 100000, 1000, 100)],
    "software_it": [("employees", 300, 100, 10), ("revenue_10k", 10000, 1000, 50)],
    "real_estate_development": [("revenue_10k", 200000, 1000, 100), ("assets_10k", 10000, 5000, 2000)],
    "property_management": [("employees", 1000, 300, 100), ("revenue_10k", 5000, 1000, 500)],
    "leasing_business_services": [("employees", 300, 100, 10), ("assets_10k", 120000, 8000, 100)],
    "other": [("employees", 300, 100, 10)],
}


def classify(industry, **figures):
    given_figures = {"employees": None, "revenue_10k": None, "assets_10k": None}
    given_figures.update(figures)
    return size_class(industry=SizeIndustry(industry), **given_figures)


def at_tier(industry, tier_index):
    """Figures of `industry` that sit exactly on the lower bounds of one tier (0 large, 1 medium, 2 small)."""
    return {
        indicator: bounds[tier_index] if indicator == "employees" else Decimal(bounds[tier_index])
        for indicator, *bounds in DOMAIN_TABLE[industry]
    }


def bound_cases():
    """One case per (row, indicator, tier, step below): parametrised from the table, so no bound is skipped."""
    for industry, row in SIZE_THRESHOLDS.items():
        for indicator, *_bounds in row:
            steps = [1] if indicator is Indicator.EMPLOYEES else [Decimal(1), Decimal("0.01")]
            for tier_index in range(3):
                for step in steps:
                    yield pytest.param(
                        industry.value,
                        indicator.value,
                        tier_index,
                        step,
                        id=f"{industry.value}-{indicator.value}-{TIERS[tier_index].value}-minus-{step}",
                    )


# --- The table -------------------------------------------------------------------------------------------------


def test_the_threshold_table_is_the_one_of_the_2017_measures():
    """CLASS-2: SIZE_THRESHOLDS equals DOMAIN.md §8, row by row and bound by bound."""
    as_plain = {
        industry.value: [(indicator.value, *(int(bound) for bound in bounds)) for indicator, *bounds in row]
        for industry, row in SIZE_THRESHOLDS.items()
    }
    assert as_plain == DOMAIN_TABLE


def test_every_size_industry_has_a_row_in_the_table():
    """CLASS-2: no SizeIndustry is left without thresholds."""
    assert set(SIZE_THRESHOLDS) == set(SizeIndustry)


# --- Every bound: at the bound, and just below -------------------------------------------------------------------


@pytest.mark.parametrize(("industry", "indicator", "tier_index", "step"), list(bound_cases()))
def test_meeting_a_lower_bound_exactly_gives_the_tier_and_just_below_drops_one(industry, indicator, tier_index, step):
    """CLASS-2: ranges are [lower, upper): on the bound the tier is reached; one unit under it, the next tier down.

    The other indicators of the row sit on the same tier's bounds, so only the indicator under test decides.
    """
    figures = at_tier(industry, tier_index)
    assert classify(industry, **figures) == TIERS[tier_index]

    figures[indicator] -= step
    assert classify(industry, **figures) == TIERS[tier_index + 1]


# --- The all-indicators rule and micro ---------------------------------------------------------------------------


def test_an_industrial_firm_with_large_headcount_but_medium_revenue_is_medium():
    """CLASS-2: large needs all indicators at the large bounds; 1,000 employees with revenue 2,000 万元 is medium."""
    assert classify("industry", employees=1000, revenue_10k=Decimal(2000)) == SizeClass.MEDIUM


def test_indicators_pointing_to_different_tiers_give_the_highest_tier_all_of_them_meet():
    """CLASS-2: large revenue but small headcount drops past medium to small, never averaging the two."""
    assert classify("wholesale", employees=5, revenue_10k=Decimal(100000)) == SizeClass.SMALL
    assert classify("retail", employees=299, revenue_10k=Decimal(499)) == SizeClass.SMALL


def test_one_micro_condition_is_enough_to_be_micro():
    """CLASS-2: micro needs only one of the row's micro conditions, however large the other figure is."""
    assert classify("industry", employees=5000, revenue_10k=Decimal(299)) == SizeClass.MICRO
    assert classify("industry", employees=19, revenue_10k=Decimal(1000000)) == SizeClass.MICRO
    assert classify("construction", revenue_10k=Decimal(90000), assets_10k=Decimal("299.99")) == SizeClass.MICRO


def test_a_firm_meeting_every_large_bound_is_large():
    """CLASS-2: well above every bound is large."""
    assert classify("construction", revenue_10k=Decimal(500000), assets_10k=Decimal(500000)) == SizeClass.LARGE


def test_zero_figures_are_micro():
    """CLASS-2: a new company with no staff and no revenue yet is micro, not an error."""
    assert classify("software_it", employees=0, revenue_10k=Decimal(0)) == SizeClass.MICRO


def test_indicators_the_row_does_not_list_are_ignored():
    """CLASS-2: agriculture is sized on revenue only; headcount and assets make no difference."""
    assert classify("agriculture", revenue_10k=Decimal(600)) == SizeClass.MEDIUM
    assert classify("agriculture", employees=5, revenue_10k=Decimal(600), assets_10k=Decimal(1)) == SizeClass.MEDIUM


def test_revenue_and_assets_may_be_given_as_strings_or_integers():
    """CLASS-2: the money helpers accept strings and ints (never floats)."""
    assert classify("construction", revenue_10k="80000", assets_10k=80000) == SizeClass.LARGE


# --- Errors ------------------------------------------------------------------------------------------------------


def test_a_missing_indicator_of_the_row_is_a_validation_error_on_that_field():
    """CLASS-2: industry needs revenue; without it the error names revenue_10k."""
    with pytest.raises(ValidationFailed) as caught:
        classify("industry", employees=50)
    assert list(caught.value.fields) == ["revenue_10k"]


def test_a_missing_indicator_is_an_error_even_when_another_already_proves_micro():
    """CLASS-2: the class is never computed from part of the figures."""
    with pytest.raises(ValidationFailed) as caught:
        classify("leasing_business_services", employees=3)
    assert list(caught.value.fields) == ["assets_10k"]


def test_all_missing_indicators_are_reported_at_once():
    """CLASS-2: a form can show every missing figure in one round."""
    with pytest.raises(ValidationFailed) as caught:
        classify("real_estate_development")
    assert set(caught.value.fields) == {"revenue_10k", "assets_10k"}


@pytest.mark.parametrize(
    ("figures", "field"),
    [
        ({"employees": -1, "revenue_10k": Decimal(10)}, "employees"),
        ({"employees": 10, "revenue_10k": Decimal("-0.01")}, "revenue_10k"),
        ({"employees": 10.0, "revenue_10k": Decimal(10)}, "employees"),
        ({"employees": True, "revenue_10k": Decimal(10)}, "employees"),
        ({"employees": 10, "revenue_10k": 10.5}, "revenue_10k"),
        ({"employees": 10, "revenue_10k": "ten"}, "revenue_10k"),
    ],
)
def test_negative_fractional_or_float_figures_are_refused(figures, field):
    """CLASS-2: headcount is a whole number, amounts are Decimal-like and nothing is negative."""
    with pytest.raises(ValidationFailed) as caught:
        classify("industry", **figures)
    assert field in caught.value.fields


def test_an_unknown_industry_is_refused():
    """CLASS-2: the row must exist."""
    with pytest.raises(ValidationFailed) as caught:
        size_class(industry="mining", employees=1, revenue_10k=Decimal(1), assets_10k=None)
    assert "industry" in caught.value.fields


def test_a_configured_table_replaces_the_default_thresholds():
    """CLASS-2: the thresholds are data, so a configured table can override a row."""
    table = {SizeIndustry.OTHER: [(Indicator.EMPLOYEES, Decimal(50), Decimal(20), Decimal(5))]}
    result = size_class(industry=SizeIndustry.OTHER, employees=60, revenue_10k=None, assets_10k=None, thresholds=table)
    assert result == SizeClass.LARGE


# --- Invariants --------------------------------------------------------------------------------------------------

headcounts = st.integers(min_value=0, max_value=5000)
amounts_10k = st.integers(min_value=0, max_value=30_000_000).map(lambda hundredths: Decimal(hundredths).scaleb(-2))
RANK = {tier: rank for rank, tier in enumerate(reversed(TIERS))}  # micro 0 … large 3


@settings(max_examples=300)
@given(
    industry=st.sampled_from(list(SizeIndustry)),
    employees=headcounts,
    revenue=amounts_10k,
    assets=amounts_10k,
    extra_employees=headcounts,
    extra_revenue=amounts_10k,
    extra_assets=amounts_10k,
)
def test_growing_any_figure_never_lowers_the_size_class(
    industry, employees, revenue, assets, extra_employees, extra_revenue, extra_assets
):
    """CLASS-2: the class is monotonic: more staff, revenue or assets never make an enterprise smaller."""
    before = size_class(industry=industry, employees=employees, revenue_10k=revenue, assets_10k=assets)
    after = size_class(
        industry=industry,
        employees=employees + extra_employees,
        revenue_10k=revenue + extra_revenue,
        assets_10k=assets + extra_assets,
    )
    assert RANK[after] >= RANK[before]


@settings(max_examples=300)
@given(industry=st.sampled_from(list(SizeIndustry)), employees=headcounts, revenue=amounts_10k, assets=amounts_10k)
def test_the_class_is_the_highest_tier_whose_bounds_are_all_met(industry, employees, revenue, assets):
    """CLASS-2: restates the rule of the measures directly against the DOMAIN.md §8 transcription."""
    figures = {"employees": employees, "revenue_10k": revenue, "assets_10k": assets}
    expected = next(
        (
            TIERS[tier_index]
            for tier_index in range(3)
            if all(figures[indicator] >= bounds[tier_index] for indicator, *bounds in DOMAIN_TABLE[industry.value])
        ),
        SizeClass.MICRO,
    )
    assert size_class(industry=industry, **figures) == expected


# --- GB/T 4754-2017 → size-table row (CLASS-1 → CLASS-2) ---------------------------------------------------------


@pytest.mark.parametrize(
    ("section", "division", "class_code", "expected"),
    [
        ("A", None, None, SizeIndustry.AGRICULTURE),
        ("A", 5, None, SizeIndustry.AGRICULTURE),
        ("B", 6, None, SizeIndustry.INDUSTRY),
        ("C", 36, None, SizeIndustry.INDUSTRY),
        ("C", None, None, SizeIndustry.INDUSTRY),
        ("D", 44, None, SizeIndustry.INDUSTRY),
        ("E", 47, None, SizeIndustry.CONSTRUCTION),
        ("F", 51, None, SizeIndustry.WHOLESALE),
        ("F", 52, None, SizeIndustry.RETAIL),
        ("G", 53, None, SizeIndustry.OTHER),
        ("G", 54, None, SizeIndustry.TRANSPORT),
        ("G", 58, None, SizeIndustry.TRANSPORT),
        ("G", 59, None, SizeIndustry.WAREHOUSING),
        ("G", 59, "5920", SizeIndustry.WAREHOUSING),
        ("G", 59, "5910", SizeIndustry.TRANSPORT),
        ("G", 60, None, SizeIndustry.POSTAL),
        ("H", 61, None, SizeIndustry.ACCOMMODATION),
        ("H", 62, None, SizeIndustry.CATERING),
        ("I", 63, None, SizeIndustry.INFORMATION_TRANSMISSION),
        ("I", 64, None, SizeIndustry.INFORMATION_TRANSMISSION),
        ("I", 65, None, SizeIndustry.SOFTWARE_IT),
        ("J", 66, None, SizeIndustry.OTHER),
        ("K", 70, "7010", SizeIndustry.REAL_ESTATE_DEVELOPMENT),
        ("K", None, "K7010", SizeIndustry.REAL_ESTATE_DEVELOPMENT),
        ("K", 70, "7020", SizeIndustry.PROPERTY_MANAGEMENT),
        ("K", 70, "702", SizeIndustry.PROPERTY_MANAGEMENT),
        ("K", 70, "7030", SizeIndustry.OTHER),
        ("K", 70, "7090", SizeIndustry.OTHER),
        ("L", 71, None, SizeIndustry.LEASING_BUSINESS_SERVICES),
        ("L", 72, None, SizeIndustry.LEASING_BUSINESS_SERVICES),
        ("M", 73, None, SizeIndustry.OTHER),
        ("O", 81, None, SizeIndustry.OTHER),
        ("R", None, None, SizeIndustry.OTHER),
        ("T", 97, None, SizeIndustry.OTHER),
        ("f", 52, None, SizeIndustry.RETAIL),
        (" g ", None, "5910", SizeIndustry.TRANSPORT),
    ],
)
def test_gbt_4754_codes_map_to_the_size_table_rows(section, division, class_code, expected):
    """CLASS-1/CLASS-2: sections, divisions and (for K and G59) class codes choose the row of the 2017 measures."""
    assert size_industry_for_section(section, division, class_code) == expected


@pytest.mark.parametrize(
    ("section", "division", "class_code", "field"),
    [
        ("F", None, None, "division"),
        ("G", None, None, "division"),
        ("H", None, None, "division"),
        ("I", None, None, "division"),
        ("K", 70, None, "class_code"),
        ("K", None, None, "class_code"),
        ("Z", None, None, "section"),
        ("", None, None, "section"),
        ("C", 51, None, "division"),
        ("C", 99, None, "division"),
        ("K", 70, "5910", "class_code"),
        ("G", 59, "5810", "class_code"),
        ("K", 70, "70", "class_code"),
        ("K", 70, "70x0", "class_code"),
    ],
)
def test_ambiguous_or_inconsistent_codes_are_refused(section, division, class_code, field):
    """CLASS-1: no guessing where the rows need more detail (F–I division, K class), nor across sections."""
    with pytest.raises(ValidationFailed) as caught:
        size_industry_for_section(section, division, class_code)
    assert field in caught.value.fields
