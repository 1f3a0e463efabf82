"""Vehicle pages: list, create and edit forms with inline errors, detail with estimate and valuations (INFO-3)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from creditdesk.vehicles.models import Valuation, Vehicle
from creditdesk.vehicles.tests.factories import IMPORTED_VIN, VALID_VIN, make_customer, make_vehicle, vin

pytestmark = pytest.mark.django_db


def form_data(**overrides):
    return {
        "brand": "本田",
        "model_name": "思域",
        "vin": vin(),
        "engine_number": "L15B123456",
        "plate_number": "沪D11111",
        "first_registered_on": "2025-03-15",
        "purchased_on": "",
        "mileage_km": "30000",
        "original_price_amount": "200000.00",
        "registration_certificate": "on",
        "invoice": "on",
        "accident_notes": "",
        **overrides,
    }


def test_a_vehicle_is_recorded_through_the_form(login, alice, zhang):
    """INFO-3: the form refuses a bad VIN inline (422, nothing written), then records the vehicle."""
    client = login(alice)
    assert client.get(f"/vehicles/new/?customer={zhang.pk}").status_code == 200
    refused = client.post(f"/vehicles/new/?customer={zhang.pk}", form_data(vin="1M8GDM9A1KP042788"))
    assert refused.status_code == 422
    assert 'class="field has-error"' in refused.content.decode()
    assert not Vehicle.objects.exists()
    response = client.post(f"/vehicles/new/?customer={zhang.pk}", form_data(vin=VALID_VIN))
    vehicle = Vehicle.objects.get()
    assert response["Location"] == f"/vehicles/{vehicle.pk}/"
    assert (vehicle.customer, vehicle.vin, vehicle.invoice, vehicle.insurance) == (zhang, VALID_VIN, True, False)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"first_registered_on": "2027-03-16"}, "first_registered_on"),
        ({"mileage_km": "-10"}, "mileage_km"),
        ({"original_price_amount": "-1"}, "original_price_amount"),
        ({"vin": IMPORTED_VIN}, "vin"),
    ],
)
def test_bad_input_is_shown_next_to_its_field(login, alice, zhang, overrides, field):
    response = login(alice).post(f"/vehicles/new/?customer={zhang.pk}", form_data(**overrides))
    assert response.status_code == 422
    assert field in response.context["form"].errors
    assert not Vehicle.objects.exists()


def test_the_new_form_needs_a_customer_in_scope(login, alice, zhang, sam, persona):
    assert login(alice).get("/vehicles/new/")["Location"] == "/customers/"
    assert login(sam).get(f"/vehicles/new/?customer={zhang.pk}").status_code == 404
    assert login(sam).post(f"/vehicles/new/?customer={zhang.pk}", form_data()).status_code == 404
    assert login(persona("carol")).get(f"/vehicles/new/?customer={zhang.pk}").status_code == 403
    assert not Vehicle.objects.exists()


def test_the_detail_shows_facts_flags_and_the_estimate(login, alice, zhang, persona):
    """INFO-3 / ADM-5: documents complete, major-accident flag, 54321 estimate in yuan, other records of the VIN."""
    vehicle = make_vehicle(zhang, vin=IMPORTED_VIN, imported=True, vin_check_digit_valid=False, has_major_accident=True)
    make_vehicle(make_customer(persona("bob")), vin=IMPORTED_VIN)
    html = login(alice).get(f"/vehicles/{vehicle.pk}/").content.decode()
    assert re.search(r'data-testid="estimate">133,333\.33 元', html)
    assert 'data-complete="false"' in html
    assert 'data-testid="major-accident" data-flag="true"' in html
    assert 'data-testid="vin-check-digit-warning"' in html
    assert 'data-testid="same-vin"' in html
    assert 'data-testid="valuation-form"' in html
    # Readers see the vehicle but not the forms.
    html = login(persona("carol")).get(f"/vehicles/{vehicle.pk}/").content.decode()
    assert IMPORTED_VIN in html
    assert 'data-testid="valuation-form"' not in html


def test_a_vehicle_is_edited_and_only_changed_fields_are_written(login, alice, zhang):
    vehicle = make_vehicle(zhang, vin=VALID_VIN, registration_certificate=True, invoice=True, insurance=True)
    client = login(alice)
    page = client.get(f"/vehicles/{vehicle.pk}/edit/")
    assert page.status_code == 200
    assert VALID_VIN in page.content.decode()
    data = form_data(
        vin=VALID_VIN,
        brand=vehicle.brand,
        model_name=vehicle.model_name,
        engine_number=vehicle.engine_number,
        plate_number=vehicle.plate_number,
        purchased_on="2025-03-10",
        mileage_km="52000",
        insurance="on",
    )
    response = client.post(f"/vehicles/{vehicle.pk}/edit/", data)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    vehicle.refresh_from_db()
    assert vehicle.mileage_km == 52000
    assert vehicle.history.count() == 2
    refused = client.post(f"/vehicles/{vehicle.pk}/edit/", {**data, "purchased_on": "2028-01-01"})
    assert refused.status_code == 422
    assert "purchased_on" in refused.context["form"].errors


def test_a_valuation_is_added_from_the_detail_page(login, alice, zhang):
    vehicle = make_vehicle(zhang)
    client = login(alice)
    url = f"/vehicles/{vehicle.pk}/valuations/new/"
    refused = client.post(url, {"valued_on": "2027-03-01", "method": "appraiser", "value_amount": "120000"})
    assert refused.status_code == 422
    assert "appraiser" in refused.context["valuation_form"].errors
    response = client.post(
        url, {"valued_on": "2027-03-01", "method": "appraiser", "value_amount": "120000", "appraiser": "李评估"}
    )
    assert response["Location"] == f"/vehicles/{vehicle.pk}/"
    html = client.get(f"/vehicles/{vehicle.pk}/").content.decode()
    assert html.count('data-testid="valuation-row"') == 1
    assert "120,000.00 元" in html
    assert Valuation.objects.get().recorded_by == alice


def test_other_salespeople_and_outsiders_are_refused(login, zhang, sam, outsider):
    """SEC-3: outside the scope answers 404; without the permission 403."""
    vehicle = make_vehicle(zhang)
    client = login(sam)
    for url in (
        f"/vehicles/{vehicle.pk}/",
        f"/vehicles/{vehicle.pk}/edit/",
        f"/vehicles/{vehicle.pk}/condition-report/",
    ):
        assert client.get(url).status_code == 404
    assert client.post(f"/vehicles/{vehicle.pk}/valuations/new/", {}).status_code == 404
    assert "张三" not in client.get("/vehicles/").content.decode()
    client = login(outsider)
    assert client.get("/vehicles/").status_code == 403
    assert client.get(f"/vehicles/{vehicle.pk}/").status_code == 403


def test_the_list_searches_and_its_query_count_does_not_grow(login, alice, zhang, django_assert_max_num_queries):
    """STYLE rule 4: the list page reads its rows in a fixed number of queries."""
    make_vehicle(zhang, brand="比亚迪", plate_number="沪C88888", has_major_accident=True)
    client = login(alice)

    def count(url="/vehicles/"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    few = count()
    for n in range(25):
        make_vehicle(make_customer(alice, name=f"客户{n}"), brand="大众", vin=VALID_VIN)
    assert count() == few
    with django_assert_max_num_queries(11):
        html = client.get("/vehicles/").content.decode()
    assert html.count('data-testid="vehicle-row"') == 20  # one page
    assert 'data-testid="same-vin"' in html
    found = client.get("/vehicles/?q=c88888").content.decode()
    assert found.count('data-testid="vehicle-row"') == 1
    assert "比亚迪" in found
    page_two = client.get("/vehicles/?page=2").content.decode()
    assert page_two.count('data-testid="vehicle-row"') == 6
    only_zhang = client.get(f"/vehicles/?customer_id={zhang.pk}")
    assert only_zhang.content.decode().count('data-testid="vehicle-row"') == 1
    assert 'data-testid="new-vehicle"' in only_zhang.content.decode()
