"""Runtime scorecard speed (ISSUE FIGURE: batch scoring ≥ 20 000 applications/s), ASSESS-1.

100 000 synthetic applicants are built once through `features_from_application` (plain values as an application
would supply them, about 5 % of each field left blank so the missing bins are exercised too). Then: the median
time of one `score()` call, and the throughput of `score_many()` over the whole batch (best of three runs, so a
stray pause of the machine does not decide the figure). Pure Python: no database is touched.
"""

from __future__ import annotations

import random
import statistics
import time
from decimal import Decimal
from typing import Any

APPLICANTS = 100_000
SINGLE_CALLS = 5_000
BATCH_RUNS = 3
TARGET_PER_SECOND = 20_000
SEED = 2027
BLANK_SHARE = 0.05


def _applicants(rng: random.Random) -> list[dict[str, object]]:
    from creditdesk.assessment.scorecard import features_from_application
    from creditdesk.customers.choices import Housing, SavingsBand

    def maybe(value: Any) -> Any:
        return None if rng.random() < BLANK_SHARE else value

    return [
        features_from_application(
            age=maybe(rng.randint(20, 65)),
            term_months=maybe(rng.choice((12, 18, 24, 36, 48, 60))),
            amount=maybe(Decimal(rng.randrange(20_000, 400_000, 1_000))),
            employment_years=maybe(rng.randint(0, 25)),
            housing=maybe(rng.choice(Housing.values)),
            savings_band=maybe(rng.choice(SavingsBand.values)),
            bank_account=maybe(rng.choice(("overdrawn", "low_balance", "salary"))),
            existing_debt_amount=maybe(Decimal(rng.choice((0, 0, 20_000, 150_000)))),
            existing_loans=maybe(rng.randint(0, 2)),
        )
        for _ in range(APPLICANTS)
    ]


def run() -> dict[str, Any]:
    from creditdesk.assessment.scorecard import load_scorecard, score, score_many

    card = load_scorecard()
    applicants = _applicants(random.Random(SEED))

    samples = []
    for features in applicants[:SINGLE_CALLS]:
        start = time.perf_counter_ns()
        score(card, features)
        samples.append((time.perf_counter_ns() - start) / 1000)

    best = float("inf")
    for _ in range(BATCH_RUNS):
        start = time.perf_counter()
        results = score_many(card, applicants)
        best = min(best, time.perf_counter() - start)
    per_second = round(APPLICANTS / best)
    bands = {c.band: 0 for c in card.cutoffs}
    for result in results:
        bands[result.risk_band] += 1
    return {
        "scorecard": card.version,
        "applicants": APPLICANTS,
        "single_score_median_us": round(statistics.median(samples), 2),
        "batch_seconds": round(best, 3),
        "batch_per_second": per_second,
        "bands": bands,
        "target_per_second": TARGET_PER_SECOND,
        "meets_target": per_second >= TARGET_PER_SECOND,
    }
