"""The product catalogue as the assessment sees it: a product's limits by code, without importing `lending`.

Products live in `lending`, which depends on `assessment` (ARCHITECTURE.md: one-way layering). So `lending`
registers a provider here from its `AppConfig.ready()`, the same way bureau adapters register, and applications
keep the product's code.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class ProductTerms:
    """A loan product's limits in force on a date (贷款产品条件)."""

    code: str
    name: str
    customer_kind: str  # "individual" | "company"
    vehicle_loan: bool
    min_amount: Decimal
    max_amount: Decimal
    allowed_terms: tuple[int, ...]
    allowed_methods: tuple[str, ...]
    max_ltv: Decimal | None


Provider = Callable[[dt.date], list[ProductTerms]]
_provider: Provider | None = None


def register(provider: Provider) -> None:
    """Install the function that lists the products in force on a date (called by `lending`)."""
    global _provider
    _provider = provider


def products_on(on: dt.date) -> list[ProductTerms]:
    """The products in force on `on`; none when no provider is registered."""
    return [] if _provider is None else _provider(on)


def product_on(code: str, on: dt.date) -> ProductTerms | None:
    return next((p for p in products_on(on) if p.code == code), None)
