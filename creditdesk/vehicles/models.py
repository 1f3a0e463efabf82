"""Vehicles (车辆) financed or pledged by customers, and their valuations (车辆估值), INFO-3."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from creditdesk.core.crypto import EncryptedTextField
from creditdesk.core.model_fields import MoneyField
from creditdesk.core.models import BaseModel
from creditdesk.customers.models import Customer
from creditdesk.vehicles.choices import ValuationMethod


class PrivateStorage(FileSystemStorage):
    """Documents under MEDIA_ROOT/private: they have no public URL, only permission-checked views stream them.

    The location follows MEDIA_ROOT when a setting override changes it (FileSystemStorage drops its cached
    location on `setting_changed`), so tests can point it at a temporary folder.
    """

    @cached_property
    def base_location(self) -> str:
        return str(Path(settings.MEDIA_ROOT) / "private")

    def url(self, name: str | None) -> str:
        raise ValueError("private documents have no public URL; stream them through a view that checks access")


_PRIVATE_STORAGE = PrivateStorage()


def private_storage() -> PrivateStorage:
    """The storage of private documents (a callable, so migrations do not freeze its location)."""
    return _PRIVATE_STORAGE


def condition_report_path(instance: Vehicle, filename: str) -> str:
    """A random name per upload: the user's file name never reaches the disk, and nothing is overwritten."""
    return f"vehicles/{instance.pk}/condition-report-{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class Vehicle(BaseModel):
    """Vehicle (车辆): a used car a customer finances or pledges, with its documents and condition (INFO-3).

    The VIN is not unique: the same car can be financed again after a loan ends, or by its next owner; the detail
    flags other records with the same VIN. Data scope follows the customer.
    """

    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="vehicles"
    )
    brand = models.CharField(_("brand"), max_length=50)
    model_name = models.CharField(_("model"), max_length=100)
    vin = models.CharField(_("VIN"), max_length=17, db_index=True)
    # False only for imported cars whose maker does not use the North-American check digit (GB 16735 warns).
    vin_check_digit_valid = models.BooleanField(_("VIN check digit valid"), default=True)
    imported = models.BooleanField(_("imported"), default=False)
    engine_number = models.CharField(_("engine number"), max_length=32)
    plate_number = models.CharField(_("plate number"), max_length=16, blank=True)
    first_registered_on = models.DateField(_("first registration date"))
    purchased_on = models.DateField(_("purchase date"), null=True, blank=True)
    mileage_km = models.PositiveIntegerField(_("mileage (km)"))
    # The new-car guide price (新车指导价): the base of the 54321 current-value estimate.
    original_price_amount = MoneyField(_("new-car guide price"), null=True, blank=True)
    registration_certificate = models.BooleanField(_("registration certificate"), default=False)  # 机动车登记证书
    invoice = models.BooleanField(_("purchase invoice"), default=False)  # 购车发票
    insurance = models.BooleanField(_("insurance policy"), default=False)  # 保险单
    has_major_accident = models.BooleanField(_("major accident"), default=False)  # 重大事故 (ADM-5)
    accident_notes = models.TextField(_("accident history"), blank=True)
    condition_report = models.FileField(
        _("condition report"), upload_to=condition_report_path, storage=private_storage, max_length=200, blank=True
    )
    # The report's data key (envelope encryption, core/private_files.py); blank only for a report stored in clear.
    condition_report_key = EncryptedTextField(_("condition report key"), blank=True, editable=False)

    SCOPE_OWNER = "customer__owner"
    SCOPE_ORG_UNIT = "customer__org_unit"

    class Meta:
        verbose_name = _("vehicle")
        verbose_name_plural = _("vehicles")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(original_price_amount__isnull=True) | models.Q(original_price_amount__gte=0),
                name="vehicles_original_price_not_negative",
            ),
            models.CheckConstraint(condition=models.Q(mileage_km__gte=0), name="vehicles_mileage_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.brand} {self.model_name} {self.vin}"

    @property
    def documents_complete(self) -> bool:
        """Registration certificate, invoice and insurance are all on file (ADM-5)."""
        return self.registration_certificate and self.invoice and self.insurance


class Valuation(BaseModel):
    """Valuation (车辆估值): what a vehicle was worth on a date, by one method; a history, only ever added to.

    A later valuation never changes an earlier one: the credit decision that used it must stay explainable.
    """

    SCOPE_OWNER = "vehicle__customer__owner"  # scoped like the record it belongs to
    SCOPE_ORG_UNIT = "vehicle__customer__org_unit"

    vehicle = models.ForeignKey(Vehicle, verbose_name=_("vehicle"), on_delete=models.PROTECT, related_name="valuations")
    valued_on = models.DateField(_("valued on"))
    method = models.CharField(_("method"), max_length=24, choices=ValuationMethod.choices)
    value_amount = MoneyField(_("value"))
    appraiser = models.CharField(_("appraiser"), max_length=100, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("valuation")
        verbose_name_plural = _("valuations")
        ordering = ["-valued_on", "-id"]
        indexes = [models.Index(fields=["vehicle", "-valued_on", "-id"], name="vehicles_valuation_latest_idx")]
        constraints = [
            models.CheckConstraint(condition=models.Q(value_amount__gt=0), name="vehicles_valuation_value_positive"),
            models.CheckConstraint(
                condition=~models.Q(method=ValuationMethod.APPRAISER) | ~models.Q(appraiser=""),
                name="vehicles_valuation_appraiser_named",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.vehicle_id} {self.valued_on} {self.method} {self.value_amount}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Valuations are append-only: correcting one means recording a new valuation.
        if not self._state.adding:
            raise ValueError("valuations are never changed: record a new one")
        super().save(*args, **kwargs)
