"""The named credit committee (贷审会) and the separation of rating and review (审贷分离) through the services, the
API, the page and the queues (issue 11 item 5, PLAN-7)."""

import datetime as dt
import json
from decimal import Decimal

import pytest

from creditdesk.accounts.choices import Role
from creditdesk.accounts.tests.factories import UserFactory
from creditdesk.assessment.tests.factories import make_individual
from creditdesk.core.errors import Conflict, PermissionDenied
from creditdesk.lending import selectors, services
from creditdesk.lending.decisions import decision_refusal, plan_decide
from creditdesk.lending.models import ApprovalChainVersion, CreditCommittee, PlanDecision
from creditdesk.lending.tests.factories import rated_car_loan

D = Decimal


def decide(who, plan, outcome="approve", opinion="同意"):
    return plan_decide(actor=who, plan=plan, outcome=outcome, opinion=opinion)


@pytest.fixture
def rated_by_carol(alice, carol, bob, business_on):
    """Alice's plan on an application carol rated, submitted and past the department review."""
    plan = services.plan_create(actor=alice, application=rated_car_loan(alice, carol))
    services.plan_submit(actor=alice, plan=plan)
    decide(bob, plan, opinion="方案合理")
    assert plan.current_stage == "risk_review"
    return plan


def test_the_risk_officer_who_rated_the_application_may_not_review_its_plan(rated_by_carol, carol, business_on):
    with pytest.raises(PermissionDenied) as caught:
        decide(carol, rated_by_carol, opinion="风险可控")
    assert caught.value.code == "rating_and_review_separated"
    assert not PlanDecision.objects.filter(stage="risk_review").exists()

    other = UserFactory(username="rex", roles=[Role.RISK_OFFICER])
    decide(other, rated_by_carol, opinion="风险可控")
    assert rated_by_carol.current_stage == "final_decision"


def test_the_raters_queue_and_page_leave_the_plan_out(rated_by_carol, carol, client, settings, business_on):
    assert not selectors.approval_queue(user=carol, stage="risk_review", today=business_on).exists()
    other = UserFactory(username="rex", roles=[Role.RISK_OFFICER])
    assert list(selectors.approval_queue(user=other, stage="risk_review", today=business_on)) == [rated_by_carol]
    assert decision_refusal(actor=carol, plan=rated_by_carol).code == "rating_and_review_separated"

    client.force_login(carol)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(f"/lending/plans/{rated_by_carol.pk}/").content.decode()
    assert 'data-testid="decision-form"' not in page
    assert 'data-testid="rating-review-separation"' in page
    refused = client.post(
        f"/lending/plans/{rated_by_carol.pk}/decide/", {"outcome": "approve", "opinion": "同意", "confirm": "on"}
    )
    assert refused.status_code == 403
    assert "another risk officer reviews its plan" in refused.content.decode()


def test_the_api_refuses_the_raters_review_with_a_clear_code(rated_by_carol, carol, api_token, client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(
        f"/api/v1/plans/{rated_by_carol.pk}/decisions",
        json.dumps({"outcome": "approve", "opinion": "风险可控"}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {api_token(carol)}",
    )
    assert response.status_code == 403
    assert response.json()["code"] == "rating_and_review_separated"


def test_the_approval_chain_may_switch_the_separation_off(alice, bob, carol, business_on):
    ApprovalChainVersion.objects.create(
        version="approval-2027.2",
        effective_on=dt.date(2027, 1, 1),
        separate_rating_and_review=False,
        approval_state="approved",
    )
    plan = services.plan_create(actor=alice, application=rated_car_loan(alice, carol))
    services.plan_submit(actor=alice, plan=plan)
    assert plan.route["separate_rating_and_review"] is False
    decide(bob, plan)
    assert list(selectors.approval_queue(user=carol, stage="risk_review", today=business_on)) == [plan]
    decide(carol, plan, opinion="风险可控")
    assert plan.current_stage == "final_decision"


@pytest.fixture
def at_committee(rated, alice, bob, carol, committee):
    """`at_committee()` → a high-risk exception plan waiting for the committee's votes."""

    def make():
        plan = services.plan_create(
            actor=alice,
            application=rated("high"),
            guarantors=[(make_individual(alice, name="李四"), "父亲")],
            exception_requested=True,
            exception_reason="稳定收入，父亲担保",
            down_payment_amount=D("75000.00"),
            term_months=24,
        )
        services.plan_submit(actor=alice, plan=plan)
        decide(bob, plan)
        decide(carol, plan, opinion="例外可接受")
        assert plan.current_stage == "final_decision"
        return plan

    return make


def test_an_approver_who_is_not_a_member_may_not_vote(at_committee, committee, business_on):
    plan = at_committee()
    outsider = UserFactory(username="otto", roles=[Role.APPROVER])
    assert not selectors.approval_queue(user=outsider, stage="final_decision", today=business_on).exists()
    assert list(selectors.approval_queue(user=committee[1], stage="final_decision", today=business_on)) == [plan]
    with pytest.raises(PermissionDenied) as caught:
        decide(outsider, plan)
    assert caught.value.code == "not_a_committee_member"
    assert "授信审批委员会" in caught.value.message
    decide(committee[0], plan)
    decide(committee[1], plan)
    assert plan.status == "approved"


def test_the_plan_page_names_the_committee_and_its_members(at_committee, committee, client, settings):
    plan = at_committee()
    client.force_login(committee[1])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(f"/lending/plans/{plan.pk}/").content.decode()
    assert "授信审批委员会: 2 of its 3 members approve" in page
    assert all(member.username in page or member.full_name in page for member in committee)
    assert "a return is a vote" in page
    assert 'data-testid="decision-form"' in page
    client.force_login(UserFactory(username="otto", roles=[Role.APPROVER]))
    assert 'data-testid="decision-form"' not in client.get(f"/lending/plans/{plan.pk}/").content.decode()


def test_one_members_return_is_a_vote_and_does_not_end_the_round(at_committee, committee, business_on):
    plan = at_committee()
    decide(committee[0], plan, "return", "请补充担保人收入证明")
    assert (plan.status, plan.current_stage) == ("pending_approval", "final_decision")
    decide(committee[1], plan)
    assert plan.status == "pending_approval"
    decide(committee[2], plan)
    assert plan.status == "approved"
    outcomes = list(plan.decisions.filter(stage="final_decision").values_list("outcome", flat=True).order_by("id"))
    assert outcomes == ["return", "approve", "approve"]


def test_the_round_is_returned_when_the_returns_leave_the_quorum_out_of_reach(at_committee, committee, business_on):
    plan = at_committee()
    decide(committee[0], plan, "return", "请调整")
    decide(committee[1], plan, "reject", "不同意")
    assert (plan.status, plan.current_stage) == ("returned", "")


def test_the_committees_rule_makes_one_return_end_the_round(at_committee, committee, business_on):
    CreditCommittee.objects.update(return_ends_round=True)
    plan = at_committee()
    assert plan.route["return_ends_round"] is True
    decide(committee[0], plan, "return", "请补充担保人收入证明")
    assert (plan.status, plan.current_stage) == ("returned", "")


def test_the_chain_names_its_committee(rated, alice, bob, committee, business_on):
    other = CreditCommittee.objects.create(name="总部贷审会", quorum=1)
    other.members.set([committee[1], committee[2]])
    ApprovalChainVersion.objects.create(
        version="approval-2027.2", effective_on=dt.date(2027, 1, 1), committee=other, approval_state="approved"
    )
    plan = services.plan_create(actor=alice, application=rated("high"), **_exception(alice))
    services.plan_submit(actor=alice, plan=plan)
    assert plan.route["committee_name"] == "总部贷审会"
    assert sorted(plan.route["members"]) == sorted([committee[1].pk, committee[2].pk])
    # An exception is decided above the normal chain: never by one vote, even where the quorum is one (issue 11).
    assert (plan.route["votes_needed"], plan.route["votes_possible"]) == (2, 2)


def test_an_exception_is_refused_a_committee_of_one(rated, alice, bob, committee, business_on):
    other = CreditCommittee.objects.create(name="总部贷审会", quorum=1)
    other.members.set([committee[2]])
    ApprovalChainVersion.objects.create(
        version="approval-2027.2", effective_on=dt.date(2027, 1, 1), committee=other, approval_state="approved"
    )
    plan = services.plan_create(actor=alice, application=rated("high"), **_exception(alice))
    with pytest.raises(Conflict) as refused:
        services.plan_submit(actor=alice, plan=plan)
    assert refused.value.code == "credit_committee_short"


def _exception(alice):
    return {
        "exception_requested": True,
        "exception_reason": "稳定收入，父亲担保",
        "down_payment_amount": D("75000.00"),
        "term_months": 24,
        "guarantors": [(make_individual(alice, name="李四"), "父亲")],
    }


def test_without_a_committee_a_committee_plan_cannot_be_submitted(rated, alice, business_on):
    plan = services.plan_create(actor=alice, application=rated("high"), **_exception(alice))
    with pytest.raises(Conflict) as caught:
        services.plan_submit(actor=alice, plan=plan)
    assert caught.value.code == "no_credit_committee"


def test_members_who_no_longer_hold_the_approver_role_do_not_sit(rated, alice, committee, business_on):
    committee[1].groups.clear()
    plan = services.plan_create(actor=alice, application=rated("high"), **_exception(alice))
    services.plan_submit(actor=alice, plan=plan)
    assert plan.route["members"] == sorted([committee[0].pk, committee[2].pk])
    committee[2].is_active = False
    committee[2].save()
    second = services.plan_create(actor=alice, application=rated("high"), **_exception(alice))
    with pytest.raises(Conflict) as caught:
        services.plan_submit(actor=alice, plan=second)
    assert caught.value.code == "credit_committee_short"


def test_the_admin_names_committees_of_approvers_only(login, dave, persona, business_on):
    client = login(UserFactory(username="root", is_staff=True, is_superuser=True))
    client.cookies["django_language"] = "en"
    assert client.get("/admin/lending/creditcommittee/add/").status_code == 200
    refused = client.post(
        "/admin/lending/creditcommittee/add/",
        {"name": "贷审会", "members": [dave.pk], "quorum": 2, "is_active": "on"},
    )
    assert refused.status_code == 200
    assert not CreditCommittee.objects.exists()
    assert "at least as many members as the approvals it needs" in refused.content.decode()
    carol = persona("carol")
    also_refused = client.post(
        "/admin/lending/creditcommittee/add/",
        {"name": "贷审会", "members": [dave.pk, carol.pk], "quorum": 1, "is_active": "on"},
    )
    assert also_refused.status_code == 200  # carol is a risk officer, not an approver: no choice of the form
    assert not CreditCommittee.objects.exists()
    saved = client.post(
        "/admin/lending/creditcommittee/add/", {"name": "贷审会", "members": [dave.pk], "quorum": 1, "is_active": "on"}
    )
    assert saved.status_code == 302
    assert list(CreditCommittee.objects.get().members.all()) == [dave]
