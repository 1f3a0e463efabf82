"""Repayment schedules (还款计划) for the three repayment methods of PLAN-5: golden values, hand checks, invariants.

Pure calculations: no database (STYLE rule 5).
"""

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from creditdesk.core.errors import ValidationFailed
from creditdesk.lending.schedule import Method, build_schedule, due_dates

FIRST_DUE_ON = dt.date(2027, 3, 31)

# Hypothesis inputs: principal 1.00..5,000,000.00 in fen, annual rate 0..0.36 in 6-place steps, term 1..60 months.
principals = st.integers(min_value=100, max_value=500_000_000).map(lambda fen: Decimal(fen).scaleb(-2))
rates = st.integers(min_value=0, max_value=360_000).map(lambda millionths: Decimal(millionths).scaleb(-6))
terms = st.integers(min_value=1, max_value=60)
methods = st.sampled_from(list(Method))
fees = st.integers(min_value=0, max_value=100_000).map(lambda fen: Decimal(fen).scaleb(-2))


def schedule(principal, rate, term, method, fee="0.00", first_due_on=FIRST_DUE_ON):
    return build_schedule(
        principal_amount=Decimal(principal),
        annual_rate=Decimal(rate),
        term_months=term,
        method=method,
        first_due_on=first_due_on,
        periodic_fee_amount=Decimal(fee),
    )


# --- Golden values (contractual: an external acceptance check uses them) ---------------------------------------


def test_equal_instalment_golden_values_match_the_contract():
    """PLAN-5 等额本息: 100,000.00 at 6 % over 36 months pays 3,042.19 a month, 9,519.01 interest in all."""
    result = schedule("100000.00", "0.06", 36, Method.EQUAL_INSTALMENT)

    assert result.instalments[0].total_amount == Decimal("3042.19")
    assert result.total_interest_amount == Decimal("9519.01")
    assert result.instalments[1].due_on == dt.date(2027, 4, 30)


def test_equal_principal_golden_values_match_the_contract():
    """PLAN-5 等额本金: 100,000.00 at 6 % over 36 months starts at 3,277.78; interest totals 9,250.00."""
    result = schedule("100000.00", "0.06", 36, Method.EQUAL_PRINCIPAL)

    assert result.instalments[0].total_amount == Decimal("3277.78")
    assert result.total_interest_amount == Decimal("9250.00")
    assert result.instalments[1].due_on == dt.date(2027, 4, 30)


def test_interest_first_golden_values_match_the_contract():
    """PLAN-5 先息后本: 50,000.00 at 7.25 % over 12 months pays 302.08 a month, 3,624.96 interest in all."""
    result = schedule("50000.00", "0.0725", 12, Method.INTEREST_FIRST)

    assert result.instalments[0].total_amount == Decimal("302.08")
    assert result.total_interest_amount == Decimal("3624.96")
    assert result.instalments[1].due_on == dt.date(2027, 4, 30)


# --- Hand-checked schedules --------------------------------------------------------------------------------------


def test_equal_instalment_small_loan_matches_a_hand_calculation():
    """PLAN-5: 1,200.00 at 12 % over 3 months, worked by hand.

    i = 0.01; (1.01)^3 = 1.030301; A = 1200 × 0.01 × 1.030301 / 0.030301 = 12.363612 / 0.030301 = 408.0265 → 408.03.
    1: interest 1200.00 × 0.01 = 12.00, principal 408.03 − 12.00 = 396.03, balance 803.97.
    2: interest 803.97 × 0.01 = 8.0397 → 8.04, principal 399.99, balance 403.98.
    3: interest 403.98 × 0.01 = 4.0398 → 4.04, principal 403.98 (all that is left), total 408.02.
    """
    result = schedule("1200.00", "0.12", 3, Method.EQUAL_INSTALMENT)

    rows = [
        (i.principal_amount, i.interest_amount, i.total_amount, i.closing_balance_amount) for i in result.instalments
    ]
    assert rows == [
        (Decimal("396.03"), Decimal("12.00"), Decimal("408.03"), Decimal("803.97")),
        (Decimal("399.99"), Decimal("8.04"), Decimal("408.03"), Decimal("403.98")),
        (Decimal("403.98"), Decimal("4.04"), Decimal("408.02"), Decimal("0.00")),
    ]
    assert result.total_interest_amount == Decimal("24.08")
    assert result.total_amount == Decimal("1224.08")


def test_equal_principal_small_loan_matches_a_hand_calculation():
    """PLAN-5: 1,200.00 at 12 % over 3 months repays 400.00 a month with interest 12, 8, 4 on the falling balance.

    Total interest = P·i·(n+1)/2 = 1200 × 0.01 × 4 / 2 = 24.00 (DOMAIN.md §4).
    """
    result = schedule("1200.00", "0.12", 3, Method.EQUAL_PRINCIPAL)

    assert [i.total_amount for i in result.instalments] == [Decimal("412.00"), Decimal("408.00"), Decimal("404.00")]
    assert result.total_interest_amount == Decimal("24.00")


def test_interest_first_repays_all_principal_with_the_last_instalment():
    """PLAN-5 先息后本: 1,200.00 at 12 % over 3 months pays 12.00, 12.00, then 1,212.00."""
    result = schedule("1200.00", "0.12", 3, Method.INTEREST_FIRST)

    assert [i.total_amount for i in result.instalments] == [Decimal("12.00"), Decimal("12.00"), Decimal("1212.00")]
    assert [i.closing_balance_amount for i in result.instalments] == [
        Decimal("1200.00"),
        Decimal("1200.00"),
        Decimal("0.00"),
    ]


@pytest.mark.parametrize("method", [Method.EQUAL_INSTALMENT, Method.EQUAL_PRINCIPAL])
def test_an_interest_free_loan_splits_principal_evenly_and_the_last_instalment_takes_the_remainder(method):
    """PLAN-5: 1,000.00 at 0 % over 3 months → 333.33, 333.33, 333.34; no interest at all."""
    result = schedule("1000.00", "0", 3, method)

    assert [i.total_amount for i in result.instalments] == [Decimal("333.33"), Decimal("333.33"), Decimal("333.34")]
    assert result.total_interest_amount == Decimal("0.00")


@pytest.mark.parametrize("method", [Method.EQUAL_INSTALMENT, Method.EQUAL_PRINCIPAL])
def test_a_tiny_loan_over_a_long_term_never_repays_more_than_was_lent(method):
    """PLAN-5: 1.00 over 60 months at 0 %: 1/60 rounds up to 0.02, and 59 × 0.02 = 1.18 would overpay.

    The level amount drops a fen to 0.01, so 59 × 0.01 = 0.59 and the last instalment takes the other 0.41.
    """
    result = schedule("1.00", "0", 60, method)

    assert {i.principal_amount for i in result.instalments[:-1]} == {Decimal("0.01")}
    assert result.instalments[-1].principal_amount == Decimal("0.41")
    assert all(i.closing_balance_amount >= 0 for i in result.instalments)


def test_a_periodic_fee_is_added_to_every_instalment_but_never_repays_principal():
    """PLAN-5, PLAN-8: a 10.00 monthly service fee on 1,200.00 at 12 % over 3 months adds 10.00 to each line."""
    without = schedule("1200.00", "0.12", 3, Method.EQUAL_PRINCIPAL)
    with_fee = schedule("1200.00", "0.12", 3, Method.EQUAL_PRINCIPAL, fee="10.00")

    assert [i.total_amount for i in with_fee.instalments] == [Decimal("422.00"), Decimal("418.00"), Decimal("414.00")]
    assert [i.principal_amount for i in with_fee.instalments] == [i.principal_amount for i in without.instalments]
    assert with_fee.total_fee_amount == Decimal("30.00")
    assert with_fee.total_amount == without.total_amount + Decimal("30.00")


def test_a_single_month_loan_is_repaid_in_one_instalment():
    """PLAN-5: 10,000.00 at 12 % for 1 month → 10,000.00 + 100.00 interest, whatever the method."""
    for method in Method:
        result = schedule("10000.00", "0.12", 1, method)
        assert [i.total_amount for i in result.instalments] == [Decimal("10100.00")]


def test_a_thirty_year_annuity_still_ends_at_exactly_zero():
    """PLAN-5: the longest term, 360 months, keeps the invariants (1,000,000.00 at 4.9 %)."""
    result = schedule("1000000.00", "0.049", 360, Method.EQUAL_INSTALMENT)

    assert len(result.instalments) == 360
    assert result.total_principal_amount == Decimal("1000000.00")
    assert result.instalments[-1].closing_balance_amount == Decimal("0.00")
    assert result.instalments[-1].due_on == dt.date(2057, 2, 28)


def test_the_method_may_be_given_by_its_stored_value():
    """PLAN-5: the choice value stored on a plan ("equal_principal") builds the same schedule as the enum."""
    assert schedule("1200.00", "0.12", 3, "equal_principal") == schedule("1200.00", "0.12", 3, Method.EQUAL_PRINCIPAL)


# --- Due dates ----------------------------------------------------------------------------------------------------


def test_due_dates_clamp_to_the_month_end_and_return_to_the_anchor_day():
    """PLAN-5: a loan due on the 31st is due on the last day of shorter months, then on the 31st again."""
    assert due_dates(dt.date(2027, 1, 31), 4) == [
        dt.date(2027, 1, 31),
        dt.date(2027, 2, 28),
        dt.date(2027, 3, 31),
        dt.date(2027, 4, 30),
    ]


def test_due_dates_know_leap_years_and_cross_the_year_end():
    """PLAN-5: 2028 is a leap year, so February's due date is the 29th; December rolls into January."""
    assert due_dates(dt.date(2027, 11, 30), 4) == [
        dt.date(2027, 11, 30),
        dt.date(2027, 12, 30),
        dt.date(2028, 1, 30),
        dt.date(2028, 2, 29),
    ]
    assert due_dates(dt.date(2027, 3, 15), 0) == []


@settings(max_examples=200)
@given(first_due_on=st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 12, 31)), count=terms)
def test_due_dates_are_one_month_apart_on_the_anchor_day_or_the_month_end(first_due_on, count):
    """PLAN-5: strictly increasing, one calendar month apart, day = min(anchor day, days in that month)."""
    dates = due_dates(first_due_on, count)

    assert len(dates) == count
    assert dates[0] == first_due_on
    for earlier, later in itertools.pairwise(dates):
        assert earlier < later
        assert (later.year * 12 + later.month) - (earlier.year * 12 + earlier.month) == 1
    for date in dates:
        next_month_first = (date.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
        month_length = (next_month_first - date.replace(day=1)).days
        assert date.day == min(first_due_on.day, month_length)


# --- Invariants ---------------------------------------------------------------------------------------------------


@settings(max_examples=200)
@given(principal=principals, rate=rates, term=terms, method=methods, fee=fees)
def test_every_schedule_repays_exactly_the_loan_and_never_goes_negative(principal, rate, term, method, fee):
    """PLAN-5: principal sums to the loan to the fen, balances never negative, the last closing balance is zero,
    each line is principal + interest + fee, and balances chain from one line to the next."""
    result = schedule(principal, rate, term, method, fee=fee)
    lines = result.instalments

    assert len(lines) == term
    assert [line.period for line in lines] == list(range(1, term + 1))
    assert result.total_principal_amount == principal
    assert sum(line.principal_amount for line in lines) == principal
    assert lines[0].opening_balance_amount == principal
    assert lines[-1].closing_balance_amount == 0
    for line in lines:
        assert line.principal_amount >= 0
        assert line.interest_amount >= 0
        assert line.closing_balance_amount >= 0
        assert line.fee_amount == fee
        assert line.total_amount == line.principal_amount + line.interest_amount + line.fee_amount
        assert line.closing_balance_amount == line.opening_balance_amount - line.principal_amount
        for amount in (line.principal_amount, line.interest_amount, line.total_amount, line.closing_balance_amount):
            assert amount.as_tuple().exponent == -2  # every amount is to the fen
    for earlier, later in itertools.pairwise(lines):
        assert later.opening_balance_amount == earlier.closing_balance_amount
    assert result.total_interest_amount == sum(line.interest_amount for line in lines)
    assert result.total_amount == result.total_principal_amount + result.total_interest_amount + result.total_fee_amount


@settings(max_examples=200)
@given(principal=principals, rate=rates, term=terms, fee=fees)
def test_equal_instalment_totals_are_the_same_every_month_except_the_last(principal, rate, term, fee):
    """PLAN-5 等额本息: one level payment; only the last instalment differs, absorbing rounding."""
    lines = schedule(principal, rate, term, Method.EQUAL_INSTALMENT, fee=fee).instalments

    assert len({line.total_amount for line in lines[:-1]}) <= 1


@settings(max_examples=200)
@given(principal=principals, rate=rates, term=terms)
def test_equal_principal_repays_the_same_principal_every_month_except_the_last(principal, rate, term):
    """PLAN-5 等额本金: a level principal slice, interest on the falling balance, so totals never rise."""
    lines = schedule(principal, rate, term, Method.EQUAL_PRINCIPAL).instalments

    assert len({line.principal_amount for line in lines[:-1]}) <= 1
    interests = [line.interest_amount for line in lines]
    assert interests == sorted(interests, reverse=True)


@settings(max_examples=200)
@given(principal=principals, rate=rates, term=terms)
def test_interest_first_charges_the_same_interest_and_repays_only_at_the_end(principal, rate, term):
    """PLAN-5 先息后本: interest P·i every month, principal only in the last instalment."""
    lines = schedule(principal, rate, term, Method.INTEREST_FIRST).instalments

    assert {line.principal_amount for line in lines[:-1]} <= {Decimal("0.00")}
    assert lines[-1].principal_amount == principal
    assert len({line.interest_amount for line in lines}) == 1


@settings(max_examples=100)
@given(principal=principals, term=terms, method=methods)
def test_an_interest_free_loan_costs_nothing(principal, term, method):
    """PLAN-5: at 0 % the borrower repays exactly the principal, whatever the method."""
    result = schedule(principal, "0", term, method)

    assert result.total_interest_amount == 0
    assert result.total_amount == principal


# --- Refused inputs ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"principal_amount": Decimal("0.00")}, "principal_amount"),
        ({"principal_amount": Decimal("-100.00")}, "principal_amount"),
        ({"principal_amount": Decimal("100.005")}, "principal_amount"),
        ({"principal_amount": "lots"}, "principal_amount"),
        ({"annual_rate": Decimal("-0.01")}, "annual_rate"),
        ({"annual_rate": Decimal("1")}, "annual_rate"),
        ({"annual_rate": Decimal("1.5")}, "annual_rate"),
        ({"annual_rate": "NaN"}, "annual_rate"),
        ({"term_months": 0}, "term_months"),
        ({"term_months": 361}, "term_months"),
        ({"term_months": -12}, "term_months"),
        ({"term_months": "12"}, "term_months"),
        ({"term_months": True}, "term_months"),
        ({"periodic_fee_amount": Decimal("-0.01")}, "periodic_fee_amount"),
        ({"periodic_fee_amount": Decimal("0.001")}, "periodic_fee_amount"),
        ({"method": "balloon"}, "method"),
    ],
)
def test_impossible_terms_are_refused_naming_the_field(changes, field):
    """PLAN-5: principal > 0 in fen, 0 ≤ rate < 1, term 1..360 months, fee ≥ 0, a known method."""
    arguments = {
        "principal_amount": Decimal("10000.00"),
        "annual_rate": Decimal("0.06"),
        "term_months": 12,
        "method": Method.EQUAL_INSTALMENT,
        "first_due_on": FIRST_DUE_ON,
        "periodic_fee_amount": Decimal("0.00"),
    } | changes

    with pytest.raises(ValidationFailed) as excinfo:
        build_schedule(**arguments)

    assert list(excinfo.value.fields) == [field]
    assert excinfo.value.status == 422


def test_amounts_built_from_floats_are_refused():
    """PLAN-5, ARCHITECTURE rule 1: no float near money, even by mistake."""
    with pytest.raises(ValidationFailed) as excinfo:
        build_schedule(
            principal_amount=1000.0,
            annual_rate=Decimal("0.06"),
            term_months=12,
            method=Method.EQUAL_INSTALMENT,
            first_due_on=FIRST_DUE_ON,
        )

    assert list(excinfo.value.fields) == ["principal_amount"]
