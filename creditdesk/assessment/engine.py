"""The assessment engine (评估引擎): admission rules + application scorecard (A 卡) + risk rating in one pure call.

No ORM, no clock: the service gathers the facts for the business date, queries the bureau and passes
everything in; the bench times this function. Same inputs, same outcome.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from decimal import ROUND_CEILING, Decimal, localcontext

from creditdesk.assessment import expert_scorecard, rating, rules
from creditdesk.assessment.bureau import BureauReport

FEN = Decimal("0.01")


@dataclass(frozen=True, kw_only=True)
class Profile:
    """What the scorecard reads beside the admission facts: the down payment, job, housing and the car's age."""

    down_payment_amount: Decimal | None = None
    employment_years: int | None = None
    housing: str | None = None  # customers.choices.Housing: residence stability (居住稳定性)
    vehicle_first_registered_on: dt.date | None = None


@dataclass(frozen=True)
class Outcome:
    """What the engine decided: the admission decision, the score with its contributions, the rating."""

    decision: rules.Decision
    score: expert_scorecard.ExpertResult
    values: dict[str, Decimal | str | None]
    rating: rating.Rating


def scoring_values(
    facts: rules.ApplicantFacts, profile: Profile, report: BureauReport | None
) -> dict[str, Decimal | str | None]:
    """The scorecard's characteristics for one applicant, in 元 / % / months / years (see `expert_scorecard`)."""
    return expert_scorecard.applicant_values(
        monthly_income_amount=facts.monthly_income_amount,
        monthly_debt_service_amount=facts.monthly_debt_service_amount,
        new_instalment_amount=facts.new_instalment_amount,
        loan_amount=facts.loan_amount,
        price_amount=facts.price_amount,
        valuation_amount=facts.valuation_amount,
        down_payment_amount=profile.down_payment_amount,
        bureau_score=facts.bureau_score,
        delinquencies_24m=report.delinquencies_24m if report else None,
        inquiries_6m=report.inquiries_6m if report else None,
        employment_years=profile.employment_years,
        age_years=facts.age_years,
        housing=profile.housing,
        vehicle_first_registered_on=profile.vehicle_first_registered_on,
        assessed_on=facts.assessed_on,
        mileage_km=facts.mileage_km,
        term_months=facts.term_months,
    )


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
    card: expert_scorecard.ExpertScorecard,
    facts: rules.ApplicantFacts,
    profile: Profile,
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
    values = scoring_values(facts, profile, report)
    result = expert_scorecard.score(card, values)
    rated = rating.rate(rating_policy, decision=decision, report=report, internal_score=result.score)
    return Outcome(decision=decision, score=result, values=values, rating=rated)
