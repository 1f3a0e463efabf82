"""Stored files encrypted at rest (issue #10 item 8): chunked AES-256-GCM under a per-file data key.

Envelope encryption: every file gets its own random 32-byte data key; the key itself is kept encrypted with the
field key ring (an `EncryptedTextField` on the row that owns the file), so `creditdesk rotate-keys` re-wraps it
under the newest field key like any other encrypted value, and an old field key can then be retired.

Format: `MAGIC`, then chunks of at most `CHUNK_BYTES` plaintext, each `length (4 bytes) | nonce (12) | ciphertext
and tag`. The associated data of a chunk is `MAGIC | index | final flag`, so chunks cannot be reordered, dropped
or the file cut short without decryption failing. Encryption and decryption are generators: a large file is
never held twice in memory. No database here (a pure module).
"""

from __future__ import annotations

import base64
import os
import secrets
import struct
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

MAGIC = b"CDENC\x01"
CHUNK_BYTES = 64 * 1024
NONCE_BYTES = 12
TAG_BYTES = 16
FILE_MODE = 0o600
DIRECTORY_MODE = 0o700


class FileDecryptionFailed(ValueError):
    """A stored file is not what was written with this data key (wrong key, altered or truncated file)."""


def new_data_key() -> str:
    """A fresh data key, as text to store in an encrypted field."""
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode("ascii")


def _cipher(data_key: str) -> AESGCM:
    return AESGCM(base64.urlsafe_b64decode(data_key.encode("ascii")))


def _aad(index: int, final: bool) -> bytes:
    return MAGIC + struct.pack(">Q?", index, final)


def _rechunk(pieces: Iterable[bytes]) -> Iterator[bytes]:
    buffer = b""
    for piece in pieces:
        buffer += piece
        while len(buffer) >= CHUNK_BYTES:
            yield buffer[:CHUNK_BYTES]
            buffer = buffer[CHUNK_BYTES:]
    yield buffer  # the last, possibly empty, chunk: an empty file still has one (final) chunk


def encrypt_chunks(data_key: str, pieces: Iterable[bytes]) -> Iterator[bytes]:
    """The encrypted file, piece by piece, for plaintext arriving in `pieces` of any size."""
    cipher = _cipher(data_key)
    yield MAGIC
    chunks = _rechunk(pieces)
    current = next(chunks)
    index = 0
    for following in chunks:
        yield _sealed(cipher, current, index, final=False)
        current, index = following, index + 1
    yield _sealed(cipher, current, index, final=True)


def _sealed(cipher: AESGCM, chunk: bytes, index: int, *, final: bool) -> bytes:
    nonce = secrets.token_bytes(NONCE_BYTES)
    body = cipher.encrypt(nonce, chunk, _aad(index, final))
    return struct.pack(">I", len(body)) + nonce + body


def is_encrypted(head: bytes) -> bool:
    """True if a file starting with `head` was written by `encrypt_chunks`."""
    return head.startswith(MAGIC)


def decrypt_chunks(data_key: str, source: BinaryIO) -> Iterator[bytes]:
    """The plaintext of an encrypted file read from `source`, chunk by chunk; closes `source` at the end."""
    try:
        if source.read(len(MAGIC)) != MAGIC:
            raise FileDecryptionFailed("not an encrypted file")
        cipher = _cipher(data_key)
        index = 0
        header = source.read(4)
        while True:
            if len(header) != 4:
                raise FileDecryptionFailed("the file is truncated")
            (length,) = struct.unpack(">I", header)
            if length < TAG_BYTES or length > CHUNK_BYTES + TAG_BYTES:
                raise FileDecryptionFailed("the file is damaged")
            nonce = source.read(NONCE_BYTES)
            body = source.read(length)
            if len(nonce) != NONCE_BYTES or len(body) != length:
                raise FileDecryptionFailed("the file is truncated")
            header = source.read(4)
            final = header == b""
            try:
                yield cipher.decrypt(nonce, body, _aad(index, final))
            except InvalidTag:
                raise FileDecryptionFailed("wrong key, or the file was altered or truncated") from None
            if final:
                return
            index += 1
    finally:
        source.close()


def write_private(path: Path, pieces: Iterable[bytes]) -> None:
    """Write `pieces` to `path` atomically, the file 0600 in a 0700 directory (created if missing)."""
    path.parent.mkdir(mode=DIRECTORY_MODE, parents=True, exist_ok=True)
    os.chmod(path.parent, DIRECTORY_MODE)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    try:
        with os.fdopen(descriptor, "wb") as target:
            for piece in pieces:
                target.write(piece)
        os.chmod(temporary, FILE_MODE)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def encrypt_file_in_place(path: Path, data_key: str) -> None:
    """Replace the plaintext file at `path` with its encryption (for files stored before encryption)."""
    with path.open("rb") as source:
        write_private(path, encrypt_chunks(data_key, iter(lambda: source.read(CHUNK_BYTES), b"")))


def decrypt_file_in_place(path: Path, data_key: str) -> None:
    """The reverse of `encrypt_file_in_place` (reversing the data migration)."""
    write_private(path, decrypt_chunks(data_key, path.open("rb")))
