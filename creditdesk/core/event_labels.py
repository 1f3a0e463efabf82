"""What an audit event type means, in the UI language: one registry for every screen that shows events.

The audit log stores codes (`plan.created`); people read labels (“方案已拟定”). Each app registers the labels of
its events (`register(EVENT_LABELS)`, from its `choices` module, which Django imports with the models), so the
audit page in `accounts` and the timelines label every app's events without importing them. The area of an
event is the part before the dot (`plan`), labelled by `register_areas`.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

Label = str | Promise

_LABELS: dict[str, Label] = {}
_AREAS: dict[str, Label] = {}

# The kernel's own events and their areas.
CORE_EVENTS: dict[str, Label] = {
    "business_date.moved": _("Business date moved"),
    "backup.created": _("Backup made"),
    "backup.verified": _("Backup verified"),
    "backup.restored": _("Backup restored"),
    "backup.rejected": _("Backup refused"),
    "backup.scheduled": _("Backup scheduled"),
}
CORE_AREAS: dict[str, Label] = {"business_date": _("Business date"), "backup": _("Backups")}
OTHER = _("Other audit event")


def register(labels: Mapping[str, Label], *, areas: Mapping[str, Label] | None = None) -> None:
    _LABELS.update(labels)
    _AREAS.update(areas or {})


def event_label(event_type: str) -> str:
    """The label of an event type; an unknown one reads “other event”, never its code."""
    return str(_LABELS.get(event_type, OTHER))


def area_label(area: str) -> str:
    return str(_AREAS.get(area, OTHER))


def grouped_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """For a filter: [(area label, [(area + ".", all of the area), (code, label), …]), …], areas by label."""
    by_area: dict[str, list[tuple[str, str]]] = {}
    for code, label in _LABELS.items():
        by_area.setdefault(code.split(".", 1)[0], []).append((code, str(label)))
    groups = []
    for area, events in by_area.items():
        name = area_label(area)
        everything = (area + ".", str(_("All: %(area)s") % {"area": name}))
        groups.append((name, [everything, *sorted(events, key=lambda e: e[1])]))
    return sorted(groups, key=lambda g: g[0])


register(CORE_EVENTS, areas=CORE_AREAS)
