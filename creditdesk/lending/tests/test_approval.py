"""Approval chain (审批流程) of a service plan: routing, authority, committee N of M, green channel, segregation of
duties, service levels (PLAN-7, PLAN-9).

Pure calculations: no database (STYLE rule 5).
"""

import dataclasses
import datetime as dt
import json
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from creditdesk.core.errors import Conflict, PermissionDenied, ValidationFailed
from creditdesk.lending.approval import (
    APPROVE,
    APPROVED,
    DEPARTMENT_REVIEW,
    FINAL_DECISION,
    PENDING,
    REJECT,
    REJECTED,
    RETURN,
    RETURNED,
    RISK_REVIEW,
    STAGES,
    ApprovalChain,
    AuthorityLimit,
    PriorDecision,
    Route,
    chain_as_dict,
    check_decision,
    is_overdue,
    progress,
    route,
    sla_days_for,
    stage_due_on,
)

CHAIN = ApprovalChain(version="approval-2027.1")
ON = dt.date(2027, 3, 15)

# Personas as user ids (conftest.PERSONAS): alice prepares, bob heads the department, carol reviews risk,
# dave, peggy and victor are approvers (the committee), outsider holds no role.
ALICE, BOB, CAROL, DAVE, PEGGY, VICTOR = 1, 2, 3, 4, 5, 6
BOB_ROLES = frozenset({"department_head"})
CAROL_ROLES = frozenset({"risk_officer"})
APPROVER_ROLES = frozenset({"approver"})
OUTSIDER_ROLES: frozenset[str] = frozenset()


def single_route(**overrides):
    """A medium-risk plan of 300,000.00 for a grade-B customer: all three stages, one approver decides."""
    args = {"amount": Decimal("300000.00"), "risk_level": "medium", "grade": "B"} | overrides
    return route(CHAIN, **args)


def committee_route(chain=CHAIN):
    """A high-risk plan: no authority limit covers it, so the committee decides."""
    return route(chain, amount=Decimal("300000.00"), risk_level="high", grade="B")


def reviewed(*final_votes):
    """The department and the risk review approved, then `final_votes` as (decider, outcome) pairs."""
    return [
        PriorDecision(DEPARTMENT_REVIEW, BOB, APPROVE, ON),
        PriorDecision(RISK_REVIEW, CAROL, APPROVE, ON + dt.timedelta(days=1)),
        *(PriorDecision(FINAL_DECISION, who, outcome, ON + dt.timedelta(days=2)) for who, outcome in final_votes),
    ]


def decide(the_route, decisions, *, roles, decider_id, outcome=APPROVE, opinion="Reasonable and complete."):
    check_decision(
        the_route,
        decisions,
        stage_role_codes=roles,
        decider_id=decider_id,
        preparer_id=ALICE,
        outcome=outcome,
        opinion=opinion,
    )


# --- The chain and its defaults ------------------------------------------------------------------------------------


def test_the_default_chain_is_a_json_ready_snapshot():
    """PLAN-7: the chain's version and figures are kept, as strings, with each plan's approval record."""
    snapshot = chain_as_dict(CHAIN)

    assert json.loads(json.dumps(snapshot)) == snapshot
    assert snapshot == {
        "version": "approval-2027.1",
        "department_review_sla_days": "2",
        "risk_review_sla_days": "3",
        "final_decision_sla_days": "3",
        "authority_limits": [{"role": "approver", "max_amount": "500000.00", "max_risk_level": "medium"}],
        "committee_size": "3",
        "committee_quorum": "2",
        "green_channel_grades": ["A"],
        "green_channel_max_amount": "200000.00",
        "green_channel_max_risk_level": "low",
        "separate_rating_and_review": True,
    }


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"version": " "}, "version"),
        ({"risk_review_sla_days": 0}, "risk_review_sla_days"),
        ({"final_decision_sla_days": True}, "final_decision_sla_days"),
        ({"committee_size": 0}, "committee_size"),
        ({"committee_size": 3, "committee_quorum": 4}, "committee_quorum"),
        ({"green_channel_grades": ("E",)}, "green_channel_grades"),
        ({"green_channel_max_risk_level": "extreme"}, "green_channel_max_risk_level"),
        ({"green_channel_max_amount": Decimal("-1.00")}, "green_channel_max_amount"),
        ({"authority_limits": ("approver",)}, "authority_limits"),
    ],
)
def test_an_impossible_chain_is_refused(changes, field):
    with pytest.raises(ValidationFailed) as caught:
        dataclasses.replace(CHAIN, **changes)
    assert list(caught.value.fields) == [field]


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (("", Decimal("1.00"), "low"), "role"),
        (("approver", Decimal("0.00"), "low"), "max_amount"),
        (("approver", Decimal("1.00"), "extreme"), "max_risk_level"),
    ],
)
def test_an_impossible_authority_limit_is_refused(args, field):
    with pytest.raises(ValidationFailed) as caught:
        AuthorityLimit(*args)
    assert list(caught.value.fields) == [field]


def test_money_in_the_chain_is_never_a_float():
    with pytest.raises(TypeError):
        AuthorityLimit("approver", 500000.0, "medium")
    with pytest.raises(TypeError):
        dataclasses.replace(CHAIN, green_channel_max_amount=200000.0)
    with pytest.raises(TypeError):
        route(CHAIN, amount=1000.0, risk_level="low", grade="A")


def test_lists_from_a_json_configuration_become_tuples():
    chain = dataclasses.replace(CHAIN, green_channel_grades=["A", "B"], authority_limits=[])

    assert chain.green_channel_grades == ("A", "B")
    assert chain.authority_limits == ()


# --- Routing: authority, committee, green channel ------------------------------------------------------------------


def test_an_approver_decides_alone_up_to_the_authority_limit():
    """PLAN-7: 500,000.00 at medium risk is inside the default limit (inclusive); one approval is enough."""
    at_limit = single_route(amount=Decimal("500000.00"))

    assert at_limit == Route(
        chain_version="approval-2027.1",
        stages=(DEPARTMENT_REVIEW, RISK_REVIEW, FINAL_DECISION),
        committee=False,
        votes_needed=1,
        votes_possible=1,
        green_channel=False,
        authority=CHAIN.authority_limits[0],
    )
    assert at_limit.role_for(FINAL_DECISION) == "approver"


def test_above_the_authority_limit_the_committee_decides():
    """PLAN-7: one fen over the limit goes to the committee, N approvals of M."""
    over = single_route(amount=Decimal("500000.01"))

    assert (over.committee, over.votes_needed, over.votes_possible, over.authority) == (True, 2, 3, None)


def test_a_high_risk_plan_always_goes_to_the_committee():
    assert committee_route().committee
    assert route(CHAIN, amount=Decimal("1.00"), risk_level="high", grade="A").committee


def test_without_authority_limits_every_final_decision_is_the_committees():
    chain = dataclasses.replace(CHAIN, authority_limits=())

    assert route(chain, amount=Decimal("1.00"), risk_level="low", grade="B").committee


def test_the_most_junior_covering_authority_decides():
    """Delegated authority is used at the lowest level that suffices: the department head up to 50,000.00 at low."""
    chain = dataclasses.replace(
        CHAIN,
        authority_limits=(
            AuthorityLimit("approver", Decimal("500000.00"), "medium"),
            AuthorityLimit("department_head", Decimal("50000.00"), "low"),
        ),
    )

    small = route(chain, amount=Decimal("50000.00"), risk_level="low", grade="B")
    medium_risk = route(chain, amount=Decimal("50000.00"), risk_level="medium", grade="B")

    assert small.role_for(FINAL_DECISION) == "department_head"
    assert small.role_for(DEPARTMENT_REVIEW) == "department_head"
    assert medium_risk.role_for(FINAL_DECISION) == "approver"


def test_the_committee_is_always_made_of_approvers():
    assert committee_route().role_for(FINAL_DECISION) == "approver"


def test_the_green_channel_skips_the_department_review():
    """PLAN-9: grade A, 200,000.00 (inclusive) at low risk: the risk review and the final decision stay."""
    green = route(CHAIN, amount=Decimal("200000.00"), risk_level="low", grade="A")

    assert green.green_channel
    assert green.stages == (RISK_REVIEW, FINAL_DECISION)
    assert progress(green, []).current_stage == RISK_REVIEW


@pytest.mark.parametrize(
    ("amount", "risk_level", "grade"),
    [
        ("200000.01", "low", "A"),  # one fen over the green-channel amount
        ("200000.00", "medium", "A"),  # above the green-channel risk level
        ("200000.00", "low", "B"),  # not a quality customer
        ("200000.00", "low", ""),  # not graded yet
    ],
)
def test_outside_the_green_channel_all_three_stages_apply(amount, risk_level, grade):
    """PLAN-9: the green channel needs every one of its three conditions."""
    normal = route(CHAIN, amount=Decimal(amount), risk_level=risk_level, grade=grade)

    assert not normal.green_channel
    assert normal.stages == STAGES


@pytest.mark.parametrize(
    ("amount", "risk_level", "field"), [("0.00", "low", "amount"), ("100.00", "extreme", "risk_level")]
)
def test_routing_refuses_an_impossible_plan(amount, risk_level, field):
    with pytest.raises(ValidationFailed) as caught:
        route(CHAIN, amount=Decimal(amount), risk_level=risk_level, grade="A")
    assert list(caught.value.fields) == [field]


# --- Progress through the stages -----------------------------------------------------------------------------------


def test_a_new_round_waits_for_the_department_review():
    state = progress(single_route(), [])

    assert (state.current_stage, state.outcome, state.stage_entered_on) == (DEPARTMENT_REVIEW, PENDING, None)


def test_each_approval_moves_the_plan_to_the_next_stage_on_its_date():
    """PLAN-7: department head → risk department → approver; the stage's entry date drives its service level."""
    after_department = progress(single_route(), reviewed()[:1])
    after_risk = progress(single_route(), reviewed())

    assert (after_department.current_stage, after_department.stage_entered_on) == (RISK_REVIEW, ON)
    assert (after_risk.current_stage, after_risk.stage_entered_on) == (FINAL_DECISION, dt.date(2027, 3, 16))
    assert after_risk.decided_by == {BOB, CAROL}


@pytest.mark.parametrize(("outcome", "expected"), [(APPROVE, APPROVED), (REJECT, REJECTED), (RETURN, RETURNED)])
def test_a_single_approver_concludes_the_round(outcome, expected):
    state = progress(single_route(), reviewed((DAVE, outcome)))

    assert (state.current_stage, state.outcome) == (None, expected)


@pytest.mark.parametrize("stage_count", [0, 1])
@pytest.mark.parametrize(("outcome", "expected"), [(REJECT, REJECTED), (RETURN, RETURNED)])
def test_a_reject_or_return_at_a_review_ends_the_round(stage_count, outcome, expected):
    """PLAN-7: only approved plans proceed; a return sends the plan back for a new revision."""
    decisions = reviewed()[:stage_count]
    stage = STAGES[stage_count]
    decider = (BOB, CAROL)[stage_count]

    state = progress(single_route(), [*decisions, PriorDecision(stage, decider, outcome, ON)])

    assert (state.current_stage, state.outcome) == (None, expected)


def test_a_decision_out_of_turn_is_an_impossible_history():
    with pytest.raises(ValueError, match="at risk_review while the plan is at department_review"):
        progress(single_route(), [PriorDecision(RISK_REVIEW, CAROL, APPROVE, ON)])
    with pytest.raises(ValueError, match="after the round ended"):
        progress(single_route(), [*reviewed((DAVE, APPROVE)), PriorDecision(FINAL_DECISION, PEGGY, APPROVE, ON)])


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (("signing", BOB, APPROVE, ON), "stage"),
        ((DEPARTMENT_REVIEW, "bob", APPROVE, ON), "decider_id"),
        ((DEPARTMENT_REVIEW, BOB, "abstain", ON), "outcome"),
        ((DEPARTMENT_REVIEW, BOB, APPROVE, dt.datetime(2027, 3, 15, tzinfo=dt.UTC)), "decided_on"),
    ],
)
def test_an_impossible_prior_decision_is_refused(args, field):
    with pytest.raises(ValidationFailed) as caught:
        PriorDecision(*args)
    assert list(caught.value.fields) == [field]


# --- The committee: N approvals of M -------------------------------------------------------------------------------


def test_the_committee_approves_when_approvals_reach_the_quorum():
    """PLAN-7: two approvals of three carry the plan, even after one rejection."""
    the_route = committee_route()

    one = progress(the_route, reviewed((DAVE, APPROVE)))
    split = progress(the_route, reviewed((DAVE, APPROVE), (PEGGY, REJECT)))
    carried = progress(the_route, reviewed((DAVE, APPROVE), (PEGGY, REJECT), (VICTOR, APPROVE)))

    assert (one.outcome, one.current_stage, one.approvals) == (PENDING, FINAL_DECISION, 1)
    assert (split.outcome, split.approvals, split.rejections) == (PENDING, 1, 1)
    assert (carried.outcome, carried.approvals, carried.rejections) == (APPROVED, 2, 1)


def test_the_committee_rejects_as_soon_as_the_quorum_is_out_of_reach():
    """Two rejections of three leave one possible approval, fewer than the two needed: rejected, no third vote."""
    state = progress(committee_route(), reviewed((DAVE, REJECT), (PEGGY, REJECT)))

    assert (state.outcome, state.current_stage, state.rejections) == (REJECTED, None, 2)


def test_a_committee_members_return_sends_the_plan_back_on_a_route_without_named_members():
    """Plans routed before committees were named: any approver votes and one return ends the round."""
    state = progress(committee_route(), reviewed((DAVE, APPROVE), (PEGGY, RETURN)))

    assert (state.outcome, state.current_stage) == (RETURNED, None)


def test_three_of_five_is_rejected_only_at_the_third_rejection():
    chain = dataclasses.replace(CHAIN, committee_size=5, committee_quorum=3)
    votes = [(100 + n, REJECT) for n in range(3)]

    assert progress(committee_route(chain), reviewed(*votes[:2])).outcome == PENDING
    assert progress(committee_route(chain), reviewed(*votes)).outcome == REJECTED


def test_a_unanimous_committee_rejects_at_the_first_rejection():
    chain = dataclasses.replace(CHAIN, committee_size=3, committee_quorum=3)

    assert progress(committee_route(chain), reviewed((DAVE, REJECT))).outcome == REJECTED


@given(
    size=st.integers(min_value=1, max_value=7),
    data=st.data(),
)
def test_a_committee_concludes_within_m_votes_and_never_both_ways(size, data):
    """PLAN-7 invariant: approved means N approvals before M − N + 1 rejections, rejected the reverse."""
    quorum = data.draw(st.integers(min_value=1, max_value=size))
    votes = data.draw(st.lists(st.sampled_from([APPROVE, REJECT]), min_size=size, max_size=size))
    the_route = committee_route(dataclasses.replace(CHAIN, committee_size=size, committee_quorum=quorum))

    cast = []
    for n, vote in enumerate(votes):
        state = progress(the_route, reviewed(*cast))
        if state.outcome != PENDING:
            break
        assert state.approvals < quorum
        assert state.rejections <= size - quorum
        cast.append((100 + n, vote))
    state = progress(the_route, reviewed(*cast))

    assert state.outcome in (APPROVED, REJECTED)
    assert state.approvals + state.rejections == len(cast) <= size
    if state.outcome == APPROVED:
        assert (state.approvals, state.rejections <= size - quorum) == (quorum, True)
    else:
        assert (state.rejections, state.approvals < quorum) == (size - quorum + 1, True)


# --- Who may decide: state, role, segregation of duties, input -----------------------------------------------------


def test_the_right_person_may_decide_at_each_stage():
    """Each stage's holder is let through where the holder of the stage before is refused, on the same decisions."""
    the_route = committee_route()
    stages = [
        ([], BOB_ROLES, BOB, APPROVE, None),
        (reviewed()[:1], CAROL_ROLES, CAROL, RETURN, BOB_ROLES),
        (reviewed((DAVE, APPROVE)), APPROVER_ROLES, PEGGY, REJECT, CAROL_ROLES),
    ]
    for decisions, roles, decider_id, outcome, earlier_roles in stages:
        decide(the_route, decisions, roles=roles, decider_id=decider_id, outcome=outcome)
        if earlier_roles is not None:
            with pytest.raises(PermissionDenied) as caught:
                decide(the_route, decisions, roles=earlier_roles, decider_id=decider_id, outcome=outcome)
            assert caught.value.code == "wrong_role"


@pytest.mark.parametrize(
    "final_votes", [((DAVE, APPROVE),), ((DAVE, REJECT),), ((DAVE, RETURN),)], ids=["approved", "rejected", "returned"]
)
def test_a_concluded_round_takes_no_more_decisions(final_votes):
    with pytest.raises(Conflict) as caught:
        decide(single_route(), reviewed(*final_votes), roles=APPROVER_ROLES, decider_id=PEGGY)
    assert caught.value.code == "plan_not_pending"


@pytest.mark.parametrize(
    ("decisions", "roles", "decider_id"),
    [
        ([], CAROL_ROLES, CAROL),  # the risk officer cannot do the department's first review
        (reviewed()[:1], APPROVER_ROLES, DAVE),  # an approver cannot do the risk review
        (reviewed(), BOB_ROLES, BOB),  # nor can a department head take the final decision
        ([], OUTSIDER_ROLES, 99),  # the outsider is refused everywhere
    ],
)
def test_only_the_stages_role_may_decide(decisions, roles, decider_id):
    with pytest.raises(PermissionDenied) as caught:
        decide(single_route(), decisions, roles=roles, decider_id=decider_id)
    assert caught.value.code == "wrong_role"


def test_the_preparer_cannot_decide_on_their_own_plan():
    """PLAN-7 segregation of duties: alice prepared the plan; even holding the role she may not review it."""
    with pytest.raises(PermissionDenied) as caught:
        decide(single_route(), [], roles=BOB_ROLES, decider_id=ALICE)
    assert caught.value.code == "segregation_of_duties"


def test_nobody_decides_twice_on_one_revision_across_stages():
    """Bob, department head and also risk officer, reviewed the plan first; he cannot do its risk review too."""
    with pytest.raises(PermissionDenied) as caught:
        decide(single_route(), reviewed()[:1], roles=BOB_ROLES | CAROL_ROLES, decider_id=BOB)
    assert caught.value.code == "segregation_of_duties"


def test_a_committee_member_votes_once():
    with pytest.raises(PermissionDenied) as caught:
        decide(committee_route(), reviewed((DAVE, REJECT)), roles=APPROVER_ROLES, decider_id=DAVE)
    assert caught.value.code == "segregation_of_duties"


def test_a_new_round_lets_the_same_people_decide_again():
    """After a return, the revised plan starts a round with no decisions: bob reviews it afresh.

    Within the returned round his review stands, so a second one by him is refused.
    """
    with pytest.raises(PermissionDenied) as caught:
        decide(single_route(), reviewed()[:1], roles=BOB_ROLES | CAROL_ROLES, decider_id=BOB)
    assert caught.value.code == "segregation_of_duties"
    decide(single_route(), [], roles=BOB_ROLES, decider_id=BOB)


def test_an_unknown_outcome_is_refused():
    with pytest.raises(ValidationFailed) as caught:
        decide(single_route(), [], roles=BOB_ROLES, decider_id=BOB, outcome="abstain")
    assert list(caught.value.fields) == ["outcome"]


@pytest.mark.parametrize("opinion", ["", "   \n"])
@pytest.mark.parametrize("outcome", [APPROVE, REJECT, RETURN])
def test_every_decision_needs_a_written_opinion(outcome, opinion):
    """PLAN-7: the risk review's written opinion, and the reasons for any reject or return."""
    with pytest.raises(ValidationFailed) as caught:
        decide(single_route(), reviewed()[:1], roles=CAROL_ROLES, decider_id=CAROL, outcome=outcome, opinion=opinion)
    assert list(caught.value.fields) == ["opinion"]


def test_permission_is_checked_before_the_input():
    """Someone who may not decide learns nothing about what a decision needs."""
    with pytest.raises(PermissionDenied):
        decide(single_route(), [], roles=OUTSIDER_ROLES, decider_id=99, outcome="abstain", opinion="")


# --- Service levels ------------------------------------------------------------------------------------------------


def test_each_stage_has_its_service_level():
    assert [sla_days_for(CHAIN, stage) for stage in STAGES] == [2, 3, 3]
    with pytest.raises(ValidationFailed):
        sla_days_for(CHAIN, "signing")


def test_a_stage_is_due_in_calendar_days_and_overdue_from_the_next_day():
    """PLAN-9: a risk review entered on Friday 2027-03-19 with three days is due Monday 2027-03-22."""
    due_on = stage_due_on(dt.date(2027, 3, 19), sla_days_for(CHAIN, RISK_REVIEW))

    assert due_on == dt.date(2027, 3, 22)
    assert not is_overdue(due_on, dt.date(2027, 3, 22))
    assert is_overdue(due_on, dt.date(2027, 3, 23))
