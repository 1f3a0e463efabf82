"""Disclosure control (SEC-6): request → information administrator decides → watermarked, logged export."""

import io

import pytest
from openpyxl import load_workbook

from creditdesk.accounts.disclosure import disclosure_decide, disclosure_export, disclosure_request
from creditdesk.accounts.models import AccessLogEntry, DisclosureRequest
from creditdesk.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from creditdesk.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def grace(persona):
    staff = persona("grace")
    staff.mobile = "13812345678"
    staff.save()
    return staff


@pytest.fixture
def filed(persona, grace, business_on):
    return disclosure_request(
        requester=persona("carol"),
        dataset="staff",
        record_ids=[grace.pk],
        fields=["full_name", "mobile"],
        recipient="上海市某区人民法院",
        purpose="协助法院调查取证",
        legal_basis="regulator",
    )


def test_a_request_waits_for_the_information_administrator(filed):
    assert filed.state == "submitted"
    assert AuditEvent.objects.filter(event_type="disclosure.requested", subject_id=str(filed.pk)).exists()


def test_nothing_can_be_exported_before_approval(filed, persona):
    """Bulk export of personal data without an approved request is refused."""
    with pytest.raises(InvalidTransition):
        disclosure_export(request=filed, actor=persona("carol"))
    assert not AccessLogEntry.objects.exists()


def test_the_approved_export_is_watermarked_and_logged(filed, persona):
    ivan, carol = persona("ivan"), persona("carol")
    disclosure_decide(request=filed, actor=ivan, approve=True, comment="法院协查函已核实")
    filed.refresh_from_db()
    content = disclosure_export(request=filed, actor=carol, client_address="10.0.0.8")
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook.active
    assert f"#{filed.pk}" in sheet["A1"].value
    assert "carol" in sheet["A1"].value
    assert f"#{filed.pk}" in sheet.oddFooter.center.text
    assert [c.value for c in sheet[3]] == ["", "13812345678"] or sheet[3][1].value == "13812345678"
    entry = AccessLogEntry.objects.get(action="export")
    assert (entry.actor, entry.record_count, entry.purpose) == (carol, 1, "协助法院调查取证")
    assert DisclosureRequest.objects.get(pk=filed.pk).export_count == 1


def test_rejection_ends_the_request(filed, persona):
    disclosure_decide(request=filed, actor=persona("ivan"), approve=False, comment="缺少书面授权")
    filed.refresh_from_db()
    assert filed.state == "rejected"
    with pytest.raises(InvalidTransition):
        disclosure_decide(request=filed, actor=persona("ivan"), approve=True, comment="改主意")
    with pytest.raises(InvalidTransition):
        disclosure_export(request=filed, actor=persona("carol"))


def test_only_the_information_administrator_decides_and_never_on_their_own_request(filed, persona, grace):
    for name in ("alice", "judy", "carol"):
        with pytest.raises(PermissionDenied):
            disclosure_decide(request=filed, actor=persona(name), approve=True, comment="同意")
    with pytest.raises(ValidationFailed):
        disclosure_decide(request=filed, actor=persona("ivan"), approve=True, comment=" ")


def test_only_the_requester_downloads(filed, persona):
    disclosure_decide(request=filed, actor=persona("ivan"), approve=True, comment="同意")
    filed.refresh_from_db()
    with pytest.raises(PermissionDenied):
        disclosure_export(request=filed, actor=persona("ivan"))


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"dataset": "nothing"}, "dataset"),
        ({"fields": ["salary"]}, "fields"),
        ({"record_ids": []}, "record_ids"),
        ({"legal_basis": "because"}, "legal_basis"),
        ({"legal_basis": "consent", "consent_reference": ""}, "consent_reference"),
        ({"recipient": " "}, "recipient"),
        ({"purpose": "x"}, "purpose"),
    ],
)
def test_an_incomplete_request_names_the_field(persona, grace, change, field):
    data = {
        "dataset": "staff",
        "record_ids": [grace.pk],
        "fields": ["mobile"],
        "recipient": "某银行",
        "purpose": "联合贷款核验",
        "legal_basis": "contract",
        "consent_reference": "",
    }
    with pytest.raises(ValidationFailed) as err:
        disclosure_request(requester=persona("carol"), **{**data, **change})
    assert field in err.value.fields
    assert not DisclosureRequest.objects.exists()


def test_roles_without_the_permission_cannot_request(persona, grace):
    with pytest.raises(PermissionDenied):
        disclosure_request(
            requester=persona("judy"),
            dataset="staff",
            record_ids=[grace.pk],
            fields=["mobile"],
            recipient="x",
            purpose="看看而已",
            legal_basis="contract",
        )


def test_the_whole_flow_through_the_pages(login, persona, grace, business_on):
    carol, ivan = persona("carol"), persona("ivan")
    client = login(carol)
    response = client.post(
        "/accounts/disclosures/new/",
        {
            "dataset": "staff",
            "record_ids": f"{grace.pk}",
            "data_fields": ["full_name", "mobile"],
            "recipient": "某律师事务所",
            "purpose": "诉讼代理需要",
            "legal_basis": "consent",
            "consent_reference": "",
        },
    )
    assert response.status_code == 422
    assert "书面授权" in response.content.decode()
    response = client.post(
        "/accounts/disclosures/new/",
        {
            "dataset": "staff",
            "record_ids": f"{grace.pk}",
            "data_fields": ["full_name", "mobile"],
            "recipient": "某律师事务所",
            "purpose": "诉讼代理需要",
            "legal_basis": "consent",
            "consent_reference": "SQ-2027-001",
        },
    )
    item = DisclosureRequest.objects.get()
    assert response["Location"] == f"/accounts/disclosures/{item.pk}/"
    assert client.get(f"/accounts/disclosures/{item.pk}/export/").status_code == 302  # not yet approved
    client = login(ivan)
    page = client.get(f"/accounts/disclosures/{item.pk}/").content.decode()
    assert "批准" in page
    client.post(f"/accounts/disclosures/{item.pk}/", {"decision": "approve", "comment": "授权书齐全"})
    client = login(carol)
    response = client.get(f"/accounts/disclosures/{item.pk}/export/")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert AccessLogEntry.objects.filter(action="export", actor=carol).count() == 1


def test_the_api_flow(client, api_token, persona, grace, business_on):
    carol_h = {"HTTP_AUTHORIZATION": f"Bearer {api_token(persona('carol'))}"}
    ivan_h = {"HTTP_AUTHORIZATION": f"Bearer {api_token(persona('ivan'))}"}
    body = {
        "dataset": "staff",
        "record_ids": [grace.pk],
        "fields": ["mobile"],
        "recipient": "某法院",
        "purpose": "协助调查",
        "legal_basis": "regulator",
    }
    created = client.post("/api/v1/disclosures", body, content_type="application/json", **carol_h)
    assert created.status_code == 201
    item_id = created.json()["id"]
    assert client.get(f"/api/v1/disclosures/{item_id}/export", **carol_h).status_code == 409
    decided = client.post(
        f"/api/v1/disclosures/{item_id}/decisions",
        {"decision": "approve", "comment": "同意"},
        content_type="application/json",
        **ivan_h,
    )
    assert decided.json()["state"] == "approved"
    assert client.get(f"/api/v1/disclosures/{item_id}/export", **carol_h).status_code == 200
    assert client.get("/api/v1/disclosures", **ivan_h).json()["count"] == 1
    alice_h = {"HTTP_AUTHORIZATION": f"Bearer {api_token(persona('alice'))}"}
    assert client.get(f"/api/v1/disclosures/{item_id}", **alice_h).status_code == 404
