"""Internal scorecard (内部评分卡): pure runtime scoring over the versioned JSON artifact (ASSESS-1).

The artifact (`artifacts/scorecard-v1.json`) is written offline by `creditdesk train-scorecard`
(`assessment/training.py`, see docs/scorecard.md). This module only reads it: no ORM, no pandas, numpy or
scikit-learn, no clock (STYLE rule 5). It imports nothing from Django either, so it can run anywhere.

A score is `base_points + Σ points(bin of each feature)`, an integer; higher is safer. The points come from a
WOE-binned logistic regression scaled so that `base_score` points mean bad:good odds of 1:`base_odds`, and every
`pdo` points more halve the odds of default. The probability of default (PD) is that scaling read backwards
from the integer score, so it is the same for equal scores and strictly falls as the score rises:

    factor = pdo / ln 2,  offset = base_score − factor · ln(base_odds),  PD = 1 / (1 + exp((score − offset) / factor))

computed in `Decimal` and rounded half up to 6 places.

Bins: a numeric feature's bins are half-open ranges `[lower, upper)` covering the whole line (`null` = infinite);
a categorical feature's bins are sets of the training categories (text is matched after trimming spaces).
Missing and unrecognised values (None, "", NaN, infinities, booleans, text that is not a number for a numeric
feature, a category never seen in training) all go to the feature's *missing* bin: its trained points when the
training data had missing values, otherwise 0 points — "neutral", the points of a bin whose bad:good odds equal
the whole sample's (WOE 0), so leaving a field out neither helps nor hurts compared with an average applicant.

Reasons: the features that cost the applicant most points compared with that feature's best bin, largest
shortfall first (ties in the artifact's feature order), at most `MAX_REASONS`, none for a feature at its best.
A missing value's reason carries the feature's code with `_MISSING` appended.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import itertools
import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from pathlib import Path
from typing import Any

ARTIFACT_FORMAT = 1
ARTIFACTS_DIR = Path(__file__).resolve().parent / "artifacts"
CURRENT_ARTIFACT = ARTIFACTS_DIR / "scorecard-v1.json"
MAX_REASONS = 4
PD_PLACES = Decimal("0.000001")
MISSING_SUFFIX = "_MISSING"


@dataclass(frozen=True, slots=True)
class Reason:
    """A reason code (拒绝/降分原因): a feature that cost the applicant points against its best bin."""

    code: str
    feature: str
    message: str
    points_below_best: int


@dataclass(frozen=True, slots=True)
class ScoreResult:
    """One applicant's score (评分), probability of default, risk band and top reasons."""

    score: int
    probability_of_default: Decimal
    risk_band: str
    reasons: tuple[Reason, ...]


@dataclass(frozen=True, slots=True)
class _Bin:
    points: int
    shortfall: int
    order: int  # the feature's position, to break ties between equal shortfalls
    reason: Reason | None


def _number(value: object) -> int | float | Decimal | None:
    """A comparable number, or None when the value is missing, infinite or not a number (nor is a boolean)."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        try:
            number = Decimal(text)
        except InvalidOperation:
            return None
        return number if number.is_finite() else None
    return None


@dataclass(frozen=True, slots=True)
class Feature:
    """One model feature with its bins, as read from the artifact."""

    name: str
    kind: str  # "numeric" or "categorical"
    reason_code: str
    label: str
    reason_message: str
    bins: tuple[Mapping[str, Any], ...]
    missing: Mapping[str, Any]
    uppers: tuple[float, ...] = ()
    categories: Mapping[str, int] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Feature:
        bins = tuple(data["bins"])
        kind = data["kind"]
        if not bins:
            raise ValueError(f"Scorecard feature {data['name']!r} has no bins.")
        if kind == "numeric":
            if bins[0]["lower"] is not None or bins[-1]["upper"] is not None:
                raise ValueError(f"Scorecard feature {data['name']!r}: bins must run from -inf to +inf.")
            for left, right in itertools.pairwise(bins):
                if left["upper"] is None or left["upper"] != right["lower"]:
                    raise ValueError(f"Scorecard feature {data['name']!r}: bins must be contiguous.")
            return cls(
                name=data["name"],
                kind=kind,
                reason_code=data["reason_code"],
                label=data["label"],
                reason_message=data["reason"],
                bins=bins,
                missing=data["missing"],
                uppers=tuple(float(b["upper"]) for b in bins[:-1]),
            )
        if kind == "categorical":
            categories: dict[str, int] = {}
            for index, bin_ in enumerate(bins):
                for value in bin_["values"]:
                    if value in categories:
                        raise ValueError(f"Scorecard feature {data['name']!r}: {value!r} is in two bins.")
                    categories[value] = index
            return cls(
                name=data["name"],
                kind=kind,
                reason_code=data["reason_code"],
                label=data["label"],
                reason_message=data["reason"],
                bins=bins,
                missing=data["missing"],
                categories=categories,
            )
        raise ValueError(f"Scorecard feature {data['name']!r} has an unknown kind {kind!r}.")

    def bin_index(self, value: object) -> int | None:
        """Index of the bin holding `value`, or None for the missing bin (missing or unrecognised value)."""
        if self.kind == "numeric":
            number = _number(value)
            return None if number is None else bisect.bisect_right(self.uppers, number)
        if isinstance(value, str):
            return self.categories.get(value.strip())
        return None


@dataclass(frozen=True, slots=True)
class _Lookup:
    """A feature prepared for fast scoring: the bin entries in bin order plus the missing entry."""

    name: str
    numeric: bool
    uppers: tuple[float, ...]
    categories: Mapping[str, _Bin]
    bins: tuple[_Bin, ...]
    missing: _Bin

    def locate(self, value: object) -> _Bin:
        if self.numeric:
            number = _number(value)
            return self.missing if number is None else self.bins[bisect.bisect_right(self.uppers, number)]
        if isinstance(value, str):
            entry = self.categories.get(value)
            return entry if entry is not None else self.categories.get(value.strip(), self.missing)
        return self.missing


@dataclass(frozen=True, slots=True)
class Cutoff:
    """A risk band (风险等级): scores at or above `min_score` (None: any score) fall in `band`."""

    band: str
    min_score: int | None
    max_probability_of_default: Decimal | None


@dataclass(frozen=True)
class Scorecard:
    """A loaded scorecard artifact (评分卡模型). Build it with `load_scorecard()` or `Scorecard.from_dict()`."""

    version: str
    trained_on: dt.date
    data_source: Mapping[str, Any]
    base_score: int
    base_odds: int
    pdo: int
    base_points: int
    features: tuple[Feature, ...]
    cutoffs: tuple[Cutoff, ...]
    metrics: Mapping[str, Any]
    raw: Mapping[str, Any] = field(repr=False)
    _lookups: tuple[_Lookup, ...] = field(repr=False, default=())
    _by_score: dict[int, tuple[Decimal, str]] = field(repr=False, default_factory=dict)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Scorecard:
        if data.get("format") != ARTIFACT_FORMAT:
            raise ValueError(f"Unsupported scorecard artifact format {data.get('format')!r}.")
        features = tuple(Feature.from_dict(f) for f in data["features"])
        cutoffs = tuple(
            Cutoff(
                band=c["band"],
                min_score=c["min_score"],
                max_probability_of_default=(
                    None if c.get("max_probability_of_default") is None else Decimal(c["max_probability_of_default"])
                ),
            )
            for c in data["cutoffs"]
        )
        if not cutoffs or cutoffs[-1].min_score is not None:
            raise ValueError("The last scorecard cut-off must take every remaining score (min_score null).")
        scaling = data["scaling"]
        card = cls(
            version=data["version"],
            trained_on=dt.date.fromisoformat(data["trained_on"]),
            data_source=data["data_source"],
            base_score=int(scaling["base_score"]),
            base_odds=int(scaling["base_odds"]),
            pdo=int(scaling["pdo"]),
            base_points=int(data["base_points"]),
            features=features,
            cutoffs=cutoffs,
            metrics=data.get("metrics", {}),
            raw=data,
            _lookups=tuple(_prepare(order, f) for order, f in enumerate(features)),
        )
        card._by_score.update(card._score_table())
        return card

    @property
    def min_score(self) -> int:
        return self.base_points + sum(min(b.points for b in (*lk.bins, lk.missing)) for lk in self._lookups)

    @property
    def max_score(self) -> int:
        return self.base_points + sum(max(b.points for b in (*lk.bins, lk.missing)) for lk in self._lookups)

    def probability_of_default(self, score: int) -> Decimal:
        """PD implied by an integer score under the artifact's scaling (see the module docstring)."""
        cached = self._by_score.get(score)
        if cached is not None:
            return cached[0]
        with localcontext() as ctx:
            ctx.prec = 28
            factor = Decimal(self.pdo) / Decimal(2).ln()
            offset = Decimal(self.base_score) - factor * Decimal(self.base_odds).ln()
            exponent = (Decimal(score) - offset) / factor
            if exponent > 700:  # the PD is 0.000000 long before; this keeps exp() inside Decimal's range
                return Decimal("0.000000")
            pd = 1 / (1 + exponent.exp())
        return pd.quantize(PD_PLACES, rounding=ROUND_HALF_UP)

    def risk_band(self, score: int) -> str:
        cached = self._by_score.get(score)
        if cached is not None:
            return cached[1]
        for cutoff in self.cutoffs:
            if cutoff.min_score is None or score >= cutoff.min_score:
                return cutoff.band
        raise AssertionError("unreachable: the last cut-off takes every score")  # pragma: no cover

    def _score_table(self) -> dict[int, tuple[Decimal, str]]:
        return {
            s: (self.probability_of_default(s), self.risk_band(s)) for s in range(self.min_score, self.max_score + 1)
        }


def _prepare(order: int, feature: Feature) -> _Lookup:
    """Precompute each bin's points, shortfall against the feature's best bin, and its reason."""
    points = [int(b["points"]) for b in feature.bins]
    missing_points = int(feature.missing["points"])
    best = max(*points, missing_points)

    def entry(bin_points: int, *, missing: bool) -> _Bin:
        shortfall = best - bin_points
        reason = None
        if shortfall > 0:
            code = feature.reason_code + (MISSING_SUFFIX if missing else "")
            message = f"{feature.label} not provided or not recognised" if missing else feature.reason_message
            reason = Reason(code=code, feature=feature.name, message=message, points_below_best=shortfall)
        return _Bin(points=bin_points, shortfall=shortfall, order=order, reason=reason)

    bins = tuple(entry(p, missing=False) for p in points)
    categories = {value: bins[index] for value, index in feature.categories.items()}
    return _Lookup(
        name=feature.name,
        numeric=feature.kind == "numeric",
        uppers=feature.uppers,
        categories=categories,
        bins=bins,
        missing=entry(missing_points, missing=True),
    )


# --- Our application → the v1 model's features (docs/scorecard.md has the table and its approximations) ---

# The v1 model is trained on the German credit data: amounts are 1970s Deutschmarks. A loan amount is mapped by
# relative size, taking the German median loan (2 320 DM) to stand for a typical used-car loan of about
# 58 000 yuan, so 25 yuan ≈ 1 DM of loan size. An assumption, not an exchange rate; retraining on the lender's
# own history removes it.
YUAN_PER_MODEL_UNIT = Decimal(25)
HOUSING_FEATURE = {"owned": "own", "mortgaged": "own", "rented": "rent", "family": "for free", "company": "for free"}
# "none" is mapped to the lowest German savings class, not to "unknown/ no savings account", which in that data
# is a low-risk group (it mixes people with savings elsewhere) and would reward having no savings.
SAVINGS_FEATURE = {
    "none": "... < 100 DM",
    "lt50k": "100 <= ... < 500 DM",
    "50k_200k": "500 <= ... < 1000 DM",
    "200k_1m": "... >= 1000 DM",
    "gt1m": "... >= 1000 DM",
}
PURPOSE_FEATURE = {"used_car": "car (used)", "new_car": "car (new)"}
# Bank statement (银行流水) of the last months, as staff read it. Never mapped to "no checking account", the
# German data's lowest-risk class: no statement means missing (neutral), not a bonus.
BANK_ACCOUNT_FEATURE = {
    "overdrawn": "... < 0 DM",
    "low_balance": "0 <= ... < 200 DM",
    "salary": "... >= 200 DM / salary assignments for at least 1 year",
}


def _employment(years: int | None) -> str | None:
    if years is None or years < 0:
        return None
    if years < 1:
        return "... < 1 year"
    if years < 4:
        return "1 <= ... < 4 years"
    if years < 7:
        return "4 <= ... < 7 years"
    return "... >= 7 years"


def features_from_application(
    *,
    age: int | None = None,
    term_months: int | None = None,
    amount: Decimal | None = None,
    employment_years: int | None = None,
    housing: str | None = None,
    savings_band: str | None = None,
    purpose: str | None = "used_car",
    bank_account: str | None = None,
    existing_debt_amount: Decimal | None = None,
    existing_loans: int | None = None,
) -> dict[str, object]:
    """The v1 model's features from plain application values (ASSESS-1); None means not known.

    `age` in whole years on the business date (`Customer.age_on`), `term_months` and `amount` (yuan) of the
    requested loan, `employment_years` with the current employer, `housing` and `savings_band` as the customer
    choices (`customers.choices`), `purpose` "used_car"/"new_car", `bank_account` "overdrawn"/"low_balance"/
    "salary" from the bank statement, `existing_debt_amount` owed to other lenders, `existing_loans` with us.
    Credit history is not mapped (docs/scorecard.md explains why) and scores neutral. Unknown codes map to None,
    which the scorer puts in the feature's missing bin.
    """
    return {
        "age_in_years": age,
        "duration_in_month": term_months,
        "credit_amount": None if amount is None else Decimal(amount) / YUAN_PER_MODEL_UNIT,
        "present_employment_since": _employment(employment_years),
        "housing": HOUSING_FEATURE.get(housing or ""),
        "savings_account_and_bonds": SAVINGS_FEATURE.get(savings_band or ""),
        "purpose": PURPOSE_FEATURE.get(purpose or ""),
        "status_of_existing_checking_account": BANK_ACCOUNT_FEATURE.get(bank_account or ""),
        "other_installment_plans": (
            None if existing_debt_amount is None else ("bank" if existing_debt_amount > 0 else "none")
        ),
        "number_of_existing_credits_at_this_bank": None if existing_loans is None else existing_loans + 1,
        "credit_history": None,
    }


@functools.cache
def load_scorecard(path: str | Path | None = None) -> Scorecard:
    """Load (once per path, then cached) the scorecard artifact; the current version by default (ASSESS-1)."""
    source = Path(path) if path is not None else CURRENT_ARTIFACT
    return Scorecard.from_dict(json.loads(source.read_text(encoding="utf-8")))


def _reason_key(entry: _Bin) -> tuple[int, int]:
    return (-entry.shortfall, entry.order)


def score(card: Scorecard, features: Mapping[str, object]) -> ScoreResult:
    """Score one applicant's model features (see `features_from_application`) with `card` (ASSESS-1)."""
    total = card.base_points
    costly = []
    get = features.get
    for lookup in card._lookups:
        entry = lookup.locate(get(lookup.name))
        total += entry.points
        if entry.shortfall > 0:
            costly.append(entry)
    costly.sort(key=_reason_key)
    pd, band = card._by_score[total]
    reasons = tuple(entry.reason for entry in costly[:MAX_REASONS] if entry.reason is not None)
    return ScoreResult(score=total, probability_of_default=pd, risk_band=band, reasons=reasons)


def score_many(card: Scorecard, applicants: Iterable[Mapping[str, object]]) -> list[ScoreResult]:
    """Score a batch of applicants; the same results as calling `score` on each (ASSESS-1)."""
    return [score(card, features) for features in applicants]


def contributions(card: Scorecard, features: Mapping[str, object]) -> list[dict[str, object]]:
    """Each feature's points for this applicant beside its best bin's points, in the artifact's order.

    The decision page shows these so a reviewer sees where the score came from (PRIN-2); base points + the
    points column = the score.
    """
    rows: list[dict[str, object]] = []
    for feature, lookup in zip(card.features, card._lookups, strict=True):
        value = features.get(feature.name)
        entry = lookup.locate(value)
        rows.append(
            {
                "feature": feature.name,
                "label": feature.label,
                "value": "" if value is None else str(value),
                "missing": entry is lookup.missing,
                "points": entry.points,
                "best_points": entry.points + entry.shortfall,
            }
        )
    return rows
