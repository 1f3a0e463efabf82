"""Data review checklist (资料审核清单), ASSESS-1 and INFO-9: completeness and authenticity of an application.

`run_checklist()` reads the application, its customer, vehicle, documents and consents and returns items
`{"code", "outcome": pass|fail|warn, "reason", "compared"}` in a fixed order. A failed item stops the
assessment and goes back to the salesperson; a warning is shown to the risk officer. The manual verification
(identity seen in person, income checked against the documents, notes) is recorded by the risk officer when
they run the assessment.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from creditdesk.assessment import catalogue, limits
from creditdesk.assessment.models import LoanApplication
from creditdesk.assessment.selectors import cap_for_product
from creditdesk.core.identifiers import InvalidIdentifier, parse_credit_code, parse_resident_id, parse_vin
from creditdesk.core.masking import mask_id_number
from creditdesk.customers.choices import DocumentType
from creditdesk.customers.models import Customer
from creditdesk.customers.selectors import authorization_in_force
from creditdesk.vehicles.selectors import latest_valuation, pledged_elsewhere, same_vin_count
from creditdesk.vehicles.valuation import vehicle_age_months

PASS, FAIL, WARN = "pass", "fail", "warn"
CONSENT_EXPIRY_WARNING_DAYS = 30
VALUATION_MAX_AGE_DAYS = 90

PROBLEMS = {limits.AMOUNT: "amount", limits.TERM: "term", limits.METHOD: "method", limits.CAP_TERM: "regulatory_term"}

INDIVIDUAL_FIELDS = (
    "id_number",
    "birth_on",
    "gender",
    "mobile",
    "monthly_income_amount",
    "employment_years",
    "housing",
)
COMPANY_FIELDS = ("credit_code", "legal_representative", "established_on", "registered_capital_amount")
INDIVIDUAL_DOCUMENTS = (DocumentType.ID_CARD, DocumentType.INCOME_PROOF, DocumentType.CREDIT_AUTHORIZATION)
COMPANY_DOCUMENTS = (DocumentType.BUSINESS_LICENCE, DocumentType.CREDIT_AUTHORIZATION)


def _item(code: str, outcome: str, reason: str = "ok", **compared: object) -> dict[str, Any]:
    return {"code": code, "outcome": outcome, "reason": reason, "compared": {k: str(v) for k, v in compared.items()}}


def _missing_fields(customer: Customer, names: tuple[str, ...]) -> list[str]:
    return [name for name in names if getattr(customer, name) in (None, "")]


def _consent(code: str, customer: Customer, today: dt.date) -> dict[str, Any]:
    consent = authorization_in_force(customer=customer, on=today)
    if consent is None:
        expired = customer.authorizations.filter(expires_on__lt=today).exists()
        return _item(code, FAIL, "consent_expired" if expired else "consent_missing", customer=customer.name)
    days_left = (consent.expires_on - today).days
    if days_left < CONSENT_EXPIRY_WARNING_DAYS:
        return _item(code, WARN, "consent_expiring", expires_on=consent.expires_on, customer=customer.name)
    return _item(code, PASS, expires_on=consent.expires_on, customer=customer.name)


def _identity(customer: Customer, today: dt.date) -> dict[str, Any]:
    """ID checksum (GB 11643) and the birth date and sex it encodes against what the profile says."""
    if customer.is_individual:
        try:
            parsed = parse_resident_id(customer.id_number, today=today)
        except InvalidIdentifier as err:
            return _item("identity.id_number", FAIL, "invalid", error=err.code)
        masked, derived = mask_id_number(parsed.number), parsed.birth_on
        if customer.birth_on != parsed.birth_on or (customer.gender and customer.gender != parsed.sex):
            return _item(
                "identity.id_number",
                FAIL,
                "inconsistent",
                id_number=masked,
                derived_birth_on=derived,
                birth_on=customer.birth_on,
            )
        return _item("identity.id_number", PASS, id_number=masked, derived_birth_on=derived)
    try:
        parse_credit_code(customer.credit_code)
    except InvalidIdentifier as err:
        return _item("identity.credit_code", FAIL, "invalid", error=err.code)
    return _item("identity.credit_code", PASS)


def _product(application: LoanApplication, today: dt.date) -> tuple[dict[str, Any], catalogue.ProductTerms | None]:
    product = catalogue.product_on(application.product_code, today)
    code = "application.product"
    if product is None:
        return _item(code, FAIL, "product_not_in_force", product=application.product_code), None
    if product.customer_kind != application.customer.kind:
        return _item(code, FAIL, "product_not_for_customer", product=product.code), product
    # The one limit check of quotes and plans too (issue 11 item 4); the LTV is the admission rule's (ADM-5), so
    # an application over it is assessed and its failure recorded rather than sent back here.
    breaches = limits.check(
        principal_amount=application.requested_amount,
        term_months=application.term_months,
        method=application.repayment_method,
        product=limits.ProductLimits.of(product),
        cap=cap_for_product(product, today),
    )
    problems = [PROBLEMS[b.code] for b in breaches if b.code in PROBLEMS]
    if problems:
        return _item(code, FAIL, "outside_product_limits", problems=",".join(problems), product=product.code), product
    return _item(code, PASS, product=product.code), product


def _vehicle_items(application: LoanApplication, today: dt.date) -> list[dict[str, Any]]:
    vehicle = application.vehicle
    if vehicle is None or vehicle.customer_id != application.customer_id:
        return [_item("vehicle.present", FAIL, "missing")]
    items = [_item("vehicle.present", PASS, vin=vehicle.vin)]
    try:
        parse_vin(vehicle.vin)
        items.append(_item("vehicle.vin", PASS, vin=vehicle.vin))
    except InvalidIdentifier as err:
        outcome = WARN if vehicle.imported else FAIL
        items.append(_item("vehicle.vin", outcome, "check_digit", vin=vehicle.vin, error=err.code))
    if pledged_elsewhere(vehicle):
        items.append(_item("vehicle.duplicate_vin", FAIL, "pledged_elsewhere", vin=vehicle.vin))
    else:
        others = same_vin_count(vehicle)
        items.append(
            _item("vehicle.duplicate_vin", WARN if others else PASS, "same_vin" if others else "ok", count=others)
        )
    items.append(
        _item(
            "vehicle.documents",
            PASS if vehicle.documents_complete else FAIL,
            "ok" if vehicle.documents_complete else "documents_incomplete",
            registration_certificate=vehicle.registration_certificate,
            invoice=vehicle.invoice,
            insurance=vehicle.insurance,
        )
    )
    items.append(_item("vehicle.age", PASS, age_months=vehicle_age_months(vehicle.first_registered_on, today)))
    valuation = latest_valuation(vehicle)
    if valuation is None:
        items.append(_item("vehicle.valuation", FAIL, "missing"))
    elif (today - valuation.valued_on).days > VALUATION_MAX_AGE_DAYS:
        items.append(_item("vehicle.valuation", WARN, "stale", valued_on=valuation.valued_on))
    else:
        items.append(_item("vehicle.valuation", PASS, valued_on=valuation.valued_on, value=valuation.value_amount))
    price, down = application.price_amount, application.down_payment_amount
    if price is None or down is None:
        items.append(_item("application.price", FAIL, "missing"))
    elif price - down != application.requested_amount:
        items.append(
            _item(
                "application.price",
                FAIL,
                "inconsistent",
                price=price,
                down_payment=down,
                requested=application.requested_amount,
            )
        )
    else:
        items.append(_item("application.price", PASS, price=price, down_payment=down))
    return items


def run_checklist(application: LoanApplication, *, today: dt.date) -> list[dict[str, Any]]:
    """Every checklist item for the application on the business date `today`, in a fixed order."""
    customer = application.customer
    fields = INDIVIDUAL_FIELDS if customer.is_individual else COMPANY_FIELDS
    missing = _missing_fields(customer, fields)
    items = [
        _item("customer.fields", FAIL if missing else PASS, "missing" if missing else "ok", missing=",".join(missing))
    ]
    if not missing or ("id_number" not in missing and "credit_code" not in missing):
        items.append(_identity(customer, today))
    on_file = set(customer.documents.values_list("doc_type", flat=True))
    required = INDIVIDUAL_DOCUMENTS if customer.is_individual else COMPANY_DOCUMENTS
    absent = [str(doc) for doc in required if doc not in on_file]
    items.append(
        _item("customer.documents", FAIL if absent else PASS, "missing" if absent else "ok", missing=",".join(absent))
    )
    if customer.is_individual and application.bank_account and DocumentType.BANK_STATEMENT not in on_file:
        items.append(_item("customer.bank_statement", WARN, "missing"))
    if not customer.is_individual:
        statements = customer.statements.count()
        items.append(_item("customer.financials", PASS if statements else FAIL, "ok" if statements else "missing"))
    items.append(_consent("consent.applicant", customer, today))
    for link in application.guarantors.select_related("guarantor"):
        items.append(_consent("consent.guarantor", link.guarantor, today))
    product_item, product = _product(application, today)
    items.append(product_item)
    if product is not None and product.vehicle_loan:
        items.extend(_vehicle_items(application, today))
    return items


def passed(items: list[dict[str, Any]]) -> bool:
    return not any(item["outcome"] == FAIL for item in items)
