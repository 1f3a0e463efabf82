"""How values read on a screen (STYLE.md "Screens"): `{% load display %}`.

- `{{ value|dash }}`: the value, or “—” when it is empty (None, "", an empty list). The one empty marker.
- `{{ event.event_type|event_label }}`: an audit event's label, never its code (core/event_labels.py).
- `{{ version|version_label }}`: a policy or chain version; the built-in defaults read as such.
- `{{ flag|yes_no }}`: 是 / 否 (— when unknown), never True/False.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext_lazy as _

from creditdesk.core import event_labels

register = template.Library()

EMPTY = "—"
BUILT_IN = "built-in"


@register.filter
def dash(value: Any) -> Any:
    if value is None or value == "" or value == [] or value == ():
        return EMPTY
    return value


@register.filter
def event_label(event_type: str) -> str:
    return event_labels.event_label(event_type or "")


@register.filter
def event_area(event_type: str) -> str:
    return event_labels.area_label((event_type or "").split(".", 1)[0])


@register.filter
def version_label(version: Any) -> str:
    if version in (None, ""):
        return EMPTY
    return str(_("built-in defaults")) if str(version) == BUILT_IN else str(version)


@register.filter
def yes_no(value: Any) -> str:
    if value is None or value == "":
        return EMPTY
    truthy = value is True or str(value).lower() in {"true", "1", "yes"}
    return str(_("Yes")) if truthy else str(_("No"))
