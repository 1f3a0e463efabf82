"""The approval of service plans through the services: stages, outcomes, rounds, roles, segregation of duties,
committee votes, service levels and queues (PLAN-7, PLAN-9)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError

from creditdesk.accounts.choices import Role
from creditdesk.accounts.tests.factories import UserFactory
from creditdesk.assessment.tests.factories import make_individual
from creditdesk.core.audit import events_for
from creditdesk.core.errors import Conflict, PermissionDenied, ValidationFailed
from creditdesk.core.services import set_business_date
from creditdesk.lending import selectors, services
from creditdesk.lending.decisions import plan_decide
from creditdesk.lending.models import PlanDecision, PlanRevision

D = Decimal


@pytest.fixture
def submitted(draft, alice):
    """`submitted(level, grade, **overrides)` → Alice's plan, submitted for approval."""

    def make(level="low", grade="B", **overrides):
        plan = draft(level, grade, **overrides)
        return services.plan_submit(actor=alice, plan=plan)

    return make


def decide(who, plan, outcome="approve", opinion="同意"):
    return plan_decide(actor=who, plan=plan, outcome=outcome, opinion=opinion)


def test_the_plan_goes_through_the_three_stages_to_approval(submitted, bob, carol, dave, business_on):
    """PLAN-7: department head → risk officer → approver within authority; each stage entered is recorded."""
    plan = submitted()
    decide(bob, plan, opinion="方案合理、资料完整")
    assert plan.current_stage == "risk_review"
    set_business_date(on=dt.date(2027, 3, 16))
    decide(carol, plan, opinion="风险可控")
    assert (plan.current_stage, plan.stage_entered_on, plan.stage_due_on) == (
        "final_decision",
        dt.date(2027, 3, 16),
        dt.date(2027, 3, 19),
    )
    decision = decide(dave, plan, opinion="批准")

    assert (plan.status, plan.current_stage, plan.stage_due_on) == ("approved", "", None)
    assert plan.concluded_on == dt.date(2027, 3, 16)
    assert (decision.stage, decision.outcome, decision.revision) == ("final_decision", "approve", 1)
    history = [(d.stage, d.decider, d.opinion) for d in selectors.decisions(plan)]
    assert history == [
        ("department_review", bob, "方案合理、资料完整"),
        ("risk_review", carol, "风险可控"),
        ("final_decision", dave, "批准"),
    ]
    entered = [e.payload["role"] for e in events_for(plan).filter(event_type="plan.stage_entered").order_by("id")]
    assert entered == ["department_head", "risk_officer", "approver"]
    assert events_for(plan).filter(event_type="plan.approved").exists()


def test_a_rejection_ends_the_plan(submitted, bob, carol, dave, business_on):
    plan = submitted()
    decide(bob, plan)
    decide(carol, plan, "reject", "负债过高")
    assert (plan.status, plan.current_stage) == ("rejected", "")
    with pytest.raises(Conflict) as caught:
        decide(dave, plan)
    assert (caught.value.status, caught.value.code) == (409, "plan_not_pending")


def test_a_returned_plan_is_revised_and_decided_again_by_the_same_people(submitted, alice, bob, carol, business_on):
    """A return ends the round; the revision starts a new one where the same reviewers decide again."""
    plan = submitted()
    decide(bob, plan, "return", "首付比例偏低，请调整")
    assert (plan.status, plan.current_stage) == ("returned", "")

    with pytest.raises(ValidationFailed) as caught:
        services.plan_update(actor=alice, plan=plan, down_payment_amount=D("60000.00"))
    assert list(caught.value.fields) == ["reason"]
    services.plan_update(actor=alice, plan=plan, down_payment_amount=D("60000.00"), reason="首付提高到40%")
    services.plan_submit(actor=alice, plan=plan)
    assert (plan.revision, plan.current_stage) == (2, "department_review")

    decide(bob, plan, opinion="已调整，同意")
    assert plan.current_stage == "risk_review"
    assert [d.revision for d in selectors.decisions(plan)] == [1, 2]


def test_a_returned_plan_resubmitted_unchanged_is_a_new_revision(submitted, alice, bob, business_on):
    plan = submitted()
    decide(bob, plan, "return", "请补充说明")
    services.plan_submit(actor=alice, plan=plan, comment="已补充说明")
    assert (plan.revision, plan.current_stage) == (2, "department_review")
    assert PlanRevision.objects.get(plan=plan, revision=2).reason == "已补充说明"
    decide(bob, plan)
    assert plan.current_stage == "risk_review"


def test_only_the_stages_role_decides(submitted, alice, carol, dave, persona, business_on):
    plan = submitted()
    for who in (carol, dave):
        with pytest.raises(PermissionDenied) as caught:
            decide(who, plan)
        assert caught.value.code == "wrong_role"
    for who in (alice, persona("judy"), persona("outsider")):
        with pytest.raises(PermissionDenied):
            decide(who, plan)
    assert not PlanDecision.objects.exists()


def test_the_preparer_never_decides(rated, bob, business_on):
    """Segregation of duties: a department head who prepared the plan cannot review it."""
    plan = services.plan_create(actor=bob, application=rated())
    services.plan_submit(actor=bob, plan=plan)
    with pytest.raises(PermissionDenied) as caught:
        decide(bob, plan)
    assert caught.value.code == "segregation_of_duties"

    other = UserFactory(username="bea", roles=[Role.DEPARTMENT_HEAD], org_unit=bob.org_unit)
    decide(other, plan)
    assert plan.current_stage == "risk_review"


def test_whoever_revised_or_submitted_the_revision_does_not_decide_on_it(submitted, bob, alice, business_on):
    plan = submitted()
    decide(UserFactory(username="bea", roles=[Role.DEPARTMENT_HEAD], org_unit=bob.org_unit), plan, "return", "请调整")
    services.plan_update(actor=bob, plan=plan, down_payment_amount=D("60000.00"), reason="部门负责人调整首付")
    services.plan_submit(actor=alice, plan=plan)
    with pytest.raises(PermissionDenied) as caught:
        decide(bob, plan)
    assert caught.value.code == "segregation_of_duties"


def test_nobody_decides_twice_on_one_revision(submitted, bob, business_on):
    """A risk officer who is also an approver cannot review and then approve the same revision."""
    both = UserFactory(username="rita", roles=[Role.RISK_OFFICER, Role.APPROVER])
    plan = submitted()
    decide(bob, plan)
    decide(both, plan)
    with pytest.raises(PermissionDenied) as caught:
        decide(both, plan)
    assert caught.value.code == "segregation_of_duties"


def test_a_double_click_writes_one_decision(submitted, bob, business_on):
    plan = submitted()
    stale = selectors.plan_get(user=bob, pk=plan.pk, today=business_on)
    again = selectors.plan_get(user=bob, pk=plan.pk, today=business_on)
    decide(bob, stale)
    with pytest.raises(PermissionDenied):
        decide(bob, again)  # the stale copy still says "department review": the service re-reads under the lock
    assert PlanDecision.objects.filter(plan=plan).count() == 1


def test_the_database_refuses_a_second_decision_by_the_same_person(submitted, bob, business_on):
    plan = submitted()
    decision = decide(bob, plan)
    with pytest.raises(IntegrityError):
        PlanDecision.objects.create(
            plan=plan,
            revision=1,
            stage="risk_review",
            decider=bob,
            outcome="approve",
            opinion="x",
            decided_on=business_on,
        )
    assert decision.pk


def test_no_decision_on_a_plan_in_the_wrong_state(draft, submitted, bob, alice, business_on):
    plan = draft()
    with pytest.raises(Conflict) as caught:
        decide(bob, plan)
    assert (caught.value.status, caught.value.code) == (409, "plan_not_pending")
    pending = submitted()
    services.plan_withdraw(actor=alice, plan=pending, comment="客户放弃")
    with pytest.raises(Conflict):
        decide(bob, pending)


@pytest.mark.parametrize(("outcome", "opinion", "field"), [("approve", " ", "opinion"), ("maybe", "看看", "outcome")])
def test_every_decision_needs_an_outcome_and_an_opinion(submitted, bob, outcome, opinion, field, business_on):
    plan = submitted()
    with pytest.raises(ValidationFailed) as caught:
        decide(bob, plan, outcome, opinion)
    assert list(caught.value.fields) == [field]
    assert not PlanDecision.objects.exists()


@pytest.fixture
def exception_plan(rated, alice, committee):
    guarantor = make_individual(alice, name="李四")
    plan = services.plan_create(
        actor=alice,
        application=rated("high"),
        guarantors=[(guarantor, "父亲")],
        exception_requested=True,
        exception_reason="稳定收入，父亲担保",
        down_payment_amount=D("75000.00"),
        term_months=24,
    )
    return services.plan_submit(actor=alice, plan=plan)


def test_the_committee_approves_with_two_of_three(exception_plan, bob, carol, committee, business_on):
    """PLAN-7: above the authority limits (here a high-risk exception) N of M approvers decide."""
    plan = exception_plan
    decide(bob, plan)
    decide(carol, plan, opinion="例外可接受，须加强贷后管理")
    decide(committee[0], plan)
    assert (plan.status, plan.current_stage) == ("pending_approval", "final_decision")
    with pytest.raises(PermissionDenied):
        decide(committee[0], plan)  # one vote each
    decide(committee[1], plan, opinion="同意例外")
    assert plan.status == "approved"


def test_the_committee_rejects_once_the_quorum_is_out_of_reach(exception_plan, bob, carol, committee, business_on):
    plan = exception_plan
    decide(bob, plan)
    decide(carol, plan)
    decide(committee[0], plan, "reject", "风险过高")
    assert plan.status == "pending_approval"
    decide(committee[1], plan, "reject", "不同意")
    assert plan.status == "rejected"


def test_overdue_plans_are_flagged_from_the_day_after_the_due_date(submitted, bob, business_on):
    """PLAN-9: each stage has a service level; overdue by the business date, never the wall clock."""
    plan = submitted()
    set_business_date(on=dt.date(2027, 3, 17))
    assert not selectors.plan_list(user=bob, today=dt.date(2027, 3, 17), overdue=True).exists()
    set_business_date(on=dt.date(2027, 3, 18))
    overdue = selectors.plan_list(user=bob, today=dt.date(2027, 3, 18), overdue=True)
    assert list(overdue) == [plan]
    assert overdue[0].overdue is True


def test_the_queue_holds_what_the_user_may_still_decide(submitted, alice, bob, carol, business_on):
    first, second = submitted(), submitted()
    assert list(selectors.approval_queue(user=bob, stage="department_review", today=business_on)) == [first, second]
    decide(bob, first)
    assert list(selectors.approval_queue(user=bob, stage="department_review", today=business_on)) == [second]
    assert list(selectors.approval_queue(user=carol, stage="risk_review", today=business_on)) == [first]
    assert not selectors.approval_queue(user=alice, stage="department_review", today=business_on).exists()
