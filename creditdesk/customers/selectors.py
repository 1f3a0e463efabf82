"""Reads of the customers app, always through the caller's data scope."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Count, Q, QuerySet
from django.db.models.functions import Cast
from django.http import Http404

from creditdesk.accounts.models import OrgUnit
from creditdesk.accounts.permissions import Perm
from creditdesk.accounts.scoping import get_in_scope, in_scope, subtree_ids
from creditdesk.core.audit import actor_name, events_for
from creditdesk.core.crypto import blind_index
from creditdesk.core.event_labels import event_label
from creditdesk.core.identifiers import InvalidIdentifier, parse_credit_code, parse_mobile
from creditdesk.core.models import AuditEvent
from creditdesk.core.months import add_months
from creditdesk.customers.choices import Channel, LeadStatus
from creditdesk.customers.models import (
    Campaign,
    CreditAuthorization,
    Customer,
    CustomerDocument,
    ExternalGuarantee,
    FinancialStatement,
    GradeChange,
    GradePolicy,
    Lead,
    MajorEvent,
    MarketingEvent,
    Partner,
    SubjectRequest,
)
from creditdesk.customers.ratios import Ratios, StatementFigures, trend


@dataclass(frozen=True)
class CustomerFilters:
    """Search and filters of the customer list: `q` is a name part, or an exact ID number, mobile or credit code."""

    q: str = ""
    id_number: str = ""
    mobile: str = ""
    credit_code: str = ""
    kind: str = ""
    grade: str = ""
    channel: str = ""
    owner: str = ""  # username
    branch: str = ""  # org-unit code

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> CustomerFilters:
        return cls(**{name: str(params.get(name) or "").strip() for name in cls.__dataclass_fields__})


def _exact(kind: str, raw: str) -> str:
    """The blind index of an identifier as typed; a malformed one can match nothing."""
    try:
        value = {"mobile": parse_mobile, "credit_code": lambda v: parse_credit_code(v).code}.get(kind, str.upper)(raw)
    except InvalidIdentifier:
        return "no-match"
    return blind_index(kind, value)


def _q_filter(q: str) -> Q:
    """A typed search: an identifier-shaped query is looked up exactly through the blind index, else by name."""
    compact = "".join(q.split())
    if len(compact) == 18 and compact[:17].isdigit():
        return Q(id_number_index=_exact("id_number", compact))
    if len(compact) == 18:
        return Q(credit_code_index=_exact("credit_code", compact))
    if compact.isdigit() and len(compact) == 11:
        return Q(mobile_index=_exact("mobile", compact))
    return Q(name__icontains=q)


def customer_list(*, user: Any, filters: CustomerFilters | None = None) -> QuerySet[Customer]:
    filters = filters or CustomerFilters()
    customers = in_scope(Customer.objects.select_related("owner", "org_unit"), user)
    if filters.q:
        customers = customers.filter(_q_filter(filters.q))
    for kind in ("id_number", "mobile", "credit_code"):
        value = getattr(filters, kind)
        if value:
            customers = customers.filter(**{f"{kind}_index": _exact(kind, value)})
    for field in ("kind", "grade", "channel"):
        if getattr(filters, field):
            customers = customers.filter(**{field: getattr(filters, field)})
    if filters.owner:
        customers = customers.filter(owner__username=filters.owner)
    if filters.branch:
        unit = OrgUnit.objects.filter(code=filters.branch).first()
        customers = customers.filter(org_unit__in=subtree_ids(unit)) if unit else customers.none()
    return customers.order_by("-created_at", "-id")


def customer_get(*, user: Any, pk: int) -> Customer:
    """One customer within the caller's scope, or 404."""
    return get_in_scope(Customer.objects.select_related("owner", "org_unit"), user, pk=pk)


def authorization_in_force(*, customer: Customer, on: dt.date) -> CreditAuthorization | None:
    """The credit-report authorization valid on `on`, if any; bureau queries need one (INFO-2)."""
    return (
        CreditAuthorization.objects.filter(customer=customer, signed_on__lte=on, expires_on__gte=on)
        .filter(Q(revoked_on__isnull=True) | Q(revoked_on__gt=on))
        .order_by("-expires_on")
        .first()
    )


def authorizations(*, customer: Customer) -> QuerySet[CreditAuthorization]:
    return CreditAuthorization.objects.filter(customer=customer).select_related("recorded_by")


# --- Acquisition ---------------------------------------------------------------------------------------


def lead_list(*, user: Any, status: str = "", channel: str = "", search: str = "") -> QuerySet[Lead]:
    leads = in_scope(Lead.objects.select_related("owner", "partner", "campaign", "event", "customer"), user)
    if status:
        leads = leads.filter(status=status)
    if channel:
        leads = leads.filter(channel=channel)
    if search:
        leads = leads.filter(_q_filter(search) if search.strip().isdigit() else Q(name__icontains=search))
    return leads.order_by("-created_at", "-id")


def lead_get(*, user: Any, pk: int) -> Lead:
    return get_in_scope(Lead.objects.select_related("owner", "partner", "campaign", "event", "customer"), user, pk=pk)


def lead_board(*, user: Any, per_column: int = 20) -> dict[str, Any]:
    """The lead board: open leads by status column (newest first) and the count per status, in two queries."""
    leads = lead_list(user=user)
    counts = dict(leads.order_by().values_list("status").annotate(n=Count("pk")))
    columns: dict[str, list[Lead]] = {
        status: [] for status in (LeadStatus.NEW, LeadStatus.CONTACTED, LeadStatus.QUALIFIED)
    }
    for lead in leads.filter(status__in=list(columns))[: per_column * 3]:
        if len(columns[lead.status]) < per_column:
            columns[lead.status].append(lead)
    return {"columns": columns, "counts": counts}


def partner_list(*, active_only: bool = False, search: str = "") -> QuerySet[Partner]:
    """The partner registry (shared by all sales staff, like a company directory)."""
    partners = Partner.objects.select_related("org_unit")
    if active_only:
        partners = partners.filter(is_active=True)
    if search:
        partners = partners.filter(name__icontains=search)
    return partners.order_by("name")


def campaigns() -> QuerySet[Campaign]:
    return Campaign.objects.order_by("-started_on")


def marketing_events() -> QuerySet[MarketingEvent]:
    return MarketingEvent.objects.order_by("-held_on")


@dataclass(frozen=True)
class PerformanceRow:
    key: str
    label: str
    leads: int
    converted: int
    lost: int

    @property
    def conversion_rate(self) -> Decimal | None:
        if not self.leads:
            return None
        return (Decimal(self.converted) / Decimal(self.leads)).quantize(Decimal("0.0001"))


def channel_performance(*, user: Any) -> list[PerformanceRow]:
    """ACQ-3: leads, conversions and conversion rate per channel, within the caller's scope (one query)."""
    labels = dict(Channel.choices)
    rows = (
        lead_list(user=user)
        .order_by()
        .values("channel")
        .annotate(
            leads=Count("pk"),
            converted=Count("pk", filter=Q(status=LeadStatus.CONVERTED)),
            lost=Count("pk", filter=Q(status=LeadStatus.LOST)),
        )
    )
    found: dict[str, Any] = {r["channel"]: r for r in rows}
    empty = {"leads": 0, "converted": 0, "lost": 0}
    return [
        PerformanceRow(code, str(labels[code]), *(found.get(code, empty)[k] for k in ("leads", "converted", "lost")))
        for code in Channel.values
    ]


def partner_performance(*, user: Any) -> list[PerformanceRow]:
    """ACQ-3: the same figures per partner (partners without leads in scope are left out)."""
    rows = (
        lead_list(user=user)
        .filter(partner__isnull=False)
        .order_by()
        .values("partner", "partner__name")
        .annotate(
            leads=Count("pk"),
            converted=Count("pk", filter=Q(status=LeadStatus.CONVERTED)),
            lost=Count("pk", filter=Q(status=LeadStatus.LOST)),
        )
        .order_by("-leads", "partner__name")
    )
    return [PerformanceRow(str(r["partner"]), r["partner__name"], r["leads"], r["converted"], r["lost"]) for r in rows]


# --- Records, timeline, refresh queue, grading ------------------------------------------------------------


def statements_with_ratios(*, customer: Customer) -> list[tuple[FinancialStatement, Ratios]]:
    """The company's statements oldest first, each with its ratios against the period before (INFO-5 trend)."""
    statements = list(customer.statements.order_by("period_end_on"))
    periods = trend([(s.period, _figures(s)) for s in statements])
    by_period = dict(periods)
    return [(s, by_period[s.period]) for s in statements]


def _figures(statement: FinancialStatement) -> StatementFigures:
    return StatementFigures(
        current_assets=statement.current_assets_amount,
        inventories=statement.inventories_amount,
        total_assets=statement.total_assets_amount,
        current_liabilities=statement.current_liabilities_amount,
        total_liabilities=statement.total_liabilities_amount,
        equity=statement.equity_amount,
        revenue=statement.revenue_amount,
        net_profit=statement.net_profit_amount,
        operating_cash_flow=statement.operating_cash_flow_amount,
    )


def guarantees(*, customer: Customer) -> QuerySet[ExternalGuarantee]:
    return customer.guarantees.order_by("-starts_on")


def major_events(*, customer: Customer) -> QuerySet[MajorEvent]:
    return customer.major_events.select_related("recorded_by").order_by("-occurred_on", "-id")


def documents(*, customer: Customer) -> QuerySet[CustomerDocument]:
    return customer.documents.select_related("uploaded_by").order_by("-created_at", "-id")


def document_get(*, user: Any, customer_id: int, pk: int) -> CustomerDocument:
    customer = customer_get(user=user, pk=customer_id)
    document = customer.documents.filter(pk=pk).first()
    if document is None:
        raise Http404
    return document


def grade_history(*, customer: Customer) -> QuerySet[GradeChange]:
    return customer.grade_changes.select_related("actor").order_by("-changed_at", "-id")


def grade_policy(*, grade: str, on: dt.date) -> GradePolicy | None:
    """The policy of a grade in force on a date (the latest effective version)."""
    return GradePolicy.objects.filter(grade=grade, effective_on__lte=on).order_by("-effective_on").first()


@dataclass(frozen=True)
class TimelineEntry:
    at: dt.datetime
    kind: str
    title: str
    detail: str = ""


# Later apps add their rows (applications, plans, loans…) by registering a provider from AppConfig.ready():
# customers cannot import them (one-way layering), so they call in.
TimelineProvider = Callable[[Customer, int], list[TimelineEntry]]
TIMELINE_PROVIDERS: list[TimelineProvider] = []


def register_timeline(provider: TimelineProvider) -> TimelineProvider:
    if provider not in TIMELINE_PROVIDERS:
        TIMELINE_PROVIDERS.append(provider)
    return provider


def timeline(*, customer: Customer, limit: int = 200) -> list[TimelineEntry]:
    """What happened to the customer, newest first: profile changes, major events, consents, documents, leads and
    every audited action (INFO-8). Later capabilities (loans, visits, complaints) add their rows the same way."""
    entries: list[TimelineEntry] = []
    for event in events_for(customer)[:limit]:
        detail = actor_name(event) + (f": {event.comment}" if event.comment else "")
        entries.append(TimelineEntry(event.occurred_at, "audit", event_label(event.event_type), detail))
    for change in customer.history.select_related("history_user").order_by("-history_date")[:limit]:
        who = str(change.history_user) if change.history_user else ""
        entries.append(TimelineEntry(change.history_date, "profile", str(change.get_history_type_display()), who))
    for item in major_events(customer=customer)[:limit]:
        moment = dt.datetime.combine(item.occurred_on, dt.time(), tzinfo=dt.UTC)
        entries.append(TimelineEntry(moment, "event", str(item.get_event_type_display()), item.description))
    for doc in documents(customer=customer)[:limit]:
        entries.append(TimelineEntry(doc.created_at, "document", str(doc.get_doc_type_display()), doc.shown_name))
    for auth in authorizations(customer=customer)[:limit]:
        entries.append(
            TimelineEntry(
                auth.created_at, "consent", auth.purpose, f"{auth.signed_on:%Y-%m-%d} – {auth.expires_on:%Y-%m-%d}"
            )
        )
    for provider in TIMELINE_PROVIDERS:
        entries.extend(provider(customer, limit))
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries[:limit]


def refresh_due(*, user: Any, on: dt.date, months: int) -> QuerySet[Customer]:
    """Customers whose information was last verified more than `months` months ago (INFO-8 periodic refresh)."""
    cutoff = add_months(on, -months)
    return customer_list(user=user).filter(Q(info_verified_on__lt=cutoff) | Q(info_verified_on__isnull=True))


ACCESS_REQUEST_DAYS = 30


def access_requests(*, user: Any, on: dt.date) -> QuerySet[AuditEvent]:
    """Requests for access to, or transfer of, customers the user looks after, from staff outside their scope, over
    the last 30 days (issue 10 item 6): the owner's and their heads' to answer."""
    mine = in_scope(Customer.objects.all(), user, perm=Perm.CUSTOMER_EDIT).annotate(sid=Cast("pk", CharField()))
    return (
        AuditEvent.objects.filter(
            event_type="customer.access_requested",
            subject_type=ContentType.objects.get_for_model(Customer),
            subject_id__in=mine.values("sid"),
            business_on__gte=on - dt.timedelta(days=ACCESS_REQUEST_DAYS),
        )
        .select_related("actor")
        .order_by("-occurred_at", "-id")
    )


# --- Data-subject requests (PIPL Art. 44–47) ---------------------------------------------------------------


@dataclass(frozen=True)
class SubjectRequestFilters:
    """Filters of the register: kind, status, "overdue" (open past its reply date), and a customer name part."""

    kind: str = ""
    status: str = ""
    overdue: bool = False
    q: str = ""

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> SubjectRequestFilters:
        return cls(
            kind=(params.get("kind") or "").strip(),
            status=(params.get("status") or "").strip(),
            overdue=str(params.get("overdue") or "").lower() in ("1", "true", "on"),
            q=(params.get("q") or "").strip(),
        )


OPEN_SUBJECT_REQUESTS = ("received", "verified")


def subject_request_list(*, user: Any, filters: SubjectRequestFilters, on: dt.date) -> QuerySet[SubjectRequest]:
    rows = in_scope(SubjectRequest.objects.select_related("customer", "received_by", "handled_by"), user)
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.overdue:
        rows = rows.filter(status__in=OPEN_SUBJECT_REQUESTS, due_on__lt=on)
    if filters.q:
        rows = rows.filter(customer__name__contains=filters.q)
    return rows.order_by("-received_on", "-id")


def subject_request_get(*, user: Any, pk: int) -> SubjectRequest:
    return get_in_scope(
        SubjectRequest.objects.select_related("customer", "received_by", "handled_by", "identity_checked_by"),
        user,
        pk=pk,
    )


def subject_requests_overdue(*, user: Any, on: dt.date) -> QuerySet[SubjectRequest]:
    return in_scope(SubjectRequest.objects.all(), user).filter(status__in=OPEN_SUBJECT_REQUESTS, due_on__lt=on)


def subject_request_report(*, user: Any, on: dt.date) -> dict[str, Any]:
    """Counts by kind and status, how many are overdue, and the average days to reply of closed requests."""
    rows = in_scope(SubjectRequest.objects.all(), user)
    by_kind_status = {
        (row["kind"], row["status"]): row["n"] for row in rows.values("kind", "status").annotate(n=Count("id"))
    }
    closed = [(r, c) for r, c in rows.values_list("received_on", "closed_on") if c is not None]
    average = Decimal(sum((c - r).days for r, c in closed)) / len(closed) if closed else None
    return {
        "by_kind_status": by_kind_status,
        "overdue": rows.filter(status__in=OPEN_SUBJECT_REQUESTS, due_on__lt=on).count(),
        "open": rows.filter(status__in=OPEN_SUBJECT_REQUESTS).count(),
        "closed": len(closed),
        "average_days": None if average is None else round(average, 1),
    }
