"""Acquisition: partners, leads with their channel, the lead board, conversion without duplicates (ACQ-1…3)."""

import pytest

from creditdesk.core.errors import InvalidTransition, ValidationFailed
from creditdesk.customers.models import Customer, Lead, Partner
from creditdesk.customers.selectors import channel_performance, partner_performance
from creditdesk.customers.services import customer_create, lead_advance, lead_convert, lead_create, partner_save

pytestmark = pytest.mark.django_db
IDN = "11010519491231002X"


@pytest.fixture
def market(persona, business_on):
    return partner_save(
        actor=persona("alice"), name="上海二手车交易市场", kind="used_car_market", agreement_status="signed"
    )


def test_a_partner_referral_must_name_its_partner(persona, market):
    """ACQ-2: every lead records its channel and partner/campaign/event where applicable."""
    with pytest.raises(ValidationFailed) as err:
        lead_create(actor=persona("alice"), name="王五", channel="partner")
    assert "partner" in err.value.fields
    lead = lead_create(actor=persona("alice"), name="王五", channel="partner", partner=market, mobile="13812345678")
    assert (lead.status, lead.partner, lead.owner.username) == ("new", market, "alice")


def test_a_lead_moves_forward_and_can_be_lost_with_a_reason(persona, business_on):
    alice = persona("alice")
    lead = lead_create(actor=alice, name="王五", channel="own_sales")
    lead = lead_advance(actor=alice, lead=lead, to="contacted")
    lead = lead_advance(actor=alice, lead=lead, to="qualified")
    with pytest.raises(InvalidTransition):
        lead_advance(actor=alice, lead=lead, to="contacted")
    with pytest.raises(ValidationFailed):
        lead_advance(actor=alice, lead=lead, to="lost")
    lead = lead_advance(actor=alice, lead=lead, to="lost", reason="已在别家办理")
    assert lead.status == "lost"
    with pytest.raises(InvalidTransition):
        lead_convert(actor=alice, lead=lead, id_number=IDN, mobile="13812345678")


def test_converting_creates_the_customer_with_the_leads_attribution(persona, market):
    alice = persona("alice")
    lead = lead_create(actor=alice, name="王五", channel="partner", partner=market, mobile="13812345678")
    customer = lead_convert(actor=alice, lead=lead, id_number=IDN)
    lead.refresh_from_db()
    assert (lead.status, lead.customer) == ("converted", customer)
    assert (customer.channel, customer.partner, customer.mobile) == ("partner", market, "13812345678")


def test_converting_a_known_id_number_links_instead_of_duplicating(persona, business_on):
    alice = persona("alice")
    existing = customer_create(actor=alice, kind="individual", name="张三", id_number=IDN, mobile="13812345678")
    lead = lead_create(actor=alice, name="张三", channel="own_sales", id_number=IDN.lower())
    assert lead_convert(actor=alice, lead=lead) == existing
    assert Customer.objects.count() == 1


def test_a_company_lead_converts_by_credit_code(persona, business_on):
    alice = persona("alice")
    lead = lead_create(
        actor=alice, name="华信商贸", kind="company", channel="own_sales", credit_code="91350100M000100Y43"
    )
    customer = lead_convert(actor=alice, lead=lead)
    assert customer.kind == "company"
    assert customer.credit_code == "91350100M000100Y43"


def test_performance_counts_leads_and_conversions_per_channel_and_partner(persona, market):
    alice = persona("alice")
    for n in range(3):
        lead_create(actor=alice, name=f"客户{n}", channel="partner", partner=market)
    converted = lead_create(actor=alice, name="王五", channel="partner", partner=market)
    lead_convert(actor=alice, lead=converted, id_number=IDN, mobile="13812345678")
    lead_create(actor=alice, name="赵六", channel="own_sales")
    rows = {row.key: row for row in channel_performance(user=alice)}
    assert (rows["partner"].leads, rows["partner"].converted) == (4, 1)
    assert str(rows["partner"].conversion_rate) == "0.2500"
    assert rows["online"].conversion_rate is None
    assert partner_performance(user=alice)[0].label == "上海二手车交易市场"


def test_the_lead_board_and_pages(login, persona, market):
    client = login(persona("alice"))
    response = client.post("/customers/leads/new/", {"name": "王五", "kind": "individual", "channel": "partner"})
    assert response.status_code == 422
    client.post(
        "/customers/leads/new/",
        {"name": "王五", "kind": "individual", "channel": "partner", "partner": market.pk, "mobile": "13812345678"},
    )
    lead = Lead.objects.get()
    html = client.get("/customers/leads/").content.decode()
    assert f'href="/customers/leads/{lead.pk}/"' in html
    assert "138****5678" in html
    client.post(f"/customers/leads/{lead.pk}/", {"action": "contacted"})
    response = client.post(f"/customers/leads/{lead.pk}/", {"action": "convert", "id_number": "110105194912310021"})
    assert response.status_code == 422
    response = client.post(f"/customers/leads/{lead.pk}/", {"action": "convert", "id_number": IDN})
    customer = Customer.objects.get()
    assert response["Location"] == f"/customers/{customer.pk}/"
    assert 'data-testid="channel-partner"' in client.get("/customers/performance/").content.decode()


def test_partners_pages_and_api(login, client, api_token, persona, business_on):
    web = login(persona("bob"))
    response = web.post(
        "/customers/partners/new/",
        {
            "name": "永达汽车",
            "kind": "dealer",
            "agreement_status": "signed",
            "agreement_signed_on": "2027-01-01",
            "agreement_expires_on": "2026-01-01",
            "is_active": "on",
        },
    )
    assert response.status_code == 422
    web.post(
        "/customers/partners/new/",
        {
            "name": "永达汽车",
            "kind": "dealer",
            "agreement_status": "signed",
            "agreement_signed_on": "2027-01-01",
            "agreement_expires_on": "2028-01-01",
            "is_active": "on",
        },
    )
    partner = Partner.objects.get()
    headers = {"HTTP_AUTHORIZATION": f"Bearer {api_token(persona('alice'))}"}
    assert client.get("/api/v1/partners?q=永达", **headers).json()["count"] == 1
    patched = client.patch(
        f"/api/v1/partners/{partner.pk}", {"is_active": False}, content_type="application/json", **headers
    )
    assert patched.json()["is_active"] is False


def test_the_leads_api(client, api_token, persona, market):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {api_token(persona('alice'))}"}
    created = client.post(
        "/api/v1/leads",
        {"name": "王五", "channel": "partner", "partner_id": market.pk, "mobile": "13812345678"},
        content_type="application/json",
        **headers,
    )
    assert created.status_code == 201
    assert created.json()["mobile"] == "138****5678"
    lead_id = created.json()["id"]
    bad = client.post(
        "/api/v1/leads",
        {"name": "x", "channel": "partner", "partner_id": 9999},
        content_type="application/json",
        **headers,
    )
    assert "partner_id" in bad.json()["fields"]
    moved = client.post(
        f"/api/v1/leads/{lead_id}/status", {"to": "qualified"}, content_type="application/json", **headers
    )
    assert moved.json()["status"] == "qualified"
    converted = client.post(
        f"/api/v1/leads/{lead_id}/convert", {"id_number": IDN}, content_type="application/json", **headers
    )
    assert converted.status_code == 200
    assert client.get(f"/api/v1/leads/{lead_id}", **headers).json()["customer_id"] == converted.json()["id"]
    again = client.post(f"/api/v1/leads/{lead_id}/convert", {}, content_type="application/json", **headers)
    assert again.status_code == 409


def test_campaign_and_event_registries(login, persona, business_on):
    client = login(persona("alice"))
    bad = client.post(
        "/customers/registries/campaigns/",
        {"name": "春季促销", "source": "social_media", "started_on": "2027-03-01", "ended_on": "2027-02-01"},
    )
    assert bad.status_code == 422
    client.post(
        "/customers/registries/campaigns/", {"name": "春季促销", "source": "social_media", "started_on": "2027-03-01"}
    )
    client.post(
        "/customers/registries/events/",
        {"name": "上海车展", "kind": "auto_show", "held_on": "2027-04-20", "location": "国家会展中心"},
    )
    assert "春季促销" in client.get("/customers/registries/campaigns/").content.decode()
    assert "上海车展" in client.get("/customers/registries/events/").content.decode()
    judy = login(persona("judy"))
    assert judy.get("/customers/registries/events/").status_code == 200
    assert judy.post("/customers/registries/events/", {"name": "x"}).status_code == 403
