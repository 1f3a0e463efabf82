"""The one limit check (issue 11 item 4), pure: LTV on the lower of price and appraisal, exact and inclusive
comparisons, the product's limits and the regulatory cap, in a fixed order."""

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from creditdesk.assessment import limits

UC = limits.ProductLimits(
    min_amount=D("20000.00"),
    max_amount=D("500000.00"),
    allowed_terms=(12, 24, 36),
    allowed_methods=("equal_instalment",),
    max_ltv=D("0.700000"),
)
CAP = limits.Cap(max_ltv=D("0.70"), max_term_months=36, source="《汽车贷款管理办法》")


def codes(**figures):
    base = {"principal_amount": D("70000.00"), "term_months": 36, "method": "equal_instalment"}
    return [b.code for b in limits.check(**{**base, **figures}, product=UC, cap=CAP)]


def test_the_ltv_is_measured_on_the_lower_of_price_and_appraisal():
    assert codes(price_amount=D("100000.00"), valuation_amount=D("150000.00")) == []
    assert codes(price_amount=D("150000.00"), valuation_amount=D("100000.00")) == []
    assert codes(price_amount=D("150000.00"), valuation_amount=D("99999.99")) == ["product.ltv", "regulatory.ltv"]
    assert codes(price_amount=None, valuation_amount=D("99999.99")) == ["product.ltv", "regulatory.ltv"]


def test_the_boundaries_are_inclusive_and_the_order_fixed():
    assert codes(price_amount=D("100000.00")) == []
    assert codes(term_months=48, method="interest_first", principal_amount=D("19999.99")) == [
        "product.amount",
        "product.term",
        "product.method",
        "regulatory.term",
    ]


def test_a_loan_without_a_vehicle_has_no_ltv():
    assert codes(principal_amount=D("400000.00")) == []


@given(st.integers(min_value=1, max_value=10**9), st.integers(min_value=1, max_value=10**9))
def test_the_exact_check_agrees_with_the_rounded_up_ratio_for_four_place_caps(principal_fen, base_fen):
    principal, base = D(principal_fen) / 100, D(base_fen) / 100
    assert limits.within_ratio(principal, base, D("0.7")) == (limits.ratio_up(principal, base) <= D("0.7"))


@pytest.mark.parametrize("share", [D("0.7"), D("0.355")])
def test_percent_reads_as_staff_write_it(share):
    assert limits.percent(share) in ("70%", "35.5%")
