"""Sign-in lockout (item 10): django-axes locks a username from one address, plus an address-wide limit.

Locking by username alone let anyone lock any colleague out with five requests; locking by username and
address keeps the owner free from their own desk. Spreading a few guesses over many usernames is caught by
the address-wide limit (`CREDITDESK_LOCKOUT_IP_FAILURES`, higher than the per-user one so a shared office
address survives ordinary typos). Unknown, inactive and existing users are counted and answered alike.
"""

from __future__ import annotations

import math
from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest


def retry_after_seconds(request: HttpRequest) -> int:
    cool_off = get_cool_off(request)
    return math.ceil(cool_off.total_seconds()) if cool_off else 0


def ip_failures(request: HttpRequest) -> int:
    """Failed sign-ins from the request's address, over every username, within the cool-off time."""
    attempts = AccessAttempt.objects.filter(
        ip_address=request.axes_ip_address,  # type: ignore[attr-defined]
        attempt_time__gte=get_cool_off_threshold(request),
    )
    return int(attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0)


def _ip_locked(request: HttpRequest) -> bool:
    limit: int = settings.CREDITDESK_LOCKOUT_IP_FAILURES
    return bool(limit) and ip_failures(request) >= limit


class LockoutHandler(AxesDatabaseHandler):
    """The axes database handler with the address-wide limit on top of the per-username-and-address one."""

    def is_locked(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> bool:
        return bool(super().is_locked(request, credentials)) or _ip_locked(request)

    def user_login_failed(self, sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is not None and _ip_locked(request):
            request.axes_locked_out = True
            request.axes_credentials = credentials
