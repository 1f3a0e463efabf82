"""Admission rules (客户准入规则), ADM-1…ADM-7: pure evaluation of a versioned policy against an applicant's facts.

No ORM, no clock, no Django (STYLE rule 5): the service layer gathers the facts (customer, vehicle, bureau report,
requested loan) for the business date and passes them in; `evaluate()` returns one `RuleResult` for **every**
rule, in the fixed order of `RULE_CODES`, and a `Decision` that records the policy version (ADM-7). The applicant
is admitted when no rule fails; a warning never blocks, it is shown to the reviewer.

Outcomes and reasons. Each result has an outcome ("pass", "fail" or "warn"), a machine reason code (translated
for people by the UI) and `compared`: the figures the rule compared, as strings, so the decision explains itself
(PRIN-2) and can be stored as JSON. The reason codes:

- `ok` — within the policy; `not_configured` — the policy sets no limit for this rule (e.g. no age cap at maturity);
  `not_applicable` — the rule does not concern this applicant: the personal rules (civil capacity, age,
  debt-to-income) for a company (`natural_person=False`), the vehicle rules for a loan without a vehicle
  (`vehicle_loan=False`). Both pass.
- `missing` — a fact the rule needs is unknown (None). Every rule is hard, so missing data fails, except where a
  policy switch turns the check off (`require_valuation=False` etc.): then missing data, or a problem found,
  only warns, so the reviewer still sees it.
- `below_minimum`, `above_maximum` — a figure outside the range; `invalid` — a figure that makes no sense
  (a price of zero, a term of zero months).
- `no_full_civil_capacity`, `documents_incomplete`, `major_accident`, `bad_records`, `no_income`.

Boundaries are inclusive, as a lender reads a policy: age 18 and age 60 are admitted, a score of exactly 600 passes,
LTV exactly 0.70 and debt-to-income exactly 0.55 pass, a car exactly 120 months old at maturity, exactly
200,000 km and exactly 36 months pass. The look-back window includes its first day: with a 24-month look-back on
2027-03-15, a bad record that ended on 2025-03-15 still counts, one that ended on 2025-03-14 does not.

Ratios (loan-to-value, debt-to-income) are exact `Decimal` quotients rounded **up** to 4 places before the
comparison: a ratio a hair over the cap (0.70004) is shown as 0.7001 and fails, so the figure shown never
understates the risk and always agrees with the outcome. The policy's caps have at most 4 places, which makes this
the same as comparing the exact quotient.

Bad records (ADM-4) are passed as the list itself, not as a count: the look-back is part of the versioned policy,
so the engine applies it, and the result shows how many records fell inside and of which kinds. A record counts
when it is still ongoing (`ended_on` None) or ended on or after `assessed_on` minus the look-back months.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, fields
from decimal import Decimal

from creditdesk.assessment import limits
from creditdesk.core.errors import ValidationFailed
from creditdesk.core.months import add_months

PASS = "pass"  # noqa: S105 - an outcome, not a password
FAIL = "fail"
WARN = "warn"
OUTCOMES = (PASS, FAIL, WARN)

RATIO_PLACES = Decimal("0.0001")

# Kinds of bad credit record (不良信用记录) named by ADM-4: overdue (逾期), unpaid debt (欠款未还), fraud (欺诈).
OVERDUE = "overdue"
UNPAID_DEBT = "unpaid_debt"
FRAUD = "fraud"
BAD_RECORD_KINDS = (OVERDUE, UNPAID_DEBT, FRAUD)


@dataclass(frozen=True)
class BadRecord:
    """A bad credit record (不良信用记录) from a credit report: its kind and the day it ended (None: ongoing)."""

    kind: str
    ended_on: dt.date | None

    def __post_init__(self) -> None:
        if self.kind not in BAD_RECORD_KINDS:
            raise ValidationFailed.on("kind", f"Unknown bad-record kind {self.kind!r}.")


@dataclass(frozen=True, kw_only=True)
class AdmissionPolicy:
    """Admission policy (准入政策), one version of the configurable criteria of ADM-1…ADM-6.

    The defaults are the seeds' placeholders filled with usual values and DOMAIN.md §1 for used-car loans
    (LTV ≤ 70 % of the lower of price and appraisal, term ≤ 36 months); an administrator edits them and each edit
    is a new version. `max_age_at_maturity` None means no cap on the age when the loan ends.
    """

    version: str
    min_age: int = 18
    max_age: int = 60  # age on the application date
    max_age_at_maturity: int | None = 65
    require_full_civil_capacity: bool = True
    min_bureau_score: int = 600
    bad_record_lookback_months: int = 24
    max_debt_to_income: Decimal = Decimal("0.55")  # (existing monthly debt service + new instalment) ÷ income
    require_vehicle_documents: bool = True
    refuse_major_accident: bool = True
    max_vehicle_age_months_at_maturity: int = 120
    max_mileage_km: int = 200_000
    require_valuation: bool = True
    max_ltv: Decimal = Decimal("0.70")  # loan ÷ lower of price and appraised value
    max_term_months: int = 36

    def __post_init__(self) -> None:
        if not isinstance(self.version, str) or not self.version.strip():
            raise ValidationFailed.on("version", "A policy needs a version.")
        for name in (
            "min_age",
            "max_age",
            "max_age_at_maturity",
            "min_bureau_score",
            "bad_record_lookback_months",
            "max_vehicle_age_months_at_maturity",
            "max_mileage_km",
            "max_term_months",
        ):
            value = getattr(self, name)
            if value is None and name == "max_age_at_maturity":
                continue
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValidationFailed.on(name, f"{name} must be a whole number, zero or more.")
        if self.min_age > self.max_age:
            raise ValidationFailed.on("max_age", "The maximum age cannot be below the minimum age.")
        if self.max_age_at_maturity is not None and self.max_age_at_maturity < self.min_age:
            raise ValidationFailed.on("max_age_at_maturity", "The age cap at maturity cannot be below the minimum age.")
        if self.max_term_months < 1:
            raise ValidationFailed.on("max_term_months", "The maximum term must be at least one month.")
        for name in ("max_debt_to_income", "max_ltv"):
            ratio = getattr(self, name)
            if not isinstance(ratio, Decimal) or not ratio.is_finite() or not 0 < ratio <= 1:
                raise ValidationFailed.on(name, f"{name} must be a Decimal above 0 and at most 1.")
            if ratio != ratio.quantize(RATIO_PLACES):
                raise ValidationFailed.on(name, f"{name} has at most 4 decimal places.")


_INT_FACTS = ("age_years", "age_years_at_maturity", "bureau_score", "vehicle_age_months_at_maturity", "mileage_km")
_AMOUNT_FACTS = (
    "monthly_income_amount",
    "monthly_debt_service_amount",
    "new_instalment_amount",
    "valuation_amount",
    "price_amount",
    "loan_amount",
)


@dataclass(frozen=True, kw_only=True)
class ApplicantFacts:
    """Everything the admission rules read about one application, as of `assessed_on` (the business date).

    None means unknown. The caller computes the dated figures: ages in whole years on the application date and on
    the maturity date (`Customer.age_on`), the vehicle's age in months at maturity
    (`vehicles.valuation.vehicle_age_months` on the maturity date). `bad_records` is the full list from the credit
    report (None: no report; empty: a clean report); the engine applies the policy's look-back.
    `monthly_debt_service_amount` is what the applicant pays on existing debts each month (from the credit report),
    `new_instalment_amount` the requested loan's largest monthly instalment. Amounts are Decimal yuan (int
    accepted, float refused), never negative.
    """

    assessed_on: dt.date
    natural_person: bool = True  # False for a company: the personal rules do not apply
    vehicle_loan: bool = True  # False for a loan without a vehicle (a working-capital loan)
    age_years: int | None = None
    age_years_at_maturity: int | None = None
    full_civil_capacity: bool | None = None
    bureau_score: int | None = None
    bad_records: tuple[BadRecord, ...] | None = None
    monthly_income_amount: Decimal | None = None
    monthly_debt_service_amount: Decimal | None = None
    new_instalment_amount: Decimal | None = None
    documents_complete: bool | None = None
    has_major_accident: bool | None = None
    vehicle_age_months_at_maturity: int | None = None
    mileage_km: int | None = None
    valuation_amount: Decimal | None = None  # appraised value (评估价); None: no valuation
    price_amount: Decimal | None = None  # transaction price (成交价)
    loan_amount: Decimal | None = None
    term_months: int | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.assessed_on, dt.date) or isinstance(self.assessed_on, dt.datetime):
            raise ValidationFailed.on("assessed_on", "assessed_on must be a date.")
        for name in (*_INT_FACTS, "term_months"):
            value = getattr(self, name)
            if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
                raise ValidationFailed.on(name, f"{name} must be a whole number, zero or more.")
        for name in _AMOUNT_FACTS:
            value = getattr(self, name)
            if value is None:
                continue
            if isinstance(value, bool | float):
                raise TypeError(f"amounts are never built from {type(value).__name__}: {name}={value!r}")
            if isinstance(value, int):
                value = Decimal(value)
                object.__setattr__(self, name, value)
            if not isinstance(value, Decimal) or not value.is_finite() or value < 0:
                raise ValidationFailed.on(name, f"{name} must be an amount, zero or more.")
        for name in ("natural_person", "vehicle_loan"):
            if not isinstance(getattr(self, name), bool):
                raise ValidationFailed.on(name, f"{name} must be True or False.")
        for name in ("full_civil_capacity", "documents_complete", "has_major_accident"):
            value = getattr(self, name)
            if value is not None and not isinstance(value, bool):
                raise ValidationFailed.on(name, f"{name} must be True, False or None.")
        if self.bad_records is not None:
            records = tuple(self.bad_records)
            if not all(isinstance(record, BadRecord) for record in records):
                raise ValidationFailed.on("bad_records", "bad_records must be BadRecord values.")
            object.__setattr__(self, "bad_records", records)


@dataclass(frozen=True)
class RuleResult:
    """One admission rule's verdict (准入规则结果): code ("ADM-3.bureau_score"), outcome, reason code, figures."""

    code: str
    outcome: str  # "pass" | "fail" | "warn"
    reason: str
    compared: dict[str, str]

    @property
    def requirement(self) -> str:
        """The requirement the rule implements: "ADM-3" for "ADM-3.bureau_score"."""
        return self.code.split(".", 1)[0]

    def as_dict(self) -> dict[str, object]:
        return {"code": self.code, "outcome": self.outcome, "reason": self.reason, "compared": dict(self.compared)}


@dataclass(frozen=True)
class Decision:
    """An admission decision (准入结论): every rule's result under one policy version (ADM-7)."""

    policy_version: str
    results: tuple[RuleResult, ...]

    @property
    def admitted(self) -> bool:
        """Admitted when no rule fails; warnings do not block."""
        return not any(r.outcome == FAIL for r in self.results)

    @property
    def failures(self) -> tuple[RuleResult, ...]:
        return tuple(r for r in self.results if r.outcome == FAIL)

    @property
    def warnings(self) -> tuple[RuleResult, ...]:
        return tuple(r for r in self.results if r.outcome == WARN)

    def result(self, code: str) -> RuleResult:
        """The result of the rule `code`; KeyError for an unknown code."""
        for r in self.results:
            if r.code == code:
                return r
        raise KeyError(code)

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready form, for the assessment record and its audit event."""
        return {
            "policy_version": self.policy_version,
            "admitted": self.admitted,
            "results": [r.as_dict() for r in self.results],
        }


ratio_up = limits.ratio_up  # one rounding of ratios for the rules, the checklist, quotes and plans


def _s(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _result(code: str, outcome: str, reason: str, **compared: object) -> RuleResult:
    return RuleResult(code=code, outcome=outcome, reason=reason, compared={k: _s(v) for k, v in compared.items()})


def _range(code: str, name: str, value: int | None, low: int | None, high: int | None) -> RuleResult:
    """A whole-number fact within [low, high] inclusive (either bound may be None: no bound)."""
    shown: dict[str, object] = {name: value}
    if low is not None:
        shown["min"] = low
    if high is not None:
        shown["max"] = high
    if value is None:
        return _result(code, FAIL, "missing", **shown)
    if low is not None and value < low:
        return _result(code, FAIL, "below_minimum", **shown)
    if high is not None and value > high:
        return _result(code, FAIL, "above_maximum", **shown)
    return _result(code, PASS, "ok", **shown)


def _switch(code: str, name: str, value: bool | None, *, good: bool, enforced: bool, problem: str) -> RuleResult:
    """A yes/no fact: `good` passes; otherwise fail when the policy enforces the check, warn when it does not."""
    severity = FAIL if enforced else WARN
    if value is None:
        return _result(code, severity, "missing", **{name: None, "enforced": enforced})
    if value is not good:
        return _result(code, severity, problem, **{name: value, "enforced": enforced})
    return _result(code, PASS, "ok", **{name: value, "enforced": enforced})


# --- the rules, one function each, in RULE_CODES order ---


def _civil_capacity(policy: AdmissionPolicy, facts: ApplicantFacts) -> RuleResult:
    """ADM-1: a natural person with full civil capacity (完全民事行为能力)."""
    return _switch(
        "ADM-1.civil_capacity",
        "full_civil_capacity",
        facts.full_civil_capacity,
        good=True,
        enforced=policy.require_full_civil_capacity,
        problem="no_full_civil_capacity",
    )


def _age(policy: AdmissionPolicy, facts: ApplicantFacts) -> RuleResult:
    """ADM-2: age on the application date within the configured range."""
    return _range("ADM-2.age", "age_years", facts.age_years, policy.min_age, policy.max_age)


def _age_at_maturity(policy: AdmissionPolicy, facts: ApplicantFacts) -> RuleResult:
    """ADM-2: age when the loan ends at most the configured cap (none when the policy sets no cap)."""
    code = "ADM-2.age_at_maturity"
    if policy.max_age_at_maturity is None:
        return _result(code, PASS, "not_configured", age_years_at_maturity=facts.age_years_at_maturity)
    return _range(code, "age_years_at_maturity", facts.age_years_at_maturity, None, policy.max_age_at_maturity)


def _debt_to_income(policy: AdmissionPolicy, facts: ApplicantFacts) -> RuleResult:
    """ADM-2 repayment capacity: (existing monthly debt service + new instalment) ÷ monthly income ≤ the cap."""
    code = "ADM-2.debt_to_income"
    income, debt = facts.monthly_income_amount, facts.monthly_debt_service_amount
    instalment = facts.new_instalment_amount
    shown: dict[str, object] = {
        "monthly_income_amount": income,
        "monthly_debt_service_amount": debt,
        "new_instalment_amount": instalment,
        "max": policy.max_debt_to_income,
    }
    if income is None or debt is None or instalment is None:
        return _result(code, FAIL, "missing", **shown)
    if income <= 0:
        return _result(code, FAIL, "no_income", **shown)
    ratio = ratio_up(debt + instalment, income)
    within = limits.within_ratio(debt + instalment, income, policy.max_debt_to_income)
    outcome, reason = (PASS, "ok") if within else (FAIL, "above_maximum")
    return _result(code, outcome, reason, debt_to_income=ratio, **shown)


def _bureau_score(policy: AdmissionPolicy, facts: ApplicantFacts) -> RuleResult:
    """ADM-3: credit score from a lawful credit agency at or above the minimum; no report fails."""
    return _range("ADM-3.bureau_score", "bureau_score", facts.bureau_score, policy.min_bureau_score, None)


def _bad_records(policy: AdmissionPolicy, facts: ApplicantFacts) -> RuleResult:
    """ADM-4: no overdue, unpaid-debt or fraud record ongoing or ended within the look-back."""
    code = "ADM-4.bad_records"
    since = add_months(facts.assessed_on, -policy.bad_record_lookback_months)
    shown: dict[str, object] = {"lookback_months": policy.bad_record_lookback_months, "since": since.isoformat()}
    if facts.bad_records is None:
        return _result(code, FAIL, "missing", **shown)
    inside = [r for r in facts.bad_records if r.ended_on is None or r.ended_on >= since]
    shown["records_in_lookback"] = len(inside)
    if inside:
        kinds = sorted({r.kind for r in inside}, key=BAD_RECORD_KINDS.index)
        return _result(code, FAIL, "bad_records", kinds=",".join(kinds), **shown)
    return _result(code, PASS, "ok", **shown)


def _documents(policy: AdmissionPolicy, facts: ApplicantFacts) -> RuleResult:
    """ADM-5: the vehicle's documents (registration certificate, licence, invoice…) are complete."""
    return _switch(
        "ADM-5.documents",
        "documents_complete",
        facts.documents_complete,
        good=True,
        enforced=policy.require_vehicle_documents,
        problem="documents_incomplete",
    )


def _major_accident(policy: AdmissionPolicy, facts: ApplicantFacts) -> RuleResult:
    """ADM-5: no major accident (重大事故: structural damage, flood, fire)."""
    return _switch(
        "ADM-5.major_accident",
        "has_major_accident",
        facts.has_major_accident,
        good=False,
        enforced=policy.refuse_major_accident,
        problem="major_accident",
    )


def _valuation(policy: AdmissionPolicy, facts: ApplicantFacts) -> RuleResult:
    """ADM-5: an appraised value exists; without one the LTV falls back to the price, so it only warns."""
    code = "ADM-5.valuation"
    value = facts.valuation_amount
    severity = FAIL if policy.require_valuation else WARN
    shown = {"valuation_amount": value, "enforced": policy.require_valuation}
    if value is None:
        return _result(code, severity, "missing", **shown)
    if value <= 0:
        return _result(code, FAIL, "invalid", **shown)
    return _result(code, PASS, "ok", **shown)


def _ltv(policy: AdmissionPolicy, facts: ApplicantFacts) -> RuleResult:
    """ADM-5 (DOMAIN.md §1): loan ÷ the lower of transaction price and appraised value ≤ the cap (70 %)."""
    code = "ADM-5.ltv"
    price, value, loan = facts.price_amount, facts.valuation_amount, facts.loan_amount
    shown: dict[str, object] = {
        "loan_amount": loan,
        "price_amount": price,
        "valuation_amount": value,
        "max": policy.max_ltv,
    }
    if loan is None or price is None or (value is None and policy.require_valuation):
        return _result(code, FAIL, "missing", **shown)
    base = limits.ltv_base(price, value)
    shown["base_amount"] = base
    if base is None or base <= 0 or loan <= 0:
        return _result(code, FAIL, "invalid", **shown)
    ltv = ratio_up(loan, base)
    within = limits.within_ratio(loan, base, policy.max_ltv)
    outcome, reason = (PASS, "ok") if within else (FAIL, "above_maximum")
    return _result(code, outcome, reason, ltv=ltv, **shown)


def _vehicle_age(policy: AdmissionPolicy, facts: ApplicantFacts) -> RuleResult:
    """ADM-6: the car's age in months when the loan ends within the product's limit."""
    value, limit = facts.vehicle_age_months_at_maturity, policy.max_vehicle_age_months_at_maturity
    return _range("ADM-6.vehicle_age", "vehicle_age_months_at_maturity", value, None, limit)


def _mileage(policy: AdmissionPolicy, facts: ApplicantFacts) -> RuleResult:
    """ADM-6: odometer reading within the product's limit."""
    return _range("ADM-6.mileage", "mileage_km", facts.mileage_km, None, policy.max_mileage_km)


def _term(policy: AdmissionPolicy, facts: ApplicantFacts) -> RuleResult:
    """ADM-6 product limit (DOMAIN.md §1: used-car loans ≤ 3 years including extension): 1 ≤ term ≤ the cap."""
    code = "ADM-6.term"
    if facts.term_months == 0:
        return _result(code, FAIL, "invalid", term_months=0, max=policy.max_term_months)
    return _range(code, "term_months", facts.term_months, None, policy.max_term_months)


RULES: tuple[tuple[str, Callable[[AdmissionPolicy, ApplicantFacts], RuleResult]], ...] = (
    ("ADM-1.civil_capacity", _civil_capacity),
    ("ADM-2.age", _age),
    ("ADM-2.age_at_maturity", _age_at_maturity),
    ("ADM-2.debt_to_income", _debt_to_income),
    ("ADM-3.bureau_score", _bureau_score),
    ("ADM-4.bad_records", _bad_records),
    ("ADM-5.documents", _documents),
    ("ADM-5.major_accident", _major_accident),
    ("ADM-5.valuation", _valuation),
    ("ADM-5.ltv", _ltv),
    ("ADM-6.vehicle_age", _vehicle_age),
    ("ADM-6.mileage", _mileage),
    ("ADM-6.term", _term),
)
RULE_CODES = tuple(code for code, _ in RULES)


PERSONAL_RULES = frozenset({"ADM-1.civil_capacity", "ADM-2.age", "ADM-2.age_at_maturity", "ADM-2.debt_to_income"})
VEHICLE_RULES = frozenset(
    {"ADM-5.documents", "ADM-5.major_accident", "ADM-5.valuation", "ADM-5.ltv", "ADM-6.vehicle_age", "ADM-6.mileage"}
)


def _applies(code: str, facts: ApplicantFacts) -> bool:
    if code in PERSONAL_RULES and not facts.natural_person:
        return False
    return not (code in VEHICLE_RULES and not facts.vehicle_loan)


def evaluate(policy: AdmissionPolicy, facts: ApplicantFacts) -> Decision:
    """Apply every admission rule of `policy` to `facts` (ADM-1…ADM-7); same inputs, same decision."""
    return Decision(
        policy_version=policy.version,
        results=tuple(
            rule(policy, facts) if _applies(code, facts) else _result(code, PASS, "not_applicable")
            for code, rule in RULES
        ),
    )


def policy_as_dict(policy: AdmissionPolicy) -> dict[str, str]:
    """The policy's parameters as strings, to snapshot beside a decision or show on the policy page."""
    return {f.name: _s(getattr(policy, f.name)) for f in fields(policy)}


def policy_from_dict(raw: dict[str, str]) -> AdmissionPolicy:
    """Rebuild a policy from its snapshot (`policy_as_dict`), e.g. the one an assessment recorded."""
    values: dict[str, object] = {}
    for f in fields(AdmissionPolicy):
        if f.name not in raw:
            continue
        text = raw[f.name]
        default = getattr(AdmissionPolicy(version="x"), f.name)
        if f.name == "version":
            values[f.name] = text
        elif text == "":
            values[f.name] = None
        elif isinstance(default, bool):
            values[f.name] = text == "true"
        elif isinstance(default, Decimal):
            values[f.name] = Decimal(text)
        else:
            values[f.name] = int(text)
    return AdmissionPolicy(**values)  # type: ignore[arg-type]


# The rules whose facts a service plan changes (amount, term, price, down payment): re-run on every revision.
PLAN_RULES = (
    "ADM-2.age_at_maturity",
    "ADM-2.debt_to_income",
    "ADM-5.ltv",
    "ADM-6.vehicle_age",
    "ADM-6.term",
)


def evaluate_plan_rules(policy: AdmissionPolicy, facts: ApplicantFacts) -> tuple[RuleResult, ...]:
    """The `PLAN_RULES` of `policy` on a plan's facts (issue 11 item 4), in `RULE_CODES` order."""
    return tuple(r for r in evaluate(policy, facts).results if r.code in PLAN_RULES)
