"""Customer documents at rest and on the way out: encrypted, private files, downloads for a logged purpose, key
rotation, migration of files stored in clear (issue #10 item 8; item 2 "same rule for uploaded documents")."""

import io
import json
import os
import stat

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection

from creditdesk.accounts.models import AccessLogEntry
from creditdesk.accounts.tests.factories import UserFactory
from creditdesk.core import filecrypt
from creditdesk.core.tests.test_crypto import KEY_1, KEY_2, use_keys
from creditdesk.customers.documents import encrypt_stored_documents
from creditdesk.customers.models import CustomerDocument
from creditdesk.customers.services import customer_create, document_upload

pytestmark = pytest.mark.django_db
# Larger than one chunk, so the chunked format is exercised; the ID number must never be on disk in clear.
IDN = "11010519491231002X"
PDF = b"%PDF-1.4\n% " + IDN.encode() + b"\n" + os.urandom(3 * filecrypt.CHUNK_BYTES + 17) + b"\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def zhang(persona, business_on):
    return customer_create(actor=persona("alice"), kind="individual", name="张三", id_number=IDN, mobile="13812345678")


@pytest.fixture
def doc(persona, zhang):
    upload = SimpleUploadedFile(f"身份证{IDN}.pdf", PDF, content_type="application/pdf")
    return document_upload(actor=persona("alice"), customer=zhang, doc_type="id_card", upload=upload)


def on_disk(settings, document):
    return settings.MEDIA_ROOT / document.file.name


def open_page(client, document, purpose="核对身份信息"):
    return client.post(f"/customers/{document.customer_id}/documents/{document.pk}/", {"purpose": purpose})


def test_the_file_on_disk_is_encrypted_0600_in_a_0700_directory(settings, doc):
    """Item 8: the bytes on disk hold neither the content nor the ID number; file 0600, directory 0700."""
    path = on_disk(settings, doc)
    stored = path.read_bytes()
    assert stored.startswith(filecrypt.MAGIC)
    assert IDN.encode() not in stored
    assert PDF[100:164] not in stored
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert doc.file_key
    assert CustomerDocument.objects.get().file_key == doc.file_key
    assert IDN not in doc.shown_name
    assert doc.shown_name.endswith(".pdf")


def test_a_permitted_user_gets_the_exact_bytes_and_one_log_row(login, persona, doc):
    """Item 8: the page streams the original bytes, no-store, and writes one access-log row per download."""
    client = login(persona("alice"))
    response = open_page(client, doc)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    open_page(client, doc, purpose="再次核对")
    rows = list(AccessLogEntry.objects.order_by("id"))
    assert [(r.action, r.actor, r.subject_id, r.purpose) for r in rows] == [
        ("download", persona("alice"), str(doc.pk), "核对身份信息"),
        ("download", persona("alice"), str(doc.pk), "再次核对"),
    ]


def test_the_page_asks_for_a_purpose_before_serving(login, persona, doc):
    """Item 8: GET shows the purpose form; a POST without a purpose is refused; nothing is logged or served."""
    client = login(persona("alice"))
    page = client.get(f"/customers/{doc.customer_id}/documents/{doc.pk}/")
    assert page.status_code == 200
    assert b'name="purpose"' in page.content
    assert IDN.encode() not in page.content
    refused = open_page(client, doc, purpose="")
    assert refused.status_code == 422
    assert b'name="purpose"' in refused.content
    assert not AccessLogEntry.objects.exists()


def test_out_of_scope_users_get_404_and_no_log_row(login, client, api_token, doc):
    """Item 8: outside the data scope (or without a role) a document does not exist; nothing is logged."""
    stranger = UserFactory(username="zhao", roles=["sales"])
    assert open_page(login(stranger), doc).status_code == 404
    token = api_token(stranger)
    response = client.post(
        f"/api/v1/customers/{doc.customer_id}/documents/{doc.pk}/download",
        json.dumps({"purpose": "核对身份信息"}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 404
    client.logout()
    assert not AccessLogEntry.objects.exists()


def test_the_api_download_needs_a_purpose_and_logs_it(client, api_token, persona, doc):
    """Item 8: API download without a purpose is 422; with one it streams the bytes, no-store, one log row."""
    headers = {"HTTP_AUTHORIZATION": f"Bearer {api_token(persona('alice'))}"}
    url = f"/api/v1/customers/{doc.customer_id}/documents/{doc.pk}/download"
    for body in ({}, {"purpose": ""}, {"purpose": "ab"}):
        response = client.post(url, json.dumps(body), content_type="application/json", **headers)
        assert response.status_code == 422, body
    assert not AccessLogEntry.objects.exists()
    response = client.post(url, json.dumps({"purpose": "核对身份信息"}), content_type="application/json", **headers)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert "no-store" in response["Cache-Control"]
    assert AccessLogEntry.objects.get().action == "download"
    listed = client.get(f"/api/v1/customers/{doc.customer_id}/documents", **headers)
    assert IDN not in listed.content.decode()


def test_rotate_keys_rewraps_documents_and_the_old_key_can_be_retired(settings, login, persona, business_on):
    """Item 8: after `rotate-keys` the document's key is under the newest field key; with the old key removed
    the file still decrypts to the original bytes."""
    use_keys(settings, KEY_1)
    zhang = customer_create(actor=persona("alice"), kind="individual", name="张三", id_number=IDN, mobile="13812345678")
    upload = SimpleUploadedFile("身份证.pdf", PDF)
    doc = document_upload(actor=persona("alice"), customer=zhang, doc_type="id_card", upload=upload)
    assert raw_file_key(doc).startswith("k1$")
    use_keys(settings, KEY_2, KEY_1)
    call_command("rotate_keys", stdout=io.StringIO())
    assert raw_file_key(doc).startswith("k2$")
    use_keys(settings, KEY_2)  # the old key is retired
    response = open_page(login(persona("alice")), CustomerDocument.objects.get(pk=doc.pk))
    assert b"".join(response.streaming_content) == PDF


def raw_file_key(document):
    with connection.cursor() as cursor:
        cursor.execute("SELECT file_key FROM customers_customerdocument WHERE id = %s", [document.pk])
        return cursor.fetchone()[0]


def test_files_stored_in_clear_are_encrypted_by_the_migration_step(settings, persona, doc):
    """Item 8: documents stored before encryption are encrypted in place and still read back."""
    path = on_disk(settings, doc)
    path.write_bytes(PDF)  # as the code before this change stored it
    CustomerDocument.objects.filter(pk=doc.pk).update(file_key="")
    assert encrypt_stored_documents(CustomerDocument.objects.order_by("pk")) == 1
    assert encrypt_stored_documents(CustomerDocument.objects.order_by("pk")) == 0  # idempotent
    doc = CustomerDocument.objects.get(pk=doc.pk)
    assert IDN.encode() not in path.read_bytes()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert b"".join(filecrypt.decrypt_chunks(doc.file_key, path.open("rb"))) == PDF


def test_an_altered_or_truncated_file_fails_to_decrypt(settings, doc):
    """Item 8: AES-GCM per chunk with the index and final flag bound: damage is detected, never served."""
    stored = on_disk(settings, doc).read_bytes()
    for damaged in (stored[:-1], stored[: len(stored) // 2], stored[:-20] + bytes(20)):
        with pytest.raises(filecrypt.FileDecryptionFailed):
            b"".join(filecrypt.decrypt_chunks(doc.file_key, io.BytesIO(damaged)))
    with pytest.raises(filecrypt.FileDecryptionFailed):
        b"".join(filecrypt.decrypt_chunks(filecrypt.new_data_key(), io.BytesIO(stored)))


@pytest.mark.parametrize("parts", [{}, {"file": SimpleUploadedFile("空.pdf", b"", content_type="application/pdf")}])
def test_an_upload_without_a_file_or_with_an_empty_one_is_a_field_error(client, api_token, persona, zhang, parts):
    response = client.post(
        f"/api/v1/customers/{zhang.pk}/documents",
        {"doc_type": "other", **parts},
        HTTP_AUTHORIZATION=f"Bearer {api_token(persona('alice'))}",
    )
    assert response.status_code == 422
    assert list(response.json()["fields"]) == ["file"]
    assert not CustomerDocument.objects.exists()
