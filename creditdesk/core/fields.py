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
from pydantic import Field

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


# The bounds are the size of an amount; its sign is a business rule the services check with their own codes and
# messages ("The down payment cannot be negative."), the same for the API and the forms.
# Statement figures, registered capital, guarantees and every other amount.
Amount = Annotated[Decimal, Field(**_constraints(AMOUNT_MAX))]
# A person's monthly income.
IncomeAmount = Annotated[Decimal, Field(**_constraints(INCOME_MAX))]
# Car prices, down payments, budgets, debts of a person, requested and loan amounts, vehicle values.
PriceAmount = Annotated[Decimal, Field(**_constraints(PRICE_MAX))]


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
