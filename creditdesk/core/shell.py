"""What a domain app hands the web shell: navigation entries and home-page work queues (types only).

An app declares them in its own modules, `navigation.py` (`ENTRIES`) and `queues.py` (`QUEUES`); the web shell
discovers those modules in every installed app (`web.apps.WebConfig.ready`). So no domain app imports `web`, and
the shell imports no domain app by name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise


@dataclass(frozen=True)
class NavEntry:
    """One entry of the role-based navigation; `visible` says who sees it (default: every signed-in user)."""

    label: str | Promise
    url_name: str
    order: int = 100
    visible: Callable[[Any], bool] | None = None


@dataclass
class WorkQueue:
    """One work queue (待办) on the home page: what is waiting for this user, and where to work on it."""

    title: str | Promise
    count: int
    url: str = ""
    items: list[dict[str, Any]] = field(default_factory=list)
    overdue: int = 0


# Takes the user; returns the queue, or None when the user's roles have no such queue.
QueueProvider = Callable[[Any], WorkQueue | None]
