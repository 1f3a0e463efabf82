"""Application scorecard (申请评分卡, A 卡), expert version: points per band of creditdesk's own applicant facts.

Pure: no ORM, no clock (STYLE rule 5); Django's gettext only words a refused version's errors. Until the lender
has outcomes of its own, the scorecard that decides is an expert judgement written as points per band, versioned
in the admin (`models.ScorecardVersion`); the German WOE model (`scorecard.py`) is the training path only.

The characteristics are fixed here (the facts builder supplies them); a version picks bands and points. Units and
steps: monthly income 元 (whole yuan); DTI, LTV, down payment in % (0.01 %); bureau score; counts; years; age;
km; months; housing (a category). Numeric bands have inclusive bounds (None: open), ordered and contiguous (the next
starts one step after the previous ends), so `30.00 %` is in "≤ 30 %" and `30.01 %` in the next; category bands
list their values, each value in one band. A missing value scores `missing_points`.

Score = base points + each characteristic's band points; higher is safer; the rating policy's internal-score
cut-offs read it. Reasons: the characteristics that lost most points against their best band (at most
`MAX_REASONS`), with the value and the nearest best band's limit ("负债收入比 45 %，高于 30 %").
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal, InvalidOperation, localcontext
from typing import Any

from django.utils.translation import gettext as _  # only on errors: scoring runs without Django set up

from creditdesk.core.errors import ValidationFailed

MAX_REASONS = 4
YUAN = "yuan"
PERCENT = "percent"
SCORE = "score"
COUNT = "count"
YEARS = "years"
AGE = "age"
KM = "km"
MONTHS = "months"
CATEGORY = "category"
HOUSING_VALUES = ("owned", "mortgaged", "family", "company", "rented")  # customers.choices.Housing


@dataclass(frozen=True)
class Characteristic:
    """What one characteristic measures: its unit and the step its values are measured in."""

    code: str
    unit: str
    step: Decimal = Decimal(1)
    values: tuple[str, ...] = ()  # the category set, for unit CATEGORY


CHARACTERISTICS: dict[str, Characteristic] = {
    c.code: c
    for c in (
        Characteristic("bureau_score", SCORE),
        Characteristic("delinquencies_24m", COUNT),
        Characteristic("inquiries_6m", COUNT),
        Characteristic("debt_to_income", PERCENT, Decimal("0.01")),
        Characteristic("loan_to_value", PERCENT, Decimal("0.01")),
        Characteristic("down_payment_ratio", PERCENT, Decimal("0.01")),
        Characteristic("monthly_income", YUAN),
        Characteristic("employment_years", YEARS),
        Characteristic("age", AGE),
        Characteristic("housing", CATEGORY, values=HOUSING_VALUES),
        Characteristic("vehicle_age", YEARS),
        Characteristic("mileage", KM),
        Characteristic("term", MONTHS),
        Characteristic("loan_amount", YUAN),  # not in version 1: LTV and DTI measure the loan against car and income
    )
}


@dataclass(frozen=True)
class Band:
    """One band (分档) of a characteristic: inclusive bounds or a set of categories, and its points."""

    points: int
    min: Decimal | None = None
    max: Decimal | None = None
    values: tuple[str, ...] = ()

    def holds(self, value: Decimal | str) -> bool:
        if isinstance(value, str):
            return value in self.values
        return (self.min is None or value >= self.min) and (self.max is None or value <= self.max)

    @functools.cached_property
    def json(self) -> dict[str, Any]:
        """The band as stored with a contribution (computed once per band)."""
        return self.as_dict()

    def as_dict(self) -> dict[str, Any]:
        if self.values:
            return {"values": list(self.values), "points": self.points}
        return {"min": _text(self.min), "max": _text(self.max), "points": self.points}


@dataclass(frozen=True)
class Scored:
    """One characteristic in a version: its bands in order and the points of a missing value."""

    code: str
    bands: tuple[Band, ...]
    missing_points: int

    @functools.cached_property
    def best_points(self) -> int:
        return max([b.points for b in self.bands] + [self.missing_points])

    def band_of(self, value: Decimal | str | None) -> Band | None:
        if value is None:
            return None
        return next((b for b in self.bands if b.holds(value)), None)


@dataclass(frozen=True)
class ExpertScorecard:
    """An application-scorecard version (A 卡版本): base points and the scored characteristics."""

    name: str
    base_points: int
    characteristics: tuple[Scored, ...]


@dataclass(frozen=True)
class Reason:
    """A characteristic that cost points: its value, how it compares with the nearest best band, the points lost."""

    code: str
    value: str  # "" when missing
    direction: str  # "above" | "below" | "category" | "missing"
    bound: str  # the best band's limit the value is past ("30"); "" for a category or a missing value
    points_below_best: int

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "value": self.value,
            "direction": self.direction,
            "bound": self.bound,
            "points_below_best": self.points_below_best,
        }


@dataclass(frozen=True)
class ExpertResult:
    """One applicant's score (评分) with every characteristic's contribution and the top reasons."""

    score: int
    contributions: tuple[dict[str, object], ...]
    reasons: tuple[Reason, ...]

    def as_dict(self, card: ExpertScorecard) -> dict[str, object]:
        """The JSON kept on the assessment (`Assessment.scorecard`)."""
        return {
            "kind": "expert",
            "name": card.name,
            "base_points": card.base_points,
            "contributions": [dict(c) for c in self.contributions],
            "reasons": [r.as_dict() for r in self.reasons],
        }


def _text(value: Decimal | None) -> str | None:
    return None if value is None else format(value.normalize(), "f")


def _at(where: tuple[str, int] | str) -> str:
    """Where a problem is, for its message ("debt_to_income, band 2"); translated only when there is a problem."""
    if isinstance(where, str):
        return where
    return _("%(code)s, band %(number)s") % {"code": where[0], "number": where[1]}


def _decimal(raw: object, where: tuple[str, int] | str) -> Decimal | None:
    if raw is None:
        return None
    if isinstance(raw, bool | float) or not isinstance(raw, int | str | Decimal):
        raise ValidationFailed.on(
            "characteristics", _("%(where)s: write a bound as a number in quotes, or null.") % {"where": _at(where)}
        )
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation:
        raise ValidationFailed.on(
            "characteristics", _("%(where)s: %(raw)s is not a number.") % {"where": _at(where), "raw": raw}
        ) from None
    if not value.is_finite():
        raise ValidationFailed.on(
            "characteristics", _("%(where)s: %(raw)s is not a number.") % {"where": _at(where), "raw": raw}
        )
    return value


def _points(raw: object, where: tuple[str, int] | str) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int) or not -1000 <= raw <= 1000:
        raise ValidationFailed.on(
            "characteristics", _("%(where)s: points are a whole number from -1000 to 1000.") % {"where": _at(where)}
        )
    return raw


def _numeric_bands(code: str, spec: Characteristic, raw_bands: list[Any]) -> tuple[Band, ...]:
    bands: list[Band] = []
    for i, raw in enumerate(raw_bands, start=1):
        where = (code, i)
        if not isinstance(raw, Mapping) or set(raw) - {"min", "max", "points"}:
            raise ValidationFailed.on(
                "characteristics", _("%(where)s: a band has min, max and points.") % {"where": _at(where)}
            )
        low, high = _decimal(raw.get("min"), where), _decimal(raw.get("max"), where)
        for bound in (low, high):
            if bound is not None and bound % spec.step != 0:
                raise ValidationFailed.on(
                    "characteristics",
                    _("%(where)s: bounds are multiples of %(step)s.") % {"where": _at(where), "step": spec.step},
                )
        if low is not None and high is not None and low > high:
            raise ValidationFailed.on(
                "characteristics", _("%(where)s: the minimum is above the maximum.") % {"where": _at(where)}
            )
        band = Band(points=_points(raw.get("points"), where), min=low, max=high)
        if bands:
            previous = bands[-1]
            if previous.max is None or band.min is None or band.min <= previous.max:
                raise ValidationFailed.on(
                    "characteristics",
                    _("%(where)s overlaps band %(previous)s: bands are in order and do not overlap.")
                    % {"where": _at(where), "previous": i - 1},
                )
            if band.min != previous.max + spec.step:
                raise ValidationFailed.on(
                    "characteristics",
                    _("%(where)s: a gap after band %(previous)s; start it at %(start)s.")
                    % {"where": _at(where), "previous": i - 1, "start": previous.max + spec.step},
                )
        elif low is not None:
            raise ValidationFailed.on(
                "characteristics", _("%(where)s: the first band has no minimum.") % {"where": _at(where)}
            )
        bands.append(band)
    if bands[-1].max is not None:
        raise ValidationFailed.on("characteristics", _("%(code)s: the last band has no maximum.") % {"code": code})
    return tuple(bands)


def _category_bands(code: str, spec: Characteristic, raw_bands: list[Any]) -> tuple[Band, ...]:
    bands: list[Band] = []
    seen: set[str] = set()
    for i, raw in enumerate(raw_bands, start=1):
        where = (code, i)
        if not isinstance(raw, Mapping) or set(raw) - {"values", "points"} or not isinstance(raw.get("values"), list):
            raise ValidationFailed.on(
                "characteristics", _("%(where)s: a band has values and points.") % {"where": _at(where)}
            )
        values = tuple(raw["values"])
        unknown = [v for v in values if v not in spec.values]
        if unknown or not values:
            raise ValidationFailed.on(
                "characteristics",
                _("%(where)s: unknown values %(unknown)s; use %(known)s.")
                % {"where": _at(where), "unknown": unknown, "known": ", ".join(spec.values)},
            )
        if seen & set(values):
            raise ValidationFailed.on(
                "characteristics",
                _("%(where)s overlaps another band: %(values)s.")
                % {"where": _at(where), "values": sorted(seen & set(values))},
            )
        seen |= set(values)
        bands.append(Band(points=_points(raw.get("points"), where), values=values))
    if seen != set(spec.values):
        missing = [v for v in spec.values if v not in seen]
        raise ValidationFailed.on(
            "characteristics",
            _("%(code)s: every value needs a band; missing %(missing)s.") % {"code": code, "missing": missing},
        )
    return tuple(bands)


def card_from_data(*, name: str, base_points: int, characteristics: object) -> ExpertScorecard:
    """A version's data checked and read; any problem is a `ValidationFailed` on the field `characteristics`."""
    if not isinstance(name, str) or not name.strip():
        raise ValidationFailed.on("name", _("A scorecard version needs a name."))
    base = _points(base_points, "base points")
    if not isinstance(characteristics, list) or not characteristics:
        raise ValidationFailed.on("characteristics", _("List the characteristics, each with its bands."))
    scored, seen = [], set()
    for raw in characteristics:
        code = raw.get("code") if isinstance(raw, Mapping) else None
        spec = CHARACTERISTICS.get(code) if isinstance(code, str) else None
        if spec is None or not isinstance(raw, Mapping) or not isinstance(code, str):
            raise ValidationFailed.on(
                "characteristics",
                _("Unknown characteristic %(code)s; use %(known)s.")
                % {"code": code, "known": ", ".join(CHARACTERISTICS)},
            )
        if code in seen:
            raise ValidationFailed.on("characteristics", _("%(code)s is listed twice.") % {"code": code})
        seen.add(code)
        if set(raw) - {"code", "bands", "missing_points"}:
            raise ValidationFailed.on(
                "characteristics", _("%(code)s: only code, bands and missing_points.") % {"code": code}
            )
        raw_bands = raw.get("bands")
        if not isinstance(raw_bands, list) or not raw_bands:
            raise ValidationFailed.on("characteristics", _("%(code)s: at least one band.") % {"code": code})
        reader = _category_bands if spec.unit == CATEGORY else _numeric_bands
        bands = reader(code, spec, raw_bands)
        scored.append(Scored(code, bands, _points(raw.get("missing_points", 0), code)))
    return ExpertScorecard(name=name.strip(), base_points=base, characteristics=tuple(scored))


# --- the applicant's values -------------------------------------------------------------------------------------


def _ratio_percent(numerator: Decimal, denominator: Decimal) -> Decimal:
    """A ratio in %, rounded up to 0.01 % (the admission rules round ratios up to 4 places the same way)."""
    with localcontext() as ctx:
        ctx.prec = 60
        return (numerator * 100 / denominator).quantize(Decimal("0.01"), rounding=ROUND_CEILING)


def applicant_values(
    *,
    monthly_income_amount: Decimal | None,
    monthly_debt_service_amount: Decimal | None,
    new_instalment_amount: Decimal | None,
    loan_amount: Decimal | None,
    price_amount: Decimal | None,
    valuation_amount: Decimal | None,
    down_payment_amount: Decimal | None,
    bureau_score: int | None,
    delinquencies_24m: int | None,
    inquiries_6m: int | None,
    employment_years: int | None,
    age_years: int | None,
    housing: str | None,
    vehicle_first_registered_on: dt.date | None,
    assessed_on: dt.date,
    mileage_km: int | None,
    term_months: int | None,
) -> dict[str, Decimal | str | None]:
    """The characteristics' values in their units from plain facts (None where a fact is unknown).

    DTI = (existing monthly debt service + new instalment) ÷ monthly income, as ADM-2 reads it; LTV = loan ÷ the
    lower of the price and the appraisal (DOMAIN.md §1); down payment ratio = down payment ÷ price; vehicle age in
    whole years from the first registration to the assessment date.
    """
    income = monthly_income_amount
    dti = None
    if income is not None and income > 0 and new_instalment_amount is not None:
        dti = _ratio_percent((monthly_debt_service_amount or Decimal(0)) + new_instalment_amount, income)
    bases = [v for v in (price_amount, valuation_amount) if v is not None and v > 0]
    ltv = _ratio_percent(loan_amount, min(bases)) if bases and loan_amount is not None else None
    down = None
    if price_amount is not None and price_amount > 0 and down_payment_amount is not None:
        down = (down_payment_amount * 100 / price_amount).quantize(Decimal("0.01"), rounding=ROUND_FLOOR)
    vehicle_years = None
    if vehicle_first_registered_on is not None:
        months = (assessed_on.year - vehicle_first_registered_on.year) * 12 + (
            assessed_on.month - vehicle_first_registered_on.month
        )
        if assessed_on.day < vehicle_first_registered_on.day:
            months -= 1
        vehicle_years = Decimal(max(months, 0) // 12)

    def whole(value: int | Decimal | None) -> Decimal | None:
        return None if value is None else Decimal(value).quantize(Decimal(1), rounding=ROUND_FLOOR)

    return {
        "bureau_score": whole(bureau_score),
        "delinquencies_24m": whole(delinquencies_24m),
        "inquiries_6m": whole(inquiries_6m),
        "debt_to_income": dti,
        "loan_to_value": ltv,
        "down_payment_ratio": down,
        "monthly_income": whole(income),
        "employment_years": whole(employment_years),
        "age": whole(age_years),
        "housing": housing or None,
        "vehicle_age": vehicle_years,
        "mileage": whole(mileage_km),
        "term": whole(term_months),
        "loan_amount": whole(loan_amount),
    }


# --- scoring ----------------------------------------------------------------------------------------------------


def _reason(item: Scored, value: Decimal | str | None, band: Band | None) -> Reason | None:
    points = item.missing_points if band is None else band.points
    lost = item.best_points - points
    if lost <= 0:
        return None
    if value is None:
        return Reason(item.code, "", "missing", "", lost)
    if isinstance(value, str):
        return Reason(item.code, value, "category", "", lost)
    best = [b for b in item.bands if b.points == item.best_points]
    if not best:  # only the missing band is best: compare with the best band there is
        best = [b for b in item.bands if b.points == max(b.points for b in item.bands)]

    def distance(b: Band) -> Decimal:
        if b.max is not None and value > b.max:
            return value - b.max
        if b.min is not None and value < b.min:
            return b.min - value
        return Decimal(0)

    nearest = min(best, key=distance)
    if nearest.max is not None and value > nearest.max:
        return Reason(item.code, _text(value) or "", "above", _text(nearest.max) or "", lost)
    return Reason(item.code, _text(value) or "", "below", _text(nearest.min) or "", lost)


def score(card: ExpertScorecard, values: Mapping[str, Decimal | str | None]) -> ExpertResult:
    """Score one applicant: base points plus each characteristic's band; a value in no band scores as missing."""
    total = card.base_points
    contributions: list[dict[str, object]] = []
    reasons: list[tuple[int, int, Reason]] = []
    for order, item in enumerate(card.characteristics):
        value = values.get(item.code)
        band = item.band_of(value)
        if band is None:
            value = None
        points = item.missing_points if band is None else band.points
        total += points
        contributions.append(
            {
                "code": item.code,
                "unit": CHARACTERISTICS[item.code].unit,
                "value": "" if value is None else (value if isinstance(value, str) else _text(value)),
                "missing": value is None,
                "band": dict(band.json) if band is not None else None,
                "points": points,
                "best_points": item.best_points,
            }
        )
        reason = _reason(item, value, band)
        if reason is not None:
            reasons.append((-reason.points_below_best, order, reason))
    top = tuple(r for _, _, r in sorted(reasons, key=lambda t: (t[0], t[1]))[:MAX_REASONS])
    return ExpertResult(score=total, contributions=tuple(contributions), reasons=top)
