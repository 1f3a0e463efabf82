"""Pricing (定价): LPR + spread by risk level and grade + term adjustment, clipped to the product's bounds (PLAN-3).

Pure: the caller looks the configuration up for the business date and passes the figures in.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from creditdesk.core.money import quantize_rate

FIVE_YEARS = 60


@dataclass(frozen=True)
class PricedRate:
    rate: Decimal  # the annual rate offered
    base_rate: Decimal  # the LPR used
    spread: Decimal
    term_adjustment: Decimal
    clipped: str  # "" or "floor"/"ceiling" when the product's bounds applied


def lpr_tenor(term_months: int) -> str:
    """Terms up to five years price off the 1-year LPR, longer ones off the 5-year LPR (DOMAIN.md §5)."""
    return "5y" if term_months > FIVE_YEARS else "1y"


def price(
    *, base_rate: Decimal, spread: Decimal, term_adjustment: Decimal, floor: Decimal, ceiling: Decimal
) -> PricedRate:
    raw = base_rate + spread + term_adjustment
    clipped = ""
    if raw < floor:
        raw, clipped = floor, "floor"
    elif raw > ceiling:
        raw, clipped = ceiling, "ceiling"
    return PricedRate(quantize_rate(raw), base_rate, spread, term_adjustment, clipped)
