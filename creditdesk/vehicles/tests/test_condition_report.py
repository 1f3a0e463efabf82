"""Condition-report uploads: PDF/JPEG/PNG only (name and content), 10 MB at most, stored encrypted (0600), streamed
after the scope check for a logged purpose.

INFO-3 (condition report upload), issue #10 item 8; nothing is written when an upload is refused.
"""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from creditdesk.accounts.models import AccessLogEntry
from creditdesk.core import filecrypt
from creditdesk.core.errors import ValidationFailed
from creditdesk.core.models import AuditEvent
from creditdesk.core.private_files import encrypt_stored
from creditdesk.vehicles import services
from creditdesk.vehicles.models import Vehicle
from creditdesk.vehicles.tests.factories import make_vehicle

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64


def stored_files(media_root):
    root = Path(media_root)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def upload(client, vehicle, name, content, content_type="application/pdf"):
    return client.post(
        f"/vehicles/{vehicle.pk}/condition-report/upload/",
        {"condition_report": SimpleUploadedFile(name, content, content_type=content_type)},
    )


def opened(client, vehicle, purpose="核对车况"):
    return client.post(f"/vehicles/{vehicle.pk}/condition-report/", {"purpose": purpose})


def test_a_pdf_is_stored_encrypted_and_streamed_inline_for_a_logged_purpose(login, alice, zhang, media_root):
    vehicle = make_vehicle(zhang)
    client = login(alice)
    response = upload(client, vehicle, "车况报告 final.PDF", PDF)
    assert response["Location"] == f"/vehicles/{vehicle.pk}/"
    vehicle.refresh_from_db()
    files = stored_files(media_root)
    assert len(files) == 1
    assert files[0].is_relative_to(Path(media_root) / "private")
    assert "车况" not in files[0].name  # the user's file name never reaches the disk
    stored = files[0].read_bytes()
    assert filecrypt.is_encrypted(stored)
    assert PDF not in stored
    assert files[0].stat().st_mode & 0o777 == 0o600
    assert files[0].parent.stat().st_mode & 0o777 == 0o700
    assert AuditEvent.objects.filter(event_type="vehicle.condition_report_attached").count() == 1
    assert 'data-testid="condition-report-link"' in client.get(f"/vehicles/{vehicle.pk}/").content.decode()

    page = client.get(f"/vehicles/{vehicle.pk}/condition-report/")
    assert page.status_code == 200
    assert 'name="purpose"' in page.content.decode()
    assert not AccessLogEntry.objects.exists()  # asking for the purpose opens nothing
    streamed = opened(client, vehicle)
    assert streamed.status_code == 200
    assert "no-store" in streamed["Cache-Control"]
    entry = AccessLogEntry.objects.get()
    assert (entry.action, entry.field, entry.purpose) == ("download", "condition_report", "核对车况")
    assert entry.actor == alice
    assert b"".join(streamed.streaming_content) == PDF
    assert streamed["Content-Type"] == "application/pdf"
    assert streamed["Content-Disposition"].startswith("inline")
    assert streamed["X-Content-Type-Options"] == "nosniff"
    with pytest.raises(ValueError, match="no public URL"):
        _ = vehicle.condition_report.url


def test_a_replaced_report_is_kept_and_the_new_one_is_streamed(login, alice, zhang, media_root):
    vehicle = make_vehicle(zhang)
    client = login(alice)
    upload(client, vehicle, "first.pdf", PDF)
    upload(client, vehicle, "photo.png", PNG, "image/png")
    assert len(stored_files(media_root)) == 2
    streamed = opened(client, vehicle)
    assert streamed["Content-Type"] == "image/png"
    assert b"".join(streamed.streaming_content) == PNG


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("report.pdf", EXE),  # an executable renamed .pdf
        ("report.exe", EXE),
        ("report.png", PDF),  # a PDF claiming to be a PNG
        ("report.html", b"<html><script>alert(1)</script></html>"),
        ("report", PDF),
        ("report.pdf", b""),
    ],
)
def test_wrong_types_are_refused_and_nothing_is_written(login, alice, zhang, media_root, name, content):
    vehicle = make_vehicle(zhang)
    response = upload(login(alice), vehicle, name, content)
    assert response.status_code == 422
    assert "condition_report" in response.context["upload_form"].errors
    assert stored_files(media_root) == []
    vehicle.refresh_from_db()
    assert not vehicle.condition_report
    assert not AuditEvent.objects.filter(event_type="vehicle.condition_report_attached").exists()


def test_an_oversized_file_is_refused_and_nothing_is_written(login, alice, zhang, media_root, monkeypatch):
    assert services.MAX_CONDITION_REPORT_BYTES == 10 * 1024 * 1024
    monkeypatch.setattr(services, "MAX_CONDITION_REPORT_BYTES", 1024)  # the same rule, without a 10 MB body
    vehicle = make_vehicle(zhang)
    response = upload(login(alice), vehicle, "big.pdf", PDF + b"0" * 1024)
    assert response.status_code == 422
    assert "condition_report" in response.context["upload_form"].errors
    assert stored_files(media_root) == []
    assert upload(login(alice), vehicle, "small.pdf", PDF).status_code == 302


def test_a_file_just_over_ten_megabytes_is_refused_by_the_service(alice, zhang, media_root):
    vehicle = make_vehicle(zhang)
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * (10 * 1024 * 1024), content_type="application/pdf")
    with pytest.raises(ValidationFailed) as caught:
        services.condition_report_attach(actor=alice, vehicle=vehicle, upload=big)
    assert caught.value.code == "file_too_large"
    assert stored_files(media_root) == []


def test_only_editors_in_scope_upload_and_only_readers_in_scope_download(login, persona, zhang, sam, media_root):
    vehicle = make_vehicle(zhang)
    upload(login(persona("alice")), vehicle, "r.pdf", PDF)
    assert upload(login(persona("carol")), vehicle, "r.pdf", PDF).status_code == 403
    assert upload(login(sam), vehicle, "r.pdf", PDF).status_code == 404
    assert len(stored_files(media_root)) == 1
    assert login(persona("carol")).get(f"/vehicles/{vehicle.pk}/condition-report/").status_code == 200
    assert opened(login(persona("carol")), vehicle).status_code == 200
    assert login(sam).get(f"/vehicles/{vehicle.pk}/condition-report/").status_code == 404
    assert opened(login(sam), vehicle).status_code == 404
    assert login(persona("outsider")).get(f"/vehicles/{vehicle.pk}/condition-report/").status_code == 403
    assert opened(login(persona("outsider")), vehicle).status_code == 403
    assert AccessLogEntry.objects.count() == 1  # only carol's opening
    without = make_vehicle(zhang)
    assert login(persona("alice")).get(f"/vehicles/{without.pk}/condition-report/").status_code == 404


def test_no_purpose_no_report_and_no_log_row(login, alice, zhang, media_root):
    vehicle = make_vehicle(zhang)
    client = login(alice)
    upload(client, vehicle, "r.pdf", PDF)
    response = opened(client, vehicle, purpose=" x ")
    assert response.status_code == 422
    assert 'class="field-error"' in response.content.decode()
    assert not AccessLogEntry.objects.exists()


def test_the_api_streams_the_report_for_a_purpose(client, alice, zhang, media_root, api_token, login):
    vehicle = make_vehicle(zhang)
    upload(login(alice), vehicle, "r.pdf", PDF)
    client.logout()
    headers = {"Authorization": f"Bearer {api_token(alice)}"}
    url = f"/api/v1/vehicles/{vehicle.pk}/condition-report/download"
    refused = client.post(url, {}, content_type="application/json", headers=headers)
    assert refused.status_code == 422
    assert "purpose" in refused.json()["fields"]
    response = client.post(url, {"purpose": "贷后检查"}, content_type="application/json", headers=headers)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert "no-store" in response["Cache-Control"]
    assert AccessLogEntry.objects.get().purpose == "贷后检查"
    without = make_vehicle(zhang)
    missing = client.post(
        f"/api/v1/vehicles/{without.pk}/condition-report/download",
        {"purpose": "贷后检查"},
        content_type="application/json",
        headers=headers,
    )
    assert missing.status_code == 404


def test_reports_stored_in_clear_are_encrypted_by_the_migration_once(alice, zhang, media_root):
    vehicle = make_vehicle(zhang)
    vehicle.condition_report.save("old.pdf", SimpleUploadedFile("old.pdf", PDF), save=True)  # as before item 8
    path = Path(vehicle.condition_report.path)
    assert path.read_bytes() == PDF
    rows = Vehicle.objects.exclude(condition_report="")
    assert encrypt_stored(rows, file_field="condition_report", key_field="condition_report_key") == 1
    assert encrypt_stored(rows, file_field="condition_report", key_field="condition_report_key") == 0
    vehicle.refresh_from_db()
    assert filecrypt.is_encrypted(path.read_bytes())
    chunks = services.condition_report_download(actor=alice, vehicle=vehicle, purpose="核对车况")
    assert b"".join(chunks) == PDF
