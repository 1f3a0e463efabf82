"""Role-based navigation: each entry names the roles that see it (empty = every signed-in user).

Apps add their entries with `register()` from their AppConfig.ready(), so the shell imports no domain app.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise


@dataclass(frozen=True)
class NavEntry:
    label: str | Promise
    url_name: str
    roles: frozenset[str] = field(default_factory=frozenset)
    order: int = 100
    superuser_only: bool = False


_ENTRIES: list[NavEntry] = []


def register(entry: NavEntry) -> None:
    if entry.url_name not in {e.url_name for e in _ENTRIES}:
        _ENTRIES.append(entry)


def entries_for(user: object, current_path: str = "") -> list[dict[str, Any]]:
    """The navigation entries this user may see, in order, with their URLs."""
    if not getattr(user, "is_authenticated", False):
        return []
    roles = set(getattr(user, "role_codes", []))
    is_superuser = bool(getattr(user, "is_superuser", False))
    items: list[dict[str, Any]] = []
    for entry in sorted(_ENTRIES, key=lambda e: (e.order, e.url_name)):
        if entry.superuser_only and not is_superuser:
            continue
        if entry.roles and not (entry.roles & roles) and not is_superuser:
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue
        active = current_path == url if url == "/" else current_path.startswith(url)
        items.append({"label": entry.label, "url": url, "active": active})
    return items
