"""The assessment engine (评估引擎): admission rules + internal scorecard + risk rating in one pure call.

No ORM, no clock: the service gathers the facts for the business date, queries the bureau and passes
everything in; the bench times this function. Same inputs, same outcome.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import ROUND_CEILING, Decimal, localcontext

from creditdesk.assessment import rating, rules, scorecard
from creditdesk.assessment.bureau import BureauReport

FEN = Decimal("0.01")


@dataclass(frozen=True)
class Outcome:
    """What the engine decided: the admission decision, the score with its contributions, the rating."""

    decision: rules.Decision
    score: scorecard.ScoreResult
    contributions: list[dict[str, object]]
    rating: rating.Rating


def estimated_instalment(principal: Decimal, annual_rate: Decimal, term_months: int, method: str) -> Decimal:
    """The largest regular monthly instalment at `annual_rate`, rounded up to the fen, for the debt-to-income test.

    Before a plan is priced the assessment uses the policy's stress rate. Equal principal: the first
    instalment (the largest). Equal instalments and interest-first: the annuity instalment — an interest-first
    loan is assessed as if it amortised, as lenders do, rather than on its final balloon.
    """
    if term_months <= 0:
        raise ValueError("term_months must be positive")
    with localcontext() as ctx:
        ctx.prec = 34
        monthly = annual_rate / 12
        if method == "equal_principal":
            amount = principal / term_months + principal * monthly
        elif monthly == 0:
            amount = principal / term_months
        else:
            amount = principal * monthly / (1 - (1 + monthly) ** -term_months)
        return amount.quantize(FEN, rounding=ROUND_CEILING)


def run(
    *,
    admission_policy: rules.AdmissionPolicy,
    rating_policy: rating.RatingPolicy,
    card: scorecard.Scorecard,
    facts: rules.ApplicantFacts,
    features: dict[str, object],
    report: BureauReport | None,
) -> Outcome:
    """Assess one application: the report's facts fill the applicant's bureau facts, then rules, score, rating."""
    if report is not None:
        facts = replace(
            facts,
            bureau_score=report.score,
            bad_records=report.bad_records,
            monthly_debt_service_amount=report.monthly_debt_service_amount,
        )
    decision = rules.evaluate(admission_policy, facts)
    result = scorecard.score(card, features)
    rated = rating.rate(rating_policy, decision=decision, report=report, internal_score=result.score)
    return Outcome(decision=decision, score=result, contributions=scorecard.contributions(card, features), rating=rated)
