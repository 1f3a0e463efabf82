"""Synthetic customers, VINs and vehicles for the vehicles tests.

Customers are made directly with the ORM (valid, blind-indexed ID numbers), not through the customer services:
these tests are about vehicles.
"""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

from creditdesk.core.crypto import blind_index
from creditdesk.core.identifiers import resident_id_check_char, vin_check_digit
from creditdesk.customers.models import Customer
from creditdesk.vehicles.models import Vehicle

_serial = itertools.count(1)

VALID_VIN = "1M8GDM9AXKP042788"  # the textbook example: check digit X
IMPORTED_VIN = "WVWZZZ1JZXW000001"  # European maker: "Z" instead of a check digit


def vin(serial: int | None = None, *, prefix: str = "LSGJA52U") -> str:
    """A valid 17-character VIN (Chinese WMI by default) with its check digit in position 9."""
    body = f"{prefix}0CS{serial if serial is not None else next(_serial):06d}"
    return body[:8] + vin_check_digit(body) + body[9:]


def make_customer(owner: Any, *, name: str = "张三") -> Customer:
    seq = next(_serial) % 1000
    body = f"310104198{seq % 10}0101{seq:03d}"
    number = body + resident_id_check_char(body)
    return Customer.objects.create(
        kind="individual",
        name=name,
        owner=owner,
        org_unit=owner.org_unit,
        id_number=number,
        id_number_index=blind_index("id_number", number),
    )


def vehicle_fields(**overrides: Any) -> dict[str, Any]:
    """Service keyword arguments of a typical used car (registered two years before 2027-03-15)."""
    return {
        "brand": "大众",
        "model_name": "朗逸 1.5L",
        "vin": vin(),
        "engine_number": "DLF123456",
        "plate_number": "沪A12345",
        "first_registered_on": dt.date(2025, 3, 15),
        "purchased_on": dt.date(2025, 3, 10),
        "mileage_km": 30_000,
        "original_price_amount": Decimal("200000.00"),
        **overrides,
    }


def make_vehicle(customer: Customer, **overrides: Any) -> Vehicle:
    """A vehicle row straight through the ORM, for lists and scope tests."""
    return Vehicle.objects.create(customer=customer, **vehicle_fields(**overrides))
