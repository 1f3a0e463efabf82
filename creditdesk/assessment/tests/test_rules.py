"""Admission rules (ADM-1…ADM-7): every rule at, just below and just above its boundary, missing data, policy version.

Pure calculations: no database (STYLE rule 5).
"""

import dataclasses
import datetime as dt
import json
from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from creditdesk.assessment.rules import (
    FAIL,
    FRAUD,
    OVERDUE,
    PASS,
    PERSONAL_RULES,
    RULE_CODES,
    UNPAID_DEBT,
    VEHICLE_RULES,
    WARN,
    AdmissionPolicy,
    ApplicantFacts,
    BadRecord,
    evaluate,
    policy_as_dict,
    ratio_up,
)
from creditdesk.core.errors import ValidationFailed

ON = dt.date(2027, 3, 15)
POLICY = AdmissionPolicy(version="adm-2027.1")

# Alice's applicant: 35, salaried, clean credit report, a six-year-old car, a modest loan over three years.
GOOD = ApplicantFacts(
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


def facts(**changes):
    return dataclasses.replace(GOOD, **changes)


def result(code, policy=POLICY, **changes):
    return evaluate(policy, facts(**changes)).result(code)


def test_a_good_applicant_passes_every_rule_and_is_admitted_adm_7():
    decision = evaluate(POLICY, GOOD)

    assert decision.admitted
    assert [r.outcome for r in decision.results] == [PASS] * len(RULE_CODES)
    assert decision.failures == ()
    assert decision.warnings == ()


def test_the_decision_records_the_policy_version_and_one_result_per_rule_in_order_adm_7():
    decision = evaluate(AdmissionPolicy(version="adm-2027.2"), GOOD)

    assert decision.policy_version == "adm-2027.2"
    assert tuple(r.code for r in decision.results) == RULE_CODES
    assert {r.requirement for r in decision.results} == {"ADM-1", "ADM-2", "ADM-3", "ADM-4", "ADM-5", "ADM-6"}


def test_the_decision_serialises_to_json_with_reasons_and_compared_figures_adm_7():
    body = json.loads(json.dumps(evaluate(POLICY, facts(bureau_score=599)).as_dict()))

    assert body["policy_version"] == "adm-2027.1"
    assert body["admitted"] is False
    score = next(r for r in body["results"] if r["code"] == "ADM-3.bureau_score")
    assert score == {
        "code": "ADM-3.bureau_score",
        "outcome": "fail",
        "reason": "below_minimum",
        "compared": {"bureau_score": "599", "min": "600"},
    }


def test_one_failed_rule_refuses_admission_but_a_warning_does_not_adm_7():
    assert not evaluate(POLICY, facts(mileage_km=250_000)).admitted
    lenient = AdmissionPolicy(version="v", require_valuation=False)
    decision = evaluate(lenient, facts(valuation_amount=None))
    assert decision.admitted
    assert [r.code for r in decision.warnings] == ["ADM-5.valuation"]


# --- ADM-1 civil capacity ---


def test_a_person_without_full_civil_capacity_fails_adm_1():
    r = result("ADM-1.civil_capacity", full_civil_capacity=False)
    assert (r.outcome, r.reason) == (FAIL, "no_full_civil_capacity")


def test_unknown_civil_capacity_fails_as_missing_adm_1():
    r = result("ADM-1.civil_capacity", full_civil_capacity=None)
    assert (r.outcome, r.reason) == (FAIL, "missing")


def test_a_policy_that_waives_civil_capacity_only_warns_adm_1():
    waived = AdmissionPolicy(version="v", require_full_civil_capacity=False)
    r = result("ADM-1.civil_capacity", waived, full_civil_capacity=False)
    assert (r.outcome, r.reason, r.compared["enforced"]) == (WARN, "no_full_civil_capacity", "false")


# --- ADM-2 age, age at maturity, repayment capacity ---


@pytest.mark.parametrize(
    ("age", "outcome", "reason"),
    [
        (17, FAIL, "below_minimum"),
        (18, PASS, "ok"),
        (19, PASS, "ok"),
        (59, PASS, "ok"),
        (60, PASS, "ok"),
        (61, FAIL, "above_maximum"),
    ],
)
def test_age_is_admitted_from_18_to_60_inclusive_adm_2(age, outcome, reason):
    r = result("ADM-2.age", age_years=age)
    assert (r.outcome, r.reason) == (outcome, reason)
    assert r.compared == {"age_years": str(age), "min": "18", "max": "60"}


def test_the_age_range_is_configurable_adm_2():
    policy = AdmissionPolicy(version="v", min_age=22, max_age=55)
    assert result("ADM-2.age", policy, age_years=21).outcome == FAIL
    assert result("ADM-2.age", policy, age_years=22).outcome == PASS
    assert result("ADM-2.age", policy, age_years=55).outcome == PASS
    assert result("ADM-2.age", policy, age_years=56).outcome == FAIL


@pytest.mark.parametrize(("age", "outcome"), [(64, PASS), (65, PASS), (66, FAIL)])
def test_age_at_maturity_is_capped_at_65_inclusive_adm_2(age, outcome):
    assert result("ADM-2.age_at_maturity", age_years_at_maturity=age).outcome == outcome


def test_no_age_cap_at_maturity_passes_as_not_configured_adm_2():
    policy = AdmissionPolicy(version="v", max_age_at_maturity=None)
    r = result("ADM-2.age_at_maturity", policy, age_years_at_maturity=None)
    assert (r.outcome, r.reason) == (PASS, "not_configured")


@pytest.mark.parametrize(
    ("debt", "outcome", "ratio"),
    [
        ("1499.00", PASS, "0.5499"),
        ("1500.00", PASS, "0.5500"),
        ("1501.00", FAIL, "0.5501"),
        ("1500.01", FAIL, "0.5501"),  # a hair over the cap is rounded up, shown and refused
    ],
)
def test_debt_to_income_passes_up_to_055_inclusive_adm_2(debt, outcome, ratio):
    # 10,000 a month; 4,000 new instalment + existing service.
    r = result(
        "ADM-2.debt_to_income",
        monthly_income_amount=Decimal("10000.00"),
        monthly_debt_service_amount=Decimal(debt),
        new_instalment_amount=Decimal("4000.00"),
    )
    assert (r.outcome, r.compared["debt_to_income"], r.compared["max"]) == (outcome, ratio, "0.55")


@pytest.mark.parametrize("missing", ["monthly_income_amount", "monthly_debt_service_amount", "new_instalment_amount"])
def test_debt_to_income_with_an_unknown_figure_fails_as_missing_adm_2(missing):
    r = result("ADM-2.debt_to_income", **{missing: None})
    assert (r.outcome, r.reason) == (FAIL, "missing")


def test_no_income_fails_repayment_capacity_adm_2():
    r = result("ADM-2.debt_to_income", monthly_income_amount=Decimal("0"))
    assert (r.outcome, r.reason) == (FAIL, "no_income")


# --- ADM-3 bureau score ---


@pytest.mark.parametrize(("score", "outcome"), [(599, FAIL), (600, PASS), (601, PASS)])
def test_the_bureau_score_must_be_at_least_600_adm_3(score, outcome):
    assert result("ADM-3.bureau_score", bureau_score=score).outcome == outcome


def test_no_credit_report_fails_the_score_rule_as_missing_adm_3():
    r = result("ADM-3.bureau_score", bureau_score=None)
    assert (r.outcome, r.reason) == (FAIL, "missing")


# --- ADM-4 bad records in the look-back ---


@pytest.mark.parametrize(
    ("ended_on", "outcome"),
    [
        (dt.date(2025, 3, 14), PASS),  # one day before the window: forgotten by this policy
        (dt.date(2025, 3, 15), FAIL),  # the window's first day, 24 months before 2027-03-15, counts
        (dt.date(2025, 3, 16), FAIL),
        (None, FAIL),  # still overdue
    ],
)
def test_a_bad_record_inside_the_24_month_look_back_fails_adm_4(ended_on, outcome):
    r = result("ADM-4.bad_records", bad_records=(BadRecord(OVERDUE, ended_on),))
    assert r.outcome == outcome
    assert r.compared["since"] == "2025-03-15"


def test_the_look_back_is_configurable_adm_4():
    policy = AdmissionPolicy(version="v", bad_record_lookback_months=60)
    r = result("ADM-4.bad_records", policy, bad_records=(BadRecord(OVERDUE, dt.date(2022, 3, 15)),))
    assert (r.outcome, r.compared["since"]) == (FAIL, "2022-03-15")


def test_the_look_back_clamps_to_the_end_of_a_shorter_month_adm_4():
    r = result(
        "ADM-4.bad_records", assessed_on=dt.date(2028, 2, 29), bad_records=(BadRecord(FRAUD, dt.date(2026, 2, 27)),)
    )
    assert (r.outcome, r.compared["since"]) == (PASS, "2026-02-28")


def test_the_bad_record_result_names_the_kinds_inside_the_window_adm_4():
    records = (
        BadRecord(FRAUD, dt.date(2026, 1, 1)),
        BadRecord(OVERDUE, dt.date(2020, 1, 1)),
        BadRecord(UNPAID_DEBT, None),
        BadRecord(OVERDUE, dt.date(2026, 6, 1)),
    )
    r = result("ADM-4.bad_records", bad_records=records)
    assert (r.outcome, r.reason) == (FAIL, "bad_records")
    assert r.compared["kinds"] == "overdue,unpaid_debt,fraud"
    assert r.compared["records_in_lookback"] == "3"


def test_a_clean_report_passes_and_no_report_fails_as_missing_adm_4():
    assert result("ADM-4.bad_records", bad_records=()).outcome == PASS
    r = result("ADM-4.bad_records", bad_records=None)
    assert (r.outcome, r.reason) == (FAIL, "missing")


def test_an_unknown_bad_record_kind_is_refused_adm_4():
    with pytest.raises(ValidationFailed):
        BadRecord("late_fee", None)


# --- ADM-5 vehicle documents, accident, valuation, LTV ---


def test_incomplete_vehicle_documents_fail_and_unknown_ones_fail_as_missing_adm_5():
    assert result("ADM-5.documents", documents_complete=False).reason == "documents_incomplete"
    assert result("ADM-5.documents", documents_complete=None).reason == "missing"
    assert result("ADM-5.documents", documents_complete=None).outcome == FAIL
    waived = AdmissionPolicy(version="v", require_vehicle_documents=False)
    assert result("ADM-5.documents", waived, documents_complete=False).outcome == WARN


def test_a_major_accident_fails_unless_the_policy_accepts_it_then_it_warns_adm_5():
    r = result("ADM-5.major_accident", has_major_accident=True)
    assert (r.outcome, r.reason) == (FAIL, "major_accident")
    assert result("ADM-5.major_accident", has_major_accident=None).reason == "missing"
    accepting = AdmissionPolicy(version="v", refuse_major_accident=False)
    assert result("ADM-5.major_accident", accepting, has_major_accident=True).outcome == WARN


def test_a_missing_valuation_fails_both_valuation_and_ltv_when_required_adm_5():
    decision = evaluate(POLICY, facts(valuation_amount=None))
    assert decision.result("ADM-5.valuation").reason == "missing"
    assert decision.result("ADM-5.ltv").reason == "missing"
    assert not decision.admitted


def test_without_a_required_valuation_the_ltv_falls_back_to_the_price_and_the_valuation_warns_adm_5():
    policy = AdmissionPolicy(version="v", require_valuation=False)
    decision = evaluate(policy, facts(valuation_amount=None, price_amount=Decimal("100000"), loan_amount=70000))
    assert (decision.result("ADM-5.valuation").outcome, decision.result("ADM-5.valuation").reason) == (WARN, "missing")
    assert decision.result("ADM-5.ltv").outcome == PASS
    assert decision.result("ADM-5.ltv").compared["base_amount"] == "100000"


def test_a_zero_valuation_is_invalid_adm_5():
    assert result("ADM-5.valuation", valuation_amount=Decimal("0")).reason == "invalid"
    assert result("ADM-5.ltv", valuation_amount=Decimal("0")).reason == "invalid"


@pytest.mark.parametrize(
    ("loan", "outcome", "ltv"),
    [
        ("69990.00", PASS, "0.6999"),
        ("69999.99", PASS, "0.7000"),
        ("70000.00", PASS, "0.7000"),
        ("70000.01", FAIL, "0.7001"),  # 0.7000001 rounds up: never shown as 0.7000
        ("70010.00", FAIL, "0.7001"),
    ],
)
def test_ltv_passes_up_to_070_of_the_price_inclusive_adm_5(loan, outcome, ltv):
    r = result(
        "ADM-5.ltv",
        price_amount=Decimal("100000.00"),
        valuation_amount=Decimal("120000.00"),
        loan_amount=Decimal(loan),
    )
    assert (r.outcome, r.compared["ltv"], r.compared["base_amount"]) == (outcome, ltv, "100000.00")


@pytest.mark.parametrize(("loan", "outcome"), [("62999.99", PASS), ("63000.00", PASS), ("63000.01", FAIL)])
def test_ltv_is_measured_on_the_lower_appraised_value_when_below_the_price_adm_5(loan, outcome):
    r = result(
        "ADM-5.ltv",
        price_amount=Decimal("100000.00"),
        valuation_amount=Decimal("90000.00"),
        loan_amount=Decimal(loan),
    )
    assert (r.outcome, r.compared["base_amount"]) == (outcome, "90000.00")


@pytest.mark.parametrize("missing", ["price_amount", "loan_amount"])
def test_ltv_without_price_or_loan_fails_as_missing_adm_5(missing):
    assert result("ADM-5.ltv", **{missing: None}).reason == "missing"


# --- ADM-6 vehicle age, mileage, term ---


@pytest.mark.parametrize(("months", "outcome"), [(119, PASS), (120, PASS), (121, FAIL)])
def test_the_car_may_be_at_most_120_months_old_at_maturity_adm_6(months, outcome):
    assert result("ADM-6.vehicle_age", vehicle_age_months_at_maturity=months).outcome == outcome


@pytest.mark.parametrize(("km", "outcome"), [(199_999, PASS), (200_000, PASS), (200_001, FAIL)])
def test_mileage_may_be_at_most_200000_km_adm_6(km, outcome):
    assert result("ADM-6.mileage", mileage_km=km).outcome == outcome


@pytest.mark.parametrize(("term", "outcome"), [(35, PASS), (36, PASS), (37, FAIL)])
def test_the_term_may_be_at_most_36_months_for_a_used_car_adm_6(term, outcome):
    assert result("ADM-6.term", term_months=term).outcome == outcome


def test_a_zero_month_term_is_invalid_adm_6():
    assert result("ADM-6.term", term_months=0).reason == "invalid"


def test_unknown_vehicle_age_mileage_and_term_fail_as_missing_adm_6():
    decision = evaluate(POLICY, facts(vehicle_age_months_at_maturity=None, mileage_km=None, term_months=None))
    for code in ("ADM-6.vehicle_age", "ADM-6.mileage", "ADM-6.term"):
        assert (decision.result(code).outcome, decision.result(code).reason) == (FAIL, "missing")


# --- missing data, inputs, policy ---


def test_an_application_with_no_facts_fails_every_rule_as_missing_adm_7():
    decision = evaluate(POLICY, ApplicantFacts(assessed_on=ON))
    assert not decision.admitted
    assert {(r.outcome, r.reason) for r in decision.results} == {(FAIL, "missing")}


def test_amounts_are_decimals_never_floats_and_never_negative():
    with pytest.raises(TypeError):
        facts(loan_amount=70000.0)
    with pytest.raises(ValidationFailed) as exc:
        facts(monthly_income_amount=Decimal("-1"))
    assert exc.value.fields == {"monthly_income_amount": ["monthly_income_amount must be an amount, zero or more."]}
    assert facts(loan_amount=70000).loan_amount == Decimal(70000)


def test_whole_number_facts_refuse_negatives_and_booleans():
    with pytest.raises(ValidationFailed):
        facts(mileage_km=-1)
    with pytest.raises(ValidationFailed):
        facts(bureau_score=True)


def test_a_policy_refuses_inconsistent_or_unversioned_parameters_adm_7():
    with pytest.raises(ValidationFailed):
        AdmissionPolicy(version=" ")
    with pytest.raises(ValidationFailed):
        AdmissionPolicy(version="v", min_age=61)
    with pytest.raises(ValidationFailed):
        AdmissionPolicy(version="v", max_ltv=Decimal("1.1"))
    with pytest.raises(ValidationFailed):
        AdmissionPolicy(version="v", max_ltv=Decimal("0.70005"))  # more places than ratios are shown with
    with pytest.raises(ValidationFailed):
        AdmissionPolicy(version="v", max_debt_to_income=0.55)
    with pytest.raises(ValidationFailed):
        AdmissionPolicy(version="v", max_term_months=0)


def test_the_default_policy_follows_domain_1_for_used_cars():
    assert policy_as_dict(POLICY) | {"version": ""} == {
        "version": "",
        "min_age": "18",
        "max_age": "60",
        "max_age_at_maturity": "65",
        "require_full_civil_capacity": "true",
        "min_bureau_score": "600",
        "bad_record_lookback_months": "24",
        "max_debt_to_income": "0.55",
        "require_vehicle_documents": "true",
        "refuse_major_accident": "true",
        "max_vehicle_age_months_at_maturity": "120",
        "max_mileage_km": "200000",
        "require_valuation": "true",
        "max_ltv": "0.70",
        "max_term_months": "36",
    }


# --- invariants ---

amounts = st.decimals(min_value=0, max_value=10_000_000, places=2, allow_nan=False, allow_infinity=False)
maybe = st.none
records = st.lists(
    st.builds(
        BadRecord,
        kind=st.sampled_from([OVERDUE, UNPAID_DEBT, FRAUD]),
        ended_on=st.none() | st.dates(min_value=dt.date(2018, 1, 1), max_value=ON),
    ),
    max_size=4,
).map(tuple)
any_facts = st.builds(
    ApplicantFacts,
    assessed_on=st.just(ON),
    age_years=maybe() | st.integers(0, 100),
    age_years_at_maturity=maybe() | st.integers(0, 110),
    full_civil_capacity=maybe() | st.booleans(),
    bureau_score=maybe() | st.integers(300, 950),
    bad_records=maybe() | records,
    monthly_income_amount=maybe() | amounts,
    monthly_debt_service_amount=maybe() | amounts,
    new_instalment_amount=maybe() | amounts,
    documents_complete=maybe() | st.booleans(),
    has_major_accident=maybe() | st.booleans(),
    vehicle_age_months_at_maturity=maybe() | st.integers(0, 300),
    mileage_km=maybe() | st.integers(0, 500_000),
    valuation_amount=maybe() | amounts,
    price_amount=maybe() | amounts,
    loan_amount=maybe() | amounts,
    term_months=maybe() | st.integers(0, 120),
)
policies = st.builds(
    AdmissionPolicy,
    version=st.just("v"),
    require_valuation=st.booleans(),
    require_vehicle_documents=st.booleans(),
    max_ltv=st.decimals(min_value="0.0001", max_value=1, places=4),
    max_debt_to_income=st.decimals(min_value="0.0001", max_value=1, places=4),
)


@given(policy=policies, applicant=any_facts)
def test_every_rule_answers_exactly_once_and_admission_means_no_failure_adm_7(policy, applicant):
    decision = evaluate(policy, applicant)
    assert tuple(r.code for r in decision.results) == RULE_CODES
    assert all(r.outcome in (PASS, FAIL, WARN) and r.reason for r in decision.results)
    assert decision.admitted == all(r.outcome != FAIL for r in decision.results)
    assert evaluate(policy, applicant) == decision  # pure: same inputs, same decision


@given(policy=policies, applicant=any_facts, raise_by=st.integers(1, 300))
def test_raising_the_bureau_score_never_turns_a_pass_into_a_fail_adm_3(policy, applicant, raise_by):
    before = evaluate(policy, applicant)
    higher = None if applicant.bureau_score is None else applicant.bureau_score + raise_by
    after = evaluate(policy, dataclasses.replace(applicant, bureau_score=higher))
    if before.result("ADM-3.bureau_score").outcome == PASS:
        assert after.result("ADM-3.bureau_score").outcome == PASS
    if before.admitted:
        assert after.admitted


@given(policy=policies, applicant=any_facts, extra=amounts)
def test_a_larger_loan_never_turns_a_ltv_fail_into_a_pass_adm_5(policy, applicant, extra):
    assume(applicant.loan_amount != 0)  # a zero loan is invalid, not a low LTV
    larger = None if applicant.loan_amount is None else applicant.loan_amount + extra
    before = evaluate(policy, applicant)
    after = evaluate(policy, dataclasses.replace(applicant, loan_amount=larger))
    if before.result("ADM-5.ltv").outcome == FAIL:
        assert after.result("ADM-5.ltv").outcome == FAIL
    if not before.admitted:
        assert not after.admitted


@given(policy=policies, applicant=any_facts, extra=amounts)
def test_more_existing_debt_never_turns_a_debt_to_income_fail_into_a_pass_adm_2(policy, applicant, extra):
    more = None if applicant.monthly_debt_service_amount is None else applicant.monthly_debt_service_amount + extra
    before = evaluate(policy, applicant).result("ADM-2.debt_to_income")
    after = evaluate(policy, dataclasses.replace(applicant, monthly_debt_service_amount=more))
    if before.outcome == FAIL:
        assert after.result("ADM-2.debt_to_income").outcome == FAIL


@given(policy=policies, applicant=any_facts, record=records)
def test_another_bad_record_never_turns_a_fail_into_a_pass_adm_4(policy, applicant, record):
    worse = None if applicant.bad_records is None else applicant.bad_records + record
    before = evaluate(policy, applicant).result("ADM-4.bad_records")
    after = evaluate(policy, dataclasses.replace(applicant, bad_records=worse)).result("ADM-4.bad_records")
    if before.outcome == FAIL:
        assert after.outcome == FAIL


@given(age=st.integers(0, 120), low=st.integers(0, 60), span=st.integers(0, 60))
def test_age_passes_exactly_inside_the_inclusive_range_adm_2(age, low, span):
    policy = AdmissionPolicy(version="v", min_age=low, max_age=low + span, max_age_at_maturity=None)
    assert (result("ADM-2.age", policy, age_years=age).outcome == PASS) == (low <= age <= low + span)


@given(
    numerator=amounts,
    denominator=st.decimals(min_value="0.01", max_value=10_000_000, places=2),
)
def test_ratios_are_rounded_up_to_four_places_never_understating(numerator, denominator):
    shown = ratio_up(numerator, denominator)
    exact = numerator / denominator
    assert shown == shown.quantize(Decimal("0.0001"))
    assert exact <= shown < exact + Decimal("0.0001")


def test_company_skips_the_personal_rules_and_a_loan_without_a_vehicle_skips_the_vehicle_rules() -> None:
    facts = ApplicantFacts(
        assessed_on=dt.date(2027, 3, 15),
        natural_person=False,
        vehicle_loan=False,
        bureau_score=700,
        bad_records=(),
        term_months=12,
    )
    decision = evaluate(AdmissionPolicy(version="t"), facts)
    assert decision.admitted
    skipped = {r.code for r in decision.results if r.reason == "not_applicable"}
    assert skipped == PERSONAL_RULES | VEHICLE_RULES
    assert decision.result("ADM-3.bureau_score").reason == "ok"


def test_a_person_missing_the_personal_facts_still_fails() -> None:
    decision = evaluate(AdmissionPolicy(version="t"), ApplicantFacts(assessed_on=dt.date(2027, 3, 15)))
    assert decision.result("ADM-2.age").reason == "missing"
    assert not decision.admitted
