"""The figures a checklist item, an admission rule or a rating signal compared, as a person reads them.

The stored results keep codes and plain strings (`{"debt_to_income": "0.4210", "max": "0.5000"}`, so a
decision explains itself and stays machine-readable); this catalogue turns them into labelled values in the UI
language: amounts in 元, ratios in %, ages in 岁, terms in 个月, yes/no, product names, document names. A key
without an entry is shown under a generic label, never as `key=value`.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext_lazy as _

from creditdesk.core.money import format_yuan

Formatter = Callable[[str], str]


def _yuan(value: str) -> str:
    try:
        return f"{format_yuan(Decimal(value))} 元"
    except (InvalidOperation, ValueError, TypeError):
        return value


def _percent(value: str) -> str:
    try:
        return f"{(Decimal(value) * 100).quantize(Decimal('0.01'))} %"
    except (InvalidOperation, ValueError, TypeError):
        return value


def _unit(unit: Any) -> Formatter:
    return lambda value: f"{value} {unit}"


def _plain(value: str) -> str:
    return value


def _yes_no(value: str) -> str:
    return str(_("Yes")) if value.lower() in {"true", "1", "yes"} else str(_("No"))


YEARS, MONTHS, KM, POINTS, TIMES = _("years"), _("months"), _("km"), _("points"), _("times")

# key → (label, formatter); the value formatter gets the stored string.
FIGURES: dict[str, tuple[Any, Formatter]] = {
    "customer": (_("Customer"), _plain),
    "expires_on": (_("Expires on"), _plain),
    "id_number": (_("ID number"), _plain),
    "derived_birth_on": (_("Birth date in the ID number"), _plain),
    "birth_on": (_("Birth date on file"), _plain),
    "product": (_("Product"), _plain),
    "vin": (_("VIN"), _plain),
    "count": (_("Other records"), _plain),
    "registration_certificate": (_("Registration certificate"), _yes_no),
    "invoice": (_("Purchase invoice"), _yes_no),
    "insurance": (_("Insurance"), _yes_no),
    "age_months": (_("Vehicle age"), _unit(MONTHS)),
    "valued_on": (_("Valued on"), _plain),
    "value": (_("Appraised value"), _yuan),
    "price": (_("Vehicle price"), _yuan),
    "down_payment": (_("Down payment"), _yuan),
    "requested": (_("Requested amount"), _yuan),
    "full_civil_capacity": (_("Full civil capacity"), _yes_no),
    "enforced": (_("Required by the policy"), _yes_no),
    "age_years": (_("Age"), _unit(YEARS)),
    "age_years_at_maturity": (_("Age when the loan ends"), _unit(YEARS)),
    "debt_to_income": (_("Debt-to-income"), _percent),
    "monthly_income_amount": (_("Monthly income"), _yuan),
    "monthly_debt_service_amount": (_("Monthly debt service"), _yuan),
    "new_instalment_amount": (_("New monthly instalment"), _yuan),
    "bureau_score": (_("Credit-bureau score"), _unit(POINTS)),
    "score": (_("Score"), _unit(POINTS)),
    "lookback_months": (_("Look-back"), _unit(MONTHS)),
    "since": (_("Since"), _plain),
    "records_in_lookback": (_("Records in the look-back"), _plain),
    "documents_complete": (_("Vehicle documents complete"), _yes_no),
    "has_major_accident": (_("Major accident"), _yes_no),
    "valuation_amount": (_("Appraised value"), _yuan),
    "loan_amount": (_("Loan amount"), _yuan),
    "price_amount": (_("Transaction price"), _yuan),
    "base_amount": (_("LTV base (lower of price and appraisal)"), _yuan),
    "ltv": (_("Loan-to-value"), _percent),
    "vehicle_age_months_at_maturity": (_("Vehicle age when the loan ends"), _unit(MONTHS)),
    "mileage_km": (_("Mileage"), _unit(KM)),
    "term_months": (_("Term"), _unit(MONTHS)),
    "fraud_flag": (_("Fraud flag"), _yes_no),
    "defaults": (_("Debts in default"), _plain),
    "delinquencies_24m": (_("Overdue spells in 24 months"), _unit(TIMES)),
    "inquiries_6m": (_("Lenders' inquiries in 6 months"), _unit(TIMES)),
}
# The unit of a rule's or signal's limits (min, max, low_min, high_max, …) follows what it measures.
LIMIT_FORMATS: dict[str, Formatter] = {
    "ADM-2.age": _unit(YEARS),
    "ADM-2.age_at_maturity": _unit(YEARS),
    "ADM-2.debt_to_income": _percent,
    "ADM-3.bureau_score": _unit(POINTS),
    "ADM-5.ltv": _percent,
    "ADM-6.vehicle_age": _unit(MONTHS),
    "ADM-6.mileage": _unit(KM),
    "ADM-6.term": _unit(MONTHS),
    "bureau_score": _unit(POINTS),
    "internal_score": _unit(POINTS),
    "delinquencies_24m": _unit(TIMES),
    "inquiries_6m": _unit(TIMES),
}
LIMITS = {
    "min": _("Minimum"),
    "max": _("Maximum"),
    "low_min": _("Low risk from"),
    "high_max": _("High risk up to"),
    "max_for_low": _("Low risk up to"),
    "high_min": _("High risk from"),
}
BAD_RECORDS = {"overdue": _("Overdue"), "unpaid_debt": _("Unpaid debt"), "fraud": _("Fraud")}
PRODUCT_PROBLEMS = {"amount": _("Amount"), "term": _("Term"), "method": _("Repayment method")}
IDENTIFIER_ERRORS = {
    "required": _("Missing"),
    "length": _("Wrong length"),
    "format": _("Wrong format"),
    "prefix": _("Unknown region code"),
    "birth_date": _("Invalid birth date"),
    "future_birth_date": _("Birth date in the future"),
    "checksum": _("Check character does not match"),
    "organisation_checksum": _("Organisation-code check character does not match"),
    "forbidden_letters": _("Letters I, O or Q are not allowed"),
}


def _list(value: str, labels: Callable[[str], str]) -> str:
    return "、".join(labels(part) for part in value.split(",") if part)


def missing_label(name: str) -> str:
    """A missing customer field or document, by its label (the checklist lists their codes)."""
    from django.core.exceptions import FieldDoesNotExist

    from creditdesk.customers.choices import DocumentType
    from creditdesk.customers.models import Customer

    if name in DocumentType.values:
        return str(DocumentType(name).label)
    try:
        field = Customer._meta.get_field(name)
    except FieldDoesNotExist:  # an unknown name still reads as something, never as its code or a crash
        return str(_("Other information"))
    return str(getattr(field, "verbose_name", _("Other information")))


def figures(
    item: dict[str, Any],
    *,
    product_name: Callable[[str], str] = _plain,
    person: Callable[[str], str] = _plain,
    rule_label: Callable[[str], str] = _plain,
    reason_label: Callable[[str], str] = _plain,
    version_label: Callable[[str], str] = _plain,
) -> list[tuple[str, str]]:
    """[(label, value), …] for the non-empty figures of a checklist item, rule result or rating signal."""
    code = item.get("code", "")
    rows: list[tuple[str, str]] = []
    for key, raw in (item.get("compared") or {}).items():
        value = str(raw)
        if value == "":
            continue
        if key in LIMITS:
            rows.append((str(LIMITS[key]), LIMIT_FORMATS.get(code, _plain)(value)))
        elif key == "product":
            rows.append((str(_("Product")), product_name(value)))
        elif key == "customer":
            rows.append((str(_("Customer")), person(value)))
        elif key == "missing":
            rows.append((str(_("Missing")), _list(value, missing_label)))
        elif key == "kinds":
            rows.append((str(_("Kinds")), _list(value, lambda k: str(BAD_RECORDS.get(k, k)))))
        elif key == "problems":
            rows.append((str(_("Outside the limits")), _list(value, lambda k: str(PRODUCT_PROBLEMS.get(k, k)))))
        elif key == "error":
            rows.append((str(_("Problem")), str(IDENTIFIER_ERRORS.get(value, _("Invalid")))))
        elif key == "rule":
            rows.append((str(_("Rule")), rule_label(value)))
        elif key == "reason":
            rows.append((str(_("Result")), reason_label(value)))
        elif key == "admission_policy_version":
            rows.append((str(_("Admission policy")), version_label(value)))
        elif key in FIGURES:
            label, formatter = FIGURES[key]
            rows.append((str(label), formatter(value)))
        else:
            rows.append((str(_("Other figure")), value))
    return rows
