"""The default application scorecard (A 卡), version 1: the bands and points docs/scorecard.md explains.

Frozen: the data migration seeds it and a test compares the seeded row with it. A change is a new version in the
admin (with a later effective date), never an edit of this constant.
"""

from __future__ import annotations

from typing import Any

NAME = "A卡专家评分 V1"
EFFECTIVE_ON = "2026-01-01"
BASE_POINTS = 300


def _bands(*rows: tuple[str | None, str | None, int]) -> list[dict[str, Any]]:
    return [{"min": low, "max": high, "points": points} for low, high, points in rows]


CHARACTERISTICS: list[dict[str, Any]] = [
    {
        "code": "bureau_score",
        "bands": _bands(
            (None, "579", 0), ("580", "639", 15), ("640", "679", 30), ("680", "739", 40), ("740", None, 50)
        ),
        "missing_points": 15,
    },
    {
        "code": "delinquencies_24m",
        "bands": _bands((None, "0", 40), ("1", "1", 20), ("2", "2", 10), ("3", None, 0)),
        "missing_points": 20,
    },
    {
        "code": "inquiries_6m",
        "bands": _bands((None, "2", 20), ("3", "3", 12), ("4", "5", 5), ("6", None, 0)),
        "missing_points": 10,
    },
    {
        "code": "debt_to_income",
        "bands": _bands(
            (None, "30", 40), ("30.01", "40", 28), ("40.01", "50", 14), ("50.01", "55", 5), ("55.01", None, 0)
        ),
        "missing_points": 0,
    },
    {
        "code": "loan_to_value",
        "bands": _bands((None, "50", 30), ("50.01", "60", 22), ("60.01", "70", 12), ("70.01", None, 0)),
        "missing_points": 0,
    },
    {
        "code": "down_payment_ratio",
        "bands": _bands((None, "29.99", 0), ("30", "39.99", 8), ("40", "49.99", 14), ("50", None, 20)),
        "missing_points": 0,
    },
    {
        "code": "monthly_income",
        "bands": _bands((None, "4999", 0), ("5000", "9999", 8), ("10000", "19999", 15), ("20000", None, 20)),
        "missing_points": 0,
    },
    {
        "code": "employment_years",
        "bands": _bands((None, "0", 0), ("1", "2", 6), ("3", "4", 12), ("5", None, 18)),
        "missing_points": 0,
    },
    {
        "code": "age",
        "bands": _bands(
            (None, "21", 0), ("22", "24", 6), ("25", "29", 12), ("30", "50", 18), ("51", "55", 12), ("56", None, 6)
        ),
        "missing_points": 0,
    },
    {
        "code": "housing",
        "bands": [
            {"values": ["owned"], "points": 18},
            {"values": ["mortgaged"], "points": 15},
            {"values": ["family"], "points": 10},
            {"values": ["company"], "points": 8},
            {"values": ["rented"], "points": 4},
        ],
        "missing_points": 0,
    },
    {
        "code": "vehicle_age",
        "bands": _bands((None, "3", 20), ("4", "6", 14), ("7", "8", 6), ("9", None, 0)),
        "missing_points": 0,
    },
    {
        "code": "mileage",
        "bands": _bands((None, "60000", 15), ("60001", "120000", 10), ("120001", "160000", 5), ("160001", None, 0)),
        "missing_points": 0,
    },
    {
        "code": "term",
        "bands": _bands((None, "12", 20), ("13", "24", 12), ("25", "36", 5), ("37", None, 0)),
        "missing_points": 0,
    },
]
