"""Money (金额) and rates (利率): Decimal only, rounded in one place.

Amounts are yuan with two decimals (to the fen, 分), built from strings or integers, never from floats.
Rates are annual fractions with six decimals (0.060000 = 6 % a year).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
RATE_PLACES = Decimal("0.000001")
ZERO = Decimal("0.00")
MONEY_MAX_DIGITS = 18
MONEY_DECIMAL_PLACES = 2


def to_decimal(value: Decimal | int | str) -> Decimal:
    """Build a Decimal from a string, int or Decimal; floats are refused because they carry binary error."""
    if isinstance(value, bool | float):
        raise TypeError(f"money and rates are never built from {type(value).__name__}: {value!r}")
    if isinstance(value, Decimal):
        result = value
    else:
        try:
            result = Decimal(str(value).strip().replace(",", ""))
        except InvalidOperation as exc:
            raise ValueError(f"not a number: {value!r}") from exc
    if not result.is_finite():
        raise ValueError(f"not a finite number: {value!r}")
    return result


def quantize(value: Decimal | int | str) -> Decimal:
    """Round an amount to the fen, half up: the one rounding rule for money (DOMAIN.md §4)."""
    return to_decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def amount_text(value: Decimal | None) -> str | None:
    """An amount as the API sends it: a decimal string with two places ("123456.78"), never a float; None stays."""
    return None if value is None else str(quantize(value))


def quantize_rate(value: Decimal | int | str) -> Decimal:
    """Round a rate to six decimal places, half up."""
    return to_decimal(value).quantize(RATE_PLACES, rounding=ROUND_HALF_UP)


def format_yuan(value: Decimal | int | str | None, *, symbol: bool = False) -> str:
    """Format an amount for people: thousands separators, two decimals, optionally with ¥.

    >>> format_yuan(Decimal("1234567.5"))
    '1,234,567.50'
    """
    if value is None or value == "":
        return ""
    text = f"{quantize(value):,.2f}"
    return f"¥{text}" if symbol else text
