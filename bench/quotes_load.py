"""`/api/v1/quotes` under load: gunicorn with 2 workers on loopback, 20 concurrent clients, bounded requests.

Reported beside a trivial view (`/healthz`) measured in the same run (issue #6: p99 under 100 ms). Traffic goes to
127.0.0.1 only; the loop is bounded in count and time and stops by itself.
"""

from __future__ import annotations

import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

CLIENTS = 20
REQUESTS = 2000
TIME_LIMIT_S = 120
ROOT = Path(__file__).resolve().parents[1]
QUOTE = {"principal_amount": "100000.00", "annual_rate": "0.06", "term_months": 36, "method": "equal_instalment"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _load(url: str, headers: dict[str, str], body: bytes | None) -> dict[str, Any]:
    deadline = time.monotonic() + TIME_LIMIT_S

    def one(_: int) -> float | None:
        if time.monotonic() > deadline:
            return None
        request = urllib.request.Request(url, data=body, headers=headers, method="POST" if body else "GET")
        start = time.perf_counter()
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()
            assert response.status == 200
        return (time.perf_counter() - start) * 1000

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        samples = [s for s in pool.map(one, range(REQUESTS)) if s is not None]
    elapsed = time.perf_counter() - started
    samples.sort()
    return {
        "requests": len(samples),
        "requests_per_second": round(len(samples) / elapsed, 1),
        "median_ms": round(statistics.median(samples), 2),
        "p99_ms": round(samples[int(len(samples) * 0.99) - 1], 2),
    }


def run() -> dict[str, Any]:
    from creditdesk.accounts.models import OrgUnit
    from creditdesk.accounts.services import roles_ensure, token_issue, user_upsert

    roles_ensure()
    unit, _ = OrgUnit.objects.get_or_create(code="BENCH", defaults={"name": "压测", "kind": "company"})
    user = user_upsert(
        username="quote-bench", full_name="压测", org_unit=unit, roles=["sales"], password="bench-password-1"
    )
    raw, _token = token_issue(user=user)
    port = _free_port()
    env = {**os.environ, "CREDITDESK_DEBUG": "1", "CREDITDESK_TESTING": "0"}
    server = subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "serve", "--port", str(port), "--workers", "2", "--no-collectstatic"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=2):
                    break
            except OSError:
                time.sleep(0.2)
        headers = {"Authorization": f"Bearer {raw}", "Content-Type": "application/json"}
        quotes = _load(base + "/api/v1/quotes", headers, json.dumps(QUOTE).encode())
        trivial = _load(base + "/healthz", {}, None)
    finally:
        server.terminate()
        server.wait(timeout=15)
    return {
        "server": "gunicorn, 2 workers, 4 threads each",
        "clients": CLIENTS,
        "quotes": quotes,
        "trivial_view_healthz": trivial,
        "target_p99_ms": 100,
        "meets_target": quotes["p99_ms"] < 100,
    }
