"""Request throttling (issue 10 item 10) with django-ninja's throttles.

`RateThrottle` is ninja's `SimpleRateThrottle` (its sliding window, rate format and client address) with three
changes: the rate is read from `settings.CREDITDESK_THROTTLE_RATES[scope]` at every request (so operators and
tests change it without a restart; an empty rate switches the scope off), the count lives in the `throttle`
cache shared by every worker process, and a check keeps no state on the shared instance. A refused request
answers 429 with `Retry-After` and the one error body (code `throttled`).
The sign-in page is not throttled here: django-axes locks it after failed sign-ins (accounts/lockout.py).
"""

from __future__ import annotations

import functools
import math
import threading
import time
from collections.abc import Callable
from typing import Any, Literal

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja import Router
from ninja.throttling import BaseThrottle, SimpleRateThrottle

ViewFunc = Callable[..., HttpResponse]


class RateThrottle(SimpleRateThrottle):
    """At most the configured number of requests per period, per client address or per signed-in user.

    ninja's sliding window, with the state of one check kept in locals (ninja keeps it on the instance, which
    the threads of a worker share) and the wait of a refusal per thread, for `Retry-After`.
    """

    def __init__(self, scope: str, *, per: Literal["address", "user"]) -> None:
        self.scope = scope
        self.per = per
        self._refused = threading.local()
        super().__init__()

    def get_rate(self) -> str | None:
        rates: dict[str, str] = settings.CREDITDESK_THROTTLE_RATES
        if self.scope not in rates:
            raise ImproperlyConfigured(f"CREDITDESK_THROTTLE_RATES has no rate for {self.scope!r}")
        return rates[self.scope] or None

    def get_cache_key(self, request: HttpRequest) -> str:
        user = getattr(request, "user", None)
        if self.per == "user" and user is not None and user.is_authenticated:
            ident = f"user{user.pk}"
        else:
            ident = f"addr{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}

    def allow_request(self, request: HttpRequest) -> bool:
        num_requests, duration = self.parse_rate(self.get_rate())
        if num_requests is None or duration is None:
            return True  # this scope is switched off
        cache = caches["throttle"]
        key = self.get_cache_key(request)
        now = time.time()
        history = [at for at in cache.get(key, []) if at > now - duration]  # newest first
        if len(history) >= num_requests:
            # Free again when the request that fills the allowance leaves the window.
            self._refused.wait = duration - (now - history[num_requests - 1])
            return False
        cache.set(key, [now, *history], duration)
        return True

    def wait(self) -> float | None:
        """Seconds until a request is allowed again (only after a refusal)."""
        return getattr(self._refused, "wait", None)


def throttle_page(throttle: BaseThrottle, *, methods: frozenset[str] | None = None) -> Callable[[ViewFunc], ViewFunc]:
    """The same throttle on a page (the HTML twin of a throttled API operation): 429 with `Retry-After`.

    Put it under the permission decorator, so only callers who may use the page are counted; `methods` limits the
    count to those (a page that asks a purpose on GET and opens the file on POST counts the POSTs).
    """

    def decorate(view: ViewFunc) -> ViewFunc:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if (methods is not None and request.method not in methods) or throttle.allow_request(request):
                return view(request, *args, **kwargs)
            seconds = math.ceil(throttle.wait() or 1)
            response = render(request, "429.html", {"minutes": max(1, math.ceil(seconds / 60))}, status=429)
            response["Retry-After"] = str(seconds)
            return response

        return wrapper

    return decorate


def throttle_operation(router: Router, operation: str, *throttles: BaseThrottle) -> None:
    """Throttle one operation of a router (`"POST /quotes"`), before the API binds its routers.

    The throttled operations are listed in one table (creditdesk/urls.py), so the policy reads in one place.
    """
    method, path = operation.split(" ", 1)
    view = router.path_operations.get(path)
    found = [op for op in (view.operations if view else []) if method in op.methods]
    if not found:
        raise ImproperlyConfigured(f"No operation {operation} to throttle")
    for op in found:
        op.throttle_param = list(throttles)
        op.throttle_objects = list(throttles)


TOKEN = RateThrottle("token", per="address")  # token issue: per client address (nobody is signed in yet)
EXPORT = RateThrottle("export", per="user")  # spreadsheet exports, copies and document downloads
QUOTE = RateThrottle("quote", per="user")  # schedule and APR computations
ASSESSMENT = RateThrottle("assessment", per="user")  # credit-bureau queries, scorecard and rules
