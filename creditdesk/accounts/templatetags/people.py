"""`{% customer_name customer %}` and `{% subject_name entry %}`: names as the signed-in viewer may see them
(accounts/display.py has the rule)."""

from __future__ import annotations

from typing import Any

from django import template

from creditdesk.accounts.display import person_name
from creditdesk.accounts.display import subject_name as _subject_name

register = template.Library()


def _viewer(context: template.Context) -> Any:
    return getattr(context.get("request"), "user", None)


@register.simple_tag(takes_context=True)
def customer_name(context: template.Context, customer: Any) -> str:
    """A customer's or lead's name: an individual's masked for viewers without `customer.name`."""
    if customer is None:
        return ""
    return person_name(_viewer(context), customer.name, person=getattr(customer, "kind", "individual") == "individual")


@register.simple_tag(takes_context=True)
def subject_name(context: template.Context, entry: Any) -> str:
    """The subject of an audit event or access-log row, masked when it is a customer or lead."""
    return _subject_name(_viewer(context), entry.subject_type, entry.subject_repr)
