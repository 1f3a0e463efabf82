"""Private files kept encrypted in a storage (issue #10 item 8): write, read back, stream, encrypt old ones.

The owning row keeps each file's data key in an encrypted field (envelope encryption, core/filecrypt.py), so
`creditdesk rotate-keys` re-wraps it with the other personal information. Used by customer documents and
vehicle condition reports; the callers check permission and scope and write the access-log row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO, cast

from django.db.models.fields.files import FieldFile
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render

from creditdesk.core import filecrypt
from creditdesk.core.errors import DomainError


def store(file: FieldFile, *, name: str, pieces: Iterable[bytes]) -> str:
    """Encrypt `pieces` into a new private file for `file` (its row not yet saved); returns the new data key."""
    storage = file.storage
    stored_name = storage.get_available_name(file.field.generate_filename(file.instance, name))
    data_key = filecrypt.new_data_key()
    filecrypt.write_private(Path(storage.path(stored_name)), filecrypt.encrypt_chunks(data_key, pieces))
    file.name = stored_name
    return data_key


def plaintext(file: FieldFile, data_key: str) -> Iterator[bytes]:
    """The file's original bytes, chunk by chunk (a file stored before encryption, without key, is read as is)."""
    source = file.open("rb")
    if not data_key:  # stored before encryption and not yet migrated: never refuse a document on file
        return iter(lambda: source.read(filecrypt.CHUNK_BYTES), b"")
    return filecrypt.decrypt_chunks(data_key, cast(BinaryIO, source))


def streamed(chunks: Iterator[bytes], *, content_type: str, filename: str, size: int | None = None) -> HttpResponse:
    """The decrypted file streamed inline with its checked type (the browser must not guess another), no-store."""
    response = StreamingHttpResponse(chunks, content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    if size is not None:
        response["Content-Length"] = str(size)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    # A streaming response is served like any other; the callers' decorators are typed for HttpResponse.
    return cast(HttpResponse, response)


def purpose_page(
    request: HttpRequest,
    *,
    heading: str,
    description: str,
    back_url: str,
    button: str,
    open_file: Callable[[str], HttpResponse],
) -> HttpResponse:
    """The page before a private file: GET asks the purpose, POST calls `open_file(purpose)` (which logs it)."""
    context: dict[str, Any] = {
        "heading": heading,
        "description": description,
        "back_url": back_url,
        "button": button,
        "purpose": request.POST.get("purpose", "") if request.method == "POST" else "",
    }
    if request.method != "POST":
        return render(request, "includes/file_open.html", context)
    try:
        return open_file(context["purpose"])
    except DomainError as err:
        context["errors"] = [m for ms in (err.fields or {"": [err.message]}).values() for m in ms]
        return render(request, "includes/file_open.html", context, status=err.status)


def encrypt_stored(rows: Iterable[Any], *, file_field: str, key_field: str) -> int:
    """Encrypt the files of rows stored in clear (blank key); for data migrations. Idempotent; returns the count."""
    count = 0
    for row in rows:
        file = getattr(row, file_field)
        if getattr(row, key_field) or not file:
            continue
        path = Path(file.storage.path(file.name))
        if not path.exists():
            continue
        with path.open("rb") as source:
            if filecrypt.is_encrypted(source.read(len(filecrypt.MAGIC))):
                continue
        data_key = filecrypt.new_data_key()
        filecrypt.encrypt_file_in_place(path, data_key)
        setattr(row, key_field, data_key)
        row.save(update_fields=[key_field])
        count += 1
    return count
