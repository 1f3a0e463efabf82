"""`creditdesk demo` gives most individual demo customers a used car with valuations (INFO-3)."""

import io

import pytest
from django.core.management import call_command

from creditdesk.core.identifiers import parse_vin
from creditdesk.vehicles.models import Valuation, Vehicle

pytestmark = pytest.mark.django_db


def test_demo_vehicles_have_valid_vins_and_valuations(settings, business_on, tmp_path):
    settings.DEBUG = True
    settings.MEDIA_ROOT = tmp_path
    call_command("demo", stdout=io.StringIO())
    vehicles = list(Vehicle.objects.all())
    assert len(vehicles) > 100
    for vehicle in vehicles:
        assert parse_vin(vehicle.vin).check_digit_valid, vehicle.vin
    assert not Vehicle.objects.filter(valuations__isnull=True).exists()
    assert Valuation.objects.filter(method="appraiser").exists()
    count = Vehicle.objects.count()
    call_command("demo", stdout=io.StringIO())
    assert Vehicle.objects.count() == count
