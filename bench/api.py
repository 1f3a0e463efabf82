"""API round trips in-process (no network): the health check and `/me` with a bearer token."""

from __future__ import annotations

import statistics
import time
from typing import Any

REQUESTS = 300


def _timed(call: Any, count: int) -> dict[str, float]:
    samples = []
    for _ in range(count):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return {
        "requests": count,
        "p50_ms": round(statistics.median(samples), 3),
        "p95_ms": round(samples[int(count * 0.95) - 1], 3),
        "per_second": round(count / (sum(samples) / 1000), 1),
    }


def run() -> dict[str, Any]:
    from django.test import Client

    from creditdesk.accounts.services import roles_ensure, token_issue, user_upsert

    roles_ensure()
    user = user_upsert(username="bench", full_name="压测", org_unit=None, roles=["sales"], password="bench-password-1")
    raw, _token = token_issue(user=user)
    client = Client(HTTP_HOST="localhost")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert client.get("/api/v1/me", **headers).status_code == 200
    return {
        "healthz": _timed(lambda: client.get("/healthz"), REQUESTS),
        "me_with_token": _timed(lambda: client.get("/api/v1/me", **headers), REQUESTS),
    }
