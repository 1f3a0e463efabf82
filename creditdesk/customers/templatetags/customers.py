"""Template helpers of the customers app."""

import datetime as dt

from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()


@register.filter
def age_on(customer: object, on: dt.date) -> int | str:
    age = getattr(customer, "age_on", lambda _on: None)(on)
    return "" if age is None else age


@register.filter
def get_item(mapping: dict, key: str) -> object:
    return mapping.get(key)


@register.filter
def industry(division: int | None) -> str:
    """GB/T 4754 division with its section and name: 51 → "F 51 批发业"."""
    from creditdesk.customers.industries import DIVISIONS

    if not division or division not in DIVISIONS:
        return ""
    section, name = DIVISIONS[division]
    return f"{section} {division:02d} {name}"


TIMELINE_KINDS = {
    "audit": _("Action"),
    "profile": _("Profile"),
    "event": _("Major event"),
    "document": _("Document"),
    "consent": _("Authorization"),
    "application": _("Application"),
    "plan": _("Service plan"),
}


@register.filter
def timeline_kind(kind: str) -> str:
    """What a row of the customer's timeline is, as a label (never the row's code)."""
    return str(TIMELINE_KINDS.get(kind, _("Other")))
