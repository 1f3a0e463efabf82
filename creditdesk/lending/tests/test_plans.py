"""Service plans through the services: built from a rated application, checked, priced, revised, submitted
(PLAN-1…PLAN-6, PLAN-8, ASSESS-2)."""

import datetime as dt
from decimal import Decimal

import pytest

from creditdesk.assessment import services as assessment
from creditdesk.assessment.rating import HIGH_MEASURES, LOW_MEASURES, MEDIUM_MEASURES
from creditdesk.assessment.tests.factories import car_loan, make_car, make_individual
from creditdesk.core.audit import events_for
from creditdesk.core.errors import Conflict, InvalidTransition, PermissionDenied, ValidationFailed
from creditdesk.core.services import set_business_date
from creditdesk.customers.models import CreditAuthorization
from creditdesk.lending import services
from creditdesk.lending.models import ApprovalChainVersion, PlanGuarantee, PlanRevision, ServicePlan
from creditdesk.lending.plan_figures import measures_from_dict
from creditdesk.lending.selectors import schedule_of
from creditdesk.lending.tests.factories import rated_company_loan

D = Decimal


def test_a_plan_takes_its_figures_from_the_application_and_the_pricing_grid(draft, business_on):
    """PLAN-2: principal = price − down payment; PLAN-3: LPR 3.00 % + spread B/low 2.00 % + 25–36 months 0.50 %."""
    plan = draft(level="low", grade="B")

    assert (plan.price_amount, plan.down_payment_amount, plan.principal_amount) == (
        D("150000.00"),
        D("45000.00"),
        D("105000.00"),
    )
    assert (plan.term_months, plan.method, plan.status, plan.revision) == (36, "equal_instalment", "draft", 1)
    assert (plan.base_rate, plan.spread, plan.term_adjustment) == (D("0.030000"), D("0.020000"), D("0.005000"))
    assert plan.annual_rate == plan.priced_rate == D("0.055000")
    assert not plan.rate_manual
    assert plan.upfront_fee_amount == D("1050.00")  # 1 % of the principal, a separate charge (issue 11 item 6)
    assert plan.reference == f"FA{plan.pk:07d}"


def test_the_apr_includes_the_fees_and_the_schedule_is_stored_in_summary(draft, business_on):
    """PLAN-8: the upfront fee lifts the APR above the contract rate; the totals are those of the schedule."""
    plan = draft()
    schedule = schedule_of(plan)

    assert plan.apr_nominal_rate > plan.annual_rate
    assert plan.apr_effective_rate > plan.apr_nominal_rate
    assert plan.monthly_rate == D("0.004583")
    assert len(schedule.instalments) == 36
    assert plan.first_due_on == dt.date(2027, 4, 15) == schedule.instalments[0].due_on
    assert plan.total_interest_amount == schedule.total_interest_amount
    assert plan.total_amount == schedule.total_amount == D("105000.00") + plan.total_interest_amount


def test_the_plan_is_secured_by_the_vehicle_and_keeps_its_first_revision(draft, alice, business_on):
    """PLAN-6: a car loan is secured by a mortgage on the car, registration pending until the contract."""
    plan = draft()
    mortgage = PlanGuarantee.objects.get(plan=plan)

    assert (mortgage.kind, mortgage.registration_status) == ("vehicle_mortgage", "pending")
    assert mortgage.vehicle_id == plan.application.vehicle_id
    revision = PlanRevision.objects.get(plan=plan)
    assert (revision.revision, revision.changed_by, revision.business_on) == (1, alice, business_on)
    assert revision.values["principal_amount"] == "105000.00"
    assert revision.values["vehicle_mortgage"] == plan.application.vehicle_id
    assert [e.event_type for e in events_for(plan)] == ["plan.created"]


def test_a_plan_needs_a_rated_application(persona, alice, business_on):
    customer = make_individual(alice)
    application = assessment.application_create(
        actor=alice, customer=customer, vehicle=make_car(customer, alice), **car_loan()
    )
    with pytest.raises(InvalidTransition) as caught:
        services.plan_create(actor=alice, application=application)
    assert (caught.value.status, caught.value.code) == (409, "application_not_rated")
    assert not ServicePlan.objects.exists()


def test_one_live_plan_per_application(draft, alice, business_on):
    plan = draft()
    with pytest.raises(Conflict) as caught:
        services.plan_create(actor=alice, application=plan.application)
    assert (caught.value.code, caught.value.details) == ("plan_exists", {"plan_id": plan.pk})

    services.plan_withdraw(actor=alice, plan=plan, comment="客户放弃")
    again = services.plan_create(actor=alice, application=plan.application)
    assert again.pk != plan.pk


def test_only_sales_and_department_heads_prepare_plans(rated, carol, persona, business_on):
    application = rated()
    for who in (carol, persona("dave"), persona("judy")):
        with pytest.raises(PermissionDenied):
            services.plan_create(actor=who, application=application)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"term_months": 48}, "term_months"),  # not among the product's terms
        ({"term_months": 0}, "term_months"),
        ({"method": "balloon"}, "method"),  # not a method the product offers
        ({"down_payment_amount": D("40000.00")}, "down_payment_amount"),  # LTV 73.3 % above the 70 % cap
        ({"annual_rate": D("0.190000")}, "annual_rate"),  # above the ceiling
        ({"annual_rate": D("0.039999")}, "annual_rate"),  # below the floor
        ({"annual_rate": D("0.0550001")}, "annual_rate"),  # more than six decimals
        ({"down_payment_amount": D("-1.00")}, "down_payment_amount"),
        ({"price_amount": D("0.00")}, "price_amount"),
        ({"price_amount": D("-150000.00")}, "price_amount"),
        ({"down_payment_amount": D("160000.00")}, "down_payment_amount"),  # above the price
        ({"down_payment_amount": D("150000.00")}, "down_payment_amount"),  # equal to the price
        ({"principal_amount": D("100000.00")}, "principal_amount"),  # not price − down payment
        ({"down_payment_amount": D("45000.001")}, "down_payment_amount"),  # a fraction of a fen
        ({"exception_requested": True, "exception_reason": "客户优质"}, "exception_requested"),  # not high risk
    ],
)
def test_bad_input_is_refused_with_field_errors_and_nothing_is_written(draft, overrides, field, business_on):
    with pytest.raises(ValidationFailed) as caught:
        draft(**overrides)
    assert (caught.value.status, caught.value.code) == (422, "plan_outside_limits")
    assert field in caught.value.fields
    assert not ServicePlan.objects.exists()


def test_every_breach_is_reported_at_once(draft, business_on):
    with pytest.raises(ValidationFailed) as caught:
        draft(term_months=48, method="balloon", annual_rate=D("0.500000"), down_payment_amount=D("-5.00"))
    assert set(caught.value.fields) >= {"term_months", "method", "annual_rate", "down_payment_amount"}


@pytest.mark.parametrize("principal", [D("0.00"), D("-300000.00")])
def test_a_loan_without_a_vehicle_needs_a_positive_amount(alice, carol, principal, business_on):
    application = rated_company_loan(alice, carol)
    with pytest.raises(ValidationFailed) as caught:
        services.plan_create(actor=alice, application=application, principal_amount=principal)
    assert "principal_amount" in caught.value.fields


def test_a_company_loan_has_no_price_no_down_payment_and_no_mortgage(alice, carol, business_on):
    plan = services.plan_create(actor=alice, application=rated_company_loan(alice, carol))
    assert (plan.price_amount, plan.down_payment_amount, plan.principal_amount) == (None, D("0.00"), D("300000.00"))
    assert plan.method == "interest_first"
    assert not plan.guarantees.exists()


def test_medium_risk_needs_forty_percent_down_or_a_guarantor(draft, rated, alice, business_on):
    """ASSESS-2: medium risk → a higher down payment (40 %) unless a guarantor is added (then 30 %)."""
    with pytest.raises(ValidationFailed) as caught:
        draft(level="medium")
    assert caught.value.fields["down_payment_amount"] == [
        "At this risk level the down payment must be at least 40% of the price."
    ]

    plan = draft(level="medium", down_payment_amount=D("60000.00"))
    assert plan.principal_amount == D("90000.00")
    assert plan.spread == D("0.035000")  # the grid's medium row

    guarantor = make_individual(alice, name="李四")
    backed = services.plan_create(actor=alice, application=rated("medium"), guarantors=[(guarantor, "配偶")])
    row = backed.guarantees.get(kind="guarantor")
    assert (row.guarantor, row.relationship, row.consent.customer) == (guarantor, "配偶", guarantor)


def test_a_guarantor_must_have_a_consent_in_force_and_not_be_the_applicant(rated, alice, business_on):
    application = rated("medium")
    without = make_individual(alice, name="王五", consent=False)
    for guarantors in ([(without, "朋友")], [(application.customer, "本人")]):
        with pytest.raises(ValidationFailed) as caught:
            services.plan_create(actor=alice, application=application, guarantors=guarantors)
        assert "guarantees" in caught.value.fields


def test_high_risk_is_declined_unless_an_exception_is_requested_with_stricter_terms(draft, rated, alice, business_on):
    """ASSESS-2: high → declined by default; an exception needs half down, 24 months at most and a guarantor."""
    with pytest.raises(ValidationFailed) as caught:
        draft(level="high")
    assert {"risk_level", "down_payment_amount", "term_months", "guarantees"} <= set(caught.value.fields)

    strict = {"down_payment_amount": D("75000.00"), "term_months": 24}
    guarantor = make_individual(alice, name="李四")
    with pytest.raises(ValidationFailed) as caught:
        services.plan_create(
            actor=alice, application=rated("high"), guarantors=[(guarantor, "父亲")], exception_requested=True, **strict
        )
    assert list(caught.value.fields) == ["exception_reason"]

    plan = services.plan_create(
        actor=alice,
        application=rated("high"),
        guarantors=[(guarantor, "父亲")],
        exception_requested=True,
        exception_reason="稳定收入，父亲担保",
        **strict,
    )
    assert plan.exception_requested
    assert plan.risk_level == "high"
    assert plan.measures["max_term_months"] == "24"


def test_the_rating_caps_the_term(draft, business_on):
    """ASSESS-2: high-risk exceptions are at most 24 months even though the product allows 36."""
    with pytest.raises(ValidationFailed) as caught:
        draft(level="high", exception_requested=True, exception_reason="例外", down_payment_amount=D("75000.00"))
    assert "At this risk level the term may be at most 24 months." in caught.value.fields["term_months"]


def test_a_manual_rate_within_the_bounds_is_kept_until_pricing_is_asked_again(draft, alice, business_on):
    plan = draft(annual_rate=D("0.050000"))
    assert (plan.annual_rate, plan.priced_rate, plan.rate_manual) == (D("0.050000"), D("0.055000"), True)

    services.plan_update(actor=alice, plan=plan, term_months=24)
    assert (plan.annual_rate, plan.rate_manual) == (D("0.050000"), True)
    assert plan.priced_rate == D("0.052500")  # the 13–24 months adjustment

    services.plan_update(actor=alice, plan=plan, annual_rate=None)
    assert (plan.annual_rate, plan.rate_manual, plan.revision) == (D("0.052500"), False, 3)


def test_a_revision_keeps_the_values_who_when_and_why(draft, alice, bob, business_on):
    plan = draft()
    services.plan_update(actor=bob, plan=plan, down_payment_amount=D("60000.00"), reason="客户增加首付")

    assert (plan.revision, plan.principal_amount) == (2, D("90000.00"))
    first, second = PlanRevision.objects.filter(plan=plan).order_by("revision")
    assert (first.values["principal_amount"], second.values["principal_amount"]) == ("105000.00", "90000.00")
    assert (second.changed_by, second.reason) == (bob, "客户增加首付")
    assert [e.event_type for e in events_for(plan).order_by("id")] == ["plan.created", "plan.revised"]


def test_a_refused_revision_changes_nothing(draft, alice, business_on):
    plan = draft()
    with pytest.raises(ValidationFailed):
        services.plan_update(actor=alice, plan=plan, down_payment_amount=D("10000.00"))
    plan.refresh_from_db()
    assert (plan.revision, plan.down_payment_amount) == (1, D("45000.00"))
    assert PlanRevision.objects.filter(plan=plan).count() == 1


def test_unknown_fields_are_refused(draft, alice, business_on):
    with pytest.raises(ValidationFailed) as caught:
        draft(status="approved")
    assert list(caught.value.fields) == ["status"]


def test_submitting_routes_the_plan_and_tells_the_first_stage(draft, alice, business_on):
    """PLAN-7: department review first, due after two days; the audit event names the role told (PLAN-9)."""
    plan = draft()
    services.plan_submit(actor=alice, plan=plan, comment="请审批")

    assert (plan.status, plan.current_stage) == ("pending_approval", "department_review")
    assert (plan.stage_entered_on, plan.stage_due_on) == (business_on, dt.date(2027, 3, 17))
    assert (plan.submitted_by, plan.submitted_on, plan.chain_version) == (alice, business_on, "built-in")
    assert plan.route["stages"] == ["department_review", "risk_review", "final_decision"]
    assert plan.route["committee"] is False
    entered = events_for(plan).get(event_type="plan.stage_entered")
    assert entered.payload == {
        "stage": "department_review",
        "role": "department_head",
        "due_on": "2027-03-17",
        "revision": 1,
    }


def test_a_grade_a_customer_takes_the_green_channel(draft, alice, business_on):
    """PLAN-9: grade A, low risk, at most 200,000.00 → straight to the risk review."""
    plan = draft(level="low", grade="A")
    services.plan_submit(actor=alice, plan=plan)
    assert plan.current_stage == "risk_review"
    assert plan.route["green_channel"] is True
    assert plan.stage_due_on == dt.date(2027, 3, 18)


def test_the_chain_in_force_routes_and_is_kept_with_the_plan(draft, alice, business_on):
    ApprovalChainVersion.objects.create(
        version="2027.1", effective_on=dt.date(2027, 1, 1), department_review_sla_days=5, approval_state="approved"
    )
    ApprovalChainVersion.objects.create(
        version="2027.2", effective_on=dt.date(2027, 6, 1), department_review_sla_days=9, approval_state="approved"
    )
    plan = draft()
    services.plan_submit(actor=alice, plan=plan)
    assert (plan.chain_version, plan.stage_due_on) == ("2027.1", dt.date(2027, 3, 20))
    assert plan.chain["department_review_sla_days"] == "5"


def test_a_high_risk_exception_goes_to_the_committee(rated, alice, committee, business_on):
    """ASSESS-2: the exception request routes the plan to the credit committee whatever the amount."""
    from creditdesk.assessment.tests.factories import make_individual as person

    guarantor = person(alice, name="李四")
    plan = services.plan_create(
        actor=alice,
        application=rated("high"),
        guarantors=[(guarantor, "父亲")],
        exception_requested=True,
        exception_reason="稳定收入，父亲担保",
        down_payment_amount=D("75000.00"),
        term_months=24,
    )
    services.plan_submit(actor=alice, plan=plan)
    assert plan.route["committee"] is True
    assert (plan.route["votes_needed"], plan.route["votes_possible"]) == (2, 3)
    assert plan.route["committee_name"] == "授信审批委员会"
    assert plan.route["members"] == sorted(member.pk for member in committee)
    assert plan.route["return_ends_round"] is False


def test_a_lapsed_guarantor_consent_stops_the_submission(rated, alice, business_on):
    guarantor = make_individual(alice, name="李四")
    plan = services.plan_create(actor=alice, application=rated("medium"), guarantors=[(guarantor, "配偶")])
    CreditAuthorization.objects.filter(customer=guarantor).update(revoked_on=business_on)
    with pytest.raises(ValidationFailed) as caught:
        services.plan_submit(actor=alice, plan=plan)
    assert "guarantees" in caught.value.fields
    plan.refresh_from_db()
    assert plan.status == "draft"


def test_only_drafts_and_returned_plans_are_revised_or_submitted(draft, alice, business_on):
    plan = draft()
    services.plan_submit(actor=alice, plan=plan)
    with pytest.raises(InvalidTransition):
        services.plan_update(actor=alice, plan=plan, term_months=24)
    with pytest.raises(InvalidTransition) as caught:
        services.plan_submit(actor=alice, plan=plan)
    assert caught.value.status == 409


def test_withdrawing_needs_a_reason_and_an_undecided_plan(draft, alice, business_on):
    plan = draft()
    with pytest.raises(ValidationFailed):
        services.plan_withdraw(actor=alice, plan=plan, comment=" ")
    services.plan_submit(actor=alice, plan=plan)
    services.plan_withdraw(actor=alice, plan=plan, comment="客户放弃")
    assert (plan.status, plan.current_stage, plan.stage_due_on) == ("withdrawn", "", None)
    with pytest.raises(InvalidTransition):
        services.plan_withdraw(actor=alice, plan=plan, comment="再次")


def test_pricing_uses_the_grid_in_force_on_the_business_date(draft, business_on):
    from creditdesk.lending.models import LprRate

    LprRate.objects.create(tenor="1y", effective_on=dt.date(2027, 4, 1), rate=D("0.025000"), approval_state="approved")
    assert draft().base_rate == D("0.030000")
    set_business_date(on=dt.date(2027, 4, 1))
    assert draft().base_rate == D("0.025000")


@pytest.mark.parametrize("measures", [LOW_MEASURES, MEDIUM_MEASURES, HIGH_MEASURES])
def test_measures_are_rebuilt_from_the_assessments_strings(measures):
    assert measures_from_dict(measures.as_dict()) == measures


def test_the_products_guarantee_rules_apply_by_risk_level(alice, carol, business_on):
    """PLAN-6: CORP-WC asks for a guarantor at medium risk, which the rating's measures alone do not."""
    application = rated_company_loan(alice, carol, level="medium")
    with pytest.raises(ValidationFailed) as caught:
        services.plan_create(actor=alice, application=application)
    assert caught.value.fields["guarantees"] == ["The product requires a third-party guarantor at this risk level."]
    guarantor = make_individual(alice, name="王五")
    plan = services.plan_create(actor=alice, application=application, guarantors=[(guarantor, "股东")])
    assert plan.guarantees.filter(kind="guarantor").count() == 1
