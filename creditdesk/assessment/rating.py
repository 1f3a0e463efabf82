"""Risk rating (风险评级) and the measures that follow from it (ASSESS-1, ASSESS-2): pure, no ORM, no clock.

`rate()` combines three sources into low / medium / high under a versioned `RatingPolicy`:

1. the admission decision (`rules.evaluate`): any failed rule → high; any warning → at least medium (a check
   the policy waived is not a reason for lenient terms); a clean decision → low;
2. the credit report (`bureau.BureauReport`): a fraud flag or a debt in default → high; the bureau score by the
   policy's thresholds on the bureau scale (defaults: ≥ 680 low, ≤ 580 high, between medium); overdue spells in
   24 months (none → low, 1–2 → medium, ≥ 3 → high); lenders' inquiries in 6 months (more than 3 → medium,
   many recent applications elsewhere being a sign of 多头借贷); no report → at least medium;
3. the internal scorecard's score (`scorecard.score(...).score`) by thresholds on the scorecard's own scale
   (defaults: ≥ 551 low, ≤ 511 high, the v1 artifact's cut-offs at PD 10 % and 30 %, docs/scorecard.md);
   no internal score → at least medium.

Each source gives one or more `RatingReason`s, each with its own level; the rating is the **worst** of them, so
"low" needs every signal to be low. Thresholds are inclusive as the policy reads: a bureau score of exactly 680 is
low, exactly 580 is high. The reasons come back worst first, so the first explains the rating.

The measures (ASSESS-2) are constraints for the service plan (PLAN-1…PLAN-6), configured per level:
- low: preferential terms (the pricing grid's low row, the longest term), standard monitoring;
- medium: stricter review, a higher down payment (40 %) unless a guarantor is added (then 30 %), close monitoring;
- high: declined by default; an approved exception gets stricter terms (down payment ≥ 50 %, term ≤ 24 months,
  guarantor required) and intensive post-loan management (3 visits a quarter).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from decimal import Decimal

from creditdesk.assessment.bureau import BureauReport
from creditdesk.assessment.rules import Decision
from creditdesk.core.errors import ValidationFailed

LOW = "low"
MEDIUM = "medium"
HIGH = "high"
LEVELS = (LOW, MEDIUM, HIGH)  # the values of lending.choices.RiskLevel, least risky first
MONITORING_LEVELS = ("normal", "close", "intensive")  # the values of customers.choices.MonitoringLevel


@dataclass(frozen=True, kw_only=True)
class Measures:
    """Risk measures (风险措施) for one rating level: the constraints a service plan must meet (ASSESS-2).

    A plan may always be stricter. `min_down_payment_share` is the down payment ÷ vehicle price without a
    guarantor; `min_down_payment_share_with_guarantor` applies when a third-party guarantor is added ("extra
    guarantee or higher down payment"). For high, these are the terms of an approved exception.
    """

    declined_by_default: bool
    preferential_terms: bool  # eligible for the pricing grid's best row and the longest term (ASSESS-2 low)
    min_down_payment_share: Decimal
    min_down_payment_share_with_guarantor: Decimal
    guarantor_required: bool
    max_term_months: int
    enhanced_review: bool  # stricter review before approval
    monitoring_level: str  # "normal" | "close" | "intensive"
    visits_per_quarter: int  # post-loan follow-up visits (POST-1)

    def __post_init__(self) -> None:
        for name in ("min_down_payment_share", "min_down_payment_share_with_guarantor"):
            share = getattr(self, name)
            if not isinstance(share, Decimal) or not share.is_finite() or not 0 <= share <= 1:
                raise ValidationFailed.on(name, f"{name} must be a Decimal from 0 to 1.")
        if self.min_down_payment_share_with_guarantor > self.min_down_payment_share:
            raise ValidationFailed.on(
                "min_down_payment_share_with_guarantor", "A guarantor can lower the down payment, never raise it."
            )
        for name in ("max_term_months", "visits_per_quarter"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValidationFailed.on(name, f"{name} must be a whole number, zero or more.")
        if self.max_term_months < 1:
            raise ValidationFailed.on("max_term_months", "The maximum term must be at least one month.")
        if self.monitoring_level not in MONITORING_LEVELS:
            raise ValidationFailed.on("monitoring_level", f"Unknown monitoring level {self.monitoring_level!r}.")

    def as_dict(self) -> dict[str, str]:
        return {f.name: _s(getattr(self, f.name)) for f in fields(self)}


LOW_MEASURES = Measures(
    declined_by_default=False,
    preferential_terms=True,
    min_down_payment_share=Decimal("0.30"),  # the used-car LTV cap of 70 % (DOMAIN.md §1)
    min_down_payment_share_with_guarantor=Decimal("0.30"),
    guarantor_required=False,
    max_term_months=36,
    enhanced_review=False,
    monitoring_level="normal",
    visits_per_quarter=1,
)
MEDIUM_MEASURES = Measures(
    declined_by_default=False,
    preferential_terms=False,
    min_down_payment_share=Decimal("0.40"),
    min_down_payment_share_with_guarantor=Decimal("0.30"),
    guarantor_required=False,
    max_term_months=36,
    enhanced_review=True,
    monitoring_level="close",
    visits_per_quarter=2,
)
HIGH_MEASURES = Measures(
    declined_by_default=True,
    preferential_terms=False,
    min_down_payment_share=Decimal("0.50"),
    min_down_payment_share_with_guarantor=Decimal("0.50"),
    guarantor_required=True,
    max_term_months=24,
    enhanced_review=True,
    monitoring_level="intensive",
    visits_per_quarter=3,
)


_THRESHOLDS = (
    "low_min_bureau_score",
    "high_max_bureau_score",
    "low_min_internal_score",
    "high_max_internal_score",
    "max_delinquencies_24m_for_low",
    "high_min_delinquencies_24m",
    "max_inquiries_6m_for_low",
)


@dataclass(frozen=True, kw_only=True)
class RatingPolicy:
    """Rating policy (评级政策), one version of the thresholds and measures (ASSESS-1, ASSESS-2); see the module."""

    version: str
    low_min_bureau_score: int = 680
    high_max_bureau_score: int = 580
    low_min_internal_score: int = 551
    high_max_internal_score: int = 511
    max_delinquencies_24m_for_low: int = 0
    high_min_delinquencies_24m: int = 3
    max_inquiries_6m_for_low: int = 3
    low_measures: Measures = field(default=LOW_MEASURES)
    medium_measures: Measures = field(default=MEDIUM_MEASURES)
    high_measures: Measures = field(default=HIGH_MEASURES)

    def __post_init__(self) -> None:
        if not isinstance(self.version, str) or not self.version.strip():
            raise ValidationFailed.on("version", "A policy needs a version.")
        for name in _THRESHOLDS:
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValidationFailed.on(name, f"{name} must be a whole number, zero or more.")
        for name in ("low_measures", "medium_measures", "high_measures"):
            if not isinstance(getattr(self, name), Measures):
                raise ValidationFailed.on(name, f"{name} must be Measures.")
        if self.high_max_bureau_score >= self.low_min_bureau_score:
            raise ValidationFailed.on("high_max_bureau_score", "The high-risk bureau score must be below the low one.")
        if self.high_max_internal_score >= self.low_min_internal_score:
            raise ValidationFailed.on(
                "high_max_internal_score", "The high-risk internal score must be below the low one."
            )
        if self.high_min_delinquencies_24m <= self.max_delinquencies_24m_for_low:
            raise ValidationFailed.on(
                "high_min_delinquencies_24m", "High risk must need more overdue spells than low risk allows."
            )

    def measures_for(self, level: str) -> Measures:
        return {LOW: self.low_measures, MEDIUM: self.medium_measures, HIGH: self.high_measures}[level]


@dataclass(frozen=True)
class RatingReason:
    """One signal behind a rating: a code, the level it points to, and the figures compared."""

    code: str
    level: str
    compared: dict[str, str]

    def as_dict(self) -> dict[str, object]:
        return {"code": self.code, "level": self.level, "compared": dict(self.compared)}


@dataclass(frozen=True)
class Rating:
    """A risk rating (风险评级): the level, its reasons worst first, and the measures for the plan (ASSESS-2)."""

    policy_version: str
    level: str  # "low" | "medium" | "high"
    reasons: tuple[RatingReason, ...]
    measures: Measures

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready form, for the assessment record and its audit event."""
        return {
            "policy_version": self.policy_version,
            "level": self.level,
            "reasons": [r.as_dict() for r in self.reasons],
            "measures": self.measures.as_dict(),
        }


def _s(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _reason(code: str, level: str, **compared: object) -> RatingReason:
    return RatingReason(code=code, level=level, compared={k: _s(v) for k, v in compared.items()})


def _by_score(score: int, *, low_min: int, high_max: int) -> str:
    if score >= low_min:
        return LOW
    if score <= high_max:
        return HIGH
    return MEDIUM


def _admission_reasons(decision: Decision) -> list[RatingReason]:
    reasons = [_reason("admission_failed", HIGH, rule=r.code, reason=r.reason) for r in decision.failures]
    reasons += [_reason("admission_warning", MEDIUM, rule=r.code, reason=r.reason) for r in decision.warnings]
    return reasons or [_reason("admitted", LOW, admission_policy_version=decision.policy_version)]


def _bureau_reasons(policy: RatingPolicy, report: BureauReport | None) -> list[RatingReason]:
    if report is None:
        return [_reason("no_bureau_report", MEDIUM)]
    reasons = []
    if report.fraud_flag:
        reasons.append(_reason("fraud_flag", HIGH, fraud_flag=True))
    if report.defaults > 0:
        reasons.append(_reason("defaults", HIGH, defaults=report.defaults))
    low_min, high_max = policy.low_min_bureau_score, policy.high_max_bureau_score
    level = _by_score(report.score, low_min=low_min, high_max=high_max)
    reasons.append(_reason("bureau_score", level, score=report.score, low_min=low_min, high_max=high_max))
    spells = report.delinquencies_24m
    if spells >= policy.high_min_delinquencies_24m:
        level = HIGH
    elif spells > policy.max_delinquencies_24m_for_low:
        level = MEDIUM
    else:
        level = LOW
    reasons.append(
        _reason(
            "delinquencies_24m",
            level,
            delinquencies_24m=spells,
            max_for_low=policy.max_delinquencies_24m_for_low,
            high_min=policy.high_min_delinquencies_24m,
        )
    )
    level = MEDIUM if report.inquiries_6m > policy.max_inquiries_6m_for_low else LOW
    reasons.append(
        _reason("inquiries_6m", level, inquiries_6m=report.inquiries_6m, max_for_low=policy.max_inquiries_6m_for_low)
    )
    return reasons


def _internal_reasons(policy: RatingPolicy, internal_score: int | None) -> list[RatingReason]:
    if internal_score is None:
        return [_reason("no_internal_score", MEDIUM)]
    low_min, high_max = policy.low_min_internal_score, policy.high_max_internal_score
    level = _by_score(internal_score, low_min=low_min, high_max=high_max)
    return [_reason("internal_score", level, score=internal_score, low_min=low_min, high_max=high_max)]


def rate(
    policy: RatingPolicy, *, decision: Decision, report: BureauReport | None, internal_score: int | None
) -> Rating:
    """Rate one application (ASSESS-1) and attach its measures (ASSESS-2): the worst level among the signals."""
    if isinstance(internal_score, bool):
        raise TypeError("internal_score is an integer score, not a boolean")
    reasons = [
        *_admission_reasons(decision),
        *_bureau_reasons(policy, report),
        *_internal_reasons(policy, internal_score),
    ]
    reasons.sort(key=lambda r: -LEVELS.index(r.level))  # stable: signal order within a level
    level = reasons[0].level
    return Rating(
        policy_version=policy.version, level=level, reasons=tuple(reasons), measures=policy.measures_for(level)
    )
