"""Input types shared by every API schema and form (ARCHITECTURE rule 10): amounts within business ceilings.

A stored amount must read back exactly on both databases. SQLite keeps decimals as REAL (a double, exact to
15 significant digits) and Django refuses a value it cannot give back within the column's digits, so an amount
of 16 or more digits would be stored and then break every read of its row. Every amount a client sends is
therefore one of these types: two decimals at most, and within a ceiling from the settings.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from django import forms
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from pydantic import Field, WithJsonSchema

from creditdesk.core.money import CENT

# 15 significant digits with two decimals: the largest amounts a double (SQLite REAL) holds exactly.
DATABASE_SAFE_MAX = Decimal("9999999999999.99")
AMOUNT_DIGITS = 15
AMOUNT_PLACES = 2


def ceiling(name: str) -> Decimal:
    """The ceiling setting `name` as an amount; refused at start-up when the database could not give it back."""
    try:
        value = Decimal(str(getattr(settings, name)))
    except InvalidOperation:
        value = Decimal(-1)
    if not (0 < value <= DATABASE_SAFE_MAX) or value != value.quantize(CENT):
        raise ImproperlyConfigured(f"{name} must be an amount between 0.01 and {DATABASE_SAFE_MAX}.")
    return value


AMOUNT_MAX = ceiling("AMOUNT_MAX")
INCOME_MAX = ceiling("INCOME_MAX")
PRICE_MAX = ceiling("PRICE_MAX")


def _constraints(limit: Decimal) -> dict[str, Any]:
    return {"ge": -limit, "le": limit, "max_digits": AMOUNT_DIGITS, "decimal_places": AMOUNT_PLACES}


def decimal_pattern(limit: Decimal, places: int, *, signed: bool) -> str:
    """A decimal string within ±`limit` with `places` decimals at most, as a regular expression.

    The integer digits are those of the largest all-nines value within the limit, so the pattern is never looser
    than the server (for a limit of 100 000 000.00: up to 99 999 999.99)."""
    digits = len(str(int(limit + Decimal(1).scaleb(-places)))) - 1
    integer = "0" if digits < 1 else f"(0|[1-9][0-9]{{0,{digits - 1}}})"
    sign = "-?" if signed else ""
    return f"^{sign}{integer}(\\.[0-9]{{1,{places}}})?$"


def _documented(limit: Decimal) -> WithJsonSchema:
    # Documented as the decimal string clients should send (the server also takes a JSON number, read as a
    # Decimal, never a float): a pattern with the ceiling's digits, so generated examples are accepted.
    return WithJsonSchema(
        {"type": "string", "format": "decimal", "pattern": decimal_pattern(limit, AMOUNT_PLACES, signed=True)}
    )


# The bounds are the size of an amount; its sign is a business rule the services check with their own codes and
# messages ("The down payment cannot be negative."), the same for the API and the forms.
# Statement figures, registered capital, guarantees and every other amount.
Amount = Annotated[Decimal, Field(**_constraints(AMOUNT_MAX)), _documented(AMOUNT_MAX)]
# A person's monthly income.
IncomeAmount = Annotated[Decimal, Field(**_constraints(INCOME_MAX)), _documented(INCOME_MAX)]
# Car prices, down payments, budgets, debts of a person, requested and loan amounts, vehicle values.
PriceAmount = Annotated[Decimal, Field(**_constraints(PRICE_MAX)), _documented(PRICE_MAX)]
# An annual interest rate as a fraction (0.0815 for 8.15 %): six decimals, below 1. The API keeps fractions; the
# pages take and show percent (`core.forms.PercentField`).
RATE_PLACES = 6
RATE_DESCRIPTION = "Annual rate as a fraction (年利率，小数，如 0.055 表示 5.5%): at least 0, below 1, six decimals."
RATE_PATTERN = decimal_pattern(Decimal("0.999999"), RATE_PLACES, signed=False)
Rate = Annotated[
    Decimal,
    Field(ge=0, lt=1, max_digits=9, decimal_places=RATE_PLACES),
    WithJsonSchema({"type": "string", "format": "decimal", "pattern": RATE_PATTERN}),
]


class AmountField(forms.DecimalField):
    """The form field of `Amount`: two decimals, within the ceiling (the services check the sign)."""

    limit = AMOUNT_MAX

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_digits", AMOUNT_DIGITS)
        kwargs.setdefault("decimal_places", AMOUNT_PLACES)
        kwargs.setdefault("max_value", self.limit)
        kwargs.setdefault("min_value", -self.limit)
        super().__init__(**kwargs)


class IncomeAmountField(AmountField):
    """The form field of `IncomeAmount`."""

    limit = INCOME_MAX


class PriceAmountField(AmountField):
    """The form field of `PriceAmount`."""

    limit = PRICE_MAX
