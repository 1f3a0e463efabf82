"""Customer documents at rest and on the way out (issue #10 item 8, INFO-2, INFO-5).

A document's file is encrypted (core/filecrypt.py: AES-256-GCM under its own data key, the data key in
`CustomerDocument.file_key` under the field key ring), 0600 in a 0700 directory. It is read back only through
`document_download`: the caller has fetched the document through the data scope, the actor holds the
permission, states a purpose, and one access-log row records who, which document, why and from where.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.db import transaction
from django.http import HttpResponse
from django.utils.translation import gettext as _

from creditdesk.accounts.permissions import Perm
from creditdesk.accounts.scoping import require_perm
from creditdesk.accounts.services import file_download_record
from creditdesk.core import private_files
from creditdesk.customers.models import CustomerDocument


def document_store(document: CustomerDocument, *, name: str, pieces: Iterable[bytes]) -> None:
    """Encrypt `pieces` into a new private file for `document` (not yet saved) under a fresh data key."""
    document.file_key = private_files.store(document.file, name=name, pieces=pieces)


@transaction.atomic
def document_download(
    *, actor: Any, document: CustomerDocument, purpose: str, client_address: str | None = None
) -> Iterator[bytes]:
    """The document's original bytes, chunk by chunk, for a stated purpose; one access-log row (SEC-7, item 8)."""
    require_perm(actor, Perm.CUSTOMER_VIEW, _("Your role may not see customer documents."), on=document.customer)
    file_download_record(
        actor=actor,
        subject=document,
        field="file",
        purpose=purpose,
        subject_repr=f"{document.customer} · {document.get_doc_type_display()} #{document.pk}",
        client_address=client_address,
    )
    return private_files.plaintext(document.file, document.file_key)


def document_response(document: CustomerDocument, chunks: Iterator[bytes]) -> HttpResponse:
    """The decrypted document, streamed inline with its checked type."""
    suffix = (document.file.name or "").rsplit(".", 1)[-1]
    return private_files.streamed(
        chunks,
        content_type=document.content_type,
        filename=f"document-{document.pk}.{suffix}",
        size=document.size_bytes,
    )


def encrypt_stored_documents(queryset: Iterable[Any]) -> int:
    """Encrypt the files of documents stored in clear (blank `file_key`); for the data migration. Idempotent."""
    return private_files.encrypt_stored(queryset, file_field="file", key_field="file_key")
