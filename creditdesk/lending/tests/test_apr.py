"""Annualised rate (年化利率) by the IRR method, PBoC 〔2021〕No.3 (PLAN-8): hand checks and invariants.

Pure calculations: no database (STYLE rule 5).
"""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from creditdesk.core.errors import ValidationFailed
from creditdesk.core.money import quantize
from creditdesk.lending.apr import Apr, annualised_rate, schedule_apr
from creditdesk.lending.fees import Fee, FeeKind
from creditdesk.lending.schedule import Method, build_schedule

FIRST_DUE_ON = dt.date(2027, 3, 31)

# Loans of realistic size (10,000.00..5,000,000.00): on a loan of a few yuan, rounding each line to the fen moves
# the IRR by more than the 1e-4 the disclosure tolerates, so rate-accuracy properties start here.
loan_principals = st.integers(min_value=1_000_000, max_value=500_000_000).map(lambda fen: Decimal(fen).scaleb(-2))
any_principals = st.integers(min_value=100, max_value=500_000_000).map(lambda fen: Decimal(fen).scaleb(-2))
rates = st.integers(min_value=0, max_value=360_000).map(lambda millionths: Decimal(millionths).scaleb(-6))
positive_rates = st.integers(min_value=10_000, max_value=360_000).map(lambda millionths: Decimal(millionths).scaleb(-6))
terms = st.integers(min_value=1, max_value=60)
methods = st.sampled_from(list(Method))
# A fee as a share of the principal, so it is never lost in the sixth decimal of the rate.
fee_shares = st.integers(min_value=1, max_value=200).map(lambda thousandths: Decimal(thousandths).scaleb(-3))


def schedule(principal, rate, term, method, fee="0.00"):
    return build_schedule(
        principal_amount=Decimal(principal),
        annual_rate=Decimal(rate),
        term_months=term,
        method=method,
        first_due_on=FIRST_DUE_ON,
        periodic_fee_amount=Decimal(fee),
    )


def share_of(principal, share):
    """A fee of `share` × principal, at least one fen."""
    return max(quantize(principal * share), Decimal("0.01"))


# --- Hand-checked cash flows --------------------------------------------------------------------------------------


def test_one_payment_one_period_later_gives_its_simple_rate():
    """PLAN-8: lend 100.00, get 101.00 back a month later → r = 1 % a month, 12 % nominal.

    Effective: 1.01^12 − 1 = 1.126825030131969… − 1 = 0.126825.
    """
    assert annualised_rate(net_disbursed_amount=Decimal("100.00"), payments=[Decimal("101.00")]) == Apr(
        periodic_rate=Decimal("0.010000"), nominal_rate=Decimal("0.120000"), effective_rate=Decimal("0.126825")
    )


def test_two_payments_discount_to_the_net_amount_at_ten_percent():
    """PLAN-8: 100.00 = 55.00/1.1 + 60.50/1.21 = 50 + 50, so r = 10 % a period.

    Nominal 0.1 × 12 = 1.2; effective 1.1^12 − 1 = 3.138428376721 − 1 = 2.138428.
    """
    apr = annualised_rate(net_disbursed_amount=Decimal("100.00"), payments=[Decimal("55.00"), Decimal("60.50")])

    assert apr == Apr(
        periodic_rate=Decimal("0.100000"), nominal_rate=Decimal("1.200000"), effective_rate=Decimal("2.138428")
    )


def test_periods_with_no_payment_still_count():
    """PLAN-8: 100.00 repaid as 133.10 after three periods: 1.1^3 = 1.331, so r = 10 %."""
    apr = annualised_rate(
        net_disbursed_amount=Decimal("100.00"), payments=[Decimal("0.00"), Decimal("0.00"), Decimal("133.10")]
    )

    assert apr.periodic_rate == Decimal("0.100000")


def test_quarterly_periods_annualise_by_four():
    """PLAN-8: 100.00 → 102.00 a quarter later: 2 % a quarter, 8 % nominal, 1.02^4 − 1 = 0.08243216 effective."""
    apr = annualised_rate(net_disbursed_amount=Decimal("100.00"), payments=[Decimal("102.00")], periods_per_year=4)

    assert (apr.periodic_rate, apr.nominal_rate, apr.effective_rate) == (
        Decimal("0.020000"),
        Decimal("0.080000"),
        Decimal("0.082432"),
    )


def test_a_loan_that_costs_nothing_has_a_zero_rate():
    """PLAN-8: 300.00 repaid as three payments of 100.00 has no cost at all."""
    apr = annualised_rate(net_disbursed_amount=Decimal("300.00"), payments=[Decimal("100.00")] * 3)

    assert apr == Apr(periodic_rate=Decimal("0.000000"), nominal_rate=Decimal("0.000000"), effective_rate=Decimal("0"))


def test_a_very_high_cost_still_converges():
    """PLAN-8: 1.00 repaid with 2.00 next month is r = 100 % a month: nominal 12, effective 2^12 − 1 = 4095."""
    apr = annualised_rate(net_disbursed_amount=Decimal("1.00"), payments=[Decimal("2.00")])

    assert apr == Apr(
        periodic_rate=Decimal("1.000000"), nominal_rate=Decimal("12.000000"), effective_rate=Decimal("4095.000000")
    )


def test_a_cost_too_high_to_state_is_refused():
    """PLAN-8: 1.00 repaid with 1,000,000.00 next month compounds to about 10^72 a year, beyond any rate column."""
    with pytest.raises(ValidationFailed) as excinfo:
        annualised_rate(net_disbursed_amount=Decimal("1.00"), payments=[Decimal("1000000.00")])

    assert list(excinfo.value.fields) == ["payments"]


# --- Schedules ----------------------------------------------------------------------------------------------------


def test_the_golden_equal_instalment_loan_discloses_its_contract_rate():
    """PLAN-8: 100,000.00 at 6 % over 36 months, no fees: r = 0.5 % a month, 6 % nominal,
    1.005^12 − 1 = 0.0616778… → 0.061678 effective."""
    apr = schedule_apr(schedule("100000.00", "0.06", 36, Method.EQUAL_INSTALMENT))

    assert apr == Apr(
        periodic_rate=Decimal("0.005000"), nominal_rate=Decimal("0.060000"), effective_rate=Decimal("0.061678")
    )


def fee(amount, period=0):
    """A one-off service fee, due on the disbursement date (period 0) or with instalment `period`."""
    return Fee(FeeKind.SERVICE, Decimal(amount), period, FIRST_DUE_ON)


def test_a_fee_due_on_the_disbursement_date_counts_at_t0():
    """PLAN-8, issue 11 item 6: 1,000.00 at 12 % for one month and a separate 10.00 fee due on the disbursement
    date: the borrower receives the whole 1,000.00 and pays 10.00 the same day, then repays 1,010.00. (This used
    to be modelled as a fee taken off the payout, receive 990.00; the cash flows at t0, and so the rate, are the
    same, but nothing is deducted from the principal any more.)

    r = 1010/990 − 1 = 2/99 = 0.0202020… → 0.020202; nominal 12 × 2/99 = 0.242424…;
    effective (101/99)^12 − 1 = 1126825030131969720661201 / 886384871716129280658801 − 1 = 0.2712593… → 0.271259.
    """
    apr = schedule_apr(schedule("1000.00", "0.12", 1, Method.EQUAL_INSTALMENT), fees=[fee("10.00")])

    assert apr.periodic_rate == Decimal("0.020202")
    assert apr.nominal_rate == Decimal("0.242424")
    assert apr.effective_rate == Decimal("0.271259")


def test_a_fee_due_with_the_first_instalment_counts_on_that_date_issue_11_item_6():
    """Issue 11 item 6: the same 10.00 fee due with the (only) instalment: receive 1,000.00, repay 1,020.00 a month
    later: r = 0.02 exactly, nominal 0.24, effective 1.02^12 − 1 = 0.268241794… → 0.268242."""
    apr = schedule_apr(schedule("1000.00", "0.12", 1, Method.EQUAL_INSTALMENT), fees=[fee("10.00", period=1)])

    assert apr == Apr(
        periodic_rate=Decimal("0.020000"), nominal_rate=Decimal("0.240000"), effective_rate=Decimal("0.268242")
    )


def test_every_one_off_fee_counts_in_the_rate_issue_11_item_6():
    """Issue 11 item 6: service, GPS and registration fees all count: 5 + 3 + 2 = 10.00 at t0 as one fee of 10.00."""
    loan = schedule("1000.00", "0.12", 1, Method.EQUAL_INSTALMENT)
    fees = [
        fee("5.00"),
        Fee(FeeKind.GPS, Decimal("3.00"), 0, FIRST_DUE_ON),
        Fee(FeeKind.REGISTRATION, Decimal("2.00"), 0, FIRST_DUE_ON),
    ]
    assert schedule_apr(loan, fees=fees) == schedule_apr(loan, fees=[fee("10.00")])


def test_a_monthly_fee_counts_as_a_cost_of_the_loan():
    """PLAN-8: 1,000.00 interest-free for one month with a 10.00 monthly fee: repay 1,010.00 → 12 % nominal."""
    apr = schedule_apr(schedule("1000.00", "0", 1, Method.EQUAL_PRINCIPAL, fee="10.00"))

    assert apr.nominal_rate == Decimal("0.120000")


@settings(max_examples=200)
@given(principal=loan_principals, rate=rates, term=terms, method=methods)
def test_without_fees_the_disclosed_rate_is_the_contract_rate(principal, rate, term, method):
    """PLAN-8: interest charged on the outstanding balance at i a month has an IRR of exactly i, so with no fees
    the nominal rate equals the contract rate up to fen rounding (1e-4). DOMAIN.md §3 requires this for equal
    instalments; it holds for every method."""
    apr = schedule_apr(schedule(principal, rate, term, method))

    assert abs(apr.nominal_rate - rate) <= Decimal("0.0001")


@settings(max_examples=200)
@given(principal=any_principals, rate=rates, term=terms, method=methods, share=fee_shares)
def test_an_upfront_fee_raises_the_rate(principal, rate, term, method, share):
    """PLAN-8: a fee due at payout (0.1 %–20 % of the principal) means less money kept for the same payments."""
    loan = schedule(principal, rate, term, method)

    without = schedule_apr(loan)
    with_fee = schedule_apr(loan, fees=[fee(share_of(principal, share))])

    assert with_fee.nominal_rate > without.nominal_rate
    assert with_fee.effective_rate > without.effective_rate


@settings(max_examples=200)
@given(principal=any_principals, rate=rates, term=terms, method=methods, share=fee_shares)
def test_a_fee_on_every_instalment_raises_the_rate(principal, rate, term, method, share):
    """PLAN-8: a monthly fee (0.01 %–2 % of the principal) is a cost of the loan, so it must show in the rate."""
    monthly_fee = share_of(principal, share / 10)

    without = schedule_apr(schedule(principal, rate, term, method))
    with_fee = schedule_apr(schedule(principal, rate, term, method, fee=monthly_fee))

    assert with_fee.nominal_rate > without.nominal_rate


@settings(max_examples=200)
@given(principal=any_principals, rate=rates, term=terms, method=methods)
def test_the_effective_rate_is_never_below_the_nominal_rate(principal, rate, term, method):
    """PLAN-8: compounding twelve times a year can only add: (1+r)^12 − 1 ≥ 12r for r ≥ 0."""
    apr = schedule_apr(schedule(principal, rate, term, method))

    assert apr.effective_rate >= apr.nominal_rate >= 0


@settings(max_examples=200)
@given(principal=loan_principals, rate=positive_rates, term=terms, method=methods)
def test_the_effective_rate_exceeds_the_nominal_rate_when_the_loan_costs_something(principal, rate, term, method):
    """PLAN-8: with a rate of at least 1 % the compounding gap (≈ 66 r² a year) shows in the sixth decimal."""
    apr = schedule_apr(schedule(principal, rate, term, method))

    assert apr.effective_rate > apr.nominal_rate


# --- Refused inputs ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"net_disbursed_amount": Decimal("0.00"), "payments": [Decimal("1.00")]}, "net_disbursed_amount"),
        ({"net_disbursed_amount": Decimal("-5.00"), "payments": [Decimal("1.00")]}, "net_disbursed_amount"),
        ({"net_disbursed_amount": Decimal("1.005"), "payments": [Decimal("2.00")]}, "net_disbursed_amount"),
        ({"net_disbursed_amount": 100.0, "payments": [Decimal("200.00")]}, "net_disbursed_amount"),
        ({"net_disbursed_amount": Decimal("100.00"), "payments": []}, "payments"),
        ({"net_disbursed_amount": Decimal("100.00"), "payments": [Decimal("99.99")]}, "payments"),
        ({"net_disbursed_amount": Decimal("100.00"), "payments": [Decimal("-1.00"), Decimal("200.00")]}, "payments"),
        ({"net_disbursed_amount": Decimal("100.00"), "payments": ["abc"]}, "payments"),
        (
            {"net_disbursed_amount": Decimal("100.00"), "payments": [Decimal("101.00")], "periods_per_year": 0},
            "periods_per_year",
        ),
        (
            {"net_disbursed_amount": Decimal("100.00"), "payments": [Decimal("101.00")], "periods_per_year": 366},
            "periods_per_year",
        ),
    ],
)
def test_impossible_cash_flows_are_refused_naming_the_field(arguments, field):
    """PLAN-8: something must be paid out, something repaid, and a loan cannot cost less than nothing."""
    with pytest.raises(ValidationFailed) as excinfo:
        annualised_rate(**arguments)

    assert list(excinfo.value.fields) == [field]


@pytest.mark.parametrize(
    "fees",
    [
        [fee("-0.01")],
        [fee("1000.00")],
        [fee("600.00"), fee("400.00")],
        [fee("2000.00")],
        [fee("0.001")],
        [fee("1.00", period=13)],
    ],
)
def test_fees_must_be_less_than_the_principal_not_negative_and_on_a_due_date(fees):
    """PLAN-8: fees of the whole principal at t0 would leave the borrower nothing; a negative fee is a discount; a
    fee falls due on the disbursement date or with one of the 12 instalments."""
    loan = schedule("1000.00", "0.12", 12, Method.EQUAL_INSTALMENT)

    with pytest.raises(ValidationFailed) as excinfo:
        schedule_apr(loan, fees=fees)

    assert list(excinfo.value.fields) == ["fees"]
