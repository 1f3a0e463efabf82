"""Reads of the assessment app: applications in the caller's scope, policies in force, the overrides report."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet

from creditdesk.accounts.scoping import get_in_scope, in_scope
from creditdesk.assessment import expert_defaults, expert_scorecard, limits, rating, rules
from creditdesk.assessment.choices import EVENT_LABELS, ApplicationStatus, RatingDecision
from creditdesk.assessment.models import (
    AdmissionPolicyVersion,
    Assessment,
    CreditQuery,
    DataReview,
    LoanApplication,
    RatingPolicyVersion,
    ScorecardVersion,
    cap_in_force,
    cap_scope_of,
)
from creditdesk.core.audit import actor_name, events_for, events_for_objects
from creditdesk.core.models import AuditEvent
from creditdesk.customers.models import Customer
from creditdesk.customers.selectors import TimelineEntry

BUILT_IN_VERSION = "built-in"


def application_list(
    *, user: Any, status: str = "", customer_id: int | None = None, search: str = "", risk_level: str = ""
) -> QuerySet[LoanApplication]:
    apps = in_scope(LoanApplication.objects.select_related("customer", "customer__owner", "vehicle"), user)
    if status:
        apps = apps.filter(status__in=status.split(","))
    if customer_id is not None:
        apps = apps.filter(customer_id=customer_id)
    if risk_level:
        apps = apps.filter(risk_level=risk_level)
    if search:
        text = search.strip().upper()
        if text.startswith("SQ") and text[2:].isdigit():
            apps = apps.filter(pk=int(text[2:]))
        else:
            apps = apps.filter(Q(customer__name__icontains=search) | Q(vehicle__vin=text))
    return apps.order_by("-created_at", "-id")


def review_queue(*, user: Any) -> QuerySet[LoanApplication]:
    """Applications waiting for a risk officer: submitted, in data review, or scored and awaiting confirmation."""
    statuses = [ApplicationStatus.SUBMITTED, ApplicationStatus.IN_REVIEW, ApplicationStatus.SCORED]
    return application_list(user=user).filter(status__in=statuses).order_by("submitted_on", "id")


def application_get(*, user: Any, pk: int) -> LoanApplication:
    return get_in_scope(
        LoanApplication.objects.select_related("customer", "vehicle", "created_by", "reviewer"), user, pk=pk
    )


def latest_review(application: LoanApplication) -> DataReview | None:
    return application.reviews.select_related("reviewed_by").first()


def latest_assessment(application: LoanApplication) -> Assessment | None:
    return (
        application.assessments.select_related("assessed_by", "decided_by", "credit_query", "credit_query__queried_by")
        .order_by("-assessed_at", "-id")
        .first()
    )


def credit_queries(application: LoanApplication) -> QuerySet[CreditQuery]:
    return application.credit_queries.select_related("queried_by", "authorization").order_by("-queried_at", "-id")


def timeline(application: LoanApplication) -> QuerySet[AuditEvent]:
    """What happened to the application, newest first (every transition with actor and comment)."""
    return events_for(application).select_related("actor")


def overrides(*, user: Any, since: dt.date | None = None, until: dt.date | None = None) -> QuerySet[Assessment]:
    """The overrides report (人工调整评级报告): every automated rating a person changed, with the reason."""
    rows = in_scope(
        Assessment.objects.filter(decision=RatingDecision.OVERRIDDEN).select_related(
            "application", "application__customer", "decided_by"
        ),
        user,
    )
    if since is not None:
        rows = rows.filter(business_on__gte=since)
    if until is not None:
        rows = rows.filter(business_on__lte=until)
    return rows.order_by("-decided_at", "-id")


def admission_policy_on(on: dt.date) -> rules.AdmissionPolicy:
    """The admission policy in force on `on` (the latest approved one effective by then), else the built-in one."""
    row = AdmissionPolicyVersion.objects.in_force(on).first()
    if row is None:
        return rules.AdmissionPolicy(version=BUILT_IN_VERSION)
    return rules.AdmissionPolicy(
        version=row.version,
        min_age=row.min_age,
        max_age=row.max_age,
        max_age_at_maturity=row.max_age_at_maturity,
        require_full_civil_capacity=row.require_full_civil_capacity,
        min_bureau_score=row.min_bureau_score,
        bad_record_lookback_months=row.bad_record_lookback_months,
        max_debt_to_income=row.max_debt_to_income.normalize() if row.max_debt_to_income else Decimal("0.55"),
        require_vehicle_documents=row.require_vehicle_documents,
        refuse_major_accident=row.refuse_major_accident,
        max_vehicle_age_months_at_maturity=row.max_vehicle_age_months_at_maturity,
        max_mileage_km=row.max_mileage_km,
        require_valuation=row.require_valuation,
        max_ltv=row.max_ltv.normalize(),
        max_term_months=row.max_term_months,
    )


def cap_on(on: dt.date, applies_to: str) -> limits.Cap | None:
    """The regulatory cap (监管上限) in force on `on` for a kind of lending (`CapScope`); None when none is recorded."""
    return cap_in_force(on, applies_to)


def cap_for_product(product: Any, on: dt.date) -> limits.Cap | None:
    """The cap in force on `on` for a product (anything with a `customer_kind`)."""
    return cap_in_force(on, cap_scope_of(product.customer_kind))


def stress_rate_on(on: dt.date) -> Decimal:
    row = AdmissionPolicyVersion.objects.in_force(on).first()
    return Decimal("0.12") if row is None else row.stress_rate


def co_borrower_income_counts_on(on: dt.date) -> bool:
    """Whether the co-borrowers' income and debt service count in debt-to-income under the policy in force."""
    row = AdmissionPolicyVersion.objects.filter(effective_on__lte=on).order_by("-effective_on", "-id").first()
    return True if row is None else row.co_borrower_income_counts


def rating_policy_on(on: dt.date) -> rating.RatingPolicy:
    """The rating policy in force on `on`, else the built-in one; `measures` overrides apply per level."""
    row = RatingPolicyVersion.objects.in_force(on).first()
    if row is None:
        return rating.RatingPolicy(version=BUILT_IN_VERSION)
    defaults = rating.RatingPolicy(version=row.version)
    measures = {}
    for level in rating.LEVELS:
        base = defaults.measures_for(level)
        override = dict((row.measures or {}).get(level, {}))
        for name, value in override.items():
            current = getattr(base, name)
            override[name] = Decimal(str(value)) if isinstance(current, Decimal) else type(current)(value)
        measures[f"{level}_measures"] = replace(base, **override)
    return rating.RatingPolicy(
        version=row.version,
        low_min_bureau_score=row.low_min_bureau_score,
        high_max_bureau_score=row.high_max_bureau_score,
        low_min_internal_score=row.low_min_internal_score,
        high_max_internal_score=row.high_max_internal_score,
        max_delinquencies_24m_for_low=row.max_delinquencies_24m_for_low,
        high_min_delinquencies_24m=row.high_min_delinquencies_24m,
        max_inquiries_6m_for_low=row.max_inquiries_6m_for_low,
        **measures,
    )


def scorecard_on(on: dt.date) -> expert_scorecard.ExpertScorecard:
    """The application scorecard (A 卡) in force on `on`, else the default version 1 (seeded by a migration)."""
    row = ScorecardVersion.objects.in_force(on).first()
    if row is None:
        return expert_scorecard.card_from_data(
            name=expert_defaults.NAME,
            base_points=expert_defaults.BASE_POINTS,
            characteristics=expert_defaults.CHARACTERISTICS,
        )
    return row.card()


def versions_of(assessment: Assessment) -> dict[str, tuple[str, dt.date | None]]:
    """The policy and scorecard versions an assessment was made under, by name with their effective dates.

    A version no longer on file (or the built-in defaults of an installation without a row) has no date.
    """
    pairs = (
        ("admission", AdmissionPolicyVersion, "version", assessment.admission_policy_version),
        ("rating", RatingPolicyVersion, "version", assessment.rating_policy_version),
        ("scorecard", ScorecardVersion, "name", assessment.scorecard_version),
    )
    found = {}
    for key, model, field, name in pairs:
        effective_on = model.objects.filter(**{field: name}).values_list("effective_on", flat=True).first()
        found[key] = (name, effective_on)
    return found


def credit_query_log(
    *, user: Any, outcome: str = "", since: dt.date | None = None, until: dt.date | None = None
) -> QuerySet[CreditQuery]:
    """The credit-report query log (征信查询记录), newest first: every attempt with who, when, purpose, consent."""
    rows = in_scope(CreditQuery.objects.select_related("customer", "queried_by", "application"), user)
    if outcome:
        rows = rows.filter(outcome=outcome)
    if since is not None:
        rows = rows.filter(business_on__gte=since)
    if until is not None:
        rows = rows.filter(business_on__lte=until)
    return rows.order_by("-queried_at", "-id")


def customer_timeline(customer: Customer, limit: int) -> list[TimelineEntry]:
    """The customer's applications and their transitions, as rows of the customer's timeline."""
    events = events_for_objects(LoanApplication.objects.filter(customer=customer))[:limit]
    return [
        TimelineEntry(
            e.occurred_at,
            "application",
            str(EVENT_LABELS.get(e.event_type, e.event_type)),
            f"SQ{int(e.subject_id):07d} {actor_name(e)}{': ' + e.comment if e.comment else ''}",
        )
        for e in events
    ]


def customer_relationship(customer: Any) -> str | None:
    """For the retention rules (customers.subject_requests): an application not withdrawn keeps the customer's
    relationship going; contracts and loans will end it at settlement."""
    from creditdesk.assessment.choices import ApplicationStatus

    live = LoanApplication.objects.filter(customer=customer).exclude(status=ApplicationStatus.WITHDRAWN)
    return "ongoing" if live.exists() else None
