"""Reads of the lending app: the configuration in force on a business date, service plans and their approvals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import BooleanField, Case, Exists, OuterRef, Q, QuerySet, Value, When

from creditdesk.accounts.scoping import get_in_scope, in_scope
from creditdesk.assessment.catalogue import ProductTerms
from creditdesk.assessment.choices import ApplicationStatus
from creditdesk.assessment.models import Assessment, LoanApplication
from creditdesk.core.audit import actor_name, events_for, events_for_objects
from creditdesk.core.models import ApprovalState, AuditEvent
from creditdesk.customers.models import Customer
from creditdesk.customers.selectors import TimelineEntry
from creditdesk.lending.approval import APPROVER, FINAL_DECISION, RISK_REVIEW, ApprovalChain, AuthorityLimit, Committee
from creditdesk.lending.choices import EVENT_LABELS, PlanStatus
from creditdesk.lending.models import (
    OPEN_PLAN_STATUSES,
    ApprovalChainVersion,
    CreditCommittee,
    LprRate,
    PlanDecision,
    PlanException,
    PlanRevision,
    Product,
    ServicePlan,
    SpreadRule,
    TermAdjustment,
)
from creditdesk.lending.pricing import PricedRate, lpr_tenor, price
from creditdesk.lending.schedule import FirstPeriod, Schedule, build_schedule

BUILT_IN_CHAIN = "built-in"


def product_for(*, code: str, on: dt.date) -> Product | None:
    """The version of a product in force on a date (the latest approved one effective on or before it), if active."""
    return Product.objects.in_force(on).filter(code=code, is_active=True).first()


def products_in_force(*, on: dt.date) -> list[Product]:
    latest: dict[str, Product] = {}
    for product in Product.objects.in_force(on).filter(is_active=True).order_by("code", "-effective_on", "-id"):
        latest.setdefault(product.code, product)
    return list(latest.values())


def _latest(queryset: QuerySet, on: dt.date) -> object | None:
    """The approved row effective latest on or before `on` (maker-checker: proposals are never in force)."""
    return (
        queryset.filter(approval_state=ApprovalState.APPROVED, effective_on__lte=on).order_by("-effective_on").first()
    )


def lpr_on(*, tenor: str, on: dt.date) -> Decimal | None:
    row = _latest(LprRate.objects.filter(tenor=tenor), on)
    return row.rate if isinstance(row, LprRate) else None


def priced_rate(*, product: Product, risk_level: str, grade: str, term_months: int, on: dt.date) -> PricedRate | None:
    """PLAN-3: the rate for this product, risk level, grade and term on the business date; None if unconfigured."""
    base = lpr_on(tenor=lpr_tenor(term_months), on=on)
    spread = _latest(SpreadRule.objects.filter(risk_level=risk_level, grade=grade), on)
    adjustment = _latest(
        TermAdjustment.objects.filter(min_term_months__lte=term_months, max_term_months__gte=term_months), on
    )
    if base is None or not isinstance(spread, SpreadRule):
        return None
    return price(
        base_rate=base,
        spread=spread.spread,
        term_adjustment=adjustment.adjustment if isinstance(adjustment, TermAdjustment) else Decimal(0),
        floor=product.rate_floor,
        ceiling=product.rate_ceiling,
    )


def product_terms_on(on: dt.date) -> list[ProductTerms]:
    """The products in force on `on` as the assessment app reads them (registered in `LendingConfig.ready`)."""
    return [
        ProductTerms(
            code=p.code,
            name=p.name,
            customer_kind=p.customer_kind,
            vehicle_loan=p.max_ltv is not None,
            min_amount=p.min_amount,
            max_amount=p.max_amount,
            allowed_terms=tuple(p.allowed_terms),
            allowed_methods=tuple(p.allowed_methods),
            max_ltv=p.max_ltv,
        )
        for p in products_in_force(on=on)
    ]


# --- approval chain --------------------------------------------------------------------------------------------


def chain_from_row(row: ApprovalChainVersion) -> ApprovalChain:
    """The pure chain of a configuration row; raises ValidationFailed (or TypeError/KeyError on malformed JSON)."""
    return ApprovalChain(
        version=row.version,
        department_review_sla_days=row.department_review_sla_days,
        risk_review_sla_days=row.risk_review_sla_days,
        final_decision_sla_days=row.final_decision_sla_days,
        authority_limits=tuple(
            AuthorityLimit(str(x["role"]), Decimal(str(x["max_amount"])), str(x["max_risk_level"]))
            for x in row.authority_limits or []
        ),
        committee_size=row.committee_size,
        committee_quorum=row.committee_quorum,
        green_channel_grades=tuple(row.green_channel_grades or ()),
        green_channel_max_amount=Decimal(row.green_channel_max_amount),
        green_channel_max_risk_level=row.green_channel_max_risk_level,
        separate_rating_and_review=row.separate_rating_and_review,
    )


def _chain_row_on(on: dt.date) -> ApprovalChainVersion | None:
    return ApprovalChainVersion.objects.in_force(on).first()


def chain_on(on: dt.date) -> ApprovalChain:
    """The approval chain in force on `on` (the latest effective on or before it), else the built-in defaults."""
    row = _chain_row_on(on)
    return ApprovalChain(version=BUILT_IN_CHAIN) if row is None else chain_from_row(row)


def committee_voters(committee: CreditCommittee) -> QuerySet[Any]:
    """The members who may vote: active users who still hold the approver role."""
    return committee.members.filter(is_active=True, groups__name=APPROVER).distinct()


def committee_in_force(on: dt.date) -> CreditCommittee | None:
    """The credit committee that sits on `on`: the one the chain in force names, else the active one made last."""
    row = _chain_row_on(on)
    if row is not None and row.committee_id is not None:
        return row.committee
    return CreditCommittee.objects.filter(is_active=True).order_by("-created_at", "-id").first()


def committee_of(committee: CreditCommittee) -> Committee:
    """The pure committee (its voting members' ids); raises ValidationFailed when it has fewer than N of them."""
    return Committee(
        name=committee.name,
        members=frozenset(committee_voters(committee).values_list("pk", flat=True)),
        quorum=committee.quorum,
        return_ends_round=committee.return_ends_round,
    )


# --- service plans ---------------------------------------------------------------------------------------------


def overdue_q(today: dt.date) -> Q:
    """Plans pending past their stage's due date: overdue from the day after it (`approval.is_overdue`)."""
    return Q(status=PlanStatus.PENDING_APPROVAL, stage_due_on__lt=today)


def _plans(user: Any, today: dt.date) -> QuerySet[ServicePlan]:
    overdue = Case(When(overdue_q(today), then=Value(True)), default=Value(False), output_field=BooleanField())
    return in_scope(
        ServicePlan.objects.select_related(
            "application", "application__customer", "product", "prepared_by", "submitted_by"
        ).annotate(overdue=overdue),
        user,
    )


def plan_list(
    *,
    user: Any,
    today: dt.date,
    status: str = "",
    stage: str = "",
    overdue: bool | None = None,
    application_id: int | None = None,
) -> QuerySet[ServicePlan]:
    """Plans in the caller's scope, newest first; `overdue` keeps the pending plans past their stage's due date."""
    plans = _plans(user, today).prefetch_related("guarantees", "guarantees__guarantor", "guarantees__vehicle")
    if status:
        plans = plans.filter(status__in=status.split(","))
    if stage:
        plans = plans.filter(current_stage=stage)
    if overdue is not None:
        plans = plans.filter(overdue_q(today)) if overdue else plans.exclude(overdue_q(today))
    if application_id is not None:
        plans = plans.filter(application_id=application_id)
    return plans.order_by("-created_at", "-id")


def plan_get(*, user: Any, pk: int, today: dt.date) -> ServicePlan:
    """One plan in the caller's scope (Http404 otherwise), with its guarantees."""
    return get_in_scope(
        _plans(user, today).prefetch_related("guarantees", "guarantees__guarantor", "guarantees__vehicle"),
        user,
        pk=pk,
    )


def approval_queue(*, user: Any, stage: str, today: dt.date) -> QuerySet[ServicePlan]:
    """Plans waiting at `stage` that this user may still decide: in scope, and not prepared, revised, submitted
    or already decided by them in this round (PLAN-7 segregation of duties), the most overdue first. At the risk
    review, not the plans of applications they rated (审贷分离, unless the route switched it off); at the final
    decision, a committee's plans only for its members."""
    decided = PlanDecision.objects.filter(plan=OuterRef("pk"), revision=OuterRef("revision"), decider=user)
    revised = PlanRevision.objects.filter(plan=OuterRef("pk"), revision=OuterRef("revision"), changed_by=user)
    plans = (
        _plans(user, today)
        .filter(status=PlanStatus.PENDING_APPROVAL, current_stage=stage)
        .exclude(prepared_by=user)
        .exclude(submitted_by=user)
        .exclude(Exists(decided))
        .exclude(Exists(revised))
    )
    if stage == RISK_REVIEW:
        rated = Assessment.objects.filter(application=OuterRef("application")).filter(
            Q(assessed_by=user) | Q(decided_by=user)
        )
        plans = plans.exclude(Exists(rated) & ~Q(route__separate_rating_and_review=False))
    if stage == FINAL_DECISION:
        # The members are kept in the route's JSON: read them here (few plans wait for a committee at once).
        elsewhere = [
            pk
            for pk, route in plans.filter(route__committee=True).values_list("pk", "route")
            if route.get("members") is not None and user.pk not in route["members"]
        ]
        plans = plans.exclude(pk__in=elsewhere)
    return plans.order_by("stage_due_on", "id")


def rater_ids(application: LoanApplication) -> frozenset[int]:
    """Whoever rated the application: ran an assessment, or confirmed or overrode its rating (审贷分离)."""
    rows = Assessment.objects.filter(application=application).values_list("assessed_by_id", "decided_by_id")
    return frozenset(pk for row in rows for pk in row if pk is not None)


def applications_ready_for_plan(*, user: Any) -> QuerySet[LoanApplication]:
    """Rated applications in scope with no live plan: the ones a salesperson can prepare a plan for."""
    live = ServicePlan.objects.filter(application=OuterRef("pk"), status__in=OPEN_PLAN_STATUSES)
    return (
        in_scope(LoanApplication.objects.select_related("customer"), user)
        .filter(status=ApplicationStatus.RATED)
        .exclude(Exists(live))
        .order_by("rated_on", "id")
    )


def exceptions_of(plan: ServicePlan) -> QuerySet[PlanException]:
    """The plan's exception requests, newest first, with who proposed and decided them."""
    return plan.exceptions.select_related("proposed_by", "decided_by").order_by("-id")


def exception_list(*, user: Any, state: str = "") -> QuerySet[PlanException]:
    """The exceptions report (例外审批台账): requests in the caller's scope, newest first, optionally by state."""
    rows = in_scope(PlanException.objects.all(), user).select_related(
        "plan", "plan__application", "plan__application__customer", "proposed_by", "decided_by"
    )
    if state:
        rows = rows.filter(state=state)
    return rows.order_by("-proposed_at", "-id")


def decisions(plan: ServicePlan) -> QuerySet[PlanDecision]:
    """Every decision on the plan, all revisions, oldest first."""
    return plan.decisions.select_related("decider").order_by("id")


def revisions(plan: ServicePlan) -> QuerySet[PlanRevision]:
    return plan.revisions.select_related("changed_by").order_by("-revision")


def timeline(plan: ServicePlan) -> QuerySet[AuditEvent]:
    """What happened to the plan, newest first: creation, revisions, submissions, stages entered, decisions."""
    return events_for(plan).select_related("actor")


def schedule_of(plan: ServicePlan) -> Schedule:
    """The plan's repayment schedule, rebuilt from its stored figures (pure and deterministic, PLAN-5)."""
    return build_schedule(
        principal_amount=plan.principal_amount,
        annual_rate=plan.annual_rate,
        term_months=plan.term_months,
        method=plan.method,  # type: ignore[arg-type]  # a stored code of RepaymentMethod
        first_due_on=plan.first_due_on,
        periodic_fee_amount=plan.monthly_fee_amount,
        # Plans kept before the start date anchor on their first due date (the older rule).
        start_on=plan.start_on,
        repayment_day=plan.product.repayment_day,
        first_period=FirstPeriod(plan.product.first_period),
    )


def plans_for_application(application: LoanApplication) -> QuerySet[ServicePlan]:
    return ServicePlan.objects.filter(application=application).order_by("-created_at", "-id")


def open_plan_of(application: LoanApplication) -> ServicePlan | None:
    return ServicePlan.objects.filter(application=application, status__in=OPEN_PLAN_STATUSES).first()


def customer_timeline(customer: Customer, limit: int) -> list[TimelineEntry]:
    """The customer's service plans and their approval, as rows of the customer's timeline (registered in ready)."""
    events = events_for_objects(ServicePlan.objects.filter(application__customer=customer))[:limit]
    return [
        TimelineEntry(
            e.occurred_at,
            "plan",
            str(EVENT_LABELS.get(e.event_type, e.event_type)),
            f"FA{int(e.subject_id):07d} {actor_name(e)}{': ' + e.comment if e.comment else ''}",
        )
        for e in events
    ]
