"""Credit bureau adapter and simulator (ASSESS-1; 征信业管理条例 Art. 16, 18): consent, determinism, spread,
failures on demand, registry.

Pure: no database, no network (STYLE rule 5).
"""

import datetime as dt
import statistics
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from creditdesk.assessment import bureau
from creditdesk.assessment.bureau import (
    MAX_SCORE,
    MIN_SCORE,
    BureauAdapter,
    BureauError,
    BureauNoFile,
    BureauQuery,
    BureauRefused,
    BureauReport,
    BureauTimeout,
    BureauUnavailable,
    SimulatedBureau,
    get_adapter,
    register_adapter,
)
from creditdesk.assessment.rules import FRAUD, OVERDUE, UNPAID_DEBT
from creditdesk.core.identifiers import resident_id_check_char
from creditdesk.core.months import add_months

ON = dt.date(2027, 3, 15)
ALICE_ID = "11010519491231002X"  # the standard's example number
COMPANY_CODE = "91350100M000100Y43"


def resident_id(sequence: int, birth: str = "19850607") -> str:
    body = f"110105{birth}{sequence:03d}"
    return body + resident_id_check_char(body)


def query(identifier=ALICE_ID, *, kind="individual", consent="AUTH-2027-0001", purpose="loan_approval", on=ON):
    return BureauQuery(
        subject_kind=kind, identifier=identifier, consent_reference=consent, purpose=purpose, queried_on=on
    )


SIM = SimulatedBureau()
SAMPLE = [SIM.query(query(resident_id(n, birth))) for n in range(0, 990, 3) for birth in ("19700101", "19921130")]


def test_the_same_identifier_always_gets_the_same_report_assess_1():
    first = SimulatedBureau().query(query())
    assert SimulatedBureau().query(query()) == first
    assert SIM.query(query(" 11010519491231002x ")) == first  # spaces and a lower-case check character


def test_the_report_does_not_depend_on_consent_reference_or_purpose_beyond_the_raw_record_assess_1():
    one = SIM.query(query(consent="AUTH-1", purpose="loan_approval"))
    other = SIM.query(query(consent="AUTH-9", purpose="post_loan_management"))
    assert (one.score, one.bad_records, one.current_debt_amount) == (
        other.score,
        other.bad_records,
        other.current_debt_amount,
    )
    assert (other.raw["consent_reference"], other.raw["purpose"]) == ("AUTH-9", "post_loan_management")


def test_a_later_query_keeps_the_score_and_dates_the_records_from_the_query_date_assess_1():
    now, later = SIM.query(query(on=ON)), SIM.query(query(on=add_months(ON, 6)))
    assert now.score == later.score
    assert [r.ended_on and add_months(r.ended_on, 6) for r in now.bad_records] == [
        r.ended_on for r in later.bad_records
    ]


def test_scores_spread_over_450_to_850_assess_1():
    scores = [r.score for r in SAMPLE]
    assert all(MIN_SCORE <= s <= MAX_SCORE for s in scores)
    assert min(scores) < 520
    assert max(scores) > 790
    assert len(set(scores)) > 150
    assert 0.15 < sum(s < 600 for s in scores) / len(scores) < 0.45
    assert 0.2 < sum(s >= 680 for s in scores) / len(scores) < 0.55


def test_poorer_scores_carry_more_delinquencies_inquiries_and_defaults_assess_1():
    poor = [r for r in SAMPLE if r.score < 600]
    good = [r for r in SAMPLE if r.score >= 700]
    assert statistics.mean(r.delinquencies_24m for r in poor) > statistics.mean(r.delinquencies_24m for r in good) + 1
    assert statistics.mean(r.inquiries_6m for r in poor) > statistics.mean(r.inquiries_6m for r in good) + 1
    assert statistics.correlation([r.score for r in SAMPLE], [r.delinquencies_24m for r in SAMPLE]) < -0.5
    assert all(r.defaults == 0 and not r.fraud_flag for r in good)
    assert any(r.defaults for r in poor)
    assert all(r.score < 540 for r in SAMPLE if r.fraud_flag)


def test_the_counts_agree_with_the_bad_records_adm_4():
    since = add_months(ON, -24)
    for report in SAMPLE:
        overdue_24m = [r for r in report.bad_records if r.kind == OVERDUE and r.ended_on >= since]
        assert report.delinquencies_24m == len(overdue_24m)
        assert report.defaults == sum(r.kind == UNPAID_DEBT for r in report.bad_records)
        assert report.fraud_flag == any(r.kind == FRAUD for r in report.bad_records)


def test_bad_records_are_no_older_than_five_years_art_16():
    oldest = add_months(ON, -60)
    assert all(r.ended_on is None or oldest <= r.ended_on < ON for report in SAMPLE for r in report.bad_records)
    assert any(r.ended_on and r.ended_on < add_months(ON, -24) for report in SAMPLE for r in report.bad_records)


def test_amounts_are_yuan_to_the_fen_and_the_service_follows_the_debt():
    for report in SAMPLE:
        for amount in (report.current_debt_amount, report.monthly_debt_service_amount):
            assert isinstance(amount, Decimal)
            assert amount.as_tuple().exponent == -2
            assert amount >= 0
        assert report.monthly_debt_service_amount <= report.current_debt_amount
        if report.current_debt_amount == 0:
            assert report.monthly_debt_service_amount == 0
    assert any(r.current_debt_amount == 0 for r in SAMPLE)
    assert any(r.current_debt_amount > 0 for r in SAMPLE)


def test_the_raw_record_masks_the_identifier_sec_7():
    report = SIM.query(query())
    assert report.raw["identifier_masked"] == "110105********002X"
    assert ALICE_ID not in repr(report.raw)
    assert report.raw["queried_on"] == "2027-03-15"
    assert report.raw["source"] == "simulator"


def test_a_company_is_queried_by_its_credit_code_assess_1():
    report = SIM.query(query(COMPANY_CODE, kind="company"))
    assert MIN_SCORE <= report.score <= MAX_SCORE
    assert report.raw["identifier_masked"] == "91350100********43"
    assert report != SIM.query(query(COMPANY_CODE, kind="individual"))  # the subject kind is part of the key


# --- consent and purpose (Art. 18) ---


@pytest.mark.parametrize("consent", ["", "   "])
def test_a_query_without_a_consent_reference_is_refused_art_18(consent):
    with pytest.raises(BureauRefused, match="written consent"):
        SIM.query(query(consent=consent))


@pytest.mark.parametrize("purpose", ["", "\t"])
def test_a_query_without_a_purpose_is_refused_art_18(purpose):
    with pytest.raises(BureauRefused, match="purpose"):
        SIM.query(query(purpose=purpose))


def test_refusal_comes_before_any_simulated_failure_art_18():
    # Nothing is sent without consent: not even a query that would time out.
    with pytest.raises(BureauRefused):
        SimulatedBureau(fail_with=BureauTimeout).query(query(consent=""))
    with pytest.raises(BureauRefused):
        SIM.query(query(resident_id(999), purpose=""))


def test_a_refusal_is_a_bureau_error():
    assert issubclass(BureauRefused, BureauError)


def test_an_unknown_subject_kind_or_a_blank_identifier_is_refused():
    with pytest.raises(BureauRefused):
        SIM.query(query(kind="household"))
    with pytest.raises(BureauRefused):
        SIM.query(query(" "))


# --- failures on demand ---


@pytest.mark.parametrize(("sequence", "error"), [(999, BureauTimeout), (998, BureauUnavailable), (997, BureauNoFile)])
def test_sequence_digits_999_998_997_time_out_fail_or_have_no_file(sequence, error):
    with pytest.raises(error):
        SIM.query(query(resident_id(sequence)))
    assert issubclass(error, BureauError)


def test_a_company_code_with_999_before_its_check_character_times_out():
    with pytest.raises(BureauTimeout):
        SIM.query(query("91350100M00018999R", kind="company"))


def test_sequence_996_gets_a_report():
    assert isinstance(SIM.query(query(resident_id(996))), BureauReport)


@pytest.mark.parametrize("error", [BureauError, BureauTimeout, BureauUnavailable])
def test_the_simulator_can_be_told_to_fail_every_query(error):
    with pytest.raises(error, match="Simulated bureau failure"):
        SimulatedBureau(fail_with=error).query(query())


def test_fail_with_must_be_a_bureau_error():
    with pytest.raises(TypeError):
        SimulatedBureau(fail_with=ValueError)


# --- registry ---


def test_the_simulator_is_registered_and_each_lookup_is_a_fresh_adapter():
    adapter = get_adapter("simulator")
    assert isinstance(adapter, SimulatedBureau)
    assert adapter is not get_adapter("simulator")
    assert adapter.query(query()) == SIM.query(query())


def test_an_unknown_adapter_name_is_a_configuration_error():
    with pytest.raises(ValueError, match="simulator"):
        get_adapter("pboc")


def test_a_real_integration_registers_under_its_own_name(monkeypatch):
    monkeypatch.setattr(bureau, "_ADAPTERS", dict(bureau._ADAPTERS))

    class Down:
        def query(self, q: BureauQuery) -> BureauReport:
            raise BureauUnavailable("maintenance")

    register_adapter("baihang", Down)
    adapter: BureauAdapter = get_adapter("baihang")
    with pytest.raises(BureauUnavailable):
        adapter.query(query())


# --- invariants ---

identifiers = st.text(alphabet="0123456789X", min_size=18, max_size=18)


@given(identifier=identifiers, kind=st.sampled_from(["individual", "company"]))
def test_any_identifier_gets_one_deterministic_answer_in_range(identifier, kind):
    def answer():
        try:
            return SimulatedBureau().query(query(identifier, kind=kind))
        except BureauError as exc:
            return type(exc)

    first = answer()
    assert answer() == first
    if isinstance(first, BureauReport):
        assert MIN_SCORE <= first.score <= MAX_SCORE
        assert first.delinquencies_24m >= 0
        assert first.inquiries_6m >= 0
    else:
        assert identifier[-4:-1] in {"999", "998", "997"}
