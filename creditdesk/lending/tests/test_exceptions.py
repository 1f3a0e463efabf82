"""Issue 11 items 1, 2 and 4: a failed hard rule binds the plan; only an exception request decided by the credit
committee gets past it; the plan is checked like the application (LTV on the lower of price and appraisal, the
admission rules re-run) by the one limit check the quotes use too; regulatory caps bind the configuration."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from creditdesk.assessment import services as assessment
from creditdesk.assessment.models import AdmissionPolicyVersion
from creditdesk.assessment.rating import LOW_MEASURES
from creditdesk.assessment.tests.factories import car_loan, make_car, make_individual
from creditdesk.core.audit import events_for
from creditdesk.core.errors import ValidationFailed
from creditdesk.lending import quotes, services
from creditdesk.lending.decisions import plan_decide
from creditdesk.lending.models import PlanException, Product
from creditdesk.lending.plan_rules import PlanTerms, PlanValues, check_plan
from creditdesk.lending.tests.factories import rate_application

D = Decimal
pytestmark = pytest.mark.django_db


def _application(alice, carol, *, level="medium", value="150000.00", **car):
    customer = make_individual(alice)
    application = assessment.application_create(
        actor=alice,
        customer=customer,
        vehicle=make_car(customer, alice, value=value, **car),
        **car_loan(down_payment_amount=D("60000.00")),
    )
    return rate_application(application, carol, level=level)


@pytest.fixture
def old_car(alice, rater, business_on):
    """A car first registered in 2017: 156 months old at the end of a 36-month loan (ADM-6 caps it at 120); the
    assessment fails the rule, the automated rating is high and the risk officer overrides it to medium."""
    return _application(alice, rater, first_registered_on=dt.date(2017, 3, 1))


def test_a_plan_over_the_ltv_on_the_appraisal_is_refused(alice, carol, business_on):
    """Item 4 / PLAN-2: 90,000.00 on a 150,000.00 price is 60 %, but the car is appraised at 100,000.00: 90 %."""
    application = _application(alice, carol, value="100000.00")
    with pytest.raises(ValidationFailed) as caught:
        services.plan_create(actor=alice, application=application)
    assert "down_payment_amount" in caught.value.fields
    assert "appraised value" in caught.value.fields["down_payment_amount"][0]


def test_a_rating_override_does_not_clear_a_failed_rule(old_car, alice):
    """Item 1: overridden from high to medium, the plan still carries the failed rule and cannot be submitted."""
    assessment_row = old_car.assessments.first()
    assert (assessment_row.automated_level, assessment_row.final_level) == ("high", "medium")
    plan = services.plan_create(actor=alice, application=old_car)
    assert {(r["code"], r["stage"]) for r in plan.failed_rules} == {
        ("ADM-6.vehicle_age", "assessment"),
        ("ADM-6.vehicle_age", "plan"),
    }
    with pytest.raises(ValidationFailed) as caught:
        services.plan_submit(actor=alice, plan=plan)
    assert caught.value.code == "exception_required"
    assert list(caught.value.fields) == ["exception_requested"]
    plan.refresh_from_db()
    assert plan.status == "draft"


def test_every_revision_re_runs_the_rules_on_the_plan_figures(old_car, alice):
    """Item 4: a 12-month plan ends when the car is 132 months old: still over 120; the record shows the figures."""
    plan = services.plan_create(actor=alice, application=old_car)
    plan = services.plan_update(actor=alice, plan=plan, term_months=12)
    on_plan = [r for r in plan.failed_rules if r["stage"] == "plan"]
    assert [(r["code"], r["measured"], r["limit"]) for r in on_plan] == [("ADM-6.vehicle_age", "132", "120")]


def test_an_exception_goes_to_the_committee_and_one_approver_cannot_carry_it(
    old_car, alice, bob, carol, committee, business_on
):
    """Item 1: the request records the rules and figures it waives; the route ends at the committee; the first
    approver's approval does not approve the plan; the committee's second approval decides the exception too."""
    plan = services.plan_create(
        actor=alice, application=old_car, exception_requested=True, exception_reason="车况良好，客户收入稳定"
    )
    plan = services.plan_submit(actor=alice, plan=plan)
    assert plan.route["committee"] is True
    request = PlanException.objects.get(plan=plan)
    assert (request.state, request.proposed_by, request.reason) == ("pending", alice, "车况良好，客户收入稳定")
    assert [r["code"] for r in request.rules] == ["ADM-6.vehicle_age", "ADM-6.vehicle_age"]
    assert (request.rules[0]["measured"], request.rules[0]["limit"]) == ("156", "120")
    plan_decide(actor=bob, plan=plan, outcome="approve", opinion="同意上报")
    plan_decide(actor=carol, plan=plan, outcome="approve", opinion="风险可控，同意例外上报")
    first, second = committee[0], committee[1]
    plan_decide(actor=first, plan=plan, outcome="approve", opinion="同意")
    plan.refresh_from_db()
    request.refresh_from_db()
    assert (plan.status, request.state) == ("pending_approval", "pending")
    plan_decide(actor=second, plan=plan, outcome="approve", opinion="同意例外")
    plan.refresh_from_db()
    request.refresh_from_db()
    assert (plan.status, request.state, request.decided_by) == ("approved", "approved", second)
    assert "plan.exception_requested" in [e.event_type for e in events_for(plan)]
    assert "plan.exception_approved" in [e.event_type for e in events_for(plan)]


def test_an_admission_policy_above_the_regulatory_cap_is_refused(business_on):
    """Item 2: LTV 0.90 and 60 months were accepted; the used-car cap is 70 % and 36 months incl. extensions."""
    policy = AdmissionPolicyVersion(version="P-90", effective_on=business_on, max_ltv=D("0.90"), max_term_months=60)
    with pytest.raises(ValidationError) as caught:
        policy.full_clean()
    assert {"max_ltv", "max_term_months"} <= set(caught.value.message_dict)
    AdmissionPolicyVersion(version="P-70", effective_on=business_on, max_ltv=D("0.70"), max_term_months=36).full_clean()


def test_a_product_above_the_regulatory_cap_is_refused(business_on):
    """Item 2: a used-car product lending 80 % over 48 months exceeds the cap in force on its date."""
    product = Product.objects.get(code="UC-RETAIL")
    product.pk = None
    product.effective_on = business_on
    product.max_ltv = D("0.800000")
    product.allowed_terms = [12, 24, 36, 48]
    with pytest.raises(ValidationError) as caught:
        product.full_clean()
    assert {"max_ltv", "allowed_terms"} <= set(caught.value.message_dict)


def test_quotes_and_plans_word_the_same_limits_alike(business_on):
    """Item 4: one limit check: the quote and the plan check give the same field errors on the same figures."""
    product = Product.objects.get(code="UC-RETAIL")
    with pytest.raises(ValidationFailed) as quoted:
        quotes.quote(
            term_months=48,
            method="equal_instalment",
            business_on=business_on,
            price_amount=D("100000.00"),
            down_payment_amount=D("25000.00"),
            product="UC-RETAIL",
            annual_rate=D("0.06"),
        )
    terms = PlanTerms(
        code=product.code,
        min_amount=product.min_amount,
        max_amount=product.max_amount,
        allowed_terms=tuple(product.allowed_terms),
        allowed_methods=tuple(product.allowed_methods),
        max_ltv=product.max_ltv,
        rate_floor=product.rate_floor,
        rate_ceiling=product.rate_ceiling,
    )
    values = PlanValues(
        price_amount=D("100000.00"),
        down_payment_amount=D("25000.00"),
        principal_amount=D("75000.00"),
        term_months=48,
        method="equal_instalment",
        annual_rate=D("0.06"),
        has_guarantor=False,
        has_vehicle_mortgage=True,
        exception_approved=False,
    )
    from creditdesk.assessment.selectors import cap_for_product

    with pytest.raises(ValidationFailed) as planned:
        check_plan(terms, LOW_MEASURES, "low", values, cap=cap_for_product(product, business_on))
    for name in ("down_payment_amount", "term_months"):
        assert set(quoted.value.fields[name]) <= set(planned.value.fields[name]), name
    assert len(quoted.value.fields["down_payment_amount"]) == 2  # the product's 70 % and the regulatory 70 %


def test_an_exception_never_takes_a_plan_above_the_regulatory_cap(alice, carol, business_on):
    """Item 2: the exception waives internal rules only; 90,000.00 on a car appraised at 100,000.00 stays refused."""
    application = _application(alice, carol, value="100000.00")
    with pytest.raises(ValidationFailed) as caught:
        services.plan_create(
            actor=alice, application=application, exception_requested=True, exception_reason="客户优质"
        )
    assert any("regulatory cap" in message for message in caught.value.fields["down_payment_amount"])
    assert not PlanException.objects.exists()
