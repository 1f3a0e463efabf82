"""Approval chain (审批流程) of a service plan, PLAN-7 and PLAN-9: pure, no ORM, no clock (STYLE rule 5).

A versioned, configurable `ApprovalChain` routes each plan through these stages, in order:

1. `department_review` (部门初审) by a department head: is the plan reasonable and complete;
2. `risk_review` (风险审查) by a risk officer: is the risk controllable; a written opinion is mandatory;
3. `final_decision` (最终审批) by one decider when an `AuthorityLimit` (审批权限) covers both the amount and the
   risk level, otherwise by the credit committee (贷审会): N of its M named members approve.

Where several limits cover a plan, the most junior one decides (the smallest amount, then the lowest risk level):
delegated authority is used at the lowest level that suffices.

The credit committee (`Committee`) is named: its members are listed people (approvers), not "any approver", and
they are kept with the route when the plan is submitted, so the round is decided by the committee that sat when it
began. Only members vote and only members' votes count (a vote by anyone else, should one ever be recorded, is
ignored). Plans routed before committees were named carry no member list (`members is None`): any approver votes.

Green channel (绿色通道, PLAN-9): a quality customer (grade in `green_channel_grades`) asking for no more than
`green_channel_max_amount` at no more than `green_channel_max_risk_level` skips the department review; the risk
review and the final decision stay, because "only approved plans proceed" (PLAN-7) admits no shortcut on risk.

Rounds. The decisions passed in are those of one round: one revision of the plan. A "return" by the department
head, the risk officer or a single decider ends the round (the plan goes back to its preparer for revision); the
revised plan starts a new round with no decisions. A "reject" ends it for good. In the committee a member's return
is a vote, recorded like the others; it ends the round at once only when the committee's rule says so
(`return_ends_round`). Otherwise the committee is approved once approvals reach N, and it stops as soon as N
approvals can no longer be reached (the votes against, rejections and returns together, exceed M − N), so nobody
waits for votes that cannot change the outcome: the plan is then rejected when the rejections alone exceed M − N,
and returned for revision when it took the returns to put N out of reach. While pending, approvals ≤ N − 1 and
the votes against ≤ M − N, so at most M − 1 votes are in and the M-th always concludes.

Segregation of duties (职责分离): the preparer never decides, and nobody decides twice in one round, at any stage;
so the committee's votes come from different members, and a risk officer who is also an approver cannot review
and then approve the same revision. Separation of rating and review (审贷分离, on unless the chain switches it
off): whoever rated the application (ran its assessment, or confirmed or overrode its rating) does not take the
plan's risk review.

Service levels: each stage is due a configured number of calendar days after the business date it was entered;
the caller passes both dates in (no clock here).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from django.utils.translation import gettext as _

from creditdesk.assessment.rating import LEVELS, LOW, MEDIUM
from creditdesk.core.errors import Conflict, PermissionDenied, ValidationFailed

DEPARTMENT_REVIEW = "department_review"
RISK_REVIEW = "risk_review"
FINAL_DECISION = "final_decision"
STAGES = (DEPARTMENT_REVIEW, RISK_REVIEW, FINAL_DECISION)

# The values of accounts.choices.Role (not imported: that module needs the ORM).
DEPARTMENT_HEAD = "department_head"
RISK_OFFICER = "risk_officer"
APPROVER = "approver"
STAGE_ROLES = {DEPARTMENT_REVIEW: DEPARTMENT_HEAD, RISK_REVIEW: RISK_OFFICER, FINAL_DECISION: APPROVER}

APPROVE = "approve"
REJECT = "reject"
RETURN = "return"
OUTCOMES = (APPROVE, REJECT, RETURN)

PENDING = "pending"
APPROVED = "approved"
REJECTED = "rejected"
RETURNED = "returned"

GRADES = ("A", "B", "C", "D")  # the values of customers.choices.Grade (CLASS-4)


def _amount(name: str, value: object) -> Decimal:
    if not isinstance(value, Decimal):
        raise TypeError(f"{name} must be a Decimal, not {type(value).__name__}: {value!r}")
    if not value.is_finite():
        raise ValidationFailed.on(name, f"{name} must be a finite amount.")
    return value


def _level(name: str, value: object) -> str:
    if value not in LEVELS:
        raise ValidationFailed.on(name, f"Unknown risk level {value!r}.")
    return str(value)


@dataclass(frozen=True)
class AuthorityLimit:
    """Authority limit (审批权限): one decider of `role` may decide alone up to this amount and risk level."""

    role: str
    max_amount: Decimal
    max_risk_level: str

    def __post_init__(self) -> None:
        if not isinstance(self.role, str) or not self.role.strip():
            raise ValidationFailed.on("role", "An authority limit needs a role.")
        if _amount("max_amount", self.max_amount) <= 0:
            raise ValidationFailed.on("max_amount", "The authority limit must be more than zero.")
        _level("max_risk_level", self.max_risk_level)

    def covers(self, amount: Decimal, risk_level: str) -> bool:
        return amount <= self.max_amount and LEVELS.index(risk_level) <= LEVELS.index(self.max_risk_level)


@dataclass(frozen=True, kw_only=True)
class ApprovalChain:
    """Approval chain (审批流程配置), one version of the stages' service levels, authority, committee and green channel.

    Defaults: two days for the department review, three for the risk review and three for the final decision; an
    approver decides alone up to 500,000.00 yuan at low or medium risk; above that, or at high risk, a committee of
    three approvers decides by two approvals; grade-A customers asking for at most 200,000.00 at low risk take the
    green channel.
    """

    version: str
    department_review_sla_days: int = 2
    risk_review_sla_days: int = 3
    final_decision_sla_days: int = 3
    authority_limits: tuple[AuthorityLimit, ...] = (AuthorityLimit(APPROVER, Decimal("500000.00"), MEDIUM),)
    committee_size: int = 3  # M
    committee_quorum: int = 2  # N approvals needed
    green_channel_grades: tuple[str, ...] = ("A",)
    green_channel_max_amount: Decimal = Decimal("200000.00")
    green_channel_max_risk_level: str = LOW
    separate_rating_and_review: bool = True  # 审贷分离: whoever rated the application does not take the risk review

    def __post_init__(self) -> None:
        if not isinstance(self.version, str) or not self.version.strip():
            raise ValidationFailed.on("version", "An approval chain needs a version.")
        for name in ("department_review_sla_days", "risk_review_sla_days", "final_decision_sla_days"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValidationFailed.on(name, f"{name} must be a whole number of days, one or more.")
        # Lists are accepted (e.g. from a JSON configuration) and kept as tuples, so the chain stays immutable.
        object.__setattr__(self, "authority_limits", tuple(self.authority_limits))
        object.__setattr__(self, "green_channel_grades", tuple(self.green_channel_grades))
        if not all(isinstance(limit, AuthorityLimit) for limit in self.authority_limits):
            raise ValidationFailed.on("authority_limits", "authority_limits must be AuthorityLimit records.")
        for name in ("committee_size", "committee_quorum"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValidationFailed.on(name, f"{name} must be a whole number, one or more.")
        if self.committee_quorum > self.committee_size:
            raise ValidationFailed.on("committee_quorum", "The quorum cannot exceed the committee's size.")
        for grade in self.green_channel_grades:
            if grade not in GRADES:
                raise ValidationFailed.on("green_channel_grades", f"Unknown customer grade {grade!r}.")
        if _amount("green_channel_max_amount", self.green_channel_max_amount) < 0:
            raise ValidationFailed.on("green_channel_max_amount", "The green-channel amount cannot be negative.")
        _level("green_channel_max_risk_level", self.green_channel_max_risk_level)


@dataclass(frozen=True, kw_only=True)
class Committee:
    """Credit committee (贷审会): its named members (user ids), the approvals needed (N) and its rule on returns."""

    name: str
    members: frozenset[int]
    quorum: int = 2
    return_ends_round: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "members", frozenset(self.members))
        if not isinstance(self.name, str) or not self.name.strip():
            raise ValidationFailed.on("name", _("A credit committee needs a name."))
        if isinstance(self.quorum, bool) or not isinstance(self.quorum, int) or self.quorum < 1:
            raise ValidationFailed.on("quorum", _("The approvals needed must be a whole number, one or more."))
        if self.quorum > len(self.members):
            raise ValidationFailed.on(
                "members", _("The committee needs at least as many members as the approvals it needs.")
            )


@dataclass(frozen=True)
class Route:
    """Route (审批路径): the stages one plan goes through, and who takes the final decision and how."""

    chain_version: str
    stages: tuple[str, ...]
    committee: bool
    votes_needed: int  # N for a committee, 1 for a single decider
    votes_possible: int  # M for a committee, 1 for a single decider
    green_channel: bool
    authority: AuthorityLimit | None  # the limit that lets one decider decide; None for a committee
    committee_name: str = ""
    members: frozenset[int] | None = None  # the committee's members; None: not named (any approver, older plans)
    return_ends_round: bool = True  # in the committee: does one member's return end the round?
    separate_rating_and_review: bool = True

    def role_for(self, stage: str) -> str:
        """The role that decides at `stage`: the authority limit's role for a single final decision."""
        if stage == FINAL_DECISION and self.authority is not None:
            return self.authority.role
        return STAGE_ROLES[stage]


def to_committee(route: Route, chain: ApprovalChain, committee: Committee | None) -> Route:
    """`route` with its final decision taken by `committee` (N of its M members, its rule on returns); without a
    named committee, by the chain's M and N among any approvers (the rule before committees were named)."""
    if committee is None:
        return replace(
            route,
            committee=True,
            votes_needed=chain.committee_quorum,
            votes_possible=chain.committee_size,
            authority=None,
            committee_name="",
            members=None,
            return_ends_round=True,
        )
    return replace(
        route,
        committee=True,
        votes_needed=committee.quorum,
        votes_possible=len(committee.members),
        authority=None,
        committee_name=committee.name,
        members=committee.members,
        return_ends_round=committee.return_ends_round,
    )


def route(
    chain: ApprovalChain, *, amount: Decimal, risk_level: str, grade: str, committee: Committee | None = None
) -> Route:
    """The route of a plan of `amount` at `risk_level` for a customer of `grade` (PLAN-7, PLAN-9); above every
    authority limit the final decision is `committee`'s."""
    if _amount("amount", amount) <= 0:
        raise ValidationFailed.on("amount", _("The amount must be more than zero."))
    if risk_level not in LEVELS:
        raise ValidationFailed.on("risk_level", _("Unknown risk level."))
    covering = [limit for limit in chain.authority_limits if limit.covers(amount, risk_level)]
    authority = min(covering, key=lambda x: (x.max_amount, LEVELS.index(x.max_risk_level)), default=None)
    green = (
        grade in chain.green_channel_grades
        and amount <= chain.green_channel_max_amount
        and LEVELS.index(risk_level) <= LEVELS.index(chain.green_channel_max_risk_level)
    )
    single = Route(
        chain_version=chain.version,
        stages=STAGES[1:] if green else STAGES,
        committee=False,
        votes_needed=1,
        votes_possible=1,
        green_channel=green,
        authority=authority,
        separate_rating_and_review=chain.separate_rating_and_review,
    )
    return single if authority is not None else to_committee(single, chain, committee)


@dataclass(frozen=True)
class PriorDecision:
    """A decision already taken in this round (审批意见): the stage, who, what and on which business date."""

    stage: str
    decider_id: int
    outcome: str
    decided_on: dt.date

    def __post_init__(self) -> None:
        if self.stage not in STAGES:
            raise ValidationFailed.on("stage", f"Unknown approval stage {self.stage!r}.")
        if isinstance(self.decider_id, bool) or not isinstance(self.decider_id, int):
            raise ValidationFailed.on("decider_id", "decider_id must be a user id.")
        if self.outcome not in OUTCOMES:
            raise ValidationFailed.on("outcome", f"Unknown outcome {self.outcome!r}.")
        if not isinstance(self.decided_on, dt.date) or isinstance(self.decided_on, dt.datetime):
            raise ValidationFailed.on("decided_on", "decided_on must be a date.")


@dataclass(frozen=True)
class Progress:
    """Where a round stands (审批进度): the current stage (None once concluded), the outcome and the final votes."""

    current_stage: str | None
    outcome: str  # "pending" | "approved" | "rejected" | "returned"
    approvals: int  # at the final stage
    rejections: int  # at the final stage
    decided_by: frozenset[int]  # everyone who decided in this round
    stage_entered_on: dt.date | None  # None: the round's first stage, entered when the plan was submitted
    returns: int = 0  # committee members' returns at the final stage


def progress(route: Route, decisions: Sequence[PriorDecision]) -> Progress:
    """The state of a round from its decisions, oldest first; raises ValueError on an impossible history."""
    index, approvals, rejections, returns, outcome = 0, 0, 0, 0, PENDING
    decided_by: set[int] = set()
    entered_on: dt.date | None = None
    for decision in decisions:
        if outcome != PENDING:
            raise ValueError(f"a decision after the round ended {outcome}: {decision}")
        stage = route.stages[index]
        if decision.stage != stage:
            raise ValueError(f"a decision at {decision.stage} while the plan is at {stage}")
        decided_by.add(decision.decider_id)
        voting = stage == FINAL_DECISION and route.committee
        if voting and route.members is not None and decision.decider_id not in route.members:
            continue  # only members' votes count
        if decision.outcome == RETURN and not (voting and not route.return_ends_round):
            outcome = RETURNED
        elif stage != FINAL_DECISION:
            if decision.outcome == REJECT:
                outcome = REJECTED
            else:
                index += 1
                entered_on = decision.decided_on
        else:
            if decision.outcome == APPROVE:
                approvals += 1
            elif decision.outcome == REJECT:
                rejections += 1
            else:
                returns += 1
            margin = route.votes_possible - route.votes_needed
            if approvals >= route.votes_needed:
                outcome = APPROVED
            elif rejections > margin:
                outcome = REJECTED
            elif rejections + returns > margin:
                outcome = RETURNED
    return Progress(
        current_stage=route.stages[index] if outcome == PENDING else None,
        outcome=outcome,
        approvals=approvals,
        rejections=rejections,
        decided_by=frozenset(decided_by),
        stage_entered_on=entered_on,
        returns=returns,
    )


def check_decision(
    route: Route,
    decisions: Sequence[PriorDecision],
    *,
    stage_role_codes: frozenset[str],
    decider_id: int,
    preparer_id: int,
    outcome: str,
    opinion: str,
    rater_ids: frozenset[int] = frozenset(),
) -> None:
    """Refuse a decision that may not be taken now (PLAN-7): wrong state, wrong role, segregation of duties, input.

    `rater_ids` are whoever rated the application (审贷分离). Permission comes before input, so a caller who may not
    decide learns nothing about what a decision needs.
    """
    state = progress(route, decisions)
    if state.current_stage is None:
        raise Conflict(_("This plan is no longer waiting for a decision."), code="plan_not_pending")
    if route.role_for(state.current_stage) not in stage_role_codes:
        raise PermissionDenied(_("Your role cannot decide at this stage."), code="wrong_role")
    if state.current_stage == RISK_REVIEW and route.separate_rating_and_review and decider_id in rater_ids:
        raise PermissionDenied(
            _(
                "You rated this application: under the separation of rating and review another risk officer "
                "reviews its plan."
            ),
            code="rating_and_review_separated",
        )
    if state.current_stage == FINAL_DECISION and route.members is not None and decider_id not in route.members:
        raise PermissionDenied(
            _("Only the members of %(committee)s vote on this plan.") % {"committee": route.committee_name},
            code="not_a_committee_member",
        )
    if decider_id == preparer_id:
        raise PermissionDenied(_("The preparer of a plan cannot decide on it."), code="segregation_of_duties")
    if decider_id in state.decided_by:
        raise PermissionDenied(
            _("You have already decided on this revision of the plan."), code="segregation_of_duties"
        )
    if outcome not in OUTCOMES:
        raise ValidationFailed.on("outcome", _("Choose approve, reject or return."))
    if not isinstance(opinion, str) or not opinion.strip():
        raise ValidationFailed.on("opinion", _("Write your opinion: every decision gives its reasons."))


def sla_days_for(chain: ApprovalChain, stage: str) -> int:
    """The service level of `stage`, in calendar days."""
    if stage not in STAGES:
        raise ValidationFailed.on("stage", f"Unknown approval stage {stage!r}.")
    days: int = getattr(chain, f"{stage}_sla_days")
    return days


def stage_due_on(entered_on: dt.date, sla_days: int) -> dt.date:
    """The business date a stage entered on `entered_on` is due: calendar days, not working days."""
    return entered_on + dt.timedelta(days=sla_days)


def is_overdue(due_on: dt.date, today: dt.date) -> bool:
    """Overdue from the day after the due date: a decision on the due date itself is on time."""
    return today > due_on


def chain_as_dict(chain: ApprovalChain) -> dict[str, object]:
    """A JSON-ready snapshot with every figure as a string, kept with each plan's approval record."""
    return {
        "version": chain.version,
        "department_review_sla_days": str(chain.department_review_sla_days),
        "risk_review_sla_days": str(chain.risk_review_sla_days),
        "final_decision_sla_days": str(chain.final_decision_sla_days),
        "authority_limits": [
            {"role": x.role, "max_amount": str(x.max_amount), "max_risk_level": x.max_risk_level}
            for x in chain.authority_limits
        ],
        "committee_size": str(chain.committee_size),
        "committee_quorum": str(chain.committee_quorum),
        "green_channel_grades": list(chain.green_channel_grades),
        "green_channel_max_amount": str(chain.green_channel_max_amount),
        "green_channel_max_risk_level": chain.green_channel_max_risk_level,
        "separate_rating_and_review": chain.separate_rating_and_review,
    }
