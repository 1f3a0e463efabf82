"""API of the vehicles app: `/vehicles` and their `/valuations` (INFO-3)."""

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from ninja import Field, Query, Router, Schema
from ninja.decorators import decorate_view
from ninja.pagination import paginate
from ninja.responses import Status

from creditdesk.accounts.auth import api_auth
from creditdesk.accounts.display import customer_name_for
from creditdesk.accounts.permissions import Perm
from creditdesk.accounts.scoping import get_field_in_scope
from creditdesk.core.api import ERRORS
from creditdesk.core.dates import business_date
from creditdesk.core.fields import PriceAmount
from creditdesk.core.money import amount_text
from creditdesk.core.pagination import PageNumber
from creditdesk.core.schema import Date, Id, LongText, Name, OneOf, PurposeIn, StrictIn, StrictPatch, Text
from creditdesk.customers.models import Customer
from creditdesk.vehicles import selectors, services
from creditdesk.vehicles.choices import ValuationMethod

router = Router(tags=["vehicles"])


class VehicleIn(StrictIn):
    """A new vehicle of the customer `customer_id`; the VIN is checked (an imported car may lack the check digit)."""

    customer_id: Id
    brand: Name = Field(min_length=1, max_length=50)
    model_name: Name = Field(min_length=1, max_length=100)
    vin: Text = Field(min_length=1, max_length=32, description="17 characters; spaces are ignored.")
    imported: bool = False
    engine_number: Text = Field(min_length=1, max_length=32)
    plate_number: Text = Field("", max_length=16)
    first_registered_on: Date
    purchased_on: Date | None = None
    mileage_km: int = Field(description="Kilometres; not negative.")
    original_price_amount: PriceAmount | None = Field(
        None, description="New-car guide price, the base of the 54321 estimate."
    )
    registration_certificate: bool = False
    invoice: bool = False
    insurance: bool = False
    has_major_accident: bool = False
    accident_notes: LongText = Field("", max_length=2000)


class VehiclePatch(StrictPatch):
    """The fields to change; leave out what stays. `purchased_on` and `original_price_amount` may be null."""

    brand: Name | None = Field(None, max_length=50)
    model_name: Name | None = Field(None, max_length=100)
    vin: Text | None = Field(None, max_length=32)
    imported: bool | None = None
    engine_number: Text | None = Field(None, max_length=32)
    plate_number: Text | None = Field(None, max_length=16)
    first_registered_on: Date | None = None
    purchased_on: Date | None = None
    mileage_km: int | None = None
    original_price_amount: PriceAmount | None = None
    registration_certificate: bool | None = None
    invoice: bool | None = None
    insurance: bool | None = None
    has_major_accident: bool | None = None
    accident_notes: LongText | None = Field(None, max_length=2000)


class VehicleOut(Schema):
    id: int
    customer_id: int
    customer_name: str
    brand: str
    model_name: str
    vin: str
    vin_check_digit_valid: bool
    imported: bool
    engine_number: str
    plate_number: str
    first_registered_on: dt.date
    purchased_on: dt.date | None
    mileage_km: int
    original_price_amount: str | None
    registration_certificate: bool
    invoice: bool
    insurance: bool
    documents_complete: bool
    has_major_accident: bool
    accident_notes: str
    has_condition_report: bool
    same_vin_count: int = Field(description="Other vehicle records with this VIN, across the whole book.")
    created_at: dt.datetime

    @staticmethod
    def resolve_customer_name(obj: Any, context: Any) -> str:
        return customer_name_for(context, obj.customer)

    @staticmethod
    def resolve_original_price_amount(obj: Any) -> str | None:
        return amount_text(obj.original_price_amount)

    @staticmethod
    def resolve_has_condition_report(obj: Any) -> bool:
        return bool(obj.condition_report)

    @staticmethod
    def resolve_same_vin_count(obj: Any) -> int:
        return selectors.same_vin_count(obj)


class ValuationIn(StrictIn):
    valued_on: Date
    method: Annotated[str, OneOf(ValuationMethod)]
    value_amount: PriceAmount = Field(description="Greater than zero.")
    appraiser: Text = Field("", max_length=100, description="Required when the method is appraiser.")
    notes: LongText = Field("", max_length=2000)


class ValuationOut(Schema):
    id: int
    valued_on: dt.date
    method: str
    value_amount: str
    appraiser: str
    notes: str
    recorded_by: str
    created_at: dt.datetime

    @staticmethod
    def resolve_value_amount(obj: Any) -> str | None:
        return amount_text(obj.value_amount)

    @staticmethod
    def resolve_recorded_by(obj: Any) -> str:
        return obj.recorded_by.get_username()


class VehicleDetailOut(VehicleOut):
    estimate_on: dt.date
    current_value_estimate_amount: str | None = Field(
        description="54321 estimate on the business date from the new-car guide price; null without one."
    )
    latest_valuation: ValuationOut | None
    pledged_elsewhere: bool = Field(description="The VIN is pledged on another active loan.")

    @staticmethod
    def resolve_estimate_on(obj: Any) -> dt.date:
        return business_date()

    @staticmethod
    def resolve_current_value_estimate_amount(obj: Any) -> str | None:
        return amount_text(selectors.current_value_estimate(obj, business_date()))

    @staticmethod
    def resolve_latest_valuation(obj: Any) -> Any:
        return selectors.latest_valuation(obj)

    @staticmethod
    def resolve_pledged_elsewhere(obj: Any) -> bool:
        return selectors.pledged_elsewhere(obj)


class VehicleQuery(Schema):
    q: str = Field("", max_length=100, description="Part of the brand, model, plate number or VIN.")
    customer_id: Id | None = None


@router.get(
    "/vehicles",
    auth=api_auth(Perm.CUSTOMER_VIEW),
    response={200: list[VehicleOut], **ERRORS},
    summary="Vehicles within your scope",
)
@paginate(PageNumber)
def vehicle_list(request: HttpRequest, filters: Query[VehicleQuery]) -> Any:
    return selectors.vehicle_list(user=request.user, search=filters.q, customer_id=filters.customer_id)


@router.post(
    "/vehicles",
    auth=api_auth(Perm.CUSTOMER_EDIT),
    response={201: VehicleDetailOut, **ERRORS},
    summary="Record a customer's vehicle",
)
def vehicle_create(request: HttpRequest, payload: VehicleIn) -> Any:
    """A customer outside your scope answers 404, like a missing one."""
    values = payload.dict()
    customer_id = values.pop("customer_id")
    customer = get_field_in_scope(
        Customer.objects.all(), request.user, pk=customer_id, field="customer_id", message=_("No such customer.")
    )
    vehicle = services.vehicle_create(actor=request.user, customer=customer, **values)
    return Status(201, selectors.vehicle_get(user=request.user, pk=vehicle.pk))


@router.get(
    "/vehicles/{vehicle_id}",
    auth=api_auth(Perm.CUSTOMER_VIEW),
    response={200: VehicleDetailOut, **ERRORS},
    summary="One vehicle, with its current-value estimate and latest valuation",
)
def vehicle_detail(request: HttpRequest, vehicle_id: Id) -> Any:
    return selectors.vehicle_get(user=request.user, pk=vehicle_id)


@router.patch(
    "/vehicles/{vehicle_id}",
    auth=api_auth(Perm.CUSTOMER_EDIT),
    response={200: VehicleDetailOut, **ERRORS},
    summary="Change a vehicle",
)
def vehicle_update(request: HttpRequest, vehicle_id: Id, payload: VehiclePatch) -> Any:
    vehicle = selectors.vehicle_get(user=request.user, pk=vehicle_id)
    services.vehicle_update(actor=request.user, vehicle=vehicle, **payload.dict(exclude_unset=True))
    return selectors.vehicle_get(user=request.user, pk=vehicle_id)


@router.get(
    "/vehicles/{vehicle_id}/valuations",
    auth=api_auth(Perm.CUSTOMER_VIEW),
    response={200: list[ValuationOut], **ERRORS},
    summary="The vehicle's valuation history, newest first",
)
def valuation_list(request: HttpRequest, vehicle_id: Id) -> Any:
    vehicle = selectors.vehicle_get(user=request.user, pk=vehicle_id)
    return list(selectors.valuations(vehicle=vehicle))


@router.post(
    "/vehicles/{vehicle_id}/valuations",
    auth=api_auth(Perm.CUSTOMER_EDIT),
    response={201: ValuationOut, **ERRORS},
    summary="Add a valuation",
)
def valuation_create(request: HttpRequest, vehicle_id: Id, payload: ValuationIn) -> Any:
    """Valuations are a history: a new one is added, earlier ones never change."""
    vehicle = selectors.vehicle_get(user=request.user, pk=vehicle_id)
    return Status(201, services.valuation_record(actor=request.user, vehicle=vehicle, **payload.dict()))


@router.post(
    "/vehicles/{vehicle_id}/condition-report/download",
    auth=api_auth(Perm.CUSTOMER_VIEW),
    response={200: None, **ERRORS},
    summary="Download the condition report (decrypted, for a logged purpose)",
)
@decorate_view(never_cache)
def condition_report_download(request: HttpRequest, vehicle_id: Id, payload: PurposeIn) -> Any:
    """The original bytes, streamed; an access-log row records who, which vehicle, why and from where (item 8)."""
    vehicle = selectors.vehicle_get(user=request.user, pk=vehicle_id)
    chunks = services.condition_report_download(
        actor=request.user, vehicle=vehicle, purpose=payload.purpose, client_address=request.META.get("REMOTE_ADDR")
    )
    return services.condition_report_response(vehicle, chunks)
