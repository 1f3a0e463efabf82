"""A service plan's admission re-check (方案准入复核), issue 11 items 1 and 4: the failed rules a plan must answer for.

A plan revision changes the loan (amount, term, price, down payment): the rules that read those figures
(`rules.PLAN_RULES`: age and vehicle age at maturity, debt-to-income, LTV on the lower of price and appraisal, term)
run again on the plan's figures under the policy the assessment recorded. Every rule the assessment failed stays
failed as well: a failed hard rule binds, and a risk officer's rating override never removes it. The only way past
is an exception request (`lending.PlanException`) decided by the credit committee.

Each failed rule is a dict {"code", "stage": "assessment" | "plan", "reason", "measured", "limit", "compared"}: the
figures the exception waives.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any

from creditdesk.assessment import co_borrowers, engine, rules
from creditdesk.assessment.models import Assessment, LoanApplication
from creditdesk.assessment.selectors import admission_policy_on, co_borrower_income_counts_on
from creditdesk.core.months import add_months
from creditdesk.vehicles.selectors import latest_valuation
from creditdesk.vehicles.valuation import vehicle_age_months

_NOT_FIGURES = {"max", "min", "enforced", "base_amount", "since", "lookback_months"}
_MEASURED = {
    "ADM-2.debt_to_income": "debt_to_income",
    "ADM-5.ltv": "ltv",
    "ADM-4.bad_records": "records_in_lookback",
}


def failed_rule(result: dict[str, Any], stage: str) -> dict[str, Any]:
    """A failed rule result as the figures an exception waives: the measured figure beside its limit."""
    compared = {str(k): str(v) for k, v in (result.get("compared") or {}).items()}
    name = _MEASURED.get(result["code"]) or next((k for k in compared if k not in _NOT_FIGURES), "")
    return {
        "code": result["code"],
        "stage": stage,
        "reason": result.get("reason", ""),
        "measured": compared.get(name, ""),
        "limit": compared.get("max", compared.get("min", "0" if result["code"] == "ADM-4.bad_records" else "")),
        "compared": compared,
    }


def valuation_of(application: LoanApplication) -> Decimal | None:
    """The vehicle's latest appraised value (评估价), None without a vehicle or a valuation."""
    vehicle = application.vehicle
    valuation = latest_valuation(vehicle) if vehicle is not None else None
    return valuation.value_amount if valuation is not None else None


def _policy(assessment: Assessment) -> rules.AdmissionPolicy:
    recorded = (assessment.admission or {}).get("policy")
    if recorded:
        return rules.policy_from_dict(recorded)
    return admission_policy_on(assessment.business_on)


def _bad_records(raw: list[dict[str, str]]) -> tuple[rules.BadRecord, ...]:
    return tuple(
        rules.BadRecord(r["kind"], dt.date.fromisoformat(r["ended_on"]) if r.get("ended_on") else None) for r in raw
    )


def plan_failures(
    *,
    application: LoanApplication,
    assessment: Assessment,
    principal_amount: Decimal,
    price_amount: Decimal | None,
    term_months: int,
    method: str,
    annual_rate: Decimal,
    on: dt.date,
) -> list[dict[str, Any]]:
    """Every hard rule the plan fails: the assessment's failures, then the plan's own re-run of `PLAN_RULES`."""
    failed = [
        failed_rule(r, "assessment")
        for r in (assessment.admission or {}).get("results", [])
        if r.get("outcome") == rules.FAIL
    ]
    customer, vehicle = application.customer, application.vehicle
    maturity = add_months(on, term_months)
    bureau = assessment.bureau_facts or {}
    debt = bureau.get("monthly_debt_service_amount")
    facts = rules.ApplicantFacts(
        assessed_on=on,
        natural_person=customer.is_individual,
        vehicle_loan=vehicle is not None,
        age_years_at_maturity=customer.age_on(maturity) if customer.birth_on else None,
        monthly_income_amount=customer.monthly_income_amount,
        monthly_debt_service_amount=Decimal(str(debt)) if debt is not None else Decimal(0),
        new_instalment_amount=engine.estimated_instalment(principal_amount, annual_rate, term_months, method),
        vehicle_age_months_at_maturity=vehicle_age_months(vehicle.first_registered_on, maturity) if vehicle else None,
        valuation_amount=valuation_of(application),
        price_amount=price_amount,
        loan_amount=principal_amount,
        term_months=term_months,
        bad_records=_bad_records(bureau.get("bad_records") or []),
    )
    # The co-borrowers' income and debt service as the assessment gathered them, counted as the policy then said.
    household = co_borrowers.Household.from_list(bureau.get("co_borrowers") or [])
    facts, _report = co_borrowers.with_household(
        facts, None, household, counts=co_borrower_income_counts_on(assessment.business_on)
    )
    policy = _policy(assessment)
    for result in rules.evaluate_plan_rules(policy, facts):
        if result.outcome == rules.FAIL:
            failed.append(failed_rule(dataclasses.asdict(result), "plan"))
    return failed
