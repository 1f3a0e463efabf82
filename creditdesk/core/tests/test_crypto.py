"""Personal information is encrypted at rest with rotating keys and found through a blind index (SEC-2, PRIN-3)."""

import base64
import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.db import connection, models
from django.db.migrations.writer import MigrationWriter
from django.db.models.functions import Cast
from django.test.utils import isolate_apps

from creditdesk.core import crypto
from creditdesk.core.crypto import (
    BlindIndexField,
    DecryptionFailed,
    EncryptedTextField,
    blind_index,
    decrypt,
    encrypt,
    encrypted_models,
    keyring,
    needs_rotation,
)

KEY_1 = "k1:" + base64.urlsafe_b64encode(b"1" * 32).decode()
KEY_2 = "k2:" + base64.urlsafe_b64encode(b"2" * 32).decode()
BLIND_KEY = "a-blind-index-secret-of-at-least-32-characters"

# The customer-like record of the raw-storage test, and the plaintexts that must never reach the database.
ID_NUMBER = "11010519491231002X"
MOBILE = "13812345678"
CREDIT_CODE = "91350100M000100Y43"
BANK_ACCOUNT = "6222020200112233445"
NAME = "张三丰"
ADDRESS = "北京市朝阳区建国路88号"

# A test-only model in its own app registry: no migration, invisible to the project's models and to
# `creditdesk rotate-keys` unless a test hands it over; its table exists only while a test uses `table_for`.
with isolate_apps("creditdesk.core"):

    class CustomerLike(models.Model):
        """A customer-like record with every kind of encrypted value, for these tests only."""

        name = EncryptedTextField(blank=True)
        address = EncryptedTextField(blank=True, null=True)
        id_number = EncryptedTextField(blank=True)
        id_number_index = BlindIndexField()
        mobile = EncryptedTextField(blank=True)
        mobile_index = BlindIndexField()
        credit_code = EncryptedTextField(blank=True)
        credit_code_index = BlindIndexField()
        bank_account = EncryptedTextField(blank=True)
        bank_account_index = BlindIndexField()
        note = models.CharField(max_length=50, blank=True)

        class Meta:
            app_label = "core"

        def __str__(self) -> str:
            return f"customer {self.pk}"


@contextmanager
def table_for(model):
    """Create the model's table for the duration of a block (the test needs `transactional_db` for SQLite DDL)."""
    with connection.schema_editor() as editor:
        editor.create_model(model)
    try:
        yield model
    finally:
        with connection.schema_editor() as editor:
            editor.delete_model(model)


@pytest.fixture
def customer_table(transactional_db):
    with table_for(CustomerLike):
        yield CustomerLike


def write_customer(**values) -> CustomerLike:
    """Write a customer the way a service would: each identifier with its blind index."""
    customer = CustomerLike(**values)
    for kind in crypto.BLIND_INDEX_KINDS:
        setattr(customer, f"{kind}_index", blind_index(kind, getattr(customer, kind)))
    customer.save()
    return customer


def raw_column(model, name):
    """The stored values of a column, undecrypted."""
    return list(model.objects.order_by("pk").values_list(Cast(name, models.TextField()), flat=True))


def use_keys(settings, *keys, blind=BLIND_KEY):
    settings.FIELD_ENCRYPTION_KEYS = list(keys)
    settings.FIELD_ENCRYPTION_KEY_FILE = ""
    settings.BLIND_INDEX_KEY = blind


# --- Encryption ------------------------------------------------------------------------------------------------


def test_a_value_comes_back_exactly_as_it_was_written():
    """SEC-2: encryption is reversible with the configured keys, Chinese text included."""
    for text in [ID_NUMBER, NAME, ADDRESS, "line one\nline two", " "]:
        assert decrypt(encrypt(text)) == text


def test_the_same_value_encrypts_differently_every_time():
    """SEC-2: equal plaintexts give unequal ciphertexts, so stored values reveal no repeats."""
    first, second = encrypt(MOBILE), encrypt(MOBILE)
    assert first != second
    assert MOBILE not in first


def test_the_newest_key_encrypts_and_older_keys_still_decrypt(settings):
    """SEC-2: after a new key is put first, values written under the old key remain readable."""
    use_keys(settings, KEY_1)
    old = encrypt(ID_NUMBER)
    assert old.startswith("k1$")
    use_keys(settings, KEY_2, KEY_1)
    assert decrypt(old) == ID_NUMBER
    assert encrypt(ID_NUMBER).startswith("k2$")


def test_a_value_under_a_key_that_is_no_longer_configured_is_refused_with_a_clear_error(settings):
    """SEC-2: a missing key is named, so operators know which key to restore."""
    use_keys(settings, KEY_1)
    token = encrypt(MOBILE)
    use_keys(settings, KEY_2)
    with pytest.raises(DecryptionFailed, match=r"'k1', which is not configured"):
        decrypt(token)


def test_an_altered_value_is_refused():
    """SEC-2: ciphertext is authenticated; a changed character is detected, not decrypted to garbage."""
    token = encrypt(MOBILE)
    altered = token[:-5] + ("A" if token[-5] != "A" else "B") + token[-4:]
    with pytest.raises(DecryptionFailed, match="altered"):
        decrypt(altered)
    with pytest.raises(DecryptionFailed, match="prefix"):
        decrypt("plain text")


def test_only_values_under_an_older_key_need_rotation(settings):
    """SEC-2: rotation finds what the newest key did not write; blank values never need it."""
    use_keys(settings, KEY_1)
    old = encrypt(MOBILE)
    use_keys(settings, KEY_2, KEY_1)
    assert needs_rotation(old)
    assert not needs_rotation(encrypt(MOBILE))
    assert not needs_rotation("")
    assert not needs_rotation(None)


# --- Key configuration -----------------------------------------------------------------------------------------


def test_keys_can_come_from_a_key_file_with_comments(settings, tmp_path):
    """SEC-2: a key file holds one key per line, newest first; comment and blank lines are ignored."""
    key_file = tmp_path / "field-keys"
    key_file.write_text(f"# rotated 2027-03\n{KEY_2}\n\n{KEY_1}\n", encoding="utf-8")
    settings.FIELD_ENCRYPTION_KEYS = []
    settings.FIELD_ENCRYPTION_KEY_FILE = str(key_file)
    settings.BLIND_INDEX_KEY = BLIND_KEY
    assert list(keyring().fernets) == ["k2", "k1"]
    assert keyring().newest_id == "k2"


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        ("no-id-here", "write each key as 'key_id:key'"),
        (":" + KEY_1.split(":")[1], "write each key as 'key_id:key'"),
        ("k$1:" + KEY_1.split(":")[1], "letters, digits"),
        ("k1:" + base64.urlsafe_b64encode(b"short").decode(), "32 bytes"),
        ("k1:not base64 at all!!", "32 bytes"),
    ],
)
def test_a_malformed_key_is_refused_with_the_problem_but_not_the_key(settings, entry, problem):
    """SEC-2: configuration errors say what is wrong and where, and never echo secret material."""
    use_keys(settings, KEY_2, entry)
    with pytest.raises(ImproperlyConfigured, match=problem) as caught:
        keyring()
    assert "key 2" in str(caught.value)
    secret_part = entry.partition(":")[2]
    if secret_part:
        assert secret_part not in str(caught.value)


def test_a_key_id_used_twice_is_refused(settings):
    use_keys(settings, KEY_1, "k1:" + KEY_2.split(":")[1])
    with pytest.raises(ImproperlyConfigured, match="appears twice"):
        keyring()


def test_keys_and_a_key_file_together_are_refused(settings, tmp_path):
    use_keys(settings, KEY_1)
    settings.FIELD_ENCRYPTION_KEY_FILE = str(tmp_path / "keys")
    with pytest.raises(ImproperlyConfigured, match="not both"):
        keyring()


def test_an_unreadable_key_file_is_refused(settings, tmp_path):
    use_keys(settings)
    settings.FIELD_ENCRYPTION_KEY_FILE = str(tmp_path / "missing")
    with pytest.raises(ImproperlyConfigured, match="cannot be read"):
        keyring()


def test_a_short_blind_index_key_is_refused(settings):
    use_keys(settings, KEY_1, blind="too-short")
    with pytest.raises(ImproperlyConfigured, match="at least 32"):
        keyring()


def test_without_keys_outside_debug_the_key_ring_refuses_to_load(settings):
    """SEC-2: production never falls back to a derived key."""
    use_keys(settings, blind="")
    settings.DEBUG = False
    settings.TESTING = False
    with pytest.raises(ImproperlyConfigured, match="CREDITDESK_FIELD_KEYS"):
        keyring()
    use_keys(settings, KEY_1, blind="")
    with pytest.raises(ImproperlyConfigured, match="CREDITDESK_BLIND_INDEX_KEY"):
        keyring()


def test_debug_without_keys_uses_a_development_key_derived_from_the_secret_key(settings):
    """Development only: a stable key ("dev") from SECRET_KEY, so the demo database survives restarts."""
    use_keys(settings, blind="")
    settings.DEBUG = True
    settings.TESTING = False
    token = encrypt(MOBILE)
    assert token.startswith("dev$")
    index = blind_index("mobile", MOBILE)
    crypto.reset_keyring()
    assert decrypt(token) == MOBILE
    assert blind_index("mobile", MOBILE) == index
    settings.SECRET_KEY = "another-secret-key"
    with pytest.raises(DecryptionFailed):
        decrypt(token)
    assert blind_index("mobile", MOBILE) != index


def test_start_up_is_refused_outside_debug_without_field_keys(tmp_path):
    """SEC-2: a production process does not start without encryption keys."""
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "creditdesk.settings",
        "CREDITDESK_DEBUG": "0",
        "CREDITDESK_TESTING": "0",
        "CREDITDESK_SECRET_KEY": "a-production-like-secret-key-for-this-test-only-0123456789",
        "CREDITDESK_FIELD_KEYS": "",
        "CREDITDESK_FIELD_KEY_FILE": "",
        "CREDITDESK_BLIND_INDEX_KEY": "",
        "CREDITDESK_VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=Path(__file__).resolve().parents[3],
    )
    assert result.returncode != 0
    assert "CREDITDESK_FIELD_KEYS" in result.stderr


# --- Blind index -----------------------------------------------------------------------------------------------


def test_the_blind_index_ignores_spacing_hyphens_and_letter_case():
    """PRIN-3: staff find a customer however the number was typed, without decrypting anything."""
    expected = blind_index("id_number", ID_NUMBER)
    assert len(expected) == 64
    assert blind_index("id_number", " 110105 19491231-002x ") == expected
    assert blind_index("mobile", "138-1234 5678") == blind_index("mobile", MOBILE)


def test_the_blind_index_differs_per_kind_and_per_key(settings):
    """PRIN-3: equal digits of different kinds do not match, and the digest depends on the secret."""
    use_keys(settings, KEY_1)
    as_mobile = blind_index("mobile", MOBILE)
    assert blind_index("bank_account", MOBILE) != as_mobile
    settings.BLIND_INDEX_KEY = BLIND_KEY + "-other"
    assert blind_index("mobile", MOBILE) != as_mobile


def test_the_blind_index_of_a_blank_value_is_blank_and_unknown_kinds_are_refused():
    assert blind_index("mobile", "") == ""
    assert blind_index("mobile", None) == ""
    with pytest.raises(ValueError, match="unknown blind-index kind"):
        blind_index("email", "a@example.com")


# --- The field -------------------------------------------------------------------------------------------------


def test_the_field_stores_ciphertext_and_gives_back_plaintext(customer_table):
    """SEC-2: the column holds "<key_id>$<token>"; the model, values() and refresh see the plaintext."""
    customer = write_customer(name=NAME, mobile=MOBILE, address=ADDRESS)
    customer.refresh_from_db()
    assert (customer.name, customer.mobile, customer.address) == (NAME, MOBILE, ADDRESS)
    assert CustomerLike.objects.values_list("mobile", flat=True).get() == MOBILE
    [stored] = raw_column(CustomerLike, "mobile")
    assert stored.startswith(keyring().newest_id + "$")
    assert MOBILE not in stored


def test_blank_and_missing_values_are_stored_as_they_are(customer_table):
    """Blank optional fields stay blank (whether a value exists is not secret) and isnull still works."""
    write_customer(name="", address=None)
    customer = CustomerLike.objects.get()
    assert customer.name == ""
    assert customer.address is None
    assert raw_column(CustomerLike, "name") == [""]
    assert customer.mobile_index == ""
    assert CustomerLike.objects.filter(address__isnull=True).count() == 1


def test_a_customer_is_found_through_the_blind_index(customer_table):
    """PRIN-3: exact look-up by ID number without decrypting every row."""
    wanted = write_customer(id_number=ID_NUMBER, mobile=MOBILE)
    write_customer(id_number="440524188001010014", mobile="13900000000")
    found = CustomerLike.objects.get(id_number_index=blind_index("id_number", "110105-19491231-002x"))
    assert found.pk == wanted.pk


@pytest.mark.parametrize("lookup", ["mobile", "mobile__exact", "mobile__startswith", "mobile__in", "mobile__lower"])
def test_filtering_an_encrypted_field_is_refused(lookup):
    """SEC-2: ciphertext is randomised, so such a filter would silently find nothing; it fails loudly instead."""
    with pytest.raises(FieldError, match="blind index"):
        CustomerLike.objects.filter(**{lookup: [MOBILE] if lookup.endswith("__in") else MOBILE})


def test_an_encrypted_field_cannot_be_unique():
    with pytest.raises(ImproperlyConfigured, match="BlindIndexField"):
        EncryptedTextField(unique=True)


def test_the_fields_deconstruct_without_key_material_so_migrations_stay_stable():
    """Changing or rotating keys never produces a migration."""
    _, path, args, kwargs = CustomerLike._meta.get_field("address").deconstruct()
    assert path == "creditdesk.core.crypto.EncryptedTextField"
    assert kwargs == {"blank": True, "null": True}
    assert EncryptedTextField(*args, **kwargs).deconstruct()[3] == kwargs
    _, path, _, kwargs = CustomerLike._meta.get_field("mobile_index").deconstruct()
    assert path == "creditdesk.core.crypto.BlindIndexField"
    assert BlindIndexField(**kwargs).deconstruct()[3] == kwargs
    serialised, _ = MigrationWriter.serialize(CustomerLike._meta.get_field("address"))
    assert "EncryptedTextField(blank=True, null=True)" in serialised


def test_encrypted_models_lists_each_model_with_its_encrypted_fields():
    registry = CustomerLike._meta.apps
    [(model, fields)] = encrypted_models(registry)
    assert model is CustomerLike
    assert [f.name for f in fields] == ["name", "address", "id_number", "mobile", "credit_code", "bank_account"]


def test_no_plaintext_reaches_the_database(customer_table):
    """SEC-2: the raw database (SQLite file bytes, PostgreSQL row text) holds none of a customer's values."""
    write_customer(
        name=NAME,
        address=ADDRESS,
        id_number=ID_NUMBER,
        mobile=MOBILE,
        credit_code=CREDIT_CODE,
        bank_account=BANK_ACCOUNT,
        note="marker",
    )
    if connection.vendor == "sqlite":
        if connection.is_in_memory_db():
            raw = connection.connection.serialize()
        else:
            database = Path(connection.settings_dict["NAME"])
            raw = b"".join(p.read_bytes() for p in [database, Path(f"{database}-wal")] if p.exists())
    else:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT t::text FROM {connection.ops.quote_name(CustomerLike._meta.db_table)} t")  # noqa: S608
            raw = "\n".join(row[0] for row in cursor.fetchall()).encode("utf-8")
    assert b"marker" in raw  # the check reads the right data
    for plaintext in [ID_NUMBER, MOBILE, CREDIT_CODE, BANK_ACCOUNT, NAME, ADDRESS]:
        digits = "".join(c for c in plaintext if c.isdigit())
        forms = {plaintext, plaintext.lower()} | ({digits} if len(digits) >= 8 else set())
        for form in forms:
            assert form.encode("utf-8") not in raw, form
