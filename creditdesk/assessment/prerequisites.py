"""What the data review checklist will require (资料准备), shown before submission (issue 11 item 16).

A read-only preview built from the checklist's own lists (`checklist.INDIVIDUAL_DOCUMENTS`, its consent and
valuation rules), so the salesperson sees what is present and what is missing for this customer and vehicle
before the application is submitted. The checklist itself still decides at review.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from creditdesk.assessment import catalogue, checklist
from creditdesk.customers.choices import DocumentType
from creditdesk.customers.models import Customer
from creditdesk.customers.selectors import authorization_in_force
from creditdesk.vehicles.models import Vehicle
from creditdesk.vehicles.selectors import latest_valuation


@dataclass(frozen=True)
class Prerequisite:
    label: str | Promise
    present: bool
    note: str | Promise = ""
    required: bool = True  # False: the checklist warns, it does not refuse


def for_form(
    *, customer: Customer, product_code: str, vehicle_id: int | None, bank_account: bool, today: dt.date
) -> list[Prerequisite]:
    """The prerequisites of an application being entered: its product, vehicle and bank-statement reading."""
    product = catalogue.product_on(product_code, today) if product_code else None
    vehicle = customer.vehicles.filter(pk=vehicle_id).first() if vehicle_id else None
    return prerequisites(
        customer=customer,
        vehicle=vehicle,
        vehicle_loan=bool(product and product.vehicle_loan),
        bank_account=bank_account,
        today=today,
    )


def prerequisites(
    *, customer: Customer, vehicle: Vehicle | None, vehicle_loan: bool, bank_account: bool, today: dt.date
) -> list[Prerequisite]:
    """Every item the checklist will look for, each present or missing, in the checklist's order."""
    items: list[Prerequisite] = []
    consent = authorization_in_force(customer=customer, on=today)
    items.append(
        Prerequisite(
            _("Credit-report consent in force"),
            consent is not None,
            _("valid until %(date)s") % {"date": consent.expires_on.isoformat()} if consent else _("not signed"),
        )
    )
    on_file = set(customer.documents.values_list("doc_type", flat=True))
    required = checklist.INDIVIDUAL_DOCUMENTS if customer.is_individual else checklist.COMPANY_DOCUMENTS
    for doc in required:
        items.append(Prerequisite(DocumentType(doc).label, doc in on_file, "" if doc in on_file else _("not uploaded")))
    if customer.is_individual:
        present = DocumentType.BANK_STATEMENT in on_file
        items.append(
            Prerequisite(
                DocumentType.BANK_STATEMENT.label,
                present,
                "" if present else _("not uploaded; needed when the statement is recorded on the application"),
                required=bank_account,
            )
        )
    else:
        present = customer.statements.exists()
        items.append(Prerequisite(_("Financial statements"), present, "" if present else _("not entered")))
    if vehicle_loan:
        items.extend(_vehicle(vehicle, today))
    return items


def _vehicle(vehicle: Vehicle | None, today: dt.date) -> list[Prerequisite]:
    if vehicle is None:
        return [Prerequisite(_("Vehicle"), False, _("no vehicle chosen"))]
    docs = vehicle.documents_complete
    items = [
        Prerequisite(
            _("Vehicle documents (registration certificate, invoice, insurance)"),
            docs,
            "" if docs else _("incomplete"),
        )
    ]
    valuation = latest_valuation(vehicle)
    if valuation is None:
        items.append(Prerequisite(_("Vehicle valuation"), False, _("none recorded")))
    else:
        fresh = (today - valuation.valued_on).days <= checklist.VALUATION_MAX_AGE_DAYS
        note = _("valued on %(date)s") % {"date": valuation.valued_on.isoformat()}
        if not fresh:
            note = _("valued on %(date)s, older than %(days)s days") % {
                "date": valuation.valued_on.isoformat(),
                "days": checklist.VALUATION_MAX_AGE_DAYS,
            }
        items.append(Prerequisite(_("Vehicle valuation"), fresh, note, required=fresh))  # stale: a warning
    return items
