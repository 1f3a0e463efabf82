"""Pricing: LPR + spread + term adjustment, clipped to the product's bounds (PLAN-3)."""

from decimal import Decimal as D

from creditdesk.lending.pricing import lpr_tenor, price


def test_the_rate_is_lpr_plus_spread_plus_term_adjustment():
    priced = price(
        base_rate=D("0.030000"),
        spread=D("0.020000"),
        term_adjustment=D("0.005000"),
        floor=D("0.040000"),
        ceiling=D("0.180000"),
    )
    assert (priced.rate, priced.clipped) == (D("0.055000"), "")


def test_the_products_bounds_clip_the_rate():
    low = price(
        base_rate=D("0.030000"), spread=D("0"), term_adjustment=D("0"), floor=D("0.040000"), ceiling=D("0.180000")
    )
    high = price(
        base_rate=D("0.030000"),
        spread=D("0.200000"),
        term_adjustment=D("0"),
        floor=D("0.040000"),
        ceiling=D("0.180000"),
    )
    assert (low.rate, low.clipped) == (D("0.040000"), "floor")
    assert (high.rate, high.clipped) == (D("0.180000"), "ceiling")


def test_terms_over_five_years_use_the_five_year_lpr():
    assert [lpr_tenor(m) for m in (12, 60, 61, 120)] == ["1y", "1y", "5y", "5y"]
