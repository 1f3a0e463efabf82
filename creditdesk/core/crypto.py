"""Personal information at rest (SEC-2, PRIN-3): encrypted fields with rotating keys, and an HMAC blind index.

Keys come from settings (see settings.py, "Personal information at rest"), newest first, each written
`key_id:urlsafe-base64 of 32 random bytes` (`creditdesk generate-key` prints one):

- `FIELD_ENCRYPTION_KEYS` (env `CREDITDESK_FIELD_KEYS`, comma-separated), or `FIELD_ENCRYPTION_KEY_FILE`
  (env `CREDITDESK_FIELD_KEY_FILE`, one key per line, `#` comments) — one of the two, not both;
- `BLIND_INDEX_KEY` (env `CREDITDESK_BLIND_INDEX_KEY`), the HMAC secret of the blind index, at least 32 characters.

The newest key encrypts; every configured key decrypts. A stored value is `"<key_id>$<Fernet token>"`, so the
key that wrote it is known without trying them all, and `creditdesk rotate-keys` finds the values still under an
older key. In DEBUG or TESTING, missing keys are derived from SECRET_KEY (key id "dev"): convenient for the demo
and the tests, never for production — settings.py refuses to start without real keys when debug is off.

How a model stores an identifier (one way, no save() magic): an `EncryptedTextField` plus a `BlindIndexField`
named `<field>_index`, both set by the service that writes the value:

    class Customer(BaseModel):
        id_number = EncryptedTextField(_("ID number"), blank=True)
        id_number_index = BlindIndexField()

    # services.py
    customer.id_number = id_number
    customer.id_number_index = blind_index("id_number", id_number)

    # selectors.py: exact look-up; filtering on the encrypted field itself is refused
    Customer.objects.filter(id_number_index=blind_index("id_number", query))

Values that are never looked up (names, addresses) need only the encrypted field. Put uniqueness on the index.
Note that `dumpdata` and fixtures serialise the decrypted values: treat such files as personal information.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import hmac
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.apps import apps as global_apps
from django.apps.registry import Apps
from django.conf import settings
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.core.signals import setting_changed
from django.db import models, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.functions import Cast, Left
from django.db.models.lookups import Lookup, Transform
from django.dispatch import receiver

SEPARATOR = "$"
DEV_KEY_ID = "dev"
KEY_ID_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,40}")
KEY_BYTES = 32
MIN_BLIND_INDEX_KEY_LENGTH = 32
# What the blind index covers: identifiers that staff search for exactly.
BLIND_INDEX_KINDS = ("id_number", "mobile", "credit_code", "bank_account")
# Settings whose change (in tests, through override_settings) invalidates the cached key ring.
KEY_SETTINGS = frozenset(
    {"FIELD_ENCRYPTION_KEYS", "FIELD_ENCRYPTION_KEY_FILE", "BLIND_INDEX_KEY", "SECRET_KEY", "DEBUG", "TESTING"}
)


class DecryptionFailed(ValueError):
    """A stored value cannot be decrypted: its key is not configured, or the value is not what was written."""


@dataclass(frozen=True)
class KeyRing:
    """The configured keys: field-encryption keys by id (newest first) and the blind-index secret."""

    fernets: dict[str, Fernet]
    newest_id: str
    blind_index_key: bytes = field(repr=False)


def parse_key(line: str, *, source: str, position: int) -> tuple[str, Fernet]:
    """Parse one `key_id:key` entry; errors name the source and position, never the key itself."""
    key_id, colon, key_text = line.strip().partition(":")
    where = f"{source}, key {position}"
    if not colon or not key_id:
        raise ImproperlyConfigured(f"{where}: write each key as 'key_id:key' (creditdesk generate-key prints one).")
    if not KEY_ID_PATTERN.fullmatch(key_id):
        raise ImproperlyConfigured(
            f"{where}: the key id may hold only letters, digits, '-' and '_' (at most 40 characters)."
        )
    try:
        raw = base64.b64decode(key_text.strip().encode("ascii"), altchars=b"-_", validate=True)
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != KEY_BYTES:
        raise ImproperlyConfigured(
            f"{where} (id {key_id!r}): the key is not urlsafe base64 of {KEY_BYTES} bytes "
            "(creditdesk generate-key prints a valid one)."
        )
    return key_id, Fernet(base64.urlsafe_b64encode(raw))


def _configured_key_lines() -> tuple[list[str], str]:
    """The key entries from the environment or the key file, and the name of their source for messages."""
    keys = [entry for entry in settings.FIELD_ENCRYPTION_KEYS if entry.strip()]
    key_file = settings.FIELD_ENCRYPTION_KEY_FILE
    if keys and key_file:
        raise ImproperlyConfigured("Set CREDITDESK_FIELD_KEYS or CREDITDESK_FIELD_KEY_FILE, not both.")
    if not key_file:
        return keys, "CREDITDESK_FIELD_KEYS"
    source = f"CREDITDESK_FIELD_KEY_FILE {key_file}"
    try:
        text = Path(key_file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ImproperlyConfigured(f"{source} cannot be read: {exc.__class__.__name__}.") from None
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line and not line.startswith("#")]
    if not lines:
        raise ImproperlyConfigured(f"{source} holds no keys.")
    return lines, source


def _development_secret(purpose: str) -> bytes:
    """A 32-byte secret derived from SECRET_KEY with HKDF, for DEBUG/TESTING only.

    Deterministic, so the demo database stays readable across restarts; never for production, where anyone
    knowing SECRET_KEY could derive it (and settings.py refuses to start without real keys).
    """
    hkdf = HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=f"creditdesk {purpose}".encode())
    return hkdf.derive(settings.SECRET_KEY.encode("utf-8"))


def load_keyring() -> KeyRing:
    """Read and check the keys from settings; `keyring()` is the cached version everything uses."""
    development = bool(settings.DEBUG or getattr(settings, "TESTING", False))
    lines, source = _configured_key_lines()
    fernets: dict[str, Fernet] = {}
    for position, line in enumerate(lines, start=1):
        key_id, fernet = parse_key(line, source=source, position=position)
        if key_id in fernets:
            raise ImproperlyConfigured(f"{source}: key id {key_id!r} appears twice; every key needs its own id.")
        fernets[key_id] = fernet
    if not fernets:
        if not development:
            raise ImproperlyConfigured(
                "No field-encryption key: set CREDITDESK_FIELD_KEYS (or CREDITDESK_FIELD_KEY_FILE) when "
                "CREDITDESK_DEBUG is off (creditdesk generate-key prints one; see docs/operations.md)."
            )
        fernets[DEV_KEY_ID] = Fernet(base64.urlsafe_b64encode(_development_secret("field encryption, development")))

    secret = settings.BLIND_INDEX_KEY
    if secret:
        if len(secret) < MIN_BLIND_INDEX_KEY_LENGTH:
            raise ImproperlyConfigured(
                f"CREDITDESK_BLIND_INDEX_KEY is too short: use at least {MIN_BLIND_INDEX_KEY_LENGTH} random "
                "characters (creditdesk generate-key prints one)."
            )
        blind_index_key = secret.encode("utf-8")
    elif development:
        blind_index_key = _development_secret("blind index, development")
    else:
        raise ImproperlyConfigured("Set CREDITDESK_BLIND_INDEX_KEY when CREDITDESK_DEBUG is off.")
    return KeyRing(fernets=fernets, newest_id=next(iter(fernets)), blind_index_key=blind_index_key)


@functools.cache
def keyring() -> KeyRing:
    """The key ring, loaded once per process."""
    return load_keyring()


def reset_keyring() -> None:
    """Forget the loaded keys so the next use reads settings again (tests; settings changes)."""
    keyring.cache_clear()


@receiver(setting_changed)
def _reset_keyring_when_keys_change(*, setting: str, **kwargs: Any) -> None:
    if setting in KEY_SETTINGS:
        reset_keyring()


# --- Encryption ------------------------------------------------------------------------------------------------


def encrypt(text: str) -> str:
    """Encrypt `text` with the newest key: `"<key_id>$<token>"`, different on every call (random IV)."""
    if not isinstance(text, str):
        raise TypeError(f"only text is encrypted, not {type(text).__name__}")
    ring = keyring()
    token = ring.fernets[ring.newest_id].encrypt(text.encode("utf-8"))
    return f"{ring.newest_id}{SEPARATOR}{token.decode('ascii')}"


def decrypt(token: str) -> str:
    """Decrypt a value written by `encrypt`, with the key named in its prefix."""
    key_id, separator, body = token.partition(SEPARATOR)
    if not separator or not key_id:
        raise DecryptionFailed("not an encrypted value: the '<key_id>$' prefix is missing")
    fernet = keyring().fernets.get(key_id)
    if fernet is None:
        raise DecryptionFailed(
            f"value encrypted with key {key_id!r}, which is not configured: "
            "put that key back into CREDITDESK_FIELD_KEYS (or the key file)"
        )
    try:
        return fernet.decrypt(body.encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeError):
        raise DecryptionFailed(
            f"value cannot be decrypted with key {key_id!r}: wrong key under that id, or the value was altered"
        ) from None


def needs_rotation(token: str | None) -> bool:
    """True if a stored value is under an older key than the newest; empty values never need rotation."""
    if not token:
        return False
    return not token.startswith(keyring().newest_id + SEPARATOR)


class EncryptedTextField(models.TextField):
    """Text stored encrypted (`"<key_id>$<token>"`), plaintext in Python.

    None and "" are stored as they are, so blank optional fields work and stay blank: whether a value is
    present is not secret, the value is. Filtering is refused except `__isnull`, because the ciphertext differs
    on every write: look values up through their blind index. Ordering by the field orders ciphertext, which is
    meaningless. Unique and primary-key options are refused for the same reason: put them on the index.
    """

    description = "Encrypted text"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        for option in ("unique", "primary_key"):
            if kwargs.get(option):
                raise ImproperlyConfigured(
                    f"EncryptedTextField cannot be {option}: its ciphertext differs on every write; "
                    "put the constraint on the value's BlindIndexField."
                )
        super().__init__(*args, **kwargs)

    def from_db_value(self, value: str | None, expression: Any, connection: BaseDatabaseWrapper) -> str | None:
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(value)

    def _refuse(self, lookup_name: str) -> FieldError:
        owner = f"{self.model.__name__}.{self.name}" if hasattr(self, "model") else self.name
        return FieldError(
            f"{owner} is encrypted: filtering it with {lookup_name!r} cannot work because its ciphertext differs "
            f"on every write. Look it up through its blind index ({self.name}_index=blind_index(kind, value)); "
            f"only {self.name}__isnull is allowed."
        )

    def get_lookup(self, lookup_name: str) -> type[Lookup] | None:
        if lookup_name != "isnull":
            raise self._refuse(lookup_name)
        return super().get_lookup(lookup_name)

    def get_transform(self, lookup_name: str) -> type[Transform] | None:
        raise self._refuse(lookup_name)


# --- Blind index -----------------------------------------------------------------------------------------------


def normalise_identifier(value: str) -> str:
    """The form an identifier is indexed in: no whitespace or hyphens, upper case ("110105 1949…002x" → "…002X")."""
    return "".join(value.split()).replace("-", "").upper()


def blind_index(kind: str, value: str | None) -> str:
    """HMAC-SHA256 (hex, 64 characters) of `kind:normalised value` with the blind-index key.

    Equal identifiers give equal digests whatever their spacing or letter case, so an exact look-up works
    without decrypting; the kind keeps, say, a mobile number and an account number with the same digits apart.
    An empty value gives "" (a blank optional field has a blank index), so never search with an empty value.
    """
    if kind not in BLIND_INDEX_KINDS:
        raise ValueError(f"unknown blind-index kind {kind!r}; expected one of {', '.join(BLIND_INDEX_KINDS)}")
    normalised = normalise_identifier(value or "")
    if not normalised:
        return ""
    message = f"{kind}:{normalised}".encode()
    return hmac.new(keyring().blind_index_key, message, hashlib.sha256).hexdigest()


class BlindIndexField(models.CharField):
    """The blind index of an encrypted identifier (`blind_index(kind, value)`), set by the service that writes it.

    64 hex characters, indexed, not editable in forms; blank when the value is blank.
    """

    description = "Blind index"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("db_index", True)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)


# --- Key rotation ----------------------------------------------------------------------------------------------


def encrypted_models(registry: Apps = global_apps) -> list[tuple[type[models.Model], list[EncryptedTextField]]]:
    """Every managed model with encrypted columns of its own, and those fields (history models included).

    A field inherited from a multi-table parent belongs to the parent's table and is listed there; proxies have
    no table of their own; unmanaged tables belong to someone else.
    """
    found: list[tuple[type[models.Model], list[EncryptedTextField]]] = []
    for model in registry.get_models():
        if not model._meta.managed or model._meta.proxy:
            continue
        fields = [f for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField) and f.model is model]
        if fields:
            found.append((model, fields))
    return found


def rotate_model(
    model: type[models.Model], fields: Iterable[EncryptedTextField], *, batch_size: int = 500, dry_run: bool = False
) -> int:
    """Re-encrypt with the newest key the rows of `model` holding a value under an older key; return their count.

    Only those rows are read (the key id prefix is compared in SQL), in primary-key order, `batch_size` at a time,
    each batch in its own transaction with its rows locked (SELECT … FOR UPDATE on PostgreSQL; SQLite's
    IMMEDIATE transactions serialise writers), so an edit made meanwhile is never overwritten with a stale value.
    `bulk_update` writes only the encrypted columns: `updated_at` and history stay as they were. Rows already
    under the newest key are not touched, so a second run finds nothing and an interrupted run can simply be
    repeated. A dry run decrypts what it would rotate (proving the old keys work) and writes nothing.
    """
    names = [f.name for f in fields]
    prefix = keyring().newest_id + SEPARATOR
    stale = model._base_manager.all()
    needs = models.Q()
    for name in names:
        # Cast to plain text so the raw token is compared, without the field's decryption or lookup refusal.
        raw = Cast(name, output_field=models.TextField())
        stale = stale.alias(**{f"rotation_raw_{name}": raw, f"rotation_head_{name}": Left(raw, len(prefix))})
        needs |= models.Q(**{f"rotation_raw_{name}__gt": ""}) & ~models.Q(**{f"rotation_head_{name}": prefix})
    stale = stale.filter(needs).only("pk", *names).order_by("pk")

    count = 0
    last_pk: Any = None
    while True:
        with transaction.atomic():
            batch = stale if last_pk is None else stale.filter(pk__gt=last_pk)
            if not dry_run:
                batch = batch.select_for_update()
            rows = list(batch[:batch_size])
            if not rows:
                return count
            if not dry_run:
                model._base_manager.bulk_update(rows, names)
        count += len(rows)
        last_pk = rows[-1].pk
