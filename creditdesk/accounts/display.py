"""How a person's name is shown to a viewer (issue 10 item 10, PRIN-3).

The rule, per role: staff who work with the customer — sales, department heads, risk officers, approvers, legal,
finance, customer service, collectors — see an individual's name in full (they must address and identify the
person); the governance roles, information administrator and auditor, whose work is oversight, see it masked
(张**) wherever it appears: lists, details, timelines, the access and audit logs, their exports and the API.
`customer.name` in the permission matrix carries the rule. Companies' names are public business registration
data and are shown in full.
"""

from __future__ import annotations

from typing import Any

from creditdesk.accounts.permissions import Perm, has_perm
from creditdesk.core.masking import mask

# Audit and access-log subjects that are persons or may be (the logs cannot tell an individual from a company).
PERSON_SUBJECTS = frozenset({("customers", "customer"), ("customers", "lead")})


def person_name(viewer: Any, name: str | None, *, person: bool = True) -> str:
    """`name` as `viewer` may see it: in full with `customer.name`, else masked when it is a person's."""
    text = name or ""
    if not person or has_perm(viewer, Perm.CUSTOMER_NAME):
        return text
    return mask("name", text)


def subject_name(viewer: Any, subject_type: Any, subject_repr: str) -> str:
    """The subject of an audit event or access-log row: masked as a person's name when it is a customer or lead."""
    label = (subject_type.app_label, subject_type.model) if subject_type is not None else None
    return person_name(viewer, subject_repr, person=label in PERSON_SUBJECTS)


def api_viewer(context: Any) -> Any:
    """The signed-in user behind an API schema resolver's `context` (django-ninja passes the request there)."""
    return getattr((context or {}).get("request"), "user", None)


def customer_name_for(context: Any, customer: Any) -> str:
    """For API resolvers: a customer's (or lead's) name as the caller may see it."""
    if customer is None:
        return ""
    individual = getattr(customer, "kind", "individual") == "individual"
    return person_name(api_viewer(context), customer.name, person=individual)
