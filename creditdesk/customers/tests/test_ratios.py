"""Financial ratios (财务比率) of a company's statements by period, INFO-5: hand checks, edge cases, invariants.

Pure calculation: no database (STYLE rule 5).
"""

from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from creditdesk.core.errors import ValidationFailed
from creditdesk.customers.ratios import Ratios, StatementFigures, ratios, trend


def figures(**overrides):
    """A mid-sized manufacturer's year, in yuan; every test changes only what it is about."""
    values = {
        "current_assets": Decimal("5000000.00"),
        "inventories": Decimal("1500000.00"),
        "total_assets": Decimal("12000000.00"),
        "current_liabilities": Decimal("2500000.00"),
        "total_liabilities": Decimal("7200000.00"),
        "equity": Decimal("4800000.00"),
        "revenue": Decimal("20000000.00"),
        "net_profit": Decimal("900000.00"),
        "operating_cash_flow": Decimal("1100000.00"),
    }
    values.update(overrides)
    return StatementFigures(**values)


PREVIOUS = figures(equity=Decimal("4200000.00"), revenue=Decimal("16000000.00"))


# --- Hand-computed values ----------------------------------------------------------------------------------------


def test_every_ratio_matches_the_hand_computed_value():
    """INFO-5: 5.0m/2.5m = 2; (5.0m−1.5m)/2.5m = 1.4; 7.2m/12m = 0.6; 0.9m/avg(4.2m, 4.8m) = 0.2; 0.9m/20m = 0.045;
    (20m−16m)/16m = 0.25; 1.1m/2.5m = 0.44."""
    assert ratios(figures(), PREVIOUS) == Ratios(
        current_ratio=Decimal("2.0000"),
        quick_ratio=Decimal("1.4000"),
        debt_to_asset=Decimal("0.6000"),
        roe=Decimal("0.2000"),
        net_margin=Decimal("0.0450"),
        revenue_growth=Decimal("0.2500"),
        operating_cash_flow_ratio=Decimal("0.4400"),
    )


def test_roe_uses_closing_equity_without_a_previous_period():
    """INFO-5: 0.9m / 4.8m = 0.1875 on the closing equity; growth needs the previous period and is None."""
    result = ratios(figures(), None)

    assert result.roe == Decimal("0.1875")
    assert result.revenue_growth is None
    assert result.current_ratio == Decimal("2.0000")


def test_roe_falls_back_to_closing_equity_when_the_previous_equity_is_unknown():
    """INFO-5: average equity needs both ends; otherwise the closing equity is the base."""
    assert ratios(figures(), replace(PREVIOUS, equity=None)).roe == Decimal("0.1875")


def test_ratios_are_rounded_half_up_to_four_decimals():
    """INFO-5: 1/3 → 0.3333, 2/3 → 0.6667, and 1/20000 = 0.00005 rounds up to 0.0001 (not to even)."""
    assert ratios(figures(current_assets=Decimal(1), current_liabilities=Decimal(3))).current_ratio == Decimal("0.3333")
    assert ratios(figures(current_assets=Decimal(2), current_liabilities=Decimal(3))).current_ratio == Decimal("0.6667")
    assert ratios(figures(current_assets=Decimal(1), current_liabilities=Decimal(20000))).current_ratio == Decimal(
        "0.0001"
    )


def test_losses_and_shrinking_revenue_give_negative_ratios():
    """INFO-5: a loss-making year shows a negative margin and ROE; falling revenue a negative growth."""
    result = ratios(figures(net_profit=Decimal("-400000"), revenue=Decimal("12000000")), PREVIOUS)

    assert result.net_margin == Decimal("-0.0333")
    assert result.roe == Decimal("-0.0889")  # -0.4m / 4.5m
    assert result.revenue_growth == Decimal("-0.2500")


def test_figures_may_be_given_as_strings_and_integers():
    """INFO-5: the statements come from forms and spreadsheets as text; core.money.to_decimal builds the Decimals."""
    result = ratios(figures(current_assets="5,000,000.00", current_liabilities=2500000))

    assert result.current_ratio == Decimal("2.0000")


# --- Undefined ratios --------------------------------------------------------------------------------------------


def test_zero_current_liabilities_leave_the_liquidity_ratios_undefined():
    """INFO-5: no division by zero: current, quick and cash-flow ratios are None, the others still computed."""
    result = ratios(figures(current_liabilities=Decimal(0)))

    assert result.current_ratio is None
    assert result.quick_ratio is None
    assert result.operating_cash_flow_ratio is None
    assert result.debt_to_asset == Decimal("0.6000")


def test_negative_equity_leaves_roe_undefined():
    """INFO-5: a loss over a deficit would read as a positive return, so ROE over negative equity is None."""
    result = ratios(figures(equity=Decimal("-100000"), net_profit=Decimal("-50000")))

    assert result.roe is None


def test_previous_revenue_of_zero_leaves_growth_undefined():
    """INFO-5: growth from nothing has no percentage."""
    assert ratios(figures(), replace(PREVIOUS, revenue=Decimal(0))).revenue_growth is None


def test_zero_revenue_and_zero_assets_leave_margin_and_leverage_undefined():
    """INFO-5: a shell company with no revenue and no assets has no margin and no debt-to-asset ratio."""
    result = ratios(figures(revenue=Decimal(0), total_assets=Decimal(0)))

    assert result.net_margin is None
    assert result.debt_to_asset is None


def test_a_missing_statement_leaves_only_its_ratios_undefined():
    """INFO-5: a small company without a cash-flow statement still gets its balance-sheet ratios."""
    result = ratios(figures(operating_cash_flow=None, inventories=None))

    assert result.operating_cash_flow_ratio is None
    assert result.quick_ratio is None
    assert result.current_ratio == Decimal("2.0000")


@pytest.mark.parametrize("bad", [Decimal("NaN"), 1.5, "abc"])
def test_floats_and_non_numbers_are_refused_on_their_field(bad):
    """INFO-5: amounts are never built from floats (STYLE rule 6); the error names the figure."""
    with pytest.raises(ValidationFailed) as caught:
        figures(net_profit=bad)
    assert "net_profit" in caught.value.fields


# --- Trend -------------------------------------------------------------------------------------------------------


def test_trend_orders_periods_chronologically_and_compares_each_with_the_one_before():
    """INFO-5: given newest first, the trend comes back oldest first; growth is against the previous year."""
    y2022 = figures(revenue=Decimal("16000000"), equity=Decimal("4200000"))
    y2023 = figures(revenue=Decimal("20000000"))
    y2024 = figures(revenue=Decimal("18000000"))

    result = trend([("2024", y2024), ("2022", y2022), ("2023", y2023)])

    assert [label for label, _ratios in result] == ["2022", "2023", "2024"]
    assert [r.revenue_growth for _label, r in result] == [None, Decimal("0.2500"), Decimal("-0.1000")]
    assert result[1][1].roe == Decimal("0.2000")


def test_an_empty_trend_is_empty():
    """INFO-5: a new company without statements yet has no trend."""
    assert trend([]) == []


def test_a_period_given_twice_is_refused():
    """INFO-5: two statements for one period cannot both be the truth."""
    with pytest.raises(ValidationFailed) as caught:
        trend([("2023", figures()), ("2023", figures())])
    assert "periods" in caught.value.fields


# --- Invariants --------------------------------------------------------------------------------------------------

yuan = st.integers(min_value=0, max_value=10**13).map(lambda fen: Decimal(fen).scaleb(-2))
signed_yuan = st.integers(min_value=-(10**13), max_value=10**13).map(lambda fen: Decimal(fen).scaleb(-2))
optional = st.none() | signed_yuan


@st.composite
def any_figures(draw):
    return StatementFigures(
        current_assets=draw(optional),
        inventories=draw(optional),
        total_assets=draw(optional),
        current_liabilities=draw(optional),
        total_liabilities=draw(optional),
        equity=draw(optional),
        revenue=draw(optional),
        net_profit=draw(optional),
        operating_cash_flow=draw(optional),
    )


@settings(max_examples=300)
@given(current_assets=yuan, inventories=yuan, current_liabilities=yuan)
def test_quick_ratio_never_exceeds_current_ratio_when_inventories_are_not_negative(
    current_assets, inventories, current_liabilities
):
    """INFO-5: taking inventories out of current assets can only lower the ratio, also after rounding."""
    result = ratios(
        figures(current_assets=current_assets, inventories=inventories, current_liabilities=current_liabilities)
    )
    if current_liabilities == 0:
        assert result.quick_ratio is None
        assert result.current_ratio is None
    else:
        assert result.quick_ratio <= result.current_ratio


@settings(max_examples=300)
@given(total_assets=yuan.filter(lambda amount: amount > 0), share=st.fractions(min_value=0, max_value=1))
def test_debt_to_asset_lies_between_zero_and_one_when_liabilities_do_not_exceed_assets(total_assets, share):
    """INFO-5: liabilities between zero and total assets give a debt-to-asset ratio in [0, 1]."""
    total_liabilities = min(
        total_assets, (total_assets * share.numerator / share.denominator).quantize(Decimal("0.01"))
    )
    result = ratios(figures(total_assets=total_assets, total_liabilities=total_liabilities))

    assert Decimal(0) <= result.debt_to_asset <= Decimal(1)


@settings(max_examples=300)
@given(current=any_figures(), previous=st.none() | any_figures())
def test_every_ratio_is_none_or_has_exactly_four_decimals(current, previous):
    """INFO-5: any statements at all give a result, with one rounding to four places and no exception."""
    result = ratios(current, previous)

    for value in vars(result).values():
        assert value is None or value.as_tuple().exponent == -4


@settings(max_examples=100)
@given(periods=st.lists(any_figures(), min_size=0, max_size=5), seed=st.randoms())
def test_the_trend_does_not_depend_on_the_order_the_periods_arrive_in(periods, seed):
    """INFO-5: the trend is defined by the period labels, not by the order of the list."""
    labelled = [(str(2020 + index), figures_) for index, figures_ in enumerate(periods)]
    shuffled = list(labelled)
    seed.shuffle(shuffled)

    expected = [
        (label, ratios(figures_, labelled[index - 1][1] if index else None))
        for index, (label, figures_) in enumerate(labelled)
    ]
    assert trend(shuffled) == expected
