"""Reads of the vehicles app, always through the caller's data scope (the scope of the vehicle's customer)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from creditdesk.accounts.scoping import get_in_scope, in_scope
from creditdesk.core.errors import ValidationFailed
from creditdesk.vehicles.models import Valuation, Vehicle
from creditdesk.vehicles.valuation import depreciation_54321


def _with_same_vin_count(vehicles: QuerySet[Vehicle]) -> QuerySet[Vehicle]:
    """Annotate `same_vin_count`: other vehicle records with this VIN, across the whole book.

    Deliberately not limited to the caller's scope: a car financed in another branch is exactly what the flag
    is for, and a count reveals no customer.
    """
    others = (
        Vehicle.objects.filter(vin=OuterRef("vin"))
        .exclude(pk=OuterRef("pk"))
        .order_by()
        .values("vin")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return vehicles.annotate(same_vin_count=Coalesce(Subquery(others, output_field=IntegerField()), 0))


def vehicle_list(*, user: Any, search: str = "", customer_id: int | None = None) -> QuerySet[Vehicle]:
    """Vehicles within the caller's scope; `search` matches brand, model, plate or VIN (INFO-3)."""
    vehicles = in_scope(Vehicle.objects.select_related("customer"), user)
    search = search.replace("\x00", "").strip()  # PostgreSQL refuses NUL in a query parameter
    if search:
        vehicles = vehicles.filter(
            Q(brand__icontains=search)
            | Q(model_name__icontains=search)
            | Q(plate_number__icontains=search)
            | Q(vin__contains="".join(search.split()).upper())
        )
    if customer_id is not None:
        # customer__pk, not customer_id: an out-of-range id then matches nothing instead of overflowing SQLite.
        vehicles = vehicles.filter(customer__pk=customer_id)
    return _with_same_vin_count(vehicles).order_by("-created_at", "-id")


def vehicle_get(*, user: Any, pk: int) -> Vehicle:
    """One vehicle within the caller's scope, or 404 whether it is missing or out of scope."""
    return get_in_scope(_with_same_vin_count(Vehicle.objects.select_related("customer")), user, pk=pk)


def same_vin_count(vehicle: Vehicle) -> int:
    """How many other vehicle records carry this VIN (a second financing of the same car, or a typing error)."""
    annotated = getattr(vehicle, "same_vin_count", None)
    if annotated is not None:
        return int(annotated)
    return Vehicle.objects.filter(vin=vehicle.vin).exclude(pk=vehicle.pk).count()


# A contract that still holds its vehicle, and a mortgage not yet released: the values of `contracts.choices`
# (LIVE_STATUSES) and of `lending.choices.RegistrationStatus`, spelled here because vehicles sits below both.
LIVE_CONTRACT_STATUSES = ("draft", "business_review", "risk_review", "legal_review", "ready_to_sign", "signed")
LIVE_MORTGAGE_STATUSES = ("pending", "registered")


def pledged_elsewhere(vehicle: Vehicle) -> bool:
    """Whether the VIN is pledged (抵押) on a live contract (INFO-3, ADM-5, CON-4): a mortgage registration not
    released, on a contract generated, in review, ready to sign or signed (not rejected or cancelled), on this or
    any other vehicle record with the same VIN.

    Read through the vehicle's reverse relation by name (`mortgage_registrations`, from `contracts`): vehicles sits
    below contracts in the layers and never imports it.
    """
    return Vehicle.objects.filter(
        vin=vehicle.vin,
        mortgage_registrations__status__in=LIVE_MORTGAGE_STATUSES,
        mortgage_registrations__contract__status__in=LIVE_CONTRACT_STATUSES,
    ).exists()


def current_value_estimate(vehicle: Vehicle, on: dt.date) -> Decimal | None:
    """The 54321 estimate of the value left on `on` (DOMAIN.md §12), or None without a new-car guide price."""
    if vehicle.original_price_amount is None:
        return None
    try:
        return depreciation_54321(
            original_value=vehicle.original_price_amount,
            first_registered_on=vehicle.first_registered_on,
            on=on,
            mileage_km=vehicle.mileage_km,
        )
    except ValidationFailed:
        # A registration after `on` (a date looked at in the past) has no estimate rather than an error page.
        return None


def valuations(*, vehicle: Vehicle) -> QuerySet[Valuation]:
    """The vehicle's valuation history, newest first."""
    return Valuation.objects.filter(vehicle=vehicle).select_related("recorded_by").order_by("-valued_on", "-id")


def latest_valuation(vehicle: Vehicle) -> Valuation | None:
    return valuations(vehicle=vehicle).first()
