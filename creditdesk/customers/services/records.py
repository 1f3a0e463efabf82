"""Writes of a customer's records (INFO-2, INFO-5, INFO-7, INFO-8): statements, guarantees, major events, documents."""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from creditdesk.accounts.permissions import Perm, has_perm
from creditdesk.accounts.scoping import in_scope
from creditdesk.core.audit import record_event
from creditdesk.core.dates import business_date
from creditdesk.core.errors import Conflict, PermissionDenied, ValidationFailed
from creditdesk.customers.choices import (
    DocumentType,
)
from creditdesk.customers.documents import document_store
from creditdesk.customers.models import (
    Customer,
    CustomerDocument,
    ExternalGuarantee,
    FinancialStatement,
    MajorEvent,
)
from creditdesk.customers.services.customers import (
    _require_edit,
    size_class_refresh,
)

STATEMENT_AMOUNTS = (
    "current_assets_amount",
    "inventories_amount",
    "total_assets_amount",
    "current_liabilities_amount",
    "total_liabilities_amount",
    "equity_amount",
    "revenue_amount",
    "net_profit_amount",
    "operating_cash_flow_amount",
)
NEVER_NEGATIVE = {
    "current_assets_amount",
    "inventories_amount",
    "total_assets_amount",
    "current_liabilities_amount",
    "total_liabilities_amount",
    "revenue_amount",
}


@transaction.atomic
def statement_record(
    *, actor: Any, customer: Customer, period: str, period_end_on: dt.date, audited: bool = False, **amounts: Any
) -> FinancialStatement:
    """Record one period's statement figures of a company (INFO-5); one statement per period."""
    _require_edit(actor, customer)
    errors: dict[str, list[str]] = {}
    if customer.is_individual:
        raise ValidationFailed.on("customer", _("Financial statements are recorded for companies."))
    if period_end_on > business_date():
        errors["period_end_on"] = [_("The date cannot be after the business date.")]
    for name in NEVER_NEGATIVE:
        if amounts.get(name) is not None and Decimal(amounts[name]) < 0:
            errors[name] = [_("The amount cannot be negative.")]
    if errors:
        raise ValidationFailed(_("Some fields are not valid."), fields=errors)
    if FinancialStatement.objects.filter(customer=customer, period=period.strip()).exists():
        raise Conflict(
            _("This period is recorded already."), fields={"period": [_("This period is recorded already.")]}
        )
    statement = FinancialStatement(
        customer=customer,
        period=period.strip(),
        period_end_on=period_end_on,
        audited=audited,
        recorded_by=actor,
        **{k: v for k, v in amounts.items() if k in STATEMENT_AMOUNTS},
    )
    statement.full_clean(exclude=["recorded_by"])
    statement.save()
    size_class_refresh(customer=customer)
    record_event(actor=actor, subject=customer, event_type="customer.statement_recorded", payload={"period": period})
    return statement


@transaction.atomic
def guarantee_record(
    *,
    actor: Any,
    customer: Customer,
    beneficiary: str,
    amount: Decimal,
    starts_on: dt.date,
    ends_on: dt.date | None = None,
    notes: str = "",
) -> ExternalGuarantee:
    """Record an external guarantee the company has given (INFO-7)."""
    _require_edit(actor, customer)
    errors: dict[str, list[str]] = {}
    if amount is None or Decimal(amount) <= 0:
        errors["amount"] = [_("The amount must be more than zero.")]
    if ends_on is not None and ends_on < starts_on:
        errors["ends_on"] = [_("The guarantee cannot end before it starts.")]
    if not beneficiary.strip():
        errors["beneficiary"] = [_("Name the guaranteed party.")]
    if errors:
        raise ValidationFailed(_("Some fields are not valid."), fields=errors)
    guarantee = ExternalGuarantee(
        customer=customer,
        beneficiary=beneficiary.strip(),
        amount=amount,
        starts_on=starts_on,
        ends_on=ends_on,
        notes=notes,
    )
    guarantee.full_clean()
    guarantee.save()
    record_event(
        actor=actor,
        subject=customer,
        event_type="customer.guarantee_recorded",
        payload={"beneficiary": guarantee.beneficiary, "amount": amount},
    )
    return guarantee


@transaction.atomic
def major_event_record(
    *,
    actor: Any,
    customer: Customer,
    event_type: str,
    occurred_on: dt.date,
    description: str,
    impact: str = "neutral",
    impact_assessment: str = "",
) -> MajorEvent:
    """Record a major event at once, with its impact (INFO-8); severe events put the customer on watch."""
    may = [perm for perm in (Perm.CUSTOMER_EDIT, Perm.CUSTOMER_GRADE) if has_perm(actor, perm)]
    if not may:
        raise PermissionDenied(_("Your role may not change customer information."))
    if not any(in_scope(Customer.objects.filter(pk=customer.pk), actor, perm=perm).exists() for perm in may):
        raise PermissionDenied(
            _("This record is outside the data scope of your role for this action."), code="out_of_scope"
        )
    errors: dict[str, list[str]] = {}
    if occurred_on > business_date():
        errors["occurred_on"] = [_("The date cannot be after the business date.")]
    if not description.strip():
        errors["description"] = [_("Describe what happened.")]
    if errors:
        raise ValidationFailed(_("Some fields are not valid."), fields=errors)
    event = MajorEvent(
        customer=customer,
        event_type=event_type,
        occurred_on=occurred_on,
        description=description.strip(),
        impact=impact,
        impact_assessment=impact_assessment,
        recorded_by=actor,
    )
    event.full_clean(exclude=["recorded_by"])
    event.save()
    record_event(
        actor=actor, subject=customer, event_type="customer.major_event", payload={"type": event_type, "impact": impact}
    )
    return event


MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# Allowed file types by their first bytes ("magic numbers"), not by the name a browser sends.
SIGNATURES = {"pdf": (b"%PDF-",), "jpg": (b"\xff\xd8\xff",), "jpeg": (b"\xff\xd8\xff",), "png": (b"\x89PNG\r\n\x1a\n",)}
CONTENT_TYPES = {"pdf": "application/pdf", "jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png"}


@transaction.atomic
def document_upload(
    *, actor: Any, customer: Customer, doc_type: str, upload: Any, period: str = ""
) -> CustomerDocument:
    """Store a typed document (PDF, JPEG or PNG, at most 10 MB) outside the web root (INFO-2, INFO-5)."""
    _require_edit(actor, customer)
    if doc_type not in DocumentType.values:
        raise ValidationFailed.on("doc_type", _("Choose the document type."))
    if upload is None or not upload.size:
        raise ValidationFailed.on("file", _("Choose a file to upload: this one is missing or empty."))
    name = getattr(upload, "name", "") or ""
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix not in SIGNATURES:
        raise ValidationFailed.on("file", _("Upload a PDF, JPEG or PNG file."))
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationFailed.on("file", _("The file is larger than 10 MB."))
    head = upload.read(16)
    upload.seek(0)
    if not head.startswith(SIGNATURES[suffix]):
        raise ValidationFailed.on("file", _("The file's content does not match its type."))
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    document = CustomerDocument(
        customer=customer,
        doc_type=doc_type,
        original_name=name[:200],
        content_type=CONTENT_TYPES[suffix],
        size_bytes=upload.size,
        sha256=digest.hexdigest(),
        period=period,
        uploaded_by=actor,
    )
    # Encrypted, 0600 in a 0700 directory (issue #10 item 8).
    document_store(document, name=name, pieces=upload.chunks())
    # If the row cannot be written the stored file is removed, so nothing is half-written.
    try:
        document.save()
    except Exception:
        document.file.delete(save=False)
        raise
    record_event(
        actor=actor,
        subject=customer,
        event_type="customer.document_uploaded",
        payload={"type": doc_type, "name": document.shown_name, "size": document.size_bytes},
    )
    return document
