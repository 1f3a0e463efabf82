"""Writes of the approval (审批) of service plans, PLAN-7 and PLAN-9: one decision at a time, on the locked plan.

The rules are the pure `approval` module's: the route the plan was submitted on (kept with the plan), the
decisions of the current revision, `check_decision` for the state, the role and segregation of duties, and
`progress` for where the plan goes next. A double click is safe twice over: the second call waits for the plan's
row lock and then finds the first decision (403), and the database's unique constraint refuses a second row for
the same person on the same revision should two calls ever get past the lock together (409).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from creditdesk.accounts.permissions import Perm
from creditdesk.accounts.scoping import require_perm
from creditdesk.core.dates import business_date
from creditdesk.core.errors import Conflict, DomainError
from creditdesk.lending import approval, exceptions, selectors
from creditdesk.lending.choices import ExceptionState, PlanStatus
from creditdesk.lending.models import PlanDecision, ServicePlan
from creditdesk.lending.services import audit, enter_stage, locked, route_from_dict

EXCEPTION_OUTCOMES = {
    approval.APPROVED: ExceptionState.APPROVED,
    approval.REJECTED: ExceptionState.REJECTED,
    approval.RETURNED: ExceptionState.RETURNED,
}


def _prior(plan: ServicePlan) -> list[approval.PriorDecision]:
    return [
        approval.PriorDecision(stage=d.stage, decider_id=d.decider_id, outcome=d.outcome, decided_on=d.decided_on)
        for d in plan.decisions.filter(revision=plan.revision).order_by("id")
    ]


def _preparers(plan: ServicePlan) -> set[int]:
    """Who prepared this revision: the plan's preparer, whoever revised it last and whoever submitted it."""
    authors = {plan.prepared_by_id, plan.submitted_by_id}
    authors.update(plan.revisions.filter(revision=plan.revision).values_list("changed_by_id", flat=True))
    return {pk for pk in authors if pk is not None}


def _check(actor: Any, plan: ServicePlan, prior: list[approval.PriorDecision], outcome: str, opinion: str) -> None:
    """`approval.check_decision` for this plan; anyone who prepared this revision counts as its preparer (SoD)."""
    preparers = _preparers(plan)
    approval.check_decision(
        route_from_dict(plan.route),
        prior,
        stage_role_codes=frozenset(actor.role_codes),
        decider_id=actor.pk,
        preparer_id=actor.pk if actor.pk in preparers else plan.prepared_by_id,
        outcome=outcome,
        opinion=opinion,
        rater_ids=selectors.rater_ids(plan.application),
    )


def _not_pending(plan: ServicePlan) -> Conflict:
    return Conflict(
        _("The plan is %(status)s: it is not waiting for a decision.") % {"status": plan.get_status_display()},
        code="plan_not_pending",
        details={"status": plan.status},
    )


def decision_refusal(*, actor: Any, plan: ServicePlan) -> DomainError | None:
    """Why `actor` may not decide on `plan` now, or None when they may: the page offers the form only then."""
    try:
        require_perm(
            actor, Perm.PLAN_DECIDE, _("Your role may not decide on service plans."), on=plan, code="wrong_role"
        )
    except DomainError as err:
        return err
    if plan.status != PlanStatus.PENDING_APPROVAL:
        return _not_pending(plan)
    try:
        _check(actor, plan, _prior(plan), approval.APPROVE, "-")
    except DomainError as err:
        return err
    return None


def plan_decide(*, actor: Any, plan: ServicePlan, outcome: str, opinion: str) -> PlanDecision:
    """Record `actor`'s decision (approve / reject / return, with an opinion) at the plan's current stage.

    Refusals: 409 when the plan is not pending approval; 403 `wrong_role` when the stage is not the actor's,
    403 `segregation_of_duties` when the actor prepared, revised or submitted this revision or already decided
    on it, 403 `rating_and_review_separated` when the actor rated the application and the stage is the risk
    review (审贷分离), 403 `not_a_committee_member` when the committee votes and the actor is not a member;
    422 for an unknown outcome or an empty opinion.
    """
    require_perm(actor, Perm.PLAN_DECIDE, _("Your role may not decide on service plans."), on=plan, code="wrong_role")
    today = business_date()
    with transaction.atomic():
        current = locked(plan)
        if current.status != PlanStatus.PENDING_APPROVAL:
            raise _not_pending(current)
        route = route_from_dict(current.route)
        prior = _prior(current)
        _check(actor, current, prior, outcome, opinion)
        stage = approval.progress(route, prior).current_stage
        assert stage is not None  # check_decision refused a concluded round
        try:
            with transaction.atomic():
                decision = PlanDecision.objects.create(
                    plan=current,
                    revision=current.revision,
                    stage=stage,
                    decider=actor,
                    outcome=outcome,
                    opinion=opinion.strip(),
                    decided_on=today,
                )
        except IntegrityError:
            raise Conflict(
                _("You have already decided on this revision of the plan."), code="decision_already_recorded"
            ) from None
        audit(actor, current, "plan.decided", opinion.strip(), stage=stage, outcome=outcome, revision=current.revision)
        state = approval.progress(route, [*prior, approval.PriorDecision(stage, actor.pk, outcome, today)])
        _conclude(actor, current, state, stage, today)
        if state.outcome != approval.PENDING:
            exceptions.conclude(actor=actor, plan=current, outcome=EXCEPTION_OUTCOMES[state.outcome], opinion=opinion)
        current.save()
    plan.refresh_from_db()
    return decision


def _conclude(actor: Any, plan: ServicePlan, state: approval.Progress, stage: str, today: dt.date) -> None:
    """Move the plan on: to the next stage, or to its outcome once the round has one."""
    if state.outcome == approval.PENDING:
        if state.current_stage is not None and state.current_stage != stage:
            enter_stage(actor, plan, state.current_stage)
        return
    if state.outcome == approval.APPROVED:
        plan.approve()
    elif state.outcome == approval.REJECTED:
        plan.reject()
    else:
        plan.return_for_revision()
    plan.current_stage = ""
    plan.stage_due_on = None
    plan.concluded_on = today
    audit(
        actor,
        plan,
        f"plan.{state.outcome}",
        revision=plan.revision,
        approvals=state.approvals,
        rejections=state.rejections,
        notify="preparer",
    )
