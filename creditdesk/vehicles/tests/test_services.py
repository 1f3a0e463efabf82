"""Vehicle and valuation services: checked VINs, dates, amounts, append-only valuations, audit (INFO-3, ADM-5)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from creditdesk.core.errors import PermissionDenied, ValidationFailed
from creditdesk.core.models import AuditEvent
from creditdesk.vehicles import selectors
from creditdesk.vehicles.models import Valuation, Vehicle
from creditdesk.vehicles.services import valuation_record, vehicle_create, vehicle_update
from creditdesk.vehicles.tests.factories import IMPORTED_VIN, VALID_VIN, make_customer, make_vehicle, vehicle_fields

pytestmark = pytest.mark.django_db


def test_a_vehicle_is_recorded_with_an_upper_case_vin_and_an_audit_event(alice, zhang):
    """INFO-3: brand, model, VIN, engine number, dates, mileage."""
    vehicle = vehicle_create(actor=alice, customer=zhang, **vehicle_fields(vin=" 1m8gdm9axkp042788 "))
    assert vehicle.vin == VALID_VIN
    assert vehicle.vin_check_digit_valid
    assert vehicle.customer == zhang
    event = AuditEvent.objects.get(event_type="vehicle.created")
    assert event.subject_id == str(vehicle.pk)
    assert event.payload["vin"] == VALID_VIN


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("1M8GDM9A1KP042788", "checksum"),
        ("1M8GDM9AXKP04278", "length"),
        ("1M8GDM9AXKP0427888", "length"),
        ("1M8GDM9AXKO042788", "forbidden_letters"),
        ("IM8GDM9AXKP042788", "forbidden_letters"),
        ("1M8GDM9AXKP04278Q", "forbidden_letters"),
    ],
)
def test_invalid_vins_are_refused_on_the_vin_field(alice, zhang, raw, reason):
    """INFO-3: the VIN is validated (GB 16735 check digit, no I/O/Q, 17 characters); nothing is written."""
    with pytest.raises(ValidationFailed) as caught:
        vehicle_create(actor=alice, customer=zhang, **vehicle_fields(vin=raw))
    assert list(caught.value.fields) == ["vin"]
    assert caught.value.details["reason"] == reason
    assert not Vehicle.objects.exists()
    assert not AuditEvent.objects.filter(event_type="vehicle.created").exists()


def test_an_imported_vin_without_a_check_digit_is_accepted_and_flagged(alice, zhang):
    with pytest.raises(ValidationFailed):
        vehicle_create(actor=alice, customer=zhang, **vehicle_fields(vin=IMPORTED_VIN))
    vehicle = vehicle_create(actor=alice, customer=zhang, **vehicle_fields(vin=IMPORTED_VIN, imported=True))
    assert vehicle.imported
    assert not vehicle.vin_check_digit_valid


@pytest.mark.parametrize("field", ["first_registered_on", "purchased_on"])
def test_dates_after_the_business_date_are_refused(alice, zhang, field):
    with pytest.raises(ValidationFailed) as caught:
        vehicle_create(actor=alice, customer=zhang, **vehicle_fields(**{field: dt.date(2027, 3, 16)}))
    assert field in caught.value.fields
    assert not Vehicle.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"mileage_km": -1}, "mileage_km"),
        ({"mileage_km": 10**12}, "mileage_km"),
        ({"original_price_amount": Decimal("-0.01")}, "original_price_amount"),
        ({"brand": "  "}, "brand"),
        ({"engine_number": ""}, "engine_number"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_other_bad_input_names_the_field(alice, zhang, overrides, field):
    with pytest.raises(ValidationFailed) as caught:
        vehicle_create(actor=alice, customer=zhang, **vehicle_fields(**overrides))
    assert field in caught.value.fields


def test_roles_without_the_edit_permission_cannot_write(persona, zhang):
    carol = persona("carol")  # risk officer: reads every vehicle, changes none
    with pytest.raises(PermissionDenied):
        vehicle_create(actor=carol, customer=zhang, **vehicle_fields())
    vehicle = make_vehicle(zhang)
    with pytest.raises(PermissionDenied):
        valuation_record(
            actor=carol, vehicle=vehicle, valued_on=dt.date(2027, 3, 1), method="market", value_amount=Decimal("1")
        )


def test_an_update_rechecks_the_vin_and_keeps_the_previous_values_in_the_history(alice, zhang):
    vehicle = vehicle_create(actor=alice, customer=zhang, **vehicle_fields())
    with pytest.raises(ValidationFailed) as caught:
        vehicle_update(actor=alice, vehicle=vehicle, vin="1M8GDM9A1KP042788", mileage_km=40_000)
    assert "vin" in caught.value.fields
    vehicle.refresh_from_db()
    assert vehicle.mileage_km == 30_000
    vehicle_update(actor=alice, vehicle=vehicle, mileage_km=45_000, plate_number="")
    vehicle.refresh_from_db()
    assert (vehicle.mileage_km, vehicle.plate_number) == (45_000, "")
    assert [h.mileage_km for h in vehicle.history.order_by("history_date")] == [30_000, 45_000]
    # Switching the imported flag off re-checks the stored VIN.
    imported = vehicle_create(actor=alice, customer=zhang, **vehicle_fields(vin=IMPORTED_VIN, imported=True))
    with pytest.raises(ValidationFailed) as caught:
        vehicle_update(actor=alice, vehicle=imported, imported=False)
    assert "vin" in caught.value.fields
    with pytest.raises(ValidationFailed) as caught:
        vehicle_update(actor=alice, vehicle=vehicle, brand=None)
    assert "brand" in caught.value.fields


def test_documents_are_complete_only_with_certificate_invoice_and_insurance(zhang):
    """ADM-5: complete documents."""
    vehicle = make_vehicle(zhang, registration_certificate=True, invoice=True)
    assert not vehicle.documents_complete
    vehicle.insurance = True
    assert vehicle.documents_complete


def test_valuations_are_a_history_that_is_only_added_to(alice, zhang):
    """INFO-3: valuations with date, method, value and appraiser, kept as history."""
    vehicle = make_vehicle(zhang)
    first = valuation_record(
        actor=alice, vehicle=vehicle, valued_on=dt.date(2027, 1, 10), method="market", value_amount=Decimal("150000")
    )
    second = valuation_record(
        actor=alice,
        vehicle=vehicle,
        valued_on=dt.date(2027, 3, 1),
        method="appraiser",
        value_amount=Decimal("140000.50"),
        appraiser="王评估",
    )
    assert list(selectors.valuations(vehicle=vehicle)) == [second, first]
    assert selectors.latest_valuation(vehicle) == second
    first.value_amount = Decimal("1")
    with pytest.raises(ValueError, match="never changed"):
        first.save()
    first.refresh_from_db()
    assert first.value_amount == Decimal("150000.00")
    assert AuditEvent.objects.filter(event_type="vehicle.valuation_recorded").count() == 2


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"value_amount": Decimal("0")}, "value_amount"),
        ({"value_amount": Decimal("-5")}, "value_amount"),
        ({"valued_on": dt.date(2027, 3, 16)}, "valued_on"),
        ({"method": "guess"}, "method"),
        ({"method": "appraiser", "appraiser": " "}, "appraiser"),
    ],
)
def test_bad_valuations_are_refused_and_nothing_is_written(alice, zhang, overrides, field):
    vehicle = make_vehicle(zhang)
    values = {"valued_on": dt.date(2027, 3, 1), "method": "market", "value_amount": Decimal("100000"), **overrides}
    with pytest.raises(ValidationFailed) as caught:
        valuation_record(actor=alice, vehicle=vehicle, **values)
    assert field in caught.value.fields
    assert not Valuation.objects.exists()


def test_the_database_refuses_a_non_positive_valuation_or_a_negative_price(alice, zhang):
    vehicle = make_vehicle(zhang)
    with pytest.raises(IntegrityError), transaction.atomic():
        Valuation.objects.create(
            vehicle=vehicle, valued_on=dt.date(2027, 3, 1), method="market", value_amount=0, recorded_by=alice
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Vehicle.objects.filter(pk=vehicle.pk).update(original_price_amount=Decimal("-1"))


def test_the_current_value_is_estimated_by_the_54321_method(zhang, business_on):
    """DOMAIN.md §12: two years of a ten-year life lose 5/15 of the new-car price."""
    vehicle = make_vehicle(zhang, original_price_amount=Decimal("200000.00"), mileage_km=30_000)
    assert selectors.current_value_estimate(vehicle, business_on) == Decimal("133333.33")
    # 120,000 km is 4/10 of the mileage life, further along than the two years: 9/15 lost.
    vehicle.mileage_km = 120_000
    assert selectors.current_value_estimate(vehicle, business_on) == Decimal("80000.00")
    vehicle.original_price_amount = None
    assert selectors.current_value_estimate(vehicle, business_on) is None
    vehicle.original_price_amount = Decimal("200000.00")
    assert selectors.current_value_estimate(vehicle, dt.date(2020, 1, 1)) is None


def test_other_records_with_the_same_vin_are_counted(persona, zhang, sam):
    """INFO-3: a VIN already on file (perhaps pledged elsewhere) is flagged; outside the caller's scope too."""
    mine = make_vehicle(zhang, vin=VALID_VIN)
    assert selectors.same_vin_count(mine) == 0
    make_vehicle(make_customer(sam, name="李四"), vin=VALID_VIN)
    assert selectors.same_vin_count(mine) == 1
    assert selectors.vehicle_get(user=persona("alice"), pk=mine.pk).same_vin_count == 1
    assert selectors.pledged_elsewhere(mine) is False
