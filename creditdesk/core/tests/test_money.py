"""Money is Decimal to the fen, rounded half-up in one place (ARCHITECTURE rule 1)."""

from decimal import Decimal

import pytest

from creditdesk.core.model_fields import MoneyField, RateField
from creditdesk.core.money import format_yuan, quantize, quantize_rate, to_decimal


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1.005", "1.01"),
        ("1.004", "1.00"),
        ("-1.005", "-1.01"),
        ("2.675", "2.68"),
        (3, "3.00"),
        ("1,234.565", "1234.57"),
    ],
)
def test_quantize_rounds_half_up_to_the_fen(raw, expected):
    assert quantize(raw) == Decimal(expected)
    assert quantize(raw).as_tuple().exponent == -2


def test_floats_are_refused_because_they_carry_binary_error():
    with pytest.raises(TypeError):
        quantize(0.1)
    with pytest.raises(TypeError):
        to_decimal(True)


@pytest.mark.parametrize("raw", ["abc", "", "NaN", "Infinity"])
def test_non_numbers_are_refused(raw):
    with pytest.raises(ValueError, match="not a"):
        to_decimal(raw)


def test_rates_keep_six_places():
    assert quantize_rate("0.0725") == Decimal("0.072500")
    assert quantize_rate("0.12345675") == Decimal("0.123457")


def test_amounts_are_formatted_with_separators_and_two_decimals():
    assert format_yuan(Decimal("1234567.5")) == "1,234,567.50"
    assert format_yuan("0") == "0.00"
    assert format_yuan(Decimal("99.999"), symbol=True) == "¥100.00"
    assert format_yuan(None) == ""


def test_money_and_rate_fields_have_the_house_sizes():
    money, rate = MoneyField(), RateField()
    assert (money.max_digits, money.decimal_places) == (18, 2)
    assert (rate.max_digits, rate.decimal_places) == (9, 6)
