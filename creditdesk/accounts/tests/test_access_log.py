"""Unmasking needs a permission and a purpose and is logged; the access log is browsable and exportable (SEC-7)."""

import io

import pytest
from openpyxl import load_workbook

from creditdesk.accounts.models import AccessLogEntry
from creditdesk.accounts.services import access_log_record, sensitive_value_unmask
from creditdesk.core.errors import PermissionDenied, ValidationFailed

pytestmark = pytest.mark.django_db


@pytest.fixture
def zhang(persona):
    staff = persona("grace")
    staff.mobile = "13812345678"
    staff.save()
    return staff


def test_unmask_returns_the_value_once_and_logs_who_what_why(persona, zhang):
    ivan = persona("ivan")
    value = sensitive_value_unmask(
        actor=ivan, subject=zhang, field="mobile", purpose="核实联系方式", client_address="10.1.2.3"
    )
    assert value == "13812345678"
    entry = AccessLogEntry.objects.get()
    assert (entry.actor, entry.action, entry.field, entry.purpose) == (ivan, "unmask", "mobile", "核实联系方式")
    assert entry.subject_id == str(zhang.pk)
    assert entry.client_address == "10.1.2.3"


def test_unmask_needs_a_purpose(persona, zhang):
    with pytest.raises(ValidationFailed) as err:
        sensitive_value_unmask(actor=persona("ivan"), subject=zhang, field="mobile", purpose="  ")
    assert "purpose" in err.value.fields
    assert not AccessLogEntry.objects.exists()


def test_unmask_needs_the_permission(persona, zhang):
    for name in ("alice", "judy", "outsider"):
        with pytest.raises(PermissionDenied):
            sensitive_value_unmask(actor=persona(name), subject=zhang, field="mobile", purpose="好奇看看")
    assert not AccessLogEntry.objects.exists()


def test_only_sensitive_fields_can_be_unmasked(persona, zhang):
    with pytest.raises(ValidationFailed):
        sensitive_value_unmask(actor=persona("ivan"), subject=zhang, field="username", purpose="核实信息")


def test_log_entries_cannot_be_changed(persona, zhang):
    entry = access_log_record(actor=persona("ivan"), action="unmask", subject=zhang, field="mobile", purpose="核实")
    entry.purpose = "rewritten"
    with pytest.raises(ValueError, match="immutable"):
        entry.save()


@pytest.fixture
def entries(persona, zhang):
    ivan, judy = persona("ivan"), persona("judy")
    for n in range(30):
        access_log_record(actor=ivan, action="unmask", subject=zhang, field="mobile", purpose=f"核实 {n}")
    access_log_record(
        actor=judy, action="export", subject=None, subject_repr="客户清单", purpose="监管报送", record_count=12
    )
    return ivan, judy


def test_the_access_log_page_filters_and_paginates(login, entries, django_assert_max_num_queries):
    _ivan, judy = entries
    client = login(judy)
    with django_assert_max_num_queries(10):
        html = client.get("/accounts/access-log/?action=export").content.decode()
    assert "监管报送" in html
    assert "核实 1" not in html
    html = client.get("/accounts/access-log/?actor=ivan&page=2").content.decode()
    assert "第 2 / 2 页" in html


def test_the_access_log_is_closed_to_other_roles(login, persona, entries):
    for name in ("alice", "mallory", "outsider"):
        assert login(persona(name)).get("/accounts/access-log/").status_code == 403


def test_the_excel_export_holds_the_rows_and_is_itself_logged(login, entries):
    _ivan, judy = entries
    response = login(judy).get("/accounts/access-log/export/?actor=ivan")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == 31
    assert AccessLogEntry.objects.filter(actor=judy, action="export", record_count=30).exists()


def test_the_api_lists_and_exports_the_log(client, api_token, entries):
    _ivan, judy = entries
    headers = {"HTTP_AUTHORIZATION": f"Bearer {api_token(judy)}"}
    body = client.get("/api/v1/access-log?action=unmask&page_size=10", **headers).json()
    assert (body["count"], len(body["items"]), body["pages"]) == (30, 10, 3)
    assert body["items"][0]["field"] == "mobile"
    response = client.get("/api/v1/access-log/export", **headers)
    assert response.status_code == 200
    assert AccessLogEntry.objects.filter(actor=judy, action="export", purpose__contains="API").exists()


def test_the_api_refuses_roles_without_the_permission(client, api_token, persona):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {api_token(persona('alice'))}"}
    response = client.get("/api/v1/access-log", **headers)
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
