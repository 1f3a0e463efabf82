"""Condition-report uploads: PDF/JPEG/PNG only (name and content), 10 MB at most, streamed after the scope check.

INFO-3 (condition report upload); nothing is written when an upload is refused.
"""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from creditdesk.core.errors import ValidationFailed
from creditdesk.core.models import AuditEvent
from creditdesk.vehicles import services
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


def test_a_pdf_is_stored_privately_and_streamed_inline(login, alice, zhang, media_root):
    vehicle = make_vehicle(zhang)
    client = login(alice)
    response = upload(client, vehicle, "车况报告 final.PDF", PDF)
    assert response["Location"] == f"/vehicles/{vehicle.pk}/"
    vehicle.refresh_from_db()
    files = stored_files(media_root)
    assert len(files) == 1
    assert files[0].is_relative_to(Path(media_root) / "private")
    assert "车况" not in files[0].name  # the user's file name never reaches the disk
    assert files[0].read_bytes() == PDF
    assert AuditEvent.objects.filter(event_type="vehicle.condition_report_attached").count() == 1
    assert 'data-testid="condition-report-link"' in client.get(f"/vehicles/{vehicle.pk}/").content.decode()

    streamed = client.get(f"/vehicles/{vehicle.pk}/condition-report/")
    assert streamed.status_code == 200
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
    streamed = client.get(f"/vehicles/{vehicle.pk}/condition-report/")
    assert streamed["Content-Type"] == "image/png"


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
    assert login(sam).get(f"/vehicles/{vehicle.pk}/condition-report/").status_code == 404
    assert login(persona("outsider")).get(f"/vehicles/{vehicle.pk}/condition-report/").status_code == 403
    without = make_vehicle(zhang)
    assert login(persona("alice")).get(f"/vehicles/{without.pk}/condition-report/").status_code == 404
