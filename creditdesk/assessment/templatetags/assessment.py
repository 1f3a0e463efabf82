"""Labels for the assessment pages: checklist items, admission rules, reasons and rating signals, in the UI language."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext_lazy as _

from creditdesk.accounts.display import person_name
from creditdesk.assessment import catalogue
from creditdesk.assessment import figures as _figures
from creditdesk.assessment.choices import EVENT_LABELS
from creditdesk.core.dates import business_date
from creditdesk.core.templatetags.display import version_label

register = template.Library()

CHECKS = {
    "customer.fields": _("Customer information complete"),
    "identity.id_number": _("ID number checksum, birth date and sex consistent"),
    "identity.credit_code": _("Unified social credit code valid"),
    "customer.documents": _("Required documents on file"),
    "customer.bank_statement": _("Bank statement on file"),
    "customer.financials": _("Financial statements on file"),
    "consent.applicant": _("Applicant's credit-report authorization in force"),
    "consent.guarantor": _("Guarantor's credit-report authorization in force"),
    "application.product": _("Product, amount, term and method allowed"),
    "vehicle.present": _("Vehicle recorded"),
    "vehicle.vin": _("VIN check digit"),
    "vehicle.duplicate_vin": _("VIN not financed or pledged elsewhere"),
    "vehicle.documents": _("Vehicle documents complete"),
    "vehicle.age": _("Vehicle age from first registration"),
    "vehicle.valuation": _("Recent valuation"),
    "application.price": _("Price less down payment equals the amount"),
}
RULES = {
    "ADM-1.civil_capacity": _("Full civil capacity"),
    "ADM-2.age": _("Age on the application date"),
    "ADM-2.age_at_maturity": _("Age when the loan ends"),
    "ADM-2.debt_to_income": _("Debt-to-income (debt service + new instalment ÷ income)"),
    "ADM-3.bureau_score": _("Credit-bureau score"),
    "ADM-4.bad_records": _("No bad credit records in the look-back"),
    "ADM-5.documents": _("Vehicle documents complete"),
    "ADM-5.major_accident": _("No major accident"),
    "ADM-5.valuation": _("Valuation present"),
    "ADM-5.ltv": _("Loan-to-value within the cap"),
    "ADM-6.vehicle_age": _("Vehicle age at maturity"),
    "ADM-6.mileage": _("Mileage"),
    "ADM-6.term": _("Term within the product limit"),
    "ASSESS-2.high_risk": _("High risk, declined unless an exception is approved"),
}
REASONS = {
    "ok": _("OK"),
    "missing": _("Missing"),
    "invalid": _("Invalid"),
    "inconsistent": _("Inconsistent"),
    "not_configured": _("No limit configured"),
    "not_applicable": _("Not applicable"),
    "below_minimum": _("Below the minimum"),
    "above_maximum": _("Above the maximum"),
    "no_full_civil_capacity": _("No full civil capacity"),
    "documents_incomplete": _("Documents incomplete"),
    "major_accident": _("Major accident"),
    "bad_records": _("Bad records found"),
    "no_income": _("No income"),
    "consent_missing": _("No authorization on file"),
    "consent_expired": _("Authorization expired"),
    "consent_expiring": _("Authorization expires within 30 days"),
    "product_not_in_force": _("Product not in force"),
    "product_not_for_customer": _("Product not for this kind of customer"),
    "outside_product_limits": _("Outside the product's limits"),
    "check_digit": _("Check digit does not match"),
    "pledged_elsewhere": _("Pledged on another active loan"),
    "same_vin": _("Other records carry this VIN"),
    "stale": _("Valuation older than 90 days"),
}
SIGNALS = {
    "admitted": _("Admission rules passed"),
    "admission_failed": _("Admission rule failed"),
    "admission_warning": _("Admission rule warned"),
    "no_bureau_report": _("No credit report"),
    "fraud_flag": _("Fraud flag on the credit report"),
    "defaults": _("Debt in default"),
    "bureau_score": _("Credit-bureau score"),
    "delinquencies_24m": _("Overdue spells in 24 months"),
    "inquiries_6m": _("Lenders' inquiries in 6 months"),
    "no_internal_score": _("No internal score"),
    "internal_score": _("Internal score"),
}
MEASURES = {
    "declined_by_default": _("Declined unless an exception is approved"),
    "preferential_terms": _("Preferential terms"),
    "min_down_payment_share": _("Minimum down payment share"),
    "min_down_payment_share_with_guarantor": _("Minimum down payment share with a guarantor"),
    "guarantor_required": _("Guarantor required"),
    "max_term_months": _("Maximum term (months)"),
    "enhanced_review": _("Enhanced review"),
    "monitoring_level": _("Monitoring level"),
    "visits_per_quarter": _("Post-loan visits per quarter"),
}


@register.filter
def check_label(item: dict[str, Any]) -> str:
    return str(CHECKS.get(item.get("code", ""), item.get("code", "")))


@register.filter
def rule_label(code: str) -> str:
    return str(RULES.get(code, code))


@register.filter
def stage_label(stage: str) -> str:
    """Where a failed rule was found: in the assessment, or on the plan's own figures (issue 11 item 4)."""
    return str({"assessment": _("Assessment"), "plan": _("Plan figures")}.get(stage, stage))


@register.filter
def reason_label(reason: str) -> str:
    return str(REASONS.get(reason, reason))


@register.filter
def signal_label(code: str) -> str:
    return str(SIGNALS.get(code, code))


@register.filter
def measure_label(name: str) -> str:
    return str(MEASURES.get(name, name))


@register.filter
def level_label(level: str) -> str:
    return str({"low": _("Low risk"), "medium": _("Medium risk"), "high": _("High risk")}.get(level, level))


def _product_names(context: template.Context) -> dict[str, str]:
    """Product names by code, read once per request (a list shows many applications)."""
    holder: Any = context.get("request") or context.render_context
    names = getattr(holder, "_product_names", None)
    if names is None:
        names = {p.code: p.name for p in catalogue.products_on(business_date())}
        holder._product_names = names
    return names


@register.simple_tag(takes_context=True)
def product_name(context: template.Context, code: str) -> str:
    """A product's name (applications keep the code); the code only when no product of that code is in force."""
    if not code:
        return "—"
    return _product_names(context).get(code, code)


@register.simple_tag(takes_context=True)
def figures(context: template.Context, item: dict[str, Any]) -> str:
    """The figures an item compared, labelled, with units: “债务收入比 42.10 % · 上限 50.00 %”."""
    viewer = getattr(context.get("request"), "user", None)
    rows = _figures.figures(
        item,
        product_name=lambda code: product_name(context, code),
        person=lambda name: person_name(viewer, name),
        rule_label=rule_label,
        reason_label=reason_label,
        version_label=version_label,
    )
    return " · ".join(f"{label} {value}" for label, value in rows) or "—"


MONITORING = {"normal": _("Normal"), "close": _("Close"), "intensive": _("Intensive")}
SHARE_MEASURES = {"min_down_payment_share", "min_down_payment_share_with_guarantor"}


@register.filter
def measure_value(value: Any, name: str) -> str:
    """A measure's value: yes/no, a share in %, months, visits or the monitoring level's label."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool) or str(value).lower() in {"true", "false"}:
        return str(_("Yes")) if str(value).lower() == "true" else str(_("No"))
    if name in SHARE_MEASURES:
        return _figures._percent(str(value))
    if name == "max_term_months":
        return f"{value} {_('months')}"
    if name == "visits_per_quarter":
        return f"{value} {_('times')}"
    if name == "monitoring_level":
        return str(MONITORING.get(str(value), value))
    return str(value)


@register.filter
def event_label(event_type: str) -> str:
    return str(EVENT_LABELS.get(event_type, event_type))


@register.filter
def bad_record_label(kind: str) -> str:
    return str(_figures.BAD_RECORDS.get(kind, kind))


@register.filter
def bureau_outcome_label(outcome: str) -> str:
    from creditdesk.assessment.choices import QueryOutcome

    return str(QueryOutcome(outcome).label) if outcome in QueryOutcome.values else str(_("Unknown"))


QUERY_PURPOSES = {"loan_approval": _("Loan approval"), "post_loan_management": _("Post-loan management")}


@register.filter
def query_purpose(purpose: str) -> str:
    """The purpose of a credit-report query: the coded ones by label, free text as written."""
    return str(QUERY_PURPOSES.get(purpose, purpose))
