"""Role-based navigation: each entry says who sees it (`visible`, default: every signed-in user).

Each app declares its entries in its own `navigation.py` (`ENTRIES`); `WebConfig.ready()` discovers and registers
them, so the shell imports no domain app and no domain app imports the shell (the types are in `core.shell`).
"""

from __future__ import annotations

from typing import Any

from django.urls import NoReverseMatch, reverse

from creditdesk.core.shell import NavEntry

_ENTRIES: list[NavEntry] = []


def register(entry: NavEntry) -> None:
    if entry.url_name not in {e.url_name for e in _ENTRIES}:
        _ENTRIES.append(entry)


def entries_for(user: object, current_path: str = "") -> list[dict[str, Any]]:
    """The navigation entries this user may see, in order, with their URLs."""
    if not getattr(user, "is_authenticated", False):
        return []
    items: list[dict[str, Any]] = []
    for entry in sorted(_ENTRIES, key=lambda e: (e.order, e.url_name)):
        if entry.visible is not None and not entry.visible(user):
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue
        items.append({"label": entry.label, "url": url, "active": False})
    # The active entry is the longest URL the current path starts with (/customers/leads/ is Leads, not Customers).
    matching = [
        item
        for item in items
        if current_path == item["url"] or (item["url"] != "/" and current_path.startswith(item["url"]))
    ]
    if matching:
        max(matching, key=lambda item: len(item["url"]))["active"] = True
    return items
