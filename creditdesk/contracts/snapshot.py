"""The contract's frozen figures (合同要素快照), CON-1: parties, vehicle, rates, APR, fees and the schedule.

Every figure comes from the approved plan and lending's own functions (`selectors.schedule_of`, the plan's APR):
nothing is computed again here. Identity numbers are kept masked: the snapshot is plain JSON, and the contract
text prints them masked (the full numbers stay encrypted on the customer).
"""

from __future__ import annotations

from typing import Any

from creditdesk.core.masking import mask_credit_code, mask_id_number
from creditdesk.customers.choices import CustomerKind
from creditdesk.customers.models import Customer
from creditdesk.lending import selectors as lending
from creditdesk.lending.choices import GuaranteeKind
from creditdesk.lending.models import ServicePlan
from creditdesk.lending.schemas import INSTALMENT_AMOUNTS

TEXT_VERSION = "v1"


def party(customer: Customer, relationship: str = "") -> dict[str, Any]:
    individual = customer.kind == CustomerKind.INDIVIDUAL
    return {
        "customer_id": customer.pk,
        "name": customer.name,
        "kind": customer.kind,
        "id_number": mask_id_number(customer.id_number) if individual else mask_credit_code(customer.credit_code),
        "relationship": relationship,
    }


def plan_snapshot(plan: ServicePlan) -> dict[str, Any]:
    """Everything the contract prints, as JSON (amounts and rates as strings, dates ISO)."""
    application = plan.application
    co_borrowers = application.co_borrowers.select_related("co_borrower").order_by("id")
    guarantees = list(plan.guarantees.select_related("guarantor", "vehicle").order_by("id"))
    mortgage = next((g for g in guarantees if g.kind == GuaranteeKind.VEHICLE_MORTGAGE and g.vehicle), None)
    vehicle = mortgage.vehicle if mortgage is not None else None
    schedule = lending.schedule_of(plan)
    return {
        "plan_id": plan.pk,
        "plan_reference": plan.reference,
        "product": {"code": plan.product.code, "name": plan.product.name},
        "parties": {
            "borrower": party(application.customer),
            "co_borrowers": [party(c.co_borrower, c.relationship) for c in co_borrowers],
            "guarantors": [
                party(g.guarantor, g.relationship)
                for g in guarantees
                if g.kind == GuaranteeKind.GUARANTOR and g.guarantor is not None
            ],
        },
        "vehicle": None
        if vehicle is None
        else {
            "vehicle_id": vehicle.pk,
            "brand": vehicle.brand,
            "model_name": vehicle.model_name,
            "vin": vehicle.vin,
            "plate_number": vehicle.plate_number,
        },
        "price_amount": None if plan.price_amount is None else str(plan.price_amount),
        "down_payment_amount": str(plan.down_payment_amount),
        "principal_amount": str(plan.principal_amount),
        "annual_rate": str(plan.annual_rate),
        "monthly_rate": str(plan.monthly_rate),
        "apr_nominal_rate": str(plan.apr_nominal_rate),
        "apr_effective_rate": str(plan.apr_effective_rate),
        "term_months": plan.term_months,
        "method": plan.method,
        "start_on": plan.start_on.isoformat() if plan.start_on else None,
        "first_due_on": plan.first_due_on.isoformat(),
        "fees": [
            {"kind": str(fee["kind"]), "amount": str(fee["amount"]), "due_on": str(fee["due_on"])} for fee in plan.fees
        ],
        "upfront_fee_amount": str(plan.upfront_fee_amount),
        "monthly_fee_amount": str(plan.monthly_fee_amount),
        "total_interest_amount": str(schedule.total_interest_amount),
        "total_fee_amount": str(schedule.total_fee_amount),
        "total_amount": str(plan.total_amount),
        "schedule": [
            {
                "period": line.period,
                "due_on": line.due_on.isoformat(),
                **{name: str(getattr(line, name)) for name in INSTALMENT_AMOUNTS},
            }
            for line in schedule.instalments
        ],
    }
