"""The customers data set for disclosure requests (SEC-6): personal data leaves only through an approved request."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext_lazy as _

from creditdesk.accounts.disclosure import Dataset, register_dataset

FIELDS: dict[str, Any] = {
    "name": _("Name"),
    "kind": _("Kind"),
    "id_number": _("ID number"),
    "credit_code": _("Unified social credit code"),
    "mobile": _("Mobile"),
    "address": _("Address"),
    "grade": _("Grade"),
}


def _rows(record_ids: Sequence[int], fields: Sequence[str]) -> list[list[Any]]:
    from creditdesk.customers.models import Customer

    def value(customer: Any, code: str) -> Any:
        return str(customer.get_kind_display()) if code == "kind" else getattr(customer, code)

    customers = Customer.objects.filter(pk__in=record_ids).order_by("pk")
    return [[value(customer, code) for code in fields] for customer in customers]


def _visible(record_ids: Sequence[int], user: Any) -> set[int]:
    from creditdesk.accounts.permissions import Perm
    from creditdesk.accounts.scoping import in_scope
    from creditdesk.customers.models import Customer

    customers = in_scope(Customer.objects.filter(pk__in=record_ids), user, perm=Perm.DISCLOSURE_REQUEST)
    return set(customers.values_list("pk", flat=True))


register_dataset(
    Dataset(code="customers", label=_("Customer information"), fields=FIELDS, rows=_rows, visible_ids=_visible)
)
