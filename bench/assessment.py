"""One full assessment (ISSUE FIGURE: in-process median under 20 ms), ASSESS-1.

2 000 synthetic applicants (resident ID numbers, ages, incomes, cars, loans). For each: query the deterministic
bureau simulator, then `engine.run` — the 13 admission rules, the application scorecard (A 卡) and the
risk rating — exactly as `services.assessment_run` does after the database reads. Figures: the median and p95
of one assessment, and the spread of the automated levels. Pure Python: no database is touched.
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import time
from decimal import Decimal
from typing import Any

APPLICANTS = 2_000
TARGET_MEDIAN_MS = 20.0
SEED = 2030
TODAY = dt.date(2027, 3, 15)


def _id_number(rng: random.Random) -> str:
    from creditdesk.core.identifiers import resident_id_check_char

    born = dt.date(1960, 1, 1) + dt.timedelta(days=rng.randint(0, 365 * 40))
    body = f"310104{born:%Y%m%d}{rng.randint(100, 996):03d}"
    return body + resident_id_check_char(body)


def _applicant(rng: random.Random) -> dict[str, Any]:
    from creditdesk.assessment import engine, rules

    price = Decimal(rng.randrange(50_000, 300_000, 1_000))
    loan = (price * Decimal(rng.choice(["0.5", "0.6", "0.7"]))).quantize(Decimal("1"))
    term = rng.choice((12, 24, 36))
    age = rng.randint(20, 62)
    facts = rules.ApplicantFacts(
        assessed_on=TODAY,
        age_years=age,
        age_years_at_maturity=age + term // 12,
        full_civil_capacity=True,
        monthly_income_amount=Decimal(rng.randrange(6_000, 60_000, 500)),
        new_instalment_amount=engine.estimated_instalment(loan, Decimal("0.12"), term, "equal_instalment"),
        documents_complete=True,
        has_major_accident=rng.random() < 0.03,
        vehicle_age_months_at_maturity=rng.randint(12, 130),
        mileage_km=rng.randint(5_000, 220_000),
        valuation_amount=price,
        price_amount=price,
        loan_amount=loan,
        term_months=term,
    )
    profile = engine.Profile(
        down_payment_amount=price - loan,
        employment_years=rng.randint(0, 20),
        housing=rng.choice(("owned", "mortgaged", "rented", "family")),
        vehicle_first_registered_on=TODAY - dt.timedelta(days=rng.randint(200, 3000)),
    )
    return {"facts": facts, "profile": profile, "identifier": _id_number(rng)}


def run() -> dict[str, Any]:
    from creditdesk.assessment import bureau, engine, expert_defaults, expert_scorecard, rating, rules

    rng = random.Random(SEED)
    applicants = [_applicant(rng) for _ in range(APPLICANTS)]
    admission_policy = rules.AdmissionPolicy(version="bench")
    rating_policy = rating.RatingPolicy(version="bench")
    card = expert_scorecard.card_from_data(
        name=expert_defaults.NAME,
        base_points=expert_defaults.BASE_POINTS,
        characteristics=expert_defaults.CHARACTERISTICS,
    )
    adapter = bureau.SimulatedBureau()
    samples, levels = [], dict.fromkeys(rating.LEVELS, 0)
    for item in applicants:
        start = time.perf_counter_ns()
        query = bureau.BureauQuery("individual", item["identifier"], "AUTH-1", "loan_approval", TODAY)
        report = adapter.query(query)
        outcome = engine.run(
            admission_policy=admission_policy,
            rating_policy=rating_policy,
            card=card,
            facts=item["facts"],
            profile=item["profile"],
            report=report,
        )
        samples.append((time.perf_counter_ns() - start) / 1_000_000)
        levels[outcome.rating.level] += 1
    median = statistics.median(samples)
    return {
        "applicants": APPLICANTS,
        "assessment_median_ms": round(median, 3),
        "assessment_p95_ms": round(statistics.quantiles(samples, n=20)[-1], 3),
        "levels": levels,
        "target_median_ms": TARGET_MEDIAN_MS,
        "meets_target": median < TARGET_MEDIAN_MS,
    }
