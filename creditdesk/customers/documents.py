"""Customer documents at rest and on the way out (issue #10 item 8, INFO-2, INFO-5).

A document's file is encrypted (core/filecrypt.py: AES-256-GCM under its own data key, the data key in
`CustomerDocument.file_key` under the field key ring), 0600 in a 0700 directory. It is read back only through
`document_download`: the caller has fetched the document through the data scope, the actor holds the
permission, states a purpose, and one access-log row records who, which document, why and from where.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO, cast

from django.core.files.storage import default_storage
from django.db import transaction
from django.http import HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext as _

from creditdesk.accounts.choices import AccessAction
from creditdesk.accounts.permissions import Perm
from creditdesk.accounts.scoping import require_perm
from creditdesk.accounts.services import MIN_PURPOSE_LENGTH, access_log_record
from creditdesk.core import filecrypt
from creditdesk.core.errors import ValidationFailed
from creditdesk.customers.models import CustomerDocument


def document_store(document: CustomerDocument, *, name: str, pieces: Iterable[bytes]) -> None:
    """Encrypt `pieces` into a new private file for `document` (not yet saved) under a fresh data key."""
    stored_name = default_storage.get_available_name(document.file.field.generate_filename(document, name))
    document.file_key = filecrypt.new_data_key()
    filecrypt.write_private(
        Path(default_storage.path(stored_name)), filecrypt.encrypt_chunks(document.file_key, pieces)
    )
    document.file.name = stored_name


def _plaintext(document: CustomerDocument) -> Iterator[bytes]:
    source = document.file.open("rb")
    if not document.file_key:  # stored before encryption and not yet migrated: never refuse a document on file
        return iter(lambda: source.read(filecrypt.CHUNK_BYTES), b"")
    return filecrypt.decrypt_chunks(document.file_key, cast(BinaryIO, source))


@transaction.atomic
def document_download(
    *, actor: Any, document: CustomerDocument, purpose: str, client_address: str | None = None
) -> Iterator[bytes]:
    """The document's original bytes, chunk by chunk, for a stated purpose; one access-log row (SEC-7, item 8)."""
    require_perm(actor, Perm.CUSTOMER_VIEW, _("Your role may not see customer documents."), on=document.customer)
    purpose = (purpose or "").strip()
    if len(purpose) < MIN_PURPOSE_LENGTH:
        raise ValidationFailed.on("purpose", _("State why you need to see this document (at least 4 characters)."))
    access_log_record(
        actor=actor,
        action=AccessAction.DOWNLOAD,
        subject=document,
        field="file",
        purpose=purpose,
        subject_repr=f"{document.customer} · {document.get_doc_type_display()} #{document.pk}",
        client_address=client_address,
    )
    return _plaintext(document)


def document_response(document: CustomerDocument, chunks: Iterator[bytes]) -> HttpResponse:
    """The decrypted document, streamed inline with its checked type (the browser must not guess another)."""
    suffix = (document.file.name or "").rsplit(".", 1)[-1]
    response = StreamingHttpResponse(chunks, content_type=document.content_type)
    response["Content-Disposition"] = f'inline; filename="document-{document.pk}.{suffix}"'
    response["Content-Length"] = str(document.size_bytes)
    response["X-Content-Type-Options"] = "nosniff"
    # A streaming response is served like any other; the callers' decorators are typed for HttpResponse.
    return cast(HttpResponse, response)


def encrypt_stored_documents(queryset: Iterable[Any]) -> int:
    """Encrypt the files of documents stored in clear (blank `file_key`); for the data migration. Idempotent."""
    count = 0
    for document in queryset:
        if document.file_key or not document.file:
            continue
        path = Path(default_storage.path(document.file.name))
        with path.open("rb") as source:
            if filecrypt.is_encrypted(source.read(len(filecrypt.MAGIC))):
                continue
        key = filecrypt.new_data_key()
        filecrypt.encrypt_file_in_place(path, key)
        document.file_key = key
        document.save(update_fields=["file_key"])
        count += 1
    return count
