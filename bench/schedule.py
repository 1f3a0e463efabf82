"""Schedule generation: a 36-month equal-instalment schedule and its APR, in-process (issue #6: median < 1 ms)."""

from __future__ import annotations

import datetime as dt
import statistics
import time
from decimal import Decimal
from typing import Any

RUNS = 2000


def run() -> dict[str, Any]:
    from creditdesk.lending.apr import schedule_apr
    from creditdesk.lending.schedule import Method, build_schedule

    def one() -> Any:
        return build_schedule(
            principal_amount=Decimal("100000.00"),
            annual_rate=Decimal("0.06"),
            term_months=36,
            method=Method.EQUAL_INSTALMENT,
            first_due_on=dt.date(2027, 3, 31),
        )

    samples, apr_samples = [], []
    for _ in range(RUNS):
        start = time.perf_counter()
        schedule = one()
        middle = time.perf_counter()
        schedule_apr(schedule)
        samples.append((middle - start) * 1000)
        apr_samples.append((time.perf_counter() - middle) * 1000)
    return {
        "runs": RUNS,
        "schedule_36_median_ms": round(statistics.median(samples), 4),
        "schedule_36_p99_ms": round(sorted(samples)[int(RUNS * 0.99) - 1], 4),
        "apr_median_ms": round(statistics.median(apr_samples), 4),
        "target_median_ms": 1,
        "meets_target": statistics.median(samples) < 1,
    }
