"""Writes of service plans (金融服务方案), PLAN-1…PLAN-6: prepare, revise, submit and withdraw.

One transaction per call, the plan row (or, on creation, the application row) locked first so two concurrent
calls cannot both pass the state check; every change writes an audit event and, when the figures change, a new
revision with who, when and why. The figures are checked by `plan_rules.check_plan` (the product's limits and the
rating's measures, ASSESS-2) together with the inputs' own rules, and every breach comes back at once as one 422
with field errors. Decisions on submitted plans are in `decisions.py`.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from creditdesk.accounts.permissions import Perm
from creditdesk.accounts.scoping import require_perm
from creditdesk.assessment.choices import ApplicationStatus
from creditdesk.assessment.models import LoanApplication
from creditdesk.assessment.selectors import latest_assessment
from creditdesk.core.audit import record_event
from creditdesk.core.dates import business_date
from creditdesk.core.errors import Conflict, InvalidTransition, PermissionDenied, ValidationFailed
from creditdesk.lending import approval, exceptions, selectors
from creditdesk.lending.choices import ExceptionState, GuaranteeKind, PlanStatus, RegistrationStatus
from creditdesk.lending.models import PlanGuarantee, PlanRevision, ServicePlan
from creditdesk.lending.plan_figures import Guarantor, PlanInputs, compute, measures_of, snapshot, validate_guarantors

WITHDRAWABLE = (PlanStatus.DRAFT, PlanStatus.PENDING_APPROVAL, PlanStatus.RETURNED)
PLAN_INPUTS = (
    "price_amount",
    "down_payment_amount",
    "principal_amount",
    "term_months",
    "method",
    "annual_rate",
    "exception_requested",
    "exception_reason",
)


def wrong_state(plan: ServicePlan, action: str) -> InvalidTransition:
    return InvalidTransition(
        _("The plan is %(status)s: it cannot be %(action)s now.")
        % {"status": plan.get_status_display(), "action": action},
        details={"status": plan.status},
    )


def locked(plan: ServicePlan) -> ServicePlan:
    """The plan re-read under a row lock: a stale object (a double click, a second tab) sees the latest state."""
    return (
        ServicePlan.objects.select_for_update(of=("self",))
        .select_related("application", "application__customer", "product")
        .get(pk=plan.pk)
    )


def audit(actor: Any, plan: ServicePlan, event: str, comment: str = "", **payload: Any) -> None:
    record_event(actor=actor, subject=plan, event_type=event, payload=payload, comment=comment)


def _unknown(values: dict[str, Any]) -> None:
    unknown = sorted(set(values) - set(PLAN_INPUTS))
    if unknown:
        raise ValidationFailed(
            _("Some fields are not valid."), fields={name: [_("Not applicable.")] for name in unknown}
        )


def _guarantors_of(plan: ServicePlan) -> list[Guarantor]:
    return [
        (g.guarantor, g.relationship)
        for g in plan.guarantees.filter(kind=GuaranteeKind.GUARANTOR).select_related("guarantor")
        if g.guarantor is not None
    ]


def _save_guarantees(plan: ServicePlan, guarantors: list[Guarantor], consents: dict[int, Any]) -> None:
    """Replace the plan's guarantees: the vehicle's mortgage (PLAN-6) and the guarantors with their consents."""
    previous = {
        g.vehicle_id: g.registration_status for g in plan.guarantees.filter(kind=GuaranteeKind.VEHICLE_MORTGAGE)
    }
    plan.guarantees.all().delete()
    rows = []
    vehicle = plan.application.vehicle
    if vehicle is not None:
        status = previous.get(vehicle.pk, RegistrationStatus.PENDING)
        rows.append(
            PlanGuarantee(plan=plan, kind=GuaranteeKind.VEHICLE_MORTGAGE, vehicle=vehicle, registration_status=status)
        )
    rows += [
        PlanGuarantee(
            plan=plan,
            kind=GuaranteeKind.GUARANTOR,
            guarantor=customer,
            relationship=relationship.strip(),
            consent=consents.get(customer.pk),
        )
        for customer, relationship in guarantors
    ]
    PlanGuarantee.objects.bulk_create(rows)


def _revise(actor: Any, plan: ServicePlan, guarantors: list[Guarantor], reason: str) -> PlanRevision:
    return PlanRevision.objects.create(
        plan=plan,
        revision=plan.revision,
        values=snapshot(plan, guarantors),
        changed_by=actor,
        business_on=business_date(),
        reason=reason.strip(),
    )


def plan_create(
    *,
    actor: Any,
    application: LoanApplication,
    guarantors: list[Guarantor] | None = None,
    reason: str = "",
    **overrides: Any,
) -> ServicePlan:
    """A draft plan for a rated application (PLAN-1…6), priced from the grid unless an allowed rate is given.

    Defaults come from the application (price, down payment, term, method, guarantors); `overrides` change them.
    One live plan per application: a second answers 409 `plan_exists` with the existing plan's id.
    """
    require_perm(actor, Perm.PLAN_EDIT, _("Your role may not prepare service plans."), on=application)
    _unknown(overrides)
    today = business_date()
    with transaction.atomic():
        # The application's row lock serialises two salespeople preparing a plan for it at the same moment.
        app = (
            LoanApplication.objects.select_for_update(of=("self",))
            .select_related("customer", "vehicle")
            .get(pk=application.pk)
        )
        assessment = latest_assessment(app) if app.status == ApplicationStatus.RATED else None
        if assessment is None or not assessment.final_level:
            raise InvalidTransition(
                _("Only a rated application can have a service plan."),
                code="application_not_rated",
                details={"status": app.status},
            )
        existing = selectors.open_plan_of(app)
        if existing is not None:
            raise Conflict(
                _("This application already has a service plan."), code="plan_exists", details={"plan_id": existing.pk}
            )
        product = selectors.product_for(code=app.product_code, on=today)
        if product is None:
            raise ValidationFailed.on("product", _("The application's product is not in force."))
        level = assessment.final_level
        measures = measures_of(assessment.measures, level, today)
        inputs = PlanInputs(
            price_amount=app.price_amount,
            down_payment_amount=app.down_payment_amount or Decimal("0.00"),
            principal_amount=None if app.price_amount is not None else app.requested_amount,
            term_months=app.term_months,
            method=app.repayment_method,
        )
        inputs = inputs.changed(overrides)
        if guarantors is None:
            guarantors = [(g.guarantor, g.relationship) for g in app.guarantors.select_related("guarantor")]
        figures, consents = compute(
            application=app,
            product=product,
            level=level,
            measures=measures,
            inputs=inputs,
            guarantors=guarantors,
            on=today,
            assessment=assessment,
        )
        plan = ServicePlan(
            application=app,
            assessment=assessment,
            product=product,
            prepared_by=actor,
            risk_level=level,
            measures=measures.as_dict(),
            **figures,
        )
        try:
            with transaction.atomic():
                plan.save()
        except (
            IntegrityError
        ):  # the unique constraint, should two calls pass the check at once (SQLite has no row locks)
            raise Conflict(_("This application already has a service plan."), code="plan_exists") from None
        _save_guarantees(plan, guarantors, consents)
        _revise(actor, plan, guarantors, reason or _("Prepared."))
        audit(actor, plan, "plan.created", reason, **_summary(plan))
    return plan


def _summary(plan: ServicePlan) -> dict[str, Any]:
    return {
        "revision": plan.revision,
        "principal_amount": str(plan.principal_amount),
        "term_months": plan.term_months,
        "annual_rate": str(plan.annual_rate),
        "apr_nominal_rate": str(plan.apr_nominal_rate),
    }


def plan_update(
    *, actor: Any, plan: ServicePlan, guarantors: list[Guarantor] | None = None, reason: str = "", **changes: Any
) -> ServicePlan:
    """Revise a draft or returned plan: the figures are checked and priced again, and saved as a new revision.

    `guarantors`, when given, replaces the list. Revising a returned plan needs a reason (what changed in answer
    to the return); a manual rate stays manual until `annual_rate=None` asks for the grid's rate again.
    """
    require_perm(actor, Perm.PLAN_EDIT, _("Your role may not revise service plans."), on=plan)
    _unknown(changes)
    today = business_date()
    with transaction.atomic():
        current = locked(plan)
        if not current.is_editable:
            raise wrong_state(current, _("revised"))
        if current.status == PlanStatus.RETURNED and not reason.strip():
            raise ValidationFailed.on("reason", _("Say what changed in answer to the return."))
        inputs = PlanInputs.of(current).changed(changes)
        if guarantors is None:
            guarantors = _guarantors_of(current)
        figures, consents = compute(
            application=current.application,
            product=current.product,
            level=current.risk_level,
            measures=measures_of(current.measures, current.risk_level, today),
            inputs=inputs,
            guarantors=guarantors,
            on=today,
            assessment=current.assessment,
        )
        for name, value in figures.items():
            setattr(current, name, value)
        current.revision += 1
        current.save()
        _save_guarantees(current, guarantors, consents)
        _revise(actor, current, guarantors, reason)
        audit(actor, current, "plan.revised", reason, **_summary(current))
    plan.refresh_from_db()
    return plan


def _committee(today: Any) -> approval.Committee:
    """The credit committee sitting today, with its voting members; 409 when none is named or it lacks members."""
    row = selectors.committee_in_force(today)
    if row is None:
        raise Conflict(
            _("No credit committee is set up: the plan needs one to decide on it."), code="no_credit_committee"
        )
    try:
        return selectors.committee_of(row)
    except ValidationFailed:
        raise Conflict(
            _("%(committee)s has fewer voting members than the approvals it needs.") % {"committee": row.name},
            code="credit_committee_short",
        ) from None


def _route(plan: ServicePlan, chain: approval.ApprovalChain, today: Any) -> approval.Route:
    """The plan's route; an exception request always goes the full way to the credit committee (ASSESS-2)."""
    route = approval.route(
        chain, amount=plan.principal_amount, risk_level=plan.risk_level, grade=plan.application.customer.grade
    )
    if plan.exception_requested:
        route = dataclasses.replace(route, stages=approval.STAGES, green_channel=False, committee=True)
    if route.committee:
        route = approval.to_committee(route, chain, _committee(today))
    if plan.exception_requested and route.votes_needed < 2:
        # An exception is decided above the normal chain: never by one approver alone, even where the committee's
        # quorum is one (issue 11 item 1).
        if route.votes_possible < 2:
            raise Conflict(
                _("An exception request needs a credit committee of at least two voting members."),
                code="credit_committee_short",
            )
        route = dataclasses.replace(route, votes_needed=2)
    return route


def route_as_dict(route: approval.Route) -> dict[str, Any]:
    """A JSON-ready route, kept with the plan: its decisions are checked against it, whatever the chain becomes."""
    authority = route.authority
    return {
        "chain_version": route.chain_version,
        "stages": list(route.stages),
        "roles": {stage: route.role_for(stage) for stage in route.stages},
        "committee": route.committee,
        "votes_needed": route.votes_needed,
        "votes_possible": route.votes_possible,
        "green_channel": route.green_channel,
        "authority": None
        if authority is None
        else {
            "role": authority.role,
            "max_amount": str(authority.max_amount),
            "max_risk_level": authority.max_risk_level,
        },
        "committee_name": route.committee_name,
        "members": None if route.members is None else sorted(route.members),
        "return_ends_round": route.return_ends_round,
        "separate_rating_and_review": route.separate_rating_and_review,
    }


def route_from_dict(raw: dict[str, Any]) -> approval.Route:
    authority = raw.get("authority")
    return approval.Route(
        chain_version=raw["chain_version"],
        stages=tuple(raw["stages"]),
        committee=raw["committee"],
        votes_needed=raw["votes_needed"],
        votes_possible=raw["votes_possible"],
        green_channel=raw["green_channel"],
        authority=None
        if authority is None
        else approval.AuthorityLimit(authority["role"], Decimal(authority["max_amount"]), authority["max_risk_level"]),
        # Routes kept before committees were named: any approver, a return ends the round, rating ≠ review.
        committee_name=raw.get("committee_name", ""),
        members=None if raw.get("members") is None else frozenset(raw["members"]),
        return_ends_round=raw.get("return_ends_round", True),
        separate_rating_and_review=raw.get("separate_rating_and_review", True),
    )


def enter_stage(actor: Any, plan: ServicePlan, stage: str) -> None:
    """Put the plan at `stage` from today, due after the stage's service level; the audit event is the notice to
    the stage's role (PLAN-9: the next stage is told, and the progress is visible)."""
    today = business_date()
    plan.current_stage = stage
    plan.stage_entered_on = today
    plan.stage_due_on = approval.stage_due_on(today, int(plan.chain[f"{stage}_sla_days"]))
    audit(
        actor,
        plan,
        "plan.stage_entered",
        stage=stage,
        role=plan.route["roles"][stage],
        due_on=plan.stage_due_on.isoformat(),
        revision=plan.revision,
    )


def plan_submit(*, actor: Any, plan: ServicePlan, comment: str = "") -> ServicePlan:
    """Send a draft or revised plan for approval along the route of the chain in force (PLAN-7, PLAN-9).

    The figures are checked again (a guarantor's consent may have lapsed since the plan was prepared). A returned
    plan resubmitted unchanged becomes a new revision all the same: each round of decisions is one revision's.
    """
    require_perm(actor, Perm.PLAN_EDIT, _("Your role may not submit service plans."), on=plan)
    today = business_date()
    with transaction.atomic():
        current = locked(plan)
        if current.status not in (PlanStatus.DRAFT, PlanStatus.RETURNED):
            raise wrong_state(current, _("submitted"))
        guarantors = _guarantors_of(current)
        validate_guarantors(current.application, guarantors, on=today, raise_errors=True)
        measures = measures_of(current.measures, current.risk_level, today)
        figures, _consents = compute(
            application=current.application,
            product=current.product,
            level=current.risk_level,
            measures=measures,
            inputs=PlanInputs.of(current),
            guarantors=guarantors,
            on=today,
            assessment=current.assessment,
        )
        current.failed_rules = figures["failed_rules"]
        waived = exceptions.rules_to_waive(current, measures)
        if waived and not current.exception_requested:
            raise exceptions.required(waived)
        if current.decisions.filter(revision=current.revision).exists():
            current.revision += 1
            _revise(actor, current, guarantors, comment or _("Submitted again without changes."))
        if current.exception_requested:
            exceptions.propose(actor=actor, plan=current, rules=waived, on=today)
        chain = selectors.chain_on(today)
        route = _route(current, chain, today)
        current.submit()
        current.route = route_as_dict(route)
        current.chain = approval.chain_as_dict(chain)
        current.chain_version = chain.version
        current.submitted_by = actor
        current.submitted_on = today
        current.concluded_on = None
        audit(
            actor,
            current,
            "plan.submitted",
            comment,
            revision=current.revision,
            stages=list(route.stages),
            committee=route.committee,
            committee_name=route.committee_name,
            green_channel=route.green_channel,
            chain_version=chain.version,
        )
        enter_stage(actor, current, route.stages[0])
        current.save()
    plan.refresh_from_db()
    return plan


def may_withdraw(actor: Any, plan: ServicePlan) -> bool:
    """Who withdraws a plan (docs/user-guide.md, "Service plans"): the staff member who prepared it, while it is
    undecided. The customer's change of mind reaches their salesperson; a department head decides at the
    department review (approve, return or reject) and does not withdraw a salesperson's plan."""
    return plan.status in WITHDRAWABLE and plan.prepared_by_id == getattr(actor, "pk", None)


def plan_withdraw(*, actor: Any, plan: ServicePlan, comment: str) -> ServicePlan:
    """Withdraw a plan not yet decided (the customer changed their mind); a new plan may then be prepared."""
    require_perm(actor, Perm.PLAN_EDIT, _("Your role may not withdraw service plans."), on=plan)
    if plan.prepared_by_id != actor.pk:
        raise PermissionDenied(_("Only the staff member who prepared the plan may withdraw it."))
    if not comment.strip():
        raise ValidationFailed.on("comment", _("Say why the plan is withdrawn."))
    with transaction.atomic():
        current = locked(plan)
        if current.status not in WITHDRAWABLE:
            raise wrong_state(current, _("withdrawn"))
        current.withdraw()
        exceptions.conclude(actor=actor, plan=current, outcome=ExceptionState.WITHDRAWN, opinion=comment.strip())
        current.current_stage = ""
        current.stage_due_on = None
        current.save()
        audit(actor, current, "plan.withdrawn", comment.strip(), revision=current.revision)
    plan.refresh_from_db()
    return plan
