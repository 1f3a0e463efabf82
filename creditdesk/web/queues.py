"""Work queues (待办) on the home page: each app's `queues.py` lists providers (`QUEUES`) of the user's pending work.

A provider takes the user and returns a `WorkQueue` (or None when the user's roles have no such queue); the shell
discovers the providers (`WebConfig.ready()`), so no domain app imports it.
"""

from __future__ import annotations

from typing import Any

from creditdesk.core.shell import QueueProvider, WorkQueue

_PROVIDERS: list[QueueProvider] = []


def register(provider: QueueProvider) -> QueueProvider:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)
    return provider


def queues_for(user: Any) -> list[WorkQueue]:
    return [queue for provider in _PROVIDERS if (queue := provider(user)) is not None]
