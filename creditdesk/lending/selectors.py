"""Reads of the lending app: the configuration in force on a business date."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import QuerySet

from creditdesk.assessment.catalogue import ProductTerms
from creditdesk.lending.models import LprRate, Product, SpreadRule, TermAdjustment
from creditdesk.lending.pricing import PricedRate, lpr_tenor, price


def product_for(*, code: str, on: dt.date) -> Product | None:
    """The version of a product in force on a date (the latest effective on or before it), if active."""
    return Product.objects.filter(code=code, effective_on__lte=on, is_active=True).order_by("-effective_on").first()


def products_in_force(*, on: dt.date) -> list[Product]:
    latest: dict[str, Product] = {}
    for product in Product.objects.filter(effective_on__lte=on, is_active=True).order_by("code", "-effective_on"):
        latest.setdefault(product.code, product)
    return list(latest.values())


def _latest(queryset: QuerySet, on: dt.date) -> object | None:
    return queryset.filter(effective_on__lte=on).order_by("-effective_on").first()


def lpr_on(*, tenor: str, on: dt.date) -> Decimal | None:
    row = _latest(LprRate.objects.filter(tenor=tenor), on)
    return row.rate if isinstance(row, LprRate) else None


def priced_rate(*, product: Product, risk_level: str, grade: str, term_months: int, on: dt.date) -> PricedRate | None:
    """PLAN-3: the rate for this product, risk level, grade and term on the business date; None if unconfigured."""
    base = lpr_on(tenor=lpr_tenor(term_months), on=on)
    spread = _latest(SpreadRule.objects.filter(risk_level=risk_level, grade=grade), on)
    adjustment = _latest(
        TermAdjustment.objects.filter(min_term_months__lte=term_months, max_term_months__gte=term_months), on
    )
    if base is None or not isinstance(spread, SpreadRule):
        return None
    return price(
        base_rate=base,
        spread=spread.spread,
        term_adjustment=adjustment.adjustment if isinstance(adjustment, TermAdjustment) else Decimal(0),
        floor=product.rate_floor,
        ceiling=product.rate_ceiling,
    )


def product_terms_on(on: dt.date) -> list[ProductTerms]:
    """The products in force on `on` as the assessment app reads them (registered in `LendingConfig.ready`)."""
    return [
        ProductTerms(
            code=p.code,
            name=p.name,
            customer_kind=p.customer_kind,
            vehicle_loan=p.max_ltv is not None,
            min_amount=p.min_amount,
            max_amount=p.max_amount,
            allowed_terms=tuple(p.allowed_terms),
            allowed_methods=tuple(p.allowed_methods),
            max_ltv=p.max_ltv,
        )
        for p in products_in_force(on=on)
    ]
