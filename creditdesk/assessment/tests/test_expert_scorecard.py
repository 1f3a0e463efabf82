"""The application scorecard (A 卡), expert version: bands in our own units, validation, score and reasons (ASSESS-1).

Pure: no database.
"""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal

import pytest

from creditdesk.assessment import expert_defaults, expert_scorecard
from creditdesk.assessment.expert_scorecard import applicant_values, card_from_data, score
from creditdesk.core.errors import ValidationFailed

TODAY = dt.date(2027, 3, 15)


def default_card():
    return card_from_data(
        name=expert_defaults.NAME,
        base_points=expert_defaults.BASE_POINTS,
        characteristics=copy.deepcopy(expert_defaults.CHARACTERISTICS),
    )


def values(**changes):
    base = {
        "monthly_income_amount": Decimal("30000.00"),
        "monthly_debt_service_amount": Decimal("2000.00"),
        "new_instalment_amount": Decimal("3500.00"),
        "loan_amount": Decimal("100000.00"),
        "price_amount": Decimal("150000.00"),
        "valuation_amount": Decimal("140000.00"),
        "down_payment_amount": Decimal("50000.00"),
        "bureau_score": 700,
        "delinquencies_24m": 0,
        "inquiries_6m": 1,
        "employment_years": 8,
        "age_years": 35,
        "housing": "owned",
        "vehicle_first_registered_on": dt.date(2024, 3, 16),
        "assessed_on": TODAY,
        "mileage_km": 40_000,
        "term_months": 36,
    }
    return applicant_values(**{**base, **changes})


def test_the_default_card_covers_every_characteristic_of_our_own_applicants():
    card = default_card()
    assert [c.code for c in card.characteristics] == [c for c in expert_scorecard.CHARACTERISTICS if c != "loan_amount"]
    assert card.name == "A卡专家评分 V1"


def test_values_are_in_yuan_percent_months_and_years_from_our_facts():
    v = values()
    assert v["monthly_income"] == Decimal(30000)
    assert v["debt_to_income"] == Decimal("18.34")  # (2 000 + 3 500) / 30 000, rounded up to 0.01 %
    assert v["loan_to_value"] == Decimal("71.43")  # 100 000 on the lower of price and appraisal (140 000)
    assert v["down_payment_ratio"] == Decimal("33.33")  # 50 000 / 150 000, rounded down
    assert v["vehicle_age"] == Decimal(2)  # 2024-03-16 → 2027-03-15: 2 whole years
    assert (v["term"], v["age"], v["mileage"], v["housing"]) == (Decimal(36), Decimal(35), Decimal(40000), "owned")


def test_boundaries_are_inclusive_dti_30_percent_earns_the_most():
    card = default_card()
    dti = {c.code: c for c in card.characteristics}["debt_to_income"]
    assert dti.band_of(Decimal("30.00")).points == 40 == dti.best_points
    assert dti.band_of(Decimal("30.01")).points == 28
    assert dti.band_of(Decimal("55.00")).points == 5
    assert dti.band_of(Decimal("55.01")).points == 0


def test_the_score_is_base_plus_points_and_the_reasons_read_in_our_terms():
    card = default_card()
    facts = {"monthly_debt_service_amount": Decimal("10000"), "valuation_amount": Decimal("150000.00")}
    result = score(card, values(**facts))
    assert result.score == card.base_points + sum(c["points"] for c in result.contributions)
    by_code = {c["code"]: c for c in result.contributions}
    assert by_code["debt_to_income"]["value"] == "45"
    assert by_code["debt_to_income"]["band"] == {"min": "40.01", "max": "50", "points": 14}
    first = result.reasons[0]
    assert (first.code, first.value, first.direction, first.bound) == ("debt_to_income", "45", "above", "30")
    assert first.points_below_best == 26


def test_a_missing_fact_scores_its_missing_band_and_says_so():
    card = default_card()
    result = score(card, values(bureau_score=None, delinquencies_24m=None))
    by_code = {c["code"]: c for c in result.contributions}
    assert by_code["bureau_score"]["missing"] is True
    assert by_code["bureau_score"]["points"] == 15
    assert any(r.code == "bureau_score" and r.direction == "missing" for r in result.reasons)


def test_a_higher_bureau_score_never_lowers_the_score():
    card = default_card()
    scores = [score(card, values(bureau_score=s)).score for s in range(450, 851, 10)]
    assert scores == sorted(scores)


def _with(code, bands):
    data = copy.deepcopy(expert_defaults.CHARACTERISTICS)
    for item in data:
        if item["code"] == code:
            item["bands"] = bands
    return data


@pytest.mark.parametrize(
    "bands",
    [
        [{"min": None, "max": "30", "points": 40}, {"min": "25", "max": None, "points": 0}],  # overlap
        [{"min": None, "max": "30", "points": 40}, {"min": "35", "max": None, "points": 0}],  # gap
        [{"min": None, "max": "30", "points": 40}, {"min": "30.01", "max": "50", "points": 0}],  # no open end
        [{"min": "0", "max": "30", "points": 40}, {"min": "30.01", "max": None, "points": 0}],  # no open start
        [{"min": None, "max": "30.005", "points": 40}, {"min": "30.015", "max": None, "points": 0}],  # step
        [{"min": None, "max": 30.0, "points": 40}, {"min": "30.01", "max": None, "points": 0}],  # a float
        [{"min": None, "max": "30", "points": "40"}, {"min": "30.01", "max": None, "points": 0}],  # points text
    ],
)
def test_bands_that_overlap_leave_gaps_or_are_malformed_are_refused_on_the_field(bands):
    with pytest.raises(ValidationFailed) as caught:
        card_from_data(name="x", base_points=300, characteristics=_with("debt_to_income", bands))
    assert list(caught.value.fields) == ["characteristics"]


def test_category_bands_must_cover_every_housing_value_once():
    overlapping = [{"values": ["owned", "mortgaged"], "points": 18}, {"values": ["mortgaged"], "points": 1}]
    with pytest.raises(ValidationFailed, match="mortgaged"):
        card_from_data(name="x", base_points=300, characteristics=_with("housing", overlapping))
    only_owned = _with("housing", [{"values": ["owned"], "points": 1}])
    with pytest.raises(ValidationFailed):
        card_from_data(name="x", base_points=300, characteristics=only_owned)


def test_an_unknown_or_repeated_characteristic_is_refused():
    data = copy.deepcopy(expert_defaults.CHARACTERISTICS)
    with pytest.raises(ValidationFailed):
        card_from_data(name="x", base_points=300, characteristics=[*data, {"code": "savings_dm", "bands": []}])
    with pytest.raises(ValidationFailed):
        card_from_data(name="x", base_points=300, characteristics=[*data, data[0]])
