"""Writes of the vehicles app: vehicles, their valuations and condition reports (INFO-3)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import HttpResponse
from django.utils.translation import gettext as _

from creditdesk.accounts.permissions import Perm
from creditdesk.accounts.scoping import require_perm
from creditdesk.accounts.services import file_download_record
from creditdesk.core import private_files
from creditdesk.core.audit import record_event
from creditdesk.core.dates import business_date
from creditdesk.core.errors import NotFound, ValidationFailed
from creditdesk.core.identifiers import InvalidIdentifier, parse_vin
from creditdesk.customers.models import Customer
from creditdesk.vehicles.choices import ValuationMethod
from creditdesk.vehicles.models import Valuation, Vehicle

# Fields a caller may set on a vehicle; the VIN and the imported flag are parsed together below.
VEHICLE_FIELDS = (
    "brand",
    "model_name",
    "vin",
    "imported",
    "engine_number",
    "plate_number",
    "first_registered_on",
    "purchased_on",
    "mileage_km",
    "original_price_amount",
    "registration_certificate",
    "invoice",
    "insurance",
    "has_major_accident",
    "accident_notes",
)
REQUIRED_FIELDS = ("brand", "model_name", "vin", "engine_number", "first_registered_on", "mileage_km")
TEXT_FIELDS = ("brand", "model_name", "engine_number", "plate_number", "accident_notes")
BOOLEAN_FIELDS = ("imported", "registration_certificate", "invoice", "insurance", "has_major_accident")
DATE_FIELDS = ("first_registered_on", "purchased_on")
# Far beyond any car's life (scrap guidance is 600,000 km): a larger figure is a typing error.
MAX_MILEAGE_KM = 2_000_000

# Condition reports (车况报告): scans or photos, never anything a browser or a viewer would execute.
MAX_CONDITION_REPORT_BYTES = 10 * 1024 * 1024
CONDITION_REPORT_TYPES = {  # extension → (content type, leading bytes of such a file)
    ".pdf": ("application/pdf", b"%PDF-"),
    ".jpg": ("image/jpeg", b"\xff\xd8\xff"),
    ".jpeg": ("image/jpeg", b"\xff\xd8\xff"),
    ".png": ("image/png", b"\x89PNG\r\n\x1a\n"),
}


def _require_edit(actor: Any, record: Customer | Vehicle) -> None:
    require_perm(actor, Perm.CUSTOMER_EDIT, _("Your role may not change vehicle information."), on=record)


def _invalid(errors: dict[str, list[str]]) -> ValidationFailed:
    return ValidationFailed(_("Some fields are not valid."), fields=errors)


def _check_values(values: dict[str, Any], *, today: dt.date, creating: bool) -> None:
    """Field rules that do not need the database; every broken rule is reported at once, by field name."""
    errors: dict[str, list[str]] = {}
    unknown = sorted(set(values) - set(VEHICLE_FIELDS))
    for field in unknown:
        errors[field] = [_("Not applicable.")]
    for field in REQUIRED_FIELDS:
        missing = (values[field] is None or str(values[field]).strip() == "") if field in values else creating
        if missing:
            errors[field] = [_("This field is required.")]
    for field in BOOLEAN_FIELDS:
        if field in values and values[field] is None:
            errors[field] = [_("Choose yes or no.")]
    for field in (*TEXT_FIELDS, "vin"):
        if isinstance(values.get(field), str) and "\x00" in values[field]:
            errors[field] = [_("This text contains a character that is not allowed.")]
    for field in DATE_FIELDS:
        on = values.get(field)
        if on is not None and on > today:
            errors[field] = [_("The date cannot be after the business date.")]
    mileage = values.get("mileage_km")
    if mileage is not None:
        if mileage < 0:
            errors["mileage_km"] = [_("The mileage cannot be negative.")]
        elif mileage > MAX_MILEAGE_KM:
            errors["mileage_km"] = [_("The mileage is implausibly high: check for a typing error.")]
    price = values.get("original_price_amount")
    if price is not None and Decimal(price) < 0:
        errors["original_price_amount"] = [_("The amount cannot be negative.")]
    if errors:
        raise _invalid(errors)


def _apply_vin(vehicle: Vehicle, raw: str, *, imported: bool) -> None:
    """GB 16735: the check digit is mandatory for cars built for China; imported cars pass with a flag."""
    try:
        parsed = parse_vin(raw, imported=imported)
    except InvalidIdentifier as err:
        raise ValidationFailed(
            err.message, code="invalid_vin", fields={"vin": [err.message]}, details={"reason": err.code}
        ) from None
    vehicle.vin = parsed.vin
    vehicle.imported = imported
    vehicle.vin_check_digit_valid = parsed.check_digit_valid


def _full_clean(obj: Vehicle | Valuation, **kwargs: Any) -> None:
    """Model validation as a ValidationFailed naming the fields, so no caller ever sees a Django error class."""
    try:
        obj.full_clean(**kwargs)
    except DjangoValidationError as err:
        raise _invalid({field: [str(m) for m in messages] for field, messages in err.message_dict.items()}) from None


def _set_fields(vehicle: Vehicle, values: dict[str, Any]) -> None:
    for field, value in values.items():
        if field in ("vin", "imported"):
            continue
        if field in TEXT_FIELDS:
            value = (value or "").strip()
        elif field in BOOLEAN_FIELDS:
            value = bool(value)
        setattr(vehicle, field, value)


@transaction.atomic
def vehicle_create(*, actor: Any, customer: Customer, **fields: Any) -> Vehicle:
    """Record a customer's vehicle (INFO-3); the caller has checked that the customer is in the actor's scope."""
    _require_edit(actor, customer)
    _check_values(fields, today=business_date(), creating=True)
    vehicle = Vehicle(customer=customer)
    _apply_vin(vehicle, fields["vin"], imported=bool(fields.get("imported", False)))
    _set_fields(vehicle, fields)
    _full_clean(vehicle)
    vehicle.save()
    record_event(
        actor=actor,
        subject=vehicle,
        event_type="vehicle.created",
        payload={
            "customer_id": customer.pk,
            "vin": vehicle.vin,
            "vin_check_digit_valid": vehicle.vin_check_digit_valid,
        },
    )
    return vehicle


@transaction.atomic
def vehicle_update(*, actor: Any, vehicle: Vehicle, **fields: Any) -> Vehicle:
    """Change a vehicle's facts; the previous values stay in the change history (SEC-7)."""
    _require_edit(actor, vehicle)
    _check_values(fields, today=business_date(), creating=False)
    vehicle = Vehicle.objects.select_for_update().get(pk=vehicle.pk)
    if "vin" in fields or "imported" in fields:
        imported = bool(fields.get("imported", vehicle.imported))
        _apply_vin(vehicle, fields.get("vin") or vehicle.vin, imported=imported)
    _set_fields(vehicle, fields)
    _full_clean(vehicle, exclude=["customer"])
    vehicle.save()
    record_event(actor=actor, subject=vehicle, event_type="vehicle.updated", payload={"fields": sorted(fields)})
    return vehicle


@transaction.atomic
def valuation_record(
    *,
    actor: Any,
    vehicle: Vehicle,
    valued_on: dt.date,
    method: str,
    value_amount: Decimal,
    appraiser: str = "",
    notes: str = "",
) -> Valuation:
    """Add a valuation to the vehicle's history (INFO-3); earlier valuations are never changed."""
    _require_edit(actor, vehicle)
    appraiser, notes = (appraiser or "").strip(), (notes or "").strip()
    errors: dict[str, list[str]] = {}
    if valued_on > business_date():
        errors["valued_on"] = [_("The date cannot be after the business date.")]
    if method not in ValuationMethod.values:
        errors["method"] = [_("Choose market price, 54321 depreciation or appraiser.")]
    if value_amount is None or Decimal(value_amount) <= 0:
        errors["value_amount"] = [_("The value must be greater than zero.")]
    if method == ValuationMethod.APPRAISER and not appraiser:
        errors["appraiser"] = [_("Name the appraiser who valued the vehicle.")]
    for field, text in (("appraiser", appraiser), ("notes", notes)):
        if "\x00" in text:
            errors[field] = [_("This text contains a character that is not allowed.")]
    if errors:
        raise _invalid(errors)
    valuation = Valuation(
        vehicle=vehicle,
        valued_on=valued_on,
        method=method,
        value_amount=value_amount,
        appraiser=appraiser,
        notes=notes,
        recorded_by=actor,
    )
    _full_clean(valuation, exclude=["vehicle", "recorded_by"])
    valuation.save()
    record_event(
        actor=actor,
        subject=vehicle,
        event_type="vehicle.valuation_recorded",
        payload={"valued_on": valued_on, "method": method, "value_amount": str(valuation.value_amount)},
    )
    return valuation


def _check_upload(upload: UploadedFile) -> str:
    """The extension of an acceptable condition report; anything else is refused before a byte is stored."""
    extension = Path(upload.name or "").suffix.lower()
    if extension not in CONDITION_REPORT_TYPES:
        raise ValidationFailed.on(
            "condition_report", _("Upload a PDF, JPEG or PNG file."), code="unsupported_file_type"
        )
    size = upload.size or 0
    if size == 0:
        raise ValidationFailed.on("condition_report", _("The file is empty."), code="empty_file")
    if size > MAX_CONDITION_REPORT_BYTES:
        raise ValidationFailed.on(
            "condition_report",
            _("The file is larger than %(limit)d MB.") % {"limit": MAX_CONDITION_REPORT_BYTES // (1024 * 1024)},
            code="file_too_large",
        )
    # The extension is the user's claim; the first bytes say what the file really is (an .exe renamed .pdf).
    _content_type, magic = CONDITION_REPORT_TYPES[extension]
    upload.seek(0)
    head = upload.read(len(magic))
    upload.seek(0)
    if head != magic:
        raise ValidationFailed.on(
            "condition_report",
            _("The file's content is not the type its name says: upload a PDF, JPEG or PNG file."),
            code="unsupported_file_type",
        )
    return extension


def condition_report_content_type(name: str) -> str:
    """The content type to stream a stored report with (its extension was checked against its bytes on upload)."""
    return CONDITION_REPORT_TYPES.get(Path(name).suffix.lower(), ("application/octet-stream", b""))[0]


@transaction.atomic
def condition_report_attach(*, actor: Any, vehicle: Vehicle, upload: UploadedFile) -> Vehicle:
    """Store the vehicle's condition report (车况报告, INFO-3), replacing the current one.

    The file is stored encrypted (core/private_files.py). A replaced file is kept on disk: the change history
    still names it and holds its wrapped key, and it is evidence of what was known.
    """
    _require_edit(actor, vehicle)
    extension = _check_upload(upload)
    vehicle = Vehicle.objects.select_for_update().get(pk=vehicle.pk)
    upload.seek(0)
    vehicle.condition_report_key = private_files.store(
        vehicle.condition_report, name=f"report{extension}", pieces=upload.chunks()
    )
    stored = vehicle.condition_report.name
    try:
        vehicle.save(update_fields=["condition_report", "condition_report_key", "updated_at"])
        record_event(
            actor=actor,
            subject=vehicle,
            event_type="vehicle.condition_report_attached",
            payload={"size": upload.size, "content_type": condition_report_content_type(stored or "")},
        )
    except BaseException:
        # The file is written before the row; if the row is not, nothing must remain of the attempt.
        vehicle.condition_report.storage.delete(stored or "")
        raise
    return vehicle


@transaction.atomic
def condition_report_download(
    *, actor: Any, vehicle: Vehicle, purpose: str, client_address: str | None = None
) -> Iterator[bytes]:
    """The condition report's original bytes for a stated purpose; one access-log row (SEC-7, issue #10 item 8).

    The caller fetched `vehicle` through the data scope.
    """
    require_perm(actor, Perm.CUSTOMER_VIEW, _("Your role may not see vehicle documents."), on=vehicle)
    if not vehicle.condition_report:
        raise NotFound(_("This vehicle has no condition report."))
    file_download_record(
        actor=actor,
        subject=vehicle,
        field="condition_report",
        purpose=purpose,
        subject_repr=f"{vehicle.brand} {vehicle.model_name} · #{vehicle.pk}",
        client_address=client_address,
    )
    try:
        return private_files.plaintext(vehicle.condition_report, vehicle.condition_report_key)
    except FileNotFoundError:
        raise NotFound(_("The condition report file is missing.")) from None


def condition_report_response(vehicle: Vehicle, chunks: Iterator[bytes]) -> HttpResponse:
    """The decrypted report streamed inline with the type its bytes were checked against on upload."""
    name = vehicle.condition_report.name or ""
    return private_files.streamed(
        chunks,
        content_type=condition_report_content_type(name),
        filename=f"condition-report-{vehicle.pk}{Path(name).suffix.lower()}",
    )
