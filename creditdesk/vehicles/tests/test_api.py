"""The vehicles API: create, checks, estimate, valuation history, scope and query counts (INFO-3, ADM-5, ADM-6)."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from creditdesk.vehicles.models import Valuation, Vehicle
from creditdesk.vehicles.tests.factories import IMPORTED_VIN, VALID_VIN, make_customer, make_vehicle, vin

pytestmark = pytest.mark.django_db


@pytest.fixture
def call(client, api_token, business_on):
    """`call(user, method, path, body)` with a bearer token of that user."""
    tokens = {}

    def do(user, method, path, body=None):
        if user.pk not in tokens:
            tokens[user.pk] = api_token(user)
        return client.generic(
            method,
            path,
            data=json.dumps(body) if body is not None else "",
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {tokens[user.pk]}",
        )

    return do


def new_vehicle(customer, **overrides):
    return {
        "customer_id": customer.pk,
        "brand": "丰田",
        "model_name": "卡罗拉 1.2T",
        "vin": vin(),
        "engine_number": "9NR123456",
        "plate_number": "沪B54321",
        "first_registered_on": "2025-03-15",
        "purchased_on": "2025-03-01",
        "mileage_km": 30000,
        "original_price_amount": "200000.00",
        "registration_certificate": True,
        "invoice": True,
        "insurance": True,
        **overrides,
    }


def test_a_vehicle_is_created_and_shown_with_its_estimate(call, alice, zhang):
    """INFO-3: the detail carries the 54321 estimate (DOMAIN.md §12), documents and duplicate flags (ADM-5)."""
    response = call(alice, "POST", "/api/v1/vehicles", new_vehicle(zhang, vin="1m8g dm9a xkp0 42788"))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["vin"] == VALID_VIN
    assert body["customer_id"] == zhang.pk
    assert body["original_price_amount"] == "200000.00"
    assert body["current_value_estimate_amount"] == "133333.33"
    assert body["estimate_on"] == "2027-03-15"
    assert body["documents_complete"] is True
    assert (body["same_vin_count"], body["pledged_elsewhere"], body["latest_valuation"]) == (0, False, None)
    detail = call(alice, "GET", f"/api/v1/vehicles/{body['id']}").json()
    assert detail == body


@pytest.mark.parametrize(
    "bad_vin", ["1M8GDM9A1KP042788", "1M8GDM9AXKP04278", "1M8GDM9AXKO042788", "1M8GDM9AXKP04278I", "1M8GDM9AXKQ042788"]
)
def test_an_invalid_vin_answers_422_on_the_vin_field(call, alice, zhang, bad_vin):
    response = call(alice, "POST", "/api/v1/vehicles", new_vehicle(zhang, vin=bad_vin))
    assert response.status_code == 422
    assert list(response.json()["fields"]) == ["vin"]
    assert not Vehicle.objects.exists()


def test_an_imported_vin_with_a_bad_check_digit_is_accepted_with_the_flag(call, alice, zhang):
    response = call(alice, "POST", "/api/v1/vehicles", new_vehicle(zhang, vin=IMPORTED_VIN, imported=True))
    assert response.status_code == 201
    assert response.json()["vin_check_digit_valid"] is False


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"first_registered_on": "2027-03-16"}, "first_registered_on"),
        ({"purchased_on": "2030-01-01"}, "purchased_on"),
        ({"mileage_km": -1}, "mileage_km"),
        ({"original_price_amount": "-1.00"}, "original_price_amount"),
        ({"original_price_amount": "1.001"}, "original_price_amount"),
        ({"brand": ""}, "brand"),
    ],
)
def test_bad_input_answers_422_naming_the_field_and_writes_nothing(call, alice, zhang, overrides, field):
    response = call(alice, "POST", "/api/v1/vehicles", new_vehicle(zhang, **overrides))
    assert response.status_code == 422, response.content
    assert field in response.json()["fields"]
    assert not Vehicle.objects.exists()


def test_a_vehicle_is_changed_with_patch(call, alice, zhang):
    vehicle = make_vehicle(zhang)
    response = call(alice, "PATCH", f"/api/v1/vehicles/{vehicle.pk}", {"mileage_km": 41000, "has_major_accident": True})
    assert response.status_code == 200, response.content
    assert (response.json()["mileage_km"], response.json()["has_major_accident"]) == (41000, True)
    refused = call(alice, "PATCH", f"/api/v1/vehicles/{vehicle.pk}", {"mileage_km": -5})
    assert refused.status_code == 422
    assert "mileage_km" in refused.json()["fields"]
    assert call(alice, "PATCH", f"/api/v1/vehicles/{vehicle.pk}", {"vin": "bad"}).status_code == 422
    vehicle.refresh_from_db()
    assert vehicle.mileage_km == 41000


def test_valuations_are_added_to_the_history_newest_first(call, alice, zhang):
    """INFO-3: valuations (date, method, value, appraiser) kept as history; the detail shows the latest."""
    vehicle = make_vehicle(zhang)
    path = f"/api/v1/vehicles/{vehicle.pk}/valuations"
    first = call(alice, "POST", path, {"valued_on": "2027-02-01", "method": "market", "value_amount": "150000.00"})
    assert first.status_code == 201, first.content
    second = call(
        alice,
        "POST",
        path,
        {"valued_on": "2027-03-10", "method": "appraiser", "value_amount": "141000.5", "appraiser": "王评估"},
    )
    assert second.status_code == 201
    assert second.json()["value_amount"] == "141000.50"
    history = call(alice, "GET", path).json()
    assert [v["valued_on"] for v in history] == ["2027-03-10", "2027-02-01"]
    assert history[0]["recorded_by"] == "alice"
    assert call(alice, "GET", f"/api/v1/vehicles/{vehicle.pk}").json()["latest_valuation"]["id"] == history[0]["id"]
    for bad, field in (
        ({"valued_on": "2027-03-16", "method": "market", "value_amount": "1"}, "valued_on"),
        ({"valued_on": "2027-03-01", "method": "market", "value_amount": "0"}, "value_amount"),
        ({"valued_on": "2027-03-01", "method": "market", "value_amount": "-3"}, "value_amount"),
        ({"valued_on": "2027-03-01", "method": "appraiser", "value_amount": "3"}, "appraiser"),
        ({"valued_on": "2027-03-01", "method": "hunch", "value_amount": "3"}, "method"),
    ):
        response = call(alice, "POST", path, bad)
        assert response.status_code == 422
        assert field in response.json()["fields"]
    assert Valuation.objects.count() == 2


def test_another_salespersons_customer_and_vehicles_answer_404(call, zhang, sam):
    """SEC-3: outside the data scope is like missing; nothing is written."""
    vehicle = make_vehicle(zhang)
    response = call(sam, "POST", "/api/v1/vehicles", new_vehicle(zhang))
    assert response.status_code == 404
    assert "customer_id" in response.json()["fields"]
    assert call(sam, "GET", f"/api/v1/vehicles/{vehicle.pk}").status_code == 404
    assert call(sam, "PATCH", f"/api/v1/vehicles/{vehicle.pk}", {"mileage_km": 1}).status_code == 404
    valuation = {"valued_on": "2027-03-01", "method": "market", "value_amount": "1.00"}
    assert call(sam, "POST", f"/api/v1/vehicles/{vehicle.pk}/valuations", valuation).status_code == 404
    assert call(sam, "GET", f"/api/v1/vehicles/{vehicle.pk}/valuations").status_code == 404
    assert call(sam, "GET", "/api/v1/vehicles").json()["count"] == 0
    assert Vehicle.objects.count() == 1
    assert not Valuation.objects.exists()


def test_readers_read_but_do_not_write_and_outsiders_get_nothing(call, persona, zhang):
    vehicle = make_vehicle(zhang)
    carol = persona("carol")
    assert call(carol, "GET", f"/api/v1/vehicles/{vehicle.pk}").status_code == 200
    assert call(carol, "POST", "/api/v1/vehicles", new_vehicle(zhang)).status_code == 403
    assert call(carol, "PATCH", f"/api/v1/vehicles/{vehicle.pk}", {"mileage_km": 1}).status_code == 403
    outsider = persona("outsider")
    assert call(outsider, "GET", "/api/v1/vehicles").status_code == 403
    assert call(outsider, "GET", f"/api/v1/vehicles/{vehicle.pk}").status_code == 403


def test_the_list_searches_and_filters_by_customer(call, alice, zhang):
    make_vehicle(zhang, brand="比亚迪", model_name="秦 PLUS", plate_number="沪C88888", vin=VALID_VIN)
    make_vehicle(zhang, brand="大众")
    other = make_customer(alice, name="王五")
    make_vehicle(other, brand="大众")

    def found(query):
        return [v["brand"] for v in call(alice, "GET", f"/api/v1/vehicles?{query}").json()["items"]]

    assert found("q=比亚迪") == ["比亚迪"]
    assert found("q=c88888") == ["比亚迪"]
    assert found("q=1m8gdm9a") == ["比亚迪"]
    assert found("q=秦") == ["比亚迪"]
    assert len(found("")) == 3
    assert found(f"customer_id={other.pk}") == ["大众"]


def test_the_list_query_count_does_not_grow_with_the_rows(call, alice, zhang, django_assert_max_num_queries):
    """STYLE rule 4: no queries in loops."""
    for _ in range(3):
        make_vehicle(zhang)
    call(alice, "GET", "/api/v1/vehicles")  # the token is issued outside the measurement

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert call(alice, "GET", "/api/v1/vehicles?page_size=100").status_code == 200
        return len(queries)

    few = count()
    for _ in range(12):
        make_vehicle(make_customer(alice))
    assert count() == few
    with django_assert_max_num_queries(5):
        call(alice, "GET", "/api/v1/vehicles?page_size=100")


def test_absurd_ids_and_nul_characters_answer_4xx_never_500(call, login, alice, zhang):
    """ARCHITECTURE rule 10: bad input gets a 4xx (on SQLite and PostgreSQL alike)."""
    vehicle = make_vehicle(zhang)
    huge = 2**63
    assert call(alice, "GET", f"/api/v1/vehicles/{huge}").status_code == 422  # an id no table can hold
    assert call(alice, "GET", f"/api/v1/vehicles?customer_id={huge}").status_code == 422
    assert call(alice, "GET", "/api/v1/vehicles?q=%00a").status_code == 422  # NUL refused by the API's parser
    response = call(alice, "POST", "/api/v1/vehicles", new_vehicle(zhang, customer_id=huge))
    assert set(response.json()["fields"]) == {"customer_id"}
    response = call(alice, "POST", "/api/v1/vehicles", new_vehicle(zhang, brand="a\x00"))
    assert response.status_code == 422
    assert set(response.json()["fields"]) == {"brand"}
    response = call(alice, "POST", "/api/v1/vehicles", new_vehicle(zhang, mileage_km=2**70))
    assert set(response.json()["fields"]) == {"mileage_km"}
    response = call(alice, "PATCH", f"/api/v1/vehicles/{vehicle.pk}", {"imported": None, "accident_notes": "\x00"})
    assert set(response.json()["fields"]) == {"accident_notes"}
    response = call(alice, "PATCH", f"/api/v1/vehicles/{vehicle.pk}", {"imported": None})
    assert set(response.json()["fields"]) == {"imported"}
    for amount in ("NaN", "Infinity", "1e30"):
        body = {"valued_on": "2027-01-01", "method": "market", "value_amount": amount}
        assert call(alice, "POST", f"/api/v1/vehicles/{vehicle.pk}/valuations", body).status_code == 422
    client = login(alice)
    assert client.get(f"/vehicles/?customer_id={huge}").status_code == 200
    assert client.get("/vehicles/?q=%00x").status_code == 200
    assert client.get(f"/vehicles/new/?customer={huge}").status_code == 404
