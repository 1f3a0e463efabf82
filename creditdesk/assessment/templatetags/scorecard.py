"""The application scorecard (A 卡) in staff language: characteristic labels, values in 元 / % / 月 / 年, bands,
reasons as sentences, the probability of default in %, versions by name and date. Never a training-data bin."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from creditdesk.assessment import expert_scorecard as ex
from creditdesk.customers.choices import Housing

register = template.Library()

LABELS = {
    "bureau_score": gettext_lazy("Credit-bureau score"),
    "delinquencies_24m": gettext_lazy("Overdue spells in 24 months"),
    "inquiries_6m": gettext_lazy("Lenders' inquiries in 6 months"),
    "debt_to_income": gettext_lazy("Debt-to-income"),
    "loan_to_value": gettext_lazy("Loan-to-value"),
    "down_payment_ratio": gettext_lazy("Down payment ratio"),
    "monthly_income": gettext_lazy("Monthly income"),
    "employment_years": gettext_lazy("Years with employer"),
    "age": gettext_lazy("Age"),
    "housing": gettext_lazy("Residence stability (housing)"),
    "vehicle_age": gettext_lazy("Vehicle age"),
    "mileage": gettext_lazy("Mileage"),
    "term": gettext_lazy("Loan term"),
    "loan_amount": gettext_lazy("Loan amount"),
}


def _number(text: str, unit: str) -> str:
    """A bound or value as people read it: thousands separators for 元 and km, no trailing zeros."""
    try:
        value = Decimal(text).normalize()
    except (InvalidOperation, TypeError):
        return str(text)
    if value == value.to_integral():
        value = value.quantize(Decimal(1))
    return f"{value:,f}" if unit in (ex.YUAN, ex.KM) else f"{value:f}"


def _with_unit(number: str, unit: str) -> str:
    templates = {
        ex.YUAN: _("%(n)s yuan"),
        ex.PERCENT: "%(n)s %%",
        ex.COUNT: _("%(n)s times"),
        ex.YEARS: _("%(n)s years"),
        ex.AGE: _("%(n)s years old"),
        ex.KM: _("%(n)s km"),
        ex.MONTHS: _("%(n)s months"),
    }
    return templates.get(unit, "%(n)s") % {"n": number}


def _value(code: str, unit: str, raw: str) -> str:
    if unit == ex.CATEGORY:
        return str(dict(Housing.choices).get(raw, raw)) if code == "housing" else raw
    return _with_unit(_number(raw, unit), unit)


@register.filter
def characteristic_label(code: str) -> str:
    return str(LABELS.get(code, code))


@register.filter
def scored_value(item: dict[str, Any]) -> str:
    """The applicant's value of one contribution, with its unit ("45.12 %", "15,000 元", "36 个月"); "—" if none."""
    if item.get("missing") or item.get("value") in (None, ""):
        return "—"
    return _value(item["code"], item.get("unit", ""), item["value"])


@register.filter
def band_text(item: dict[str, Any]) -> str:
    """The band the value fell in ("≤ 30 %", "30.01–40 %", "自有住房"); "not provided" for the missing band."""
    band, unit = item.get("band"), item.get("unit", "")
    if not band:
        return _("not provided")
    if "values" in band:
        return "、".join(_value(item["code"], unit, v) for v in band["values"])
    low, high = band.get("min"), band.get("max")
    if low is None and high is None:
        return _("any value")
    if low is None:
        return "≤ " + _with_unit(_number(high, unit), unit)
    if high is None:
        return "≥ " + _with_unit(_number(low, unit), unit)
    if low == high:
        return _with_unit(_number(low, unit), unit)
    return _with_unit(f"{_number(low, unit)}–{_number(high, unit)}", unit)


@register.filter
def reason_text(reason: dict[str, Any]) -> str:
    """One reason as a sentence for staff: "负债收入比 45 %，高于 30 %"."""
    code = reason.get("code", "")
    unit = ex.CHARACTERISTICS[code].unit if code in ex.CHARACTERISTICS else ""
    label = characteristic_label(code)
    direction = reason.get("direction")
    if direction == "missing":
        return _("%(label)s not provided") % {"label": label}
    value = _value(code, unit, reason.get("value", ""))
    if direction == "category":
        return _("%(label)s: %(value)s") % {"label": label, "value": value}
    bound = _value(code, unit, reason.get("bound", ""))
    if direction == "above":
        return _("%(label)s %(value)s, above %(bound)s") % {"label": label, "value": value, "bound": bound}
    return _("%(label)s %(value)s, below %(bound)s") % {"label": label, "value": value, "bound": bound}


@register.filter
def pd_percent(fraction: Decimal | str | None) -> str:
    """A fraction as a percentage with one decimal: 0.065110 → "6.5 %"; "—" when there is none."""
    if fraction is None or fraction == "":
        return "—"
    try:
        value = Decimal(str(fraction)) * 100
    except InvalidOperation:
        return "—"
    return f"{value.quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)} %"


@register.filter
def version_text(version: tuple[str, dt.date | None] | None) -> str:
    """A policy or scorecard version by name and effective date: "风险评级 V1（2026-01-01 起生效）"."""
    if not version:
        return "—"
    name, effective_on = version
    if effective_on is None:
        return name
    return _("%(name)s (in force from %(date)s)") % {"name": name, "date": effective_on.isoformat()}
