"""A complete applicant for the assessment tests: customer, documents, consent, vehicle and valuation.

Made straight with the ORM (the customer and vehicle services are tested in their apps). The ID numbers are
valid and their birth date and sex agree with the profile, so the data review passes unless a test breaks it.
"""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile

from creditdesk.core.crypto import blind_index
from creditdesk.core.identifiers import complete_credit_code, parse_resident_id, resident_id_check_char
from creditdesk.customers.models import CreditAuthorization, Customer, CustomerDocument, FinancialStatement
from creditdesk.vehicles.models import Valuation, Vehicle
from creditdesk.vehicles.tests.factories import vin

_serial = itertools.count(1)
TODAY = dt.date(2027, 3, 15)


def id_number(*, sequence: str | None = None, born: str = "19870615") -> str:
    """A valid resident ID; `sequence` (3 digits) picks the bureau simulator's pattern (999 timeout …)."""
    seq = sequence or f"{next(_serial) % 900 + 100:03d}"
    body = f"310104{born}{seq}"
    return body + resident_id_check_char(body)


def add_document(customer: Customer, doc_type: str, uploader: Any) -> None:
    doc = CustomerDocument(
        customer=customer,
        doc_type=doc_type,
        original_name=f"{doc_type}.pdf",
        content_type="application/pdf",
        size_bytes=9,
        uploaded_by=uploader,
    )
    doc.file.save(f"{doc_type}.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
    doc.save()


def add_consent(
    customer: Customer, recorder: Any, *, signed_on: dt.date = TODAY, days: int = 365
) -> CreditAuthorization:
    return CreditAuthorization.objects.create(
        customer=customer,
        signed_on=signed_on,
        expires_on=signed_on + dt.timedelta(days=days),
        purpose="贷款审批",
        document_reference=f"AUTH-{customer.pk}",
        recorded_by=recorder,
    )


def make_individual(
    owner: Any, *, name: str = "张三", sequence: str | None = None, consent: bool = True, **extra: Any
) -> Customer:
    number = id_number(sequence=sequence)
    parsed = parse_resident_id(number, today=TODAY)
    values: dict[str, Any] = {
        "kind": "individual",
        "name": name,
        "owner": owner,
        "org_unit": owner.org_unit,
        "id_number": number,
        "id_number_index": blind_index("id_number", number),
        "birth_on": parsed.birth_on,
        "gender": parsed.sex,
        "mobile": f"138{next(_serial):08d}",
        "monthly_income_amount": Decimal("30000.00"),
        "employment_years": 8,
        "housing": "owned",
        "savings_band": "50k_200k",
        "existing_debt_amount": Decimal("0.00"),
        **extra,
    }
    customer = Customer.objects.create(**values)
    for doc_type in ("id_card", "income_proof", "credit_authorization", "bank_statement"):
        add_document(customer, doc_type, owner)
    if consent:
        add_consent(customer, owner)
    return customer


def make_company(owner: Any, *, name: str = "上海某某贸易有限公司") -> Customer:
    code = complete_credit_code(f"91310000{next(_serial):08d}")
    customer = Customer.objects.create(
        kind="company",
        name=name,
        owner=owner,
        org_unit=owner.org_unit,
        credit_code=code,
        credit_code_index=blind_index("credit_code", code),
        legal_representative="王五",
        established_on=dt.date(2015, 5, 1),
        registered_capital_amount=Decimal("5000000.00"),
    )
    for doc_type in ("business_licence", "credit_authorization"):
        add_document(customer, doc_type, owner)
    FinancialStatement.objects.create(
        customer=customer,
        period="2026",
        period_end_on=dt.date(2026, 12, 31),
        audited=True,
        recorded_by=owner,
        **{f: Decimal("1000000.00") for f in _statement_amounts()},
    )
    add_consent(customer, owner)
    return customer


def _statement_amounts() -> list[str]:
    return [
        f.name
        for f in FinancialStatement._meta.get_fields()
        if getattr(f, "decimal_places", None) == 2 and not getattr(f, "null", True)
    ]


def make_car(customer: Customer, recorder: Any, *, value: str = "150000.00", **overrides: Any) -> Vehicle:
    values: dict[str, Any] = {
        "brand": "大众",
        "model_name": "朗逸 1.5L",
        "vin": vin(),
        "engine_number": "DLF123456",
        "first_registered_on": dt.date(2024, 3, 1),
        "mileage_km": 40_000,
        "original_price_amount": Decimal("200000.00"),
        "registration_certificate": True,
        "invoice": True,
        "insurance": True,
        **overrides,
    }
    vehicle = Vehicle.objects.create(customer=customer, **values)
    Valuation.objects.create(
        vehicle=vehicle, valued_on=TODAY, method="market", value_amount=Decimal(value), recorded_by=recorder
    )
    return vehicle


def car_loan(**overrides: Any) -> dict[str, Any]:
    """Service keyword arguments of a typical used-car application: 150 000 price, 30 % down, 36 months."""
    return {
        "product_code": "UC-RETAIL",
        "price_amount": Decimal("150000.00"),
        "down_payment_amount": Decimal("45000.00"),
        "term_months": 36,
        "repayment_method": "equal_instalment",
        "purpose": "家庭用车",
        "bank_account": "salary",
        **overrides,
    }
