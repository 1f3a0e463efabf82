"""Reads of the accounts app."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db.models import Exists, Model, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from creditdesk.accounts.display import PERSON_SUBJECTS, person_name
from creditdesk.accounts.models import (
    AccessLogEntry,
    ConfidentialityAgreement,
    DisclosureRequest,
    OrgUnit,
    TrainingSession,
    User,
)
from creditdesk.accounts.permissions import Perm, has_perm
from creditdesk.accounts.scoping import get_in_scope, in_scope
from creditdesk.core.masking import mask
from creditdesk.core.models import AuditEvent


def staff_list() -> QuerySet[User]:
    return User.objects.select_related("org_unit").prefetch_related("groups").order_by("username")


def staff_directory(*, user: Any, search: str = "") -> QuerySet[User]:
    """Staff within the caller's data scope, optionally searched by username or name."""
    staff = in_scope(staff_list(), user)
    if search:
        staff = staff.filter(Q(username__icontains=search) | Q(full_name__icontains=search))
    return staff


def org_units() -> QuerySet[OrgUnit]:
    return OrgUnit.objects.select_related("parent").order_by("code")


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


@dataclass(frozen=True)
class AccessLogFilters:
    """Filters of the access log: staff member (username), action, occurred from/to (local dates)."""

    actor: str = ""
    action: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    subject: str = ""

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> AccessLogFilters:
        return cls(
            actor=(params.get("actor") or "").strip(),
            action=(params.get("action") or "").strip(),
            date_from=_date(params.get("date_from")),
            date_to=_date(params.get("date_to")),
            subject=(params.get("subject") or "").strip(),
        )


def _filter_dates(queryset: QuerySet[Any], date_from: dt.date | None, date_to: dt.date | None) -> QuerySet[Any]:
    if date_from:
        queryset = queryset.filter(occurred_at__date__gte=date_from)
    if date_to:
        queryset = queryset.filter(occurred_at__date__lte=date_to)
    return queryset


def access_log_list(*, filters: AccessLogFilters) -> QuerySet[AccessLogEntry]:
    entries = AccessLogEntry.objects.select_related("actor", "subject_type")
    if filters.actor:
        entries = entries.filter(actor__username=filters.actor)
    if filters.action:
        entries = entries.filter(action=filters.action)
    if filters.subject:
        entries = entries.filter(subject_repr__icontains=filters.subject)
    return _filter_dates(entries, filters.date_from, filters.date_to).order_by("-occurred_at", "-id")


@dataclass(frozen=True)
class AuditFilters:
    """Filters of the audit log: event type (prefix), staff member (username), occurred from/to."""

    event_type: str = ""
    actor: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> AuditFilters:
        return cls(
            event_type=(params.get("event_type") or "").strip(),
            actor=(params.get("actor") or "").strip(),
            date_from=_date(params.get("date_from")),
            date_to=_date(params.get("date_to")),
        )


def staff_choices() -> QuerySet[User]:
    """Staff for a filter of the audit log, by name (the option's value is the username)."""
    return User.objects.only("username", "full_name").order_by("full_name", "username")


def audit_event_list(*, filters: AuditFilters) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.select_related("actor", "subject_type")
    if filters.event_type:
        events = events.filter(event_type__startswith=filters.event_type)
    if filters.actor:
        events = events.filter(actor__username=filters.actor)
    return _filter_dates(events, filters.date_from, filters.date_to).order_by("-occurred_at", "-id")


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class HistoryEntry:
    changed_at: dt.datetime
    changed_by: str
    kind: str
    changes: list[FieldChange]


HISTORY_TYPES = {"+": "created", "~": "changed", "-": "deleted"}


def _shown(model: type[Model], field: str, value: Any, viewer: Any = None) -> str:
    kind = getattr(model, "SENSITIVE_FIELDS", {}).get(field)
    text = "" if value is None else str(value)
    if field == "name" and (model._meta.app_label, model._meta.model_name) in PERSON_SUBJECTS:
        return person_name(viewer, text)
    return mask(kind, text) if kind else text


def history_title(*, user: Any, obj: Model) -> str:
    """The history page's subject: a customer's or lead's name as the viewer may see it (accounts/display.py)."""
    label = (obj._meta.app_label, obj._meta.model_name)
    person = label in PERSON_SUBJECTS and getattr(obj, "kind", "individual") == "individual"
    return person_name(user, str(obj), person=person)


def history_unscoped(model_class: type[Model], _seen: frozenset[type[Model]] = frozenset()) -> bool:
    """Whether anyone with `history.view` may read a model's history regardless of data scope: configuration
    only, a model no foreign key of which leads, directly or further on, to a scoped record such as a customer
    (links to staff do not count: staff names appear in every history). A customer's consent or document that
    declared no scope paths of its own would fail here, so nobody could read its history."""
    if hasattr(model_class, "SCOPE_OWNER"):
        return False
    for field in model_class._meta.fields:
        related = field.related_model if field.is_relation else None
        if not isinstance(related, type) or related in _seen or related._meta.app_label in ("auth", "accounts"):
            continue
        if not history_unscoped(related, _seen | {model_class}):
            return False
    return True


def object_history(*, user: Any, app_label: str, model: str, pk: str) -> tuple[Model, list[HistoryEntry]]:
    """Who changed what on one object, newest first, sensitive values masked; 404 outside the data scope."""
    try:
        model_class = apps.get_model(app_label, model)
    except LookupError:
        raise Http404 from None
    if not hasattr(model_class, "history") or not pk.isdigit():
        raise Http404
    queryset = model_class._default_manager.all()
    if hasattr(model_class, "SCOPE_OWNER"):
        obj = get_in_scope(queryset, user, pk=int(pk))
    elif history_unscoped(model_class):
        obj = queryset.filter(pk=int(pk)).first()
        if obj is None:
            raise Http404
    else:
        raise Http404  # a record tied to scoped data, but without scope paths of its own: nobody sees its history
    records = list(obj.history.select_related("history_user").order_by("-history_date", "-history_id"))
    entries = []
    names = {f.name: str(getattr(f, "verbose_name", f.name)) for f in model_class._meta.fields}
    for record, previous in zip(records, [*records[1:], None][: len(records)], strict=True):
        changes: list[FieldChange] = []
        if previous is not None:
            delta = record.diff_against(previous)
            changes = [
                FieldChange(
                    names.get(c.field, c.field),
                    _shown(model_class, c.field, c.old, user),
                    _shown(model_class, c.field, c.new, user),
                )
                for c in delta.changes
            ]
        entries.append(
            HistoryEntry(
                changed_at=record.history_date,
                changed_by=str(record.history_user) if record.history_user else _("system"),
                kind=HISTORY_TYPES.get(record.history_type, record.history_type),
                changes=changes,
            )
        )
    return obj, entries


def disclosure_list(*, user: Any, state: str = "") -> QuerySet[DisclosureRequest]:
    """Requesters see their own requests; the information administrator and auditors see all."""
    requests = DisclosureRequest.objects.select_related("requester", "decided_by")
    if not (has_perm(user, Perm.DISCLOSURE_DECIDE) or has_perm(user, Perm.AUDIT_VIEW)):
        requests = requests.filter(requester=user)
    if state:
        requests = requests.filter(state=state)
    return requests.order_by("-created_at", "-id")


def disclosure_get(*, user: Any, pk: int) -> DisclosureRequest:
    request = disclosure_list(user=user).filter(pk=pk).first()
    if request is None:
        raise Http404
    return request


def valid_agreements(*, on: dt.date) -> QuerySet[ConfidentialityAgreement]:
    return ConfidentialityAgreement.objects.filter(signed_on__lte=on).filter(
        Q(expires_on__isnull=True) | Q(expires_on__gte=on)
    )


def staff_without_valid_agreement(*, on: dt.date) -> QuerySet[User]:
    """Active staff with no confidentiality agreement in force on the given date (SEC-5), in one query."""
    in_force = valid_agreements(on=on).filter(staff=OuterRef("pk"))
    return staff_list().filter(is_active=True).exclude(Exists(in_force))


def agreement_list() -> QuerySet[ConfidentialityAgreement]:
    return ConfidentialityAgreement.objects.select_related("staff", "staff__org_unit").order_by("-signed_on", "-id")


def training_list() -> QuerySet[TrainingSession]:
    return TrainingSession.objects.prefetch_related("attendees").order_by("-held_on", "-id")
