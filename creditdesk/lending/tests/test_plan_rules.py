"""Service-plan rules (金融服务方案校验): the product's limits and the rating's measures, both sides of every boundary
(PLAN-1…PLAN-6, ASSESS-2).

Pure calculations: no database (STYLE rule 5).
"""

import dataclasses
from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import assume, given
from hypothesis import strategies as st

from creditdesk.assessment.rating import HIGH_MEASURES, LOW_MEASURES, MEDIUM_MEASURES
from creditdesk.core.errors import ValidationFailed
from creditdesk.lending.plan_rules import PlanTerms, PlanValues, check_plan

TERMS = PlanTerms(
    code="UC-36",
    min_amount=Decimal("10000.00"),
    max_amount=Decimal("500000.00"),
    allowed_terms=(12, 24, 36),
    allowed_methods=("equal_instalment", "equal_principal"),
    max_ltv=Decimal("0.70"),
    rate_floor=Decimal("0.040000"),
    rate_ceiling=Decimal("0.180000"),
)
# Alice's plan: a 150,000.00 car, 40 % down, 36 months, secured by the car.
PLAN = PlanValues(
    price_amount=Decimal("150000.00"),
    down_payment_amount=Decimal("60000.00"),
    principal_amount=Decimal("90000.00"),
    term_months=36,
    method="equal_instalment",
    annual_rate=Decimal("0.080000"),
    has_guarantor=False,
    has_vehicle_mortgage=True,
    exception_approved=False,
)
# A corporate working-capital loan: no vehicle, so no price, no down payment, no mortgage.
CORPORATE = dataclasses.replace(
    PLAN, price_amount=None, down_payment_amount=Decimal("0.00"), has_vehicle_mortgage=False
)
# A high-risk exception meeting the stricter terms: half down, 24 months, a guarantor.
EXCEPTION = dataclasses.replace(
    PLAN,
    down_payment_amount=Decimal("75000.00"),
    principal_amount=Decimal("75000.00"),
    term_months=24,
    has_guarantor=True,
    exception_approved=True,
)
D001 = Decimal("0.01")
NO_SHARE = dataclasses.replace(
    LOW_MEASURES, min_down_payment_share=Decimal("0"), min_down_payment_share_with_guarantor=Decimal("0")
)


@pytest.fixture(autouse=True, scope="module")
def english():
    """The messages are asserted in their English msgids; the site's default language is Chinese."""
    with translation.override("en"):
        yield


def errors(plan=PLAN, *, level="low", measures=None, terms=TERMS):
    """The fields and messages check_plan refuses, {} when the plan passes."""
    measures = measures or {"low": LOW_MEASURES, "medium": MEDIUM_MEASURES, "high": HIGH_MEASURES}.get(level)
    try:
        check_plan(terms, measures or LOW_MEASURES, level, plan)
    except ValidationFailed as exc:
        refused = exc
    else:
        return {}
    assert refused.code == "plan_outside_limits"
    return refused.fields


def vehicle(price, down, **changes):
    """A vehicle plan whose principal is the price less the down payment."""
    return dataclasses.replace(
        PLAN,
        price_amount=Decimal(price),
        down_payment_amount=Decimal(down),
        principal_amount=Decimal(price) - Decimal(down),
        **changes,
    )


def test_a_plan_inside_every_limit_passes():
    assert errors(PLAN, level="low") == {}
    assert errors(PLAN, level="medium") == {}
    assert errors(CORPORATE, level="low") == {}
    assert errors(EXCEPTION, level="high") == {}


def test_every_breach_is_reported_at_once():
    """PLAN-1: one error carries every field, so the plan is fixed in one pass."""
    bad = dataclasses.replace(
        PLAN,
        principal_amount=Decimal("90000.01"),
        term_months=48,
        method="interest_first",
        annual_rate=Decimal("0.200000"),
        has_vehicle_mortgage=False,
    )
    with pytest.raises(ValidationFailed) as caught:
        check_plan(TERMS, HIGH_MEASURES, "high", bad)

    assert caught.value.code == "plan_outside_limits"
    assert set(caught.value.fields) == {
        "risk_level",
        "principal_amount",
        "down_payment_amount",
        "term_months",
        "method",
        "annual_rate",
        "guarantees",
    }
    assert len(caught.value.fields["term_months"]) == 2  # not a product term, and over the high-risk maximum
    assert len(caught.value.fields["guarantees"]) == 2  # no guarantor, and no vehicle mortgage


# --- Amounts (PLAN-2) ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("principal", ["0.00", "-1.00"])
def test_the_principal_must_be_positive(principal):
    assert list(errors(dataclasses.replace(CORPORATE, principal_amount=Decimal(principal)))) == ["principal_amount"]


def test_the_price_must_be_positive():
    assert "price_amount" in errors(dataclasses.replace(PLAN, price_amount=Decimal("0.00")))


@pytest.mark.parametrize(
    ("principal", "refused"), [("9999.99", True), ("10000.00", False), ("500000.00", False), ("500000.01", True)]
)
def test_the_principal_stays_within_the_products_range(principal, refused):
    found = errors(dataclasses.replace(CORPORATE, principal_amount=Decimal(principal)))

    assert found == ({"principal_amount": ["The product lends from 10000.00 to 500000.00 yuan."]} if refused else {})


def test_the_down_payment_cannot_be_negative():
    found = errors(dataclasses.replace(PLAN, down_payment_amount=Decimal("-0.01")))

    assert found["down_payment_amount"] == ["The down payment cannot be negative."]


@pytest.mark.parametrize(("down", "refused"), [("149999.99", False), ("150000.00", True), ("150000.01", True)])
def test_the_down_payment_is_less_than_the_price(down, refused):
    found = errors(vehicle("150000.00", down), measures=NO_SHARE, terms=dataclasses.replace(TERMS, min_amount=D001))

    assert ("The down payment must be less than the price." in found.get("down_payment_amount", [])) is refused


@pytest.mark.parametrize(("principal", "refused"), [("89999.99", True), ("90000.00", False), ("90000.01", True)])
def test_the_principal_is_the_price_less_the_down_payment(principal, refused):
    """PLAN-2: the loan amount follows from the vehicle price and the down payment."""
    found = errors(dataclasses.replace(PLAN, principal_amount=Decimal(principal)), measures=NO_SHARE)

    assert ("principal_amount" in found) is refused


def test_a_loan_without_a_vehicle_has_no_down_payment():
    found = errors(dataclasses.replace(CORPORATE, down_payment_amount=Decimal("1.00")))

    assert found == {"down_payment_amount": ["A down payment needs a vehicle price."]}


# --- Term, method, rate (PLAN-3, PLAN-4, PLAN-5) -------------------------------------------------------------------


@pytest.mark.parametrize(("term", "refused"), [(12, False), (18, True), (36, False), (48, True)])
def test_the_term_is_one_the_product_allows(term, refused):
    found = errors(
        dataclasses.replace(CORPORATE, term_months=term), measures=dataclasses.replace(NO_SHARE, max_term_months=60)
    )

    assert found == ({"term_months": ["The product allows terms of 12, 24, 36 months."]} if refused else {})


@pytest.mark.parametrize(("method", "refused"), [("equal_principal", False), ("interest_first", True)])
def test_the_repayment_method_is_one_the_product_offers(method, refused):
    assert ("method" in errors(dataclasses.replace(PLAN, method=method))) is refused


@pytest.mark.parametrize(
    ("rate", "refused"), [("0.039999", True), ("0.040000", False), ("0.180000", False), ("0.180001", True)]
)
def test_the_rate_stays_within_the_products_bounds(rate, refused):
    """PLAN-3: the rate floor and ceiling are inclusive."""
    found = errors(dataclasses.replace(PLAN, annual_rate=Decimal(rate)))

    assert found == ({"annual_rate": ["The product allows rates from 4% to 18%."]} if refused else {})


# --- Loan-to-value and down-payment share (PLAN-2, ASSESS-2) -------------------------------------------------------


@pytest.mark.parametrize(("down", "refused"), [("30000.00", False), ("29999.99", True)])
def test_the_loan_to_value_cap_is_inclusive(down, refused):
    """PLAN-2: 70,000.00 on a 100,000.00 car is exactly 70 % and passes; one fen more does not."""
    found = errors(vehicle("100000.00", down), measures=NO_SHARE)

    message = "The loan may be at most 70% of the lower of the price and the appraised value: raise the down payment."
    expected = {"down_payment_amount": [message]}
    assert found == (expected if refused else {})


def test_the_loan_to_value_is_compared_exactly():
    """1/3 is a hair over a cap of 0.333…3 (29 threes); a 28-digit quotient or product would round it to pass."""
    terms = dataclasses.replace(TERMS, max_ltv=Decimal("0." + "3" * 29))

    assert "down_payment_amount" in errors(vehicle("300000.00", "200000.00"), measures=NO_SHARE, terms=terms)


def test_without_a_cap_the_product_allows_any_loan_to_value():
    terms = dataclasses.replace(TERMS, max_ltv=None)

    assert errors(vehicle("100000.00", "1.00"), measures=NO_SHARE, terms=terms) == {}


@pytest.mark.parametrize(("down", "refused"), [("60000.00", False), ("59999.99", True)])
def test_medium_risk_needs_the_higher_down_payment(down, refused):
    """ASSESS-2 medium: 40 % down without a guarantor; exactly 40 % passes."""
    found = errors(vehicle("150000.00", down), level="medium")

    expected = {"down_payment_amount": ["At this risk level the down payment must be at least 40% of the price."]}
    assert found == (expected if refused else {})


@pytest.mark.parametrize(("down", "refused"), [("45000.00", False), ("44999.99", True)])
def test_a_guarantor_lowers_the_medium_risk_down_payment(down, refused):
    """ASSESS-2 medium: "extra guarantee or higher down payment": 30 % with a guarantor."""
    found = errors(vehicle("150000.00", down, has_guarantor=True), level="medium")

    assert (
        "At this risk level the down payment must be at least 30% of the price." in found.get("down_payment_amount", [])
    ) is refused


def test_the_required_share_is_named_as_a_percentage():
    measures = dataclasses.replace(LOW_MEASURES, min_down_payment_share=Decimal("0.355"))

    found = errors(vehicle("100000.00", "35499.99"), measures=measures)

    assert "At this risk level the down payment must be at least 35.5% of the price." in found["down_payment_amount"]


@given(
    price_fen=st.integers(min_value=1_000_000, max_value=50_000_000),
    down_fen=st.integers(min_value=0, max_value=50_000_000),
    share_pct=st.integers(min_value=1, max_value=99),
)
def test_the_ltv_cap_and_the_down_payment_share_agree(price_fen, down_fen, share_pct):
    """With a cap of 1 − share, a plan breaks the LTV cap exactly when it breaks the down-payment share."""
    assume(down_fen < price_fen)
    share = Decimal(share_pct).scaleb(-2)
    measures = dataclasses.replace(
        LOW_MEASURES, min_down_payment_share=share, min_down_payment_share_with_guarantor=share
    )
    terms = dataclasses.replace(TERMS, max_ltv=1 - share, min_amount=D001, max_amount=Decimal("1000000.00"))

    found = errors(
        vehicle(Decimal(price_fen).scaleb(-2), Decimal(down_fen).scaleb(-2)), measures=measures, terms=terms
    ).get("down_payment_amount", [])

    assert len(found) in (0, 2)
    assert (len(found) == 2) is (down_fen * 100 < share_pct * price_fen)


# --- Term, guarantees and high risk (ASSESS-2, PLAN-6) -------------------------------------------------------------


@pytest.mark.parametrize(("term", "refused"), [(24, False), (36, True)])
def test_a_high_risk_exception_has_a_shorter_term(term, refused):
    found = errors(dataclasses.replace(EXCEPTION, term_months=term), level="high")

    assert found == ({"term_months": ["At this risk level the term may be at most 24 months."]} if refused else {})


def test_a_high_risk_exception_needs_a_guarantor():
    found = errors(dataclasses.replace(EXCEPTION, has_guarantor=False), level="high")

    assert found == {"guarantees": ["At this risk level a third-party guarantor is required."]}


def test_high_risk_is_declined_unless_an_exception_is_approved():
    """ASSESS-2 high: declined by default, even when every stricter term is met."""
    found = errors(dataclasses.replace(EXCEPTION, exception_approved=False), level="high")

    assert found == {"risk_level": ["High-risk applications are declined unless an exception is approved."]}


def test_high_risk_passes_where_the_policy_does_not_decline_it():
    measures = dataclasses.replace(HIGH_MEASURES, declined_by_default=False)

    assert errors(dataclasses.replace(EXCEPTION, exception_approved=False), level="high", measures=measures) == {}


def test_an_unknown_risk_level_is_refused():
    assert list(errors(PLAN, level="extreme", measures=LOW_MEASURES)) == ["risk_level"]


def test_a_vehicle_loan_is_secured_by_the_vehicle():
    """PLAN-6: a vehicle loan needs the vehicle mortgage; a loan with no vehicle does not."""
    found = errors(dataclasses.replace(PLAN, has_vehicle_mortgage=False))

    assert found == {"guarantees": ["A vehicle loan must be secured by a mortgage on the vehicle."]}
    assert errors(CORPORATE) == {}


# --- Inputs ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "changes",
    [
        {"price_amount": 150000.0},
        {"down_payment_amount": 60000.0},
        {"principal_amount": 90000},
        {"annual_rate": 0.08},
        {"term_months": "36"},
        {"has_guarantor": 1},
    ],
)
def test_plan_values_are_never_floats_or_loose_types(changes):
    with pytest.raises(TypeError):
        dataclasses.replace(PLAN, **changes)


def test_product_limits_are_never_floats():
    with pytest.raises(TypeError):
        dataclasses.replace(TERMS, max_ltv=0.7)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"max_ltv": Decimal("0")}, "max_ltv"),
        ({"max_ltv": Decimal("1.01")}, "max_ltv"),
        ({"min_amount": Decimal("0.00")}, "max_amount"),
        ({"max_amount": Decimal("9999.99")}, "max_amount"),
        ({"rate_ceiling": Decimal("0.039999")}, "rate_ceiling"),
        ({"rate_floor": Decimal("NaN")}, "rate_floor"),
    ],
)
def test_impossible_product_limits_are_refused(changes, field):
    with pytest.raises(ValidationFailed) as caught:
        dataclasses.replace(TERMS, **changes)
    assert list(caught.value.fields) == [field]


def test_the_products_json_lists_become_tuples():
    terms = dataclasses.replace(TERMS, allowed_terms=[12, 24], allowed_methods=["equal_instalment"])

    assert (terms.allowed_terms, terms.allowed_methods) == ((12, 24), ("equal_instalment",))
