"""Risk rating and its measures (ASSESS-1, ASSESS-2): thresholds at their boundaries, combinations, measures.

Pure calculations: no database (STYLE rule 5).
"""

import dataclasses
import datetime as dt
import json
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from creditdesk.assessment.bureau import BureauQuery, BureauReport, SimulatedBureau
from creditdesk.assessment.rating import (
    HIGH,
    HIGH_MEASURES,
    LEVELS,
    LOW,
    LOW_MEASURES,
    MEDIUM,
    MEDIUM_MEASURES,
    RatingPolicy,
    rate,
)
from creditdesk.assessment.rules import AdmissionPolicy, ApplicantFacts, evaluate
from creditdesk.core.errors import ValidationFailed

ON = dt.date(2027, 3, 15)
POLICY = RatingPolicy(version="rating-2027.1")
ADMISSION = AdmissionPolicy(version="adm-2027.1")

# Alice's applicant again (see test_rules): passes every admission rule.
FACTS = ApplicantFacts(
    assessed_on=ON,
    age_years=35,
    age_years_at_maturity=38,
    full_civil_capacity=True,
    bureau_score=720,
    bad_records=(),
    monthly_income_amount=Decimal("20000.00"),
    monthly_debt_service_amount=Decimal("3000.00"),
    new_instalment_amount=Decimal("4000.00"),
    documents_complete=True,
    has_major_accident=False,
    vehicle_age_months_at_maturity=84,
    mileage_km=60_000,
    valuation_amount=Decimal("150000.00"),
    price_amount=Decimal("160000.00"),
    loan_amount=Decimal("100000.00"),
    term_months=36,
)
ADMITTED = evaluate(ADMISSION, FACTS)
REFUSED = evaluate(ADMISSION, dataclasses.replace(FACTS, mileage_km=250_000))
WARNED = evaluate(
    AdmissionPolicy(version="adm-lenient", require_valuation=False), dataclasses.replace(FACTS, valuation_amount=None)
)
CLEAN = BureauReport(
    score=720,
    delinquencies_24m=0,
    defaults=0,
    fraud_flag=False,
    current_debt_amount=Decimal("90000.00"),
    monthly_debt_service_amount=Decimal("3000.00"),
    inquiries_6m=1,
    bad_records=(),
    raw={},
)


def rating(*, decision=ADMITTED, internal_score=560, policy=POLICY, no_report=False, **report_changes):
    report = None if no_report else dataclasses.replace(CLEAN, **report_changes)
    return rate(policy, decision=decision, report=report, internal_score=internal_score)


def codes(r):
    return [reason.code for reason in r.reasons]


def test_an_admitted_applicant_with_a_good_report_and_score_is_low_risk_with_lenient_terms_assess_2():
    r = rating()

    assert r.level == LOW
    assert r.measures == LOW_MEASURES
    assert r.measures.preferential_terms
    assert r.measures.max_term_months == 36
    assert not r.measures.guarantor_required
    assert {reason.level for reason in r.reasons} == {LOW}
    assert codes(r) == ["admitted", "bureau_score", "delinquencies_24m", "inquiries_6m", "internal_score"]


def test_the_rating_records_its_policy_version_and_serialises_to_json_assess_1():
    body = json.loads(json.dumps(rating(score=600).as_dict()))

    assert body["policy_version"] == "rating-2027.1"
    assert body["level"] == MEDIUM
    assert body["reasons"][0] == {
        "code": "bureau_score",
        "level": "medium",
        "compared": {"score": "600", "low_min": "680", "high_max": "580"},
    }
    assert body["measures"]["min_down_payment_share"] == "0.40"


@pytest.mark.parametrize(
    ("score", "level"), [(681, LOW), (680, LOW), (679, MEDIUM), (581, MEDIUM), (580, HIGH), (579, HIGH)]
)
def test_bureau_score_thresholds_are_inclusive_assess_1(score, level):
    assert rating(score=score).level == level


@pytest.mark.parametrize(
    ("score", "level"), [(552, LOW), (551, LOW), (550, MEDIUM), (512, MEDIUM), (511, HIGH), (510, HIGH)]
)
def test_internal_score_thresholds_follow_the_scorecard_cut_offs_assess_1(score, level):
    assert rating(internal_score=score).level == level


@pytest.mark.parametrize(("spells", "level"), [(0, LOW), (1, MEDIUM), (2, MEDIUM), (3, HIGH)])
def test_overdue_spells_in_24_months_raise_the_level_assess_1(spells, level):
    assert rating(delinquencies_24m=spells).level == level


@pytest.mark.parametrize(("inquiries", "level"), [(3, LOW), (4, MEDIUM)])
def test_many_recent_inquiries_rule_out_low_risk_assess_1(inquiries, level):
    assert rating(inquiries_6m=inquiries).level == level


def test_a_fraud_flag_is_high_risk_whatever_the_scores_assess_1():
    r = rating(fraud_flag=True, score=850, internal_score=640)
    assert r.level == HIGH
    assert r.reasons[0].code == "fraud_flag"


def test_a_debt_in_default_is_high_risk_assess_1():
    r = rating(defaults=1)
    assert (r.level, r.reasons[0].code, r.reasons[0].compared) == (HIGH, "defaults", {"defaults": "1"})


def test_any_failed_admission_rule_is_high_risk_and_named_assess_1():
    r = rating(decision=REFUSED, score=800, internal_score=640)
    assert r.level == HIGH
    assert r.reasons[0].code == "admission_failed"
    assert r.reasons[0].compared == {"rule": "ADM-6.mileage", "reason": "above_maximum"}


def test_an_admission_warning_rules_out_low_risk_assess_1():
    r = rating(decision=WARNED)
    assert r.level == MEDIUM
    assert r.reasons[0].compared == {"rule": "ADM-5.valuation", "reason": "missing"}


def test_no_bureau_report_or_no_internal_score_is_at_least_medium_assess_1():
    assert rating(no_report=True).level == MEDIUM
    assert codes(rating(no_report=True))[0] == "no_bureau_report"
    no_score = rating(internal_score=None)
    assert (no_score.level, no_score.reasons[0].code) == (MEDIUM, "no_internal_score")


def test_reasons_come_worst_first_in_signal_order_assess_1():
    r = rating(decision=REFUSED, delinquencies_24m=1, inquiries_6m=5)
    assert [(x.code, x.level) for x in r.reasons] == [
        ("admission_failed", HIGH),
        ("delinquencies_24m", MEDIUM),
        ("inquiries_6m", MEDIUM),
        ("bureau_score", LOW),
        ("internal_score", LOW),
    ]


# --- measures (ASSESS-2) ---


def test_medium_risk_needs_a_higher_down_payment_or_a_guarantor_and_close_monitoring_assess_2():
    m = rating(score=650).measures
    assert m == MEDIUM_MEASURES
    assert (m.min_down_payment_share, m.min_down_payment_share_with_guarantor) == (Decimal("0.40"), Decimal("0.30"))
    assert m.enhanced_review
    assert (m.monitoring_level, m.visits_per_quarter) == ("close", 2)
    assert not m.declined_by_default


def test_high_risk_is_declined_by_default_and_an_exception_gets_stricter_terms_assess_2():
    m = rating(score=500).measures
    assert m == HIGH_MEASURES
    assert m.declined_by_default
    assert m.min_down_payment_share >= Decimal("0.50")
    assert m.min_down_payment_share_with_guarantor >= Decimal("0.50")
    assert m.max_term_months <= 24
    assert m.guarantor_required
    assert (m.monitoring_level, m.visits_per_quarter) == ("intensive", 3)


def test_the_measures_get_stricter_from_low_to_high_assess_2():
    low, medium, high = LOW_MEASURES, MEDIUM_MEASURES, HIGH_MEASURES
    assert low.min_down_payment_share < medium.min_down_payment_share < high.min_down_payment_share
    assert low.max_term_months >= medium.max_term_months > high.max_term_months
    assert low.visits_per_quarter < medium.visits_per_quarter < high.visits_per_quarter


def test_thresholds_and_measures_are_configurable_assess_2():
    strict = dataclasses.replace(MEDIUM_MEASURES, min_down_payment_share=Decimal("0.45"), guarantor_required=True)
    policy = RatingPolicy(version="rating-2027.2", low_min_bureau_score=700, medium_measures=strict)
    r = rating(policy=policy, score=690)
    assert (r.level, r.policy_version, r.measures) == (MEDIUM, "rating-2027.2", strict)


def test_a_policy_refuses_crossed_thresholds_and_bad_measures():
    with pytest.raises(ValidationFailed):
        RatingPolicy(version="")
    with pytest.raises(ValidationFailed):
        RatingPolicy(version="v", high_max_bureau_score=680)
    with pytest.raises(ValidationFailed):
        RatingPolicy(version="v", high_max_internal_score=551)
    with pytest.raises(ValidationFailed):
        RatingPolicy(version="v", high_min_delinquencies_24m=0)
    with pytest.raises(ValidationFailed):
        RatingPolicy(version="v", max_inquiries_6m_for_low=-1)
    with pytest.raises(ValidationFailed):
        dataclasses.replace(LOW_MEASURES, min_down_payment_share_with_guarantor=Decimal("0.50"))
    with pytest.raises(ValidationFailed):
        dataclasses.replace(LOW_MEASURES, monitoring_level="relaxed")
    with pytest.raises(ValidationFailed):
        dataclasses.replace(LOW_MEASURES, max_term_months=0)


def test_a_simulated_report_rates_end_to_end_assess_1():
    report = SimulatedBureau().query(
        BureauQuery(
            subject_kind="individual",
            identifier="11010519491231002X",
            consent_reference="AUTH-2027-0001",
            purpose="loan_approval",
            queried_on=ON,
        )
    )
    facts = dataclasses.replace(
        FACTS,
        bureau_score=report.score,
        bad_records=report.bad_records,
        monthly_debt_service_amount=report.monthly_debt_service_amount,
    )
    r = rate(POLICY, decision=evaluate(ADMISSION, facts), report=report, internal_score=540)
    assert r.level in LEVELS
    assert r.measures == POLICY.measures_for(r.level)


# --- invariants ---

reports = st.builds(
    BureauReport,
    score=st.integers(450, 850),
    delinquencies_24m=st.integers(0, 6),
    defaults=st.integers(0, 2),
    fraud_flag=st.booleans(),
    current_debt_amount=st.just(Decimal("0.00")),
    monthly_debt_service_amount=st.just(Decimal("0.00")),
    inquiries_6m=st.integers(0, 12),
    bad_records=st.just(()),
    raw=st.just({}),
)
decisions = st.sampled_from([ADMITTED, WARNED, REFUSED])
internal_scores = st.none() | st.integers(363, 647)


@given(decision=decisions, report=st.none() | reports, internal_score=internal_scores)
def test_the_level_is_the_worst_reason_and_the_measures_follow_it_assess_2(decision, report, internal_score):
    r = rate(POLICY, decision=decision, report=report, internal_score=internal_score)
    assert r.level == max((x.level for x in r.reasons), key=LEVELS.index)
    assert r.reasons[0].level == r.level
    assert r.measures == POLICY.measures_for(r.level)
    assert (r.level == HIGH) == r.measures.declined_by_default
    if not decision.admitted or (report is not None and (report.fraud_flag or report.defaults)):
        assert r.level == HIGH


@given(decision=decisions, report=reports, internal_score=internal_scores, more=st.integers(1, 400))
def test_a_higher_bureau_score_never_raises_the_risk_level_assess_1(decision, report, internal_score, more):
    before = rate(POLICY, decision=decision, report=report, internal_score=internal_score)
    better = dataclasses.replace(report, score=report.score + more)
    after = rate(POLICY, decision=decision, report=better, internal_score=internal_score)
    assert LEVELS.index(after.level) <= LEVELS.index(before.level)


@given(decision=decisions, report=reports, internal_score=st.integers(363, 647), more=st.integers(1, 300))
def test_a_higher_internal_score_never_raises_the_risk_level_assess_1(decision, report, internal_score, more):
    before = rate(POLICY, decision=decision, report=report, internal_score=internal_score)
    after = rate(POLICY, decision=decision, report=report, internal_score=internal_score + more)
    assert LEVELS.index(after.level) <= LEVELS.index(before.level)


@given(report=reports, internal_score=internal_scores)
def test_a_refused_admission_is_never_rated_better_than_an_admitted_one_assess_1(report, internal_score):
    admitted = rate(POLICY, decision=ADMITTED, report=report, internal_score=internal_score)
    refused = rate(POLICY, decision=REFUSED, report=report, internal_score=internal_score)
    assert LEVELS.index(refused.level) >= LEVELS.index(admitted.level)
