"""API round trips in-process (no network): the health check and `/me` with a bearer token, in the same run.

Issue #11 item 21: an authenticated call may cost at most twice the health check (`me_over_healthz`, medians).
The two are measured alternately, request by request, so a busy neighbour on the shared cores slows both alike.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any

REQUESTS = 300
WARM_UP = 30
TARGET_RATIO = 2.0


def _sample(call: Callable[[], Any], count: int) -> list[float]:
    samples = []
    for _ in range(count):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def _figures(samples: list[float]) -> dict[str, float]:
    samples = sorted(samples)
    count = len(samples)
    return {
        "requests": count,
        "p50_ms": round(statistics.median(samples), 3),
        "p95_ms": round(samples[int(count * 0.95) - 1], 3),
        "per_second": round(count / (sum(samples) / 1000), 1),
    }


def run() -> dict[str, Any]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from creditdesk.accounts.services import roles_ensure, token_issue, user_upsert

    roles_ensure()
    user = user_upsert(username="bench", full_name="压测", org_unit=None, roles=["sales"], password="bench-password-1")
    raw, _token = token_issue(user=user)
    client = Client(HTTP_HOST="localhost")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    def healthz() -> None:
        assert client.get("/healthz").status_code == 200

    def me() -> None:
        assert client.get("/api/v1/me", **headers).status_code == 200

    _sample(healthz, WARM_UP)
    _sample(me, WARM_UP)
    queries = {}
    for name, call in (("healthz", healthz), ("me_with_token", me)):
        with CaptureQueriesContext(connection) as captured:
            call()
        queries[name] = len(captured)
    timings: dict[str, list[float]] = {"healthz": [], "me_with_token": []}
    for _ in range(REQUESTS):
        timings["healthz"] += _sample(healthz, 1)
        timings["me_with_token"] += _sample(me, 1)
    figures: dict[str, Any] = {name: _figures(samples) for name, samples in timings.items()}
    ratio = figures["me_with_token"]["p50_ms"] / figures["healthz"]["p50_ms"]
    figures.update(
        queries_per_request=queries,
        me_over_healthz=round(ratio, 2),
        target_ratio=TARGET_RATIO,
        meets_target=ratio <= TARGET_RATIO,
    )
    return figures
