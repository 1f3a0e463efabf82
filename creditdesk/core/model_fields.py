"""Model fields of the kernel: money and rates as database columns (the ORM side of `core.money`).

They live apart from `core.money` so that the pure modules (schedules, APR, rules, scoring) which use its
rounding and formatting never import `django.db`.
"""

from __future__ import annotations

from django.db import models

from creditdesk.core.money import MONEY_DECIMAL_PLACES, MONEY_MAX_DIGITS


class MoneyField(models.DecimalField):
    """An amount in yuan: 18 digits, 2 decimals, the one size every money column has."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("max_digits", MONEY_MAX_DIGITS)
        kwargs.setdefault("decimal_places", MONEY_DECIMAL_PLACES)
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]


class RateField(models.DecimalField):
    """An annual rate as a fraction with six decimals (0.060000 = 6 %)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("max_digits", 9)
        kwargs.setdefault("decimal_places", 6)
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
