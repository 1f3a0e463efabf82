"""Reads of the customers app, always through the caller's data scope."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from creditdesk.accounts.models import OrgUnit
from creditdesk.accounts.scoping import get_in_scope, in_scope, subtree_ids
from creditdesk.core.crypto import blind_index
from creditdesk.core.identifiers import InvalidIdentifier, parse_credit_code, parse_mobile
from creditdesk.customers.models import CreditAuthorization, Customer


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
