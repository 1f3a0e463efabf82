"""Work queues (待办) on the home page: each app registers a provider that lists the user's pending work.

A provider takes the user and returns a `WorkQueue` (or None when the user's roles have no such queue).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise


@dataclass
class WorkQueue:
    title: str | Promise
    count: int
    url: str = ""
    items: list[dict[str, Any]] = field(default_factory=list)
    overdue: int = 0


QueueProvider = Callable[[Any], WorkQueue | None]
_PROVIDERS: list[QueueProvider] = []


def register(provider: QueueProvider) -> QueueProvider:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)
    return provider


def queues_for(user: Any) -> list[WorkQueue]:
    return [queue for provider in _PROVIDERS if (queue := provider(user)) is not None]
