"""Confidentiality agreements and training are recorded; staff lacking a valid agreement are listed (SEC-5)."""

import datetime as dt

import pytest

from creditdesk.accounts.selectors import staff_without_valid_agreement
from creditdesk.accounts.services import agreement_record, training_record
from creditdesk.core.errors import ValidationFailed

pytestmark = pytest.mark.django_db
ON = dt.date(2027, 3, 15)


def test_staff_without_an_agreement_in_force_are_listed(persona, django_assert_max_num_queries):
    ivan, alice, bob, grace = persona("ivan"), persona("alice"), persona("bob"), persona("grace")
    agreement_record(actor=ivan, staff=alice, signed_on=dt.date(2026, 1, 1))  # open-ended
    agreement_record(actor=ivan, staff=bob, signed_on=dt.date(2025, 1, 1), expires_on=dt.date(2027, 3, 14))  # lapsed
    agreement_record(actor=ivan, staff=grace, signed_on=dt.date(2027, 3, 16))  # not yet signed on that date
    with django_assert_max_num_queries(1):
        missing = set(staff_without_valid_agreement(on=ON).values_list("username", flat=True))
    assert missing == {"ivan", "bob", "grace"}
    agreement_record(actor=ivan, staff=bob, signed_on=dt.date(2027, 3, 15), expires_on=dt.date(2027, 3, 15))
    assert "bob" not in set(staff_without_valid_agreement(on=ON).values_list("username", flat=True))


def test_an_agreement_cannot_expire_before_signing(persona):
    with pytest.raises(ValidationFailed) as err:
        agreement_record(
            actor=persona("ivan"), staff=persona("alice"), signed_on=ON, expires_on=ON - dt.timedelta(days=1)
        )
    assert "expires_on" in err.value.fields


def test_training_records_attendees(persona):
    session = training_record(
        actor=persona("ivan"), title="客户信息保密培训", held_on=ON, attendees=[persona("alice"), persona("bob")]
    )
    assert session.attendees.count() == 2


def test_the_page_lists_gaps_and_lets_the_information_administrator_record(login, persona, business_on):
    alice = persona("alice")
    client = login(persona("ivan"))
    page = client.get("/accounts/confidentiality/").content.decode()
    assert "alice" in page
    response = client.post(
        "/accounts/confidentiality/",
        {
            "agreement-staff": alice.pk,
            "agreement-signed_on": "2027-03-01",
            "agreement-expires_on": "2027-02-01",
        },
    )
    assert response.status_code == 422
    client.post("/accounts/confidentiality/", {"agreement-staff": alice.pk, "agreement-signed_on": "2027-03-01"})
    client.post(
        "/accounts/confidentiality/",
        {"training-title": "保密培训", "training-held_on": "2027-03-10", "training-attendees": [alice.pk]},
    )
    page = client.get("/accounts/confidentiality/").content.decode()
    assert "保密培训" in page


def test_auditors_and_department_heads_read_but_do_not_record(login, persona, business_on):
    for name in ("judy", "bob"):
        client = login(persona(name))
        assert client.get("/accounts/confidentiality/").status_code == 200
        assert (
            client.post(
                "/accounts/confidentiality/", {"training-title": "x", "training-held_on": "2027-03-10"}
            ).status_code
            == 403
        )
    assert login(persona("alice")).get("/accounts/confidentiality/").status_code == 403


def test_the_api_records_and_lists(client, api_token, persona, business_on):
    alice = persona("alice")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {api_token(persona('ivan'))}"}
    created = client.post(
        "/api/v1/confidentiality/agreements",
        {"staff_id": alice.pk, "signed_on": "2027-01-01"},
        content_type="application/json",
        **headers,
    )
    assert created.status_code == 201
    missing = client.get("/api/v1/confidentiality/missing", **headers).json()
    assert "alice" not in [s["username"] for s in missing["items"]]
    bad = client.post(
        "/api/v1/confidentiality/agreements",
        {"staff_id": 99999, "signed_on": "2027-01-01"},
        content_type="application/json",
        **headers,
    )
    assert bad.status_code == 422
    assert "staff_id" in bad.json()["fields"]
