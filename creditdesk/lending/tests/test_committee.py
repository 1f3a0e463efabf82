"""The named credit committee (贷审会) and the separation of rating and review (审贷分离), issue 11 item 5: pure.

Only the members vote and only their votes count; one member's return is a vote that ends the round only when the
committee's rule says so; whoever rated the application does not take the plan's risk review.
"""

import dataclasses
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from creditdesk.core.errors import PermissionDenied, ValidationFailed
from creditdesk.lending.approval import (
    APPROVE,
    APPROVED,
    FINAL_DECISION,
    PENDING,
    REJECT,
    REJECTED,
    RETURN,
    RETURNED,
    RISK_REVIEW,
    Committee,
    progress,
    route,
)
from creditdesk.lending.tests.test_approval import (
    APPROVER_ROLES,
    BOB,
    CAROL,
    CAROL_ROLES,
    CHAIN,
    DAVE,
    PEGGY,
    VICTOR,
    decide,
    reviewed,
)

OTTO = 7  # an approver who is not on the committee
BOARD = Committee(name="授信审批委员会", members=frozenset({DAVE, PEGGY, VICTOR}), quorum=2)


def board_route(committee=BOARD, chain=CHAIN):
    return route(chain, amount=Decimal("300000.00"), risk_level="high", grade="B", committee=committee)


def test_the_committee_route_names_its_members_and_counts_m_from_them():
    the_route = board_route(dataclasses.replace(BOARD, members=frozenset({DAVE, PEGGY, VICTOR, OTTO}), quorum=3))

    assert (the_route.committee, the_route.committee_name) == (True, "授信审批委员会")
    assert (the_route.votes_needed, the_route.votes_possible) == (3, 4)
    assert the_route.members == {DAVE, PEGGY, VICTOR, OTTO}


def test_a_single_decider_route_names_no_committee():
    the_route = route(CHAIN, amount=Decimal("300000.00"), risk_level="medium", grade="B", committee=BOARD)
    assert (the_route.committee, the_route.members, the_route.votes_needed) == (False, None, 1)


@pytest.mark.parametrize(
    ("changes", "field"), [({"quorum": 4}, "members"), ({"quorum": 0}, "quorum"), ({"name": " "}, "name")]
)
def test_an_impossible_committee_is_refused(changes, field):
    with pytest.raises(ValidationFailed) as caught:
        dataclasses.replace(BOARD, **changes)
    assert list(caught.value.fields) == [field]


def test_an_approver_who_is_not_a_member_may_not_vote():
    with pytest.raises(PermissionDenied) as caught:
        decide(board_route(), reviewed(), roles=APPROVER_ROLES, decider_id=OTTO)
    assert caught.value.code == "not_a_committee_member"
    decide(board_route(), reviewed(), roles=APPROVER_ROLES, decider_id=PEGGY)


def test_a_non_members_vote_never_counts():
    """Should a vote by a non-member ever be recorded, N of M counts the members only."""
    state = progress(board_route(), reviewed((OTTO, APPROVE), (DAVE, APPROVE)))
    assert (state.outcome, state.approvals) == (PENDING, 1)
    state = progress(board_route(), reviewed((OTTO, REJECT), (DAVE, REJECT)))
    assert (state.outcome, state.rejections) == (PENDING, 1)


def test_one_members_return_does_not_end_the_round_by_default():
    state = progress(board_route(), reviewed((DAVE, RETURN)))
    assert (state.outcome, state.current_stage, state.returns) == (PENDING, FINAL_DECISION, 1)
    assert progress(board_route(), reviewed((DAVE, RETURN), (PEGGY, APPROVE), (VICTOR, APPROVE))).outcome == APPROVED


def test_the_round_is_returned_when_the_returns_put_the_quorum_out_of_reach():
    state = progress(board_route(), reviewed((DAVE, RETURN), (PEGGY, RETURN)))
    assert (state.outcome, state.current_stage) == (RETURNED, None)
    assert progress(board_route(), reviewed((DAVE, REJECT), (PEGGY, RETURN))).outcome == RETURNED


def test_the_round_is_rejected_when_the_rejections_alone_put_the_quorum_out_of_reach():
    assert progress(board_route(), reviewed((DAVE, REJECT), (PEGGY, REJECT))).outcome == REJECTED
    board = dataclasses.replace(BOARD, members=frozenset({DAVE, PEGGY, VICTOR, OTTO}), quorum=3)
    assert progress(board_route(board), reviewed((DAVE, REJECT), (PEGGY, REJECT))).outcome == REJECTED


def test_the_committees_rule_makes_one_return_end_the_round():
    strict = dataclasses.replace(BOARD, return_ends_round=True)
    state = progress(board_route(strict), reviewed((DAVE, APPROVE), (PEGGY, RETURN)))
    assert (state.outcome, state.current_stage) == (RETURNED, None)


@given(data=st.data(), size=st.integers(min_value=1, max_value=6))
def test_a_named_committee_concludes_within_m_votes(data, size):
    quorum = data.draw(st.integers(min_value=1, max_value=size))
    members = frozenset(100 + n for n in range(size))
    the_route = board_route(Committee(name="贷审会", members=members, quorum=quorum))
    votes = data.draw(st.lists(st.sampled_from([APPROVE, REJECT, RETURN]), min_size=size, max_size=size))
    cast = []
    for n, vote in enumerate(votes):
        if progress(the_route, reviewed(*cast)).outcome != PENDING:
            break
        cast.append((100 + n, vote))
    state = progress(the_route, reviewed(*cast))
    assert state.outcome in (APPROVED, REJECTED, RETURNED)
    assert state.approvals + state.rejections + state.returns == len(cast) <= size
    assert (state.outcome == APPROVED) == (state.approvals >= quorum)


def test_the_rater_may_not_take_the_risk_review():
    """审贷分离: the risk officer who rated the application does not review its plan's risk."""
    decisions = reviewed()[:1]
    with pytest.raises(PermissionDenied) as caught:
        decide_as_rater(board_route(), decisions, CAROL)
    assert caught.value.code == "rating_and_review_separated"
    decide_as_rater(board_route(), decisions, BOB + 100)


def test_the_chain_may_switch_the_separation_off():
    chain = dataclasses.replace(CHAIN, separate_rating_and_review=False)
    decide_as_rater(board_route(chain=chain), reviewed()[:1], CAROL)


def test_the_rater_may_still_decide_at_another_stage():
    """The separation is the risk review's: a rater who is also an approver and a member may vote."""
    decide_as_rater(board_route(), reviewed(), DAVE, roles=APPROVER_ROLES, raters=frozenset({DAVE}))


def decide_as_rater(the_route, decisions, decider_id, *, roles=CAROL_ROLES, raters=frozenset({CAROL})):
    from creditdesk.lending.approval import check_decision

    stage = progress(the_route, decisions).current_stage
    assert stage in (RISK_REVIEW, FINAL_DECISION)
    check_decision(
        the_route,
        decisions,
        stage_role_codes=roles,
        decider_id=decider_id,
        preparer_id=1,
        outcome=APPROVE,
        opinion="风险可控",
        rater_ids=raters,
    )
