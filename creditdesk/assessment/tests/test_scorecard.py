"""Runtime scoring over the committed scorecard artifact (ASSESS-1): bins, order, PD, reasons, missing values.

Pure calculations: no database (STYLE rule 5).
"""

import copy
import itertools
import json
import math
import subprocess
import sys
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from creditdesk.assessment.scorecard import (
    BANK_ACCOUNT_FEATURE,
    CURRENT_ARTIFACT,
    HOUSING_FEATURE,
    MAX_REASONS,
    PURPOSE_FEATURE,
    SAVINGS_FEATURE,
    Scorecard,
    features_from_application,
    load_scorecard,
    score,
    score_many,
)
from creditdesk.customers.choices import Housing, SavingsBand

CARD = load_scorecard()
ARTIFACT = json.loads(CURRENT_ARTIFACT.read_text(encoding="utf-8"))
FEATURES = {f["name"]: f for f in ARTIFACT["features"]}

# Alice's applicant: settled, salaried, short cheap loan. Bob's: young, new job, overdrawn, long large loan.
GOOD = features_from_application(
    age=45,
    term_months=12,
    amount=Decimal("60000"),
    employment_years=5,
    housing="owned",
    savings_band="200k_1m",
    bank_account="salary",
    existing_debt_amount=Decimal("0"),
)
BAD = features_from_application(
    age=22,
    term_months=60,
    amount=Decimal("300000"),
    employment_years=0,
    housing="family",
    savings_band="none",
    bank_account="overdrawn",
    existing_debt_amount=Decimal("50000"),
)


def points_of(name, value):
    """Points of `value` for feature `name`, read straight from the artifact (independently of the scorer)."""
    feature = FEATURES[name]
    if isinstance(value, str):
        value = value.strip()
    for bin_ in feature["bins"]:
        if feature["kind"] == "categorical" and value in bin_["values"]:
            return bin_["points"]
        if feature["kind"] == "numeric" and value is not None:
            lower = -math.inf if bin_["lower"] is None else bin_["lower"]
            upper = math.inf if bin_["upper"] is None else bin_["upper"]
            if lower <= value < upper:
                return bin_["points"]
    return feature["missing"]["points"]


def shortfall(name, value):
    best = max(max(b["points"] for b in FEATURES[name]["bins"]), FEATURES[name]["missing"]["points"])
    return best - points_of(name, value)


# Model inputs as they might arrive: numbers of several types, known and unknown categories, blanks.
numbers = st.one_of(
    st.none(),
    st.integers(min_value=-10, max_value=100_000),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-1000, max_value=100_000),
    st.sampled_from(["", " ", "abc", "12", "7.5", "NaN", True]),
)


def categories(name):
    known = [v for b in FEATURES[name]["bins"] for v in b["values"]]
    return st.one_of(st.none(), st.sampled_from(known), st.sampled_from(["", "unknown", " own ", 3]))


applicants = st.fixed_dictionaries(
    {f["name"]: numbers if f["kind"] == "numeric" else categories(f["name"]) for f in ARTIFACT["features"]}
)


def test_the_committed_artifact_is_version_1_with_its_documented_figures():
    """ASSESS-1: the artifact carries version, trained_on, source, scaling, cut-offs and test AUC ≥ 0.75."""
    assert CARD.version == "v1"
    assert (CARD.base_score, CARD.base_odds, CARD.pdo) == (600, 50, 20)
    assert CARD.data_source["rows"] == 1000
    assert [c.band for c in CARD.cutoffs] == ["low", "medium", "high"]
    assert CARD.metrics["test"]["auc"] >= 0.75
    assert CARD.metrics["test"]["rows"] == 300


def test_numeric_bins_cover_the_whole_line_and_categories_sit_in_one_bin_each():
    for feature in ARTIFACT["features"]:
        bins = feature["bins"]
        if feature["kind"] == "numeric":
            assert bins[0]["lower"] is None
            assert bins[-1]["upper"] is None
            assert all(a["upper"] == b["lower"] for a, b in itertools.pairwise(bins))
        else:
            values = [v for b in bins for v in b["values"]]
            assert len(values) == len(set(values)), feature["name"]
        assert feature["missing"]["rule"].startswith("neutral")
        assert feature["missing"]["points"] == 0


@settings(max_examples=300, deadline=None)
@given(applicant=applicants)
def test_every_input_scores_within_the_card_range_with_the_artifact_points(applicant):
    result = score(CARD, applicant)
    assert CARD.min_score <= result.score <= CARD.max_score
    expected = CARD.base_points + sum(
        points_of(name, value if FEATURES[name]["kind"] == "categorical" else _plain_number(value))
        for name, value in applicant.items()
    )
    assert result.score == expected
    assert result.probability_of_default == CARD.probability_of_default(result.score)
    assert len(result.reasons) <= MAX_REASONS


def _plain_number(value):
    """What the scorer treats as a number: booleans, NaN, infinities and non-numeric text are missing."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, str):
        try:
            value = Decimal(value.strip())
        except ArithmeticError:
            return None
    if isinstance(value, (float, Decimal)) and not math.isfinite(value):
        return None
    return value


def test_a_known_good_applicant_outscores_a_known_bad_one():
    good, bad = score(CARD, GOOD), score(CARD, BAD)
    assert good.score > bad.score
    assert good.probability_of_default < bad.probability_of_default
    assert good.risk_band == "low"
    assert bad.risk_band == "high"


def test_probability_of_default_falls_strictly_as_the_score_rises():
    pds = [CARD.probability_of_default(s) for s in range(CARD.min_score, CARD.max_score + 1)]
    assert all(a > b for a, b in itertools.pairwise(pds))
    assert all(pd == pd.quantize(Decimal("0.000001")) for pd in pds)
    # The scaling: base score 600 means bad:good odds of 1:50; 20 points more halve the odds.
    assert CARD.probability_of_default(600) == Decimal("0.019608")  # 1/51
    assert CARD.probability_of_default(620) == Decimal("0.009901")  # 1/101


def test_risk_bands_follow_the_pd_ceilings_of_the_cut_offs():
    low, medium, _high = CARD.cutoffs
    for s in range(CARD.min_score, CARD.max_score + 1):
        pd = CARD.probability_of_default(s)
        expected = "low" if pd < low.max_probability_of_default else "medium"
        if pd >= medium.max_probability_of_default:
            expected = "high"
        assert CARD.risk_band(s) == expected, s


def test_reasons_name_the_features_that_cost_the_most_points():
    """ASSESS-1: the bad applicant's reasons are their largest shortfalls against each feature's best bin."""
    result = score(CARD, BAD)
    costs = sorted(
        ((shortfall(name, value), name) for name, value in BAD.items() if name in FEATURES),
        key=lambda pair: -pair[0],
    )
    assert [r.feature for r in result.reasons] == [name for cost, name in costs[:MAX_REASONS] if cost > 0]
    assert [r.points_below_best for r in result.reasons] == sorted(
        (r.points_below_best for r in result.reasons), reverse=True
    )
    assert {r.code for r in result.reasons} == {"LOAN_TERM", "BANK_ACCOUNT", "LOAN_AMOUNT", "SAVINGS"}
    assert all(r.message for r in result.reasons)


def test_a_feature_at_its_best_bin_gives_no_reason():
    result = score(CARD, GOOD)
    codes = {r.code for r in result.reasons}
    assert "BANK_ACCOUNT" not in codes
    assert "PURPOSE" not in codes
    assert all(r.points_below_best > 0 for r in result.reasons)


@pytest.mark.parametrize(
    "blank", [None, "", "   ", float("nan"), Decimal("NaN"), float("inf"), "-Infinity", "not a number", True]
)
def test_missing_or_unreadable_numbers_score_neutral_with_a_missing_reason(blank):
    result = score(CARD, {**GOOD, "duration_in_month": blank})
    assert result.score == score(CARD, GOOD).score - points_of("duration_in_month", 12)
    assert "LOAN_TERM_MISSING" in {r.code for r in result.reasons}


@pytest.mark.parametrize("blank", [None, "", "a brand-new category", 42])
def test_missing_or_unknown_categories_score_neutral(blank):
    result = score(CARD, {**GOOD, "housing": blank})
    assert result.score == score(CARD, GOOD).score - points_of("housing", "own")


def test_an_empty_application_scores_the_base_points():
    result = score(CARD, {})
    assert result.score == CARD.base_points
    assert len(result.reasons) == MAX_REASONS
    assert all(r.code.endswith("_MISSING") for r in result.reasons)


def test_numbers_may_arrive_as_int_float_decimal_or_text():
    scores = {score(CARD, {**GOOD, "age_in_years": v}).score for v in (45, 45.0, Decimal("45"), "45", " 45 ")}
    assert len(scores) == 1


@settings(max_examples=100, deadline=None)
@given(st.lists(applicants, max_size=20))
def test_score_many_equals_scoring_one_by_one(batch):
    assert score_many(CARD, batch) == [score(CARD, a) for a in batch]


def test_scoring_is_deterministic_and_the_card_is_loaded_once():
    assert load_scorecard() is CARD
    assert load_scorecard(CURRENT_ARTIFACT) == load_scorecard(str(CURRENT_ARTIFACT))
    assert score(CARD, BAD) == score(CARD, BAD)
    assert Scorecard.from_dict(copy.deepcopy(ARTIFACT)).raw == CARD.raw


@settings(max_examples=200, deadline=None)
@given(
    short=st.integers(min_value=1, max_value=84),
    extra=st.integers(min_value=0, max_value=84),
    small=st.integers(min_value=1_000, max_value=1_000_000),
    more=st.integers(min_value=0, max_value=1_000_000),
    young=st.integers(min_value=18, max_value=70),
    older=st.integers(min_value=0, max_value=30),
)
def test_longer_terms_and_larger_amounts_never_score_higher_and_age_never_lowers_it(
    short, extra, small, more, young, older
):
    """The numeric bins are monotone, so each of these moves can only keep or lower the score."""

    def with_(**changes):
        return score(CARD, {**GOOD, **changes}).score

    assert with_(duration_in_month=short + extra) <= with_(duration_in_month=short)
    assert with_(credit_amount=small + more) <= with_(credit_amount=small)
    assert with_(age_in_years=young + older) >= with_(age_in_years=young)


def test_every_choice_of_ours_maps_onto_a_category_the_model_knows():
    """docs/scorecard.md: our housing, savings, purpose and bank-account codes never fall into 'missing'."""
    known = {n: {v for b in f["bins"] for v in b["values"]} for n, f in FEATURES.items() if f["kind"] == "categorical"}
    assert set(HOUSING_FEATURE) == set(Housing.values)
    assert set(SAVINGS_FEATURE) == set(SavingsBand.values)
    assert set(HOUSING_FEATURE.values()) <= known["housing"]
    assert set(SAVINGS_FEATURE.values()) <= known["savings_account_and_bonds"]
    assert set(PURPOSE_FEATURE.values()) <= known["purpose"]
    assert set(BANK_ACCOUNT_FEATURE.values()) <= known["status_of_existing_checking_account"]
    assert "no checking account" not in BANK_ACCOUNT_FEATURE.values()
    assert "unknown/ no savings account" not in SAVINGS_FEATURE.values()


def test_features_from_application_maps_plain_values():
    features = features_from_application(
        age=30,
        term_months=24,
        amount=Decimal("100000"),
        employment_years=3,
        housing="rented",
        savings_band="lt50k",
        bank_account="low_balance",
        existing_debt_amount=Decimal("1"),
        existing_loans=0,
    )
    assert features == {
        "age_in_years": 30,
        "duration_in_month": 24,
        "credit_amount": Decimal("4000"),
        "present_employment_since": "1 <= ... < 4 years",
        "housing": "rent",
        "savings_account_and_bonds": "100 <= ... < 500 DM",
        "purpose": "car (used)",
        "status_of_existing_checking_account": "0 <= ... < 200 DM",
        "other_installment_plans": "bank",
        "number_of_existing_credits_at_this_bank": 1,
        "credit_history": None,
    }
    assert features_from_application(employment_years=0)["present_employment_since"] == "... < 1 year"
    assert features_from_application(employment_years=7)["present_employment_since"] == "... >= 7 years"
    assert features_from_application(housing="castle")["housing"] is None
    assert features_from_application()["other_installment_plans"] is None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda a: a.update(format=2), "format"),
        (lambda a: a["features"][1]["bins"][1].update(lower=13), "contiguous"),
        (lambda a: a["features"][1]["bins"][0].update(lower=0), "-inf"),
        (lambda a: a["features"][0]["bins"][1]["values"].append("no checking account"), "two bins"),
        (lambda a: a["cutoffs"][-1].update(min_score=0), "last scorecard cut-off"),
    ],
)
def test_a_malformed_artifact_is_refused(change, message):
    broken = copy.deepcopy(ARTIFACT)
    assert broken["features"][1]["kind"] == "numeric"
    change(broken)
    with pytest.raises(ValueError, match=message):
        Scorecard.from_dict(broken)


def test_the_runtime_scorer_imports_no_database_dataframe_or_model_library():
    """ARCHITECTURE: scorecard.py is pure; pandas/numpy/scikit-learn/scorecardpy are development dependencies."""
    code = (
        "import sys; import creditdesk.assessment.scorecard as s; s.score(s.load_scorecard(), {}); "
        "heavy = {'django', 'pandas', 'numpy', 'sklearn', 'scorecardpy'}; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
