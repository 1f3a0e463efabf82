"""`creditdesk rotate-keys` moves every encrypted value to the newest key; `generate-key` makes keys (SEC-2)."""

import functools
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from creditdesk.core import crypto
from creditdesk.core.crypto import decrypt, encrypt, keyring, needs_rotation
from creditdesk.core.tests.test_crypto import (
    KEY_1,
    KEY_2,
    CustomerLike,
    raw_column,
    table_for,
    use_keys,
    write_customer,
)

ENCRYPTED = ["name", "address", "id_number", "mobile", "credit_code", "bank_account"]


@pytest.fixture
def customers(transactional_db, monkeypatch, settings):
    """Five customers written under key k1 (one with blank values); the command sees only the test model."""
    monkeypatch.setattr(crypto, "encrypted_models", functools.partial(crypto.encrypted_models, CustomerLike._meta.apps))
    use_keys(settings, KEY_1)
    with table_for(CustomerLike):
        for n in range(4):
            write_customer(name=f"客户{n}", address="北京市朝阳区建国路88号", mobile=f"1380000000{n}", id_number="")
        write_customer(name="", address=None)
        yield CustomerLike


def rotate(*args: str) -> str:
    out = io.StringIO()
    call_command("rotate_keys", *args, stdout=out)
    return out.getvalue()


def stored_tokens():
    return [token for name in ENCRYPTED for token in raw_column(CustomerLike, name) if token]


def test_rotation_moves_every_value_to_the_newest_key_and_a_second_run_changes_nothing(customers, settings):
    """SEC-2: after `rotate-keys` the old key can be removed; the command is idempotent."""
    before = {c.pk: (c.name, c.address, c.mobile, c.mobile_index) for c in CustomerLike.objects.all()}
    assert all(token.startswith("k1$") for token in stored_tokens())
    use_keys(settings, KEY_2, KEY_1)

    output = rotate("--batch-size", "2")

    assert "core.CustomerLike: 4 rows re-encrypted" in output
    tokens = stored_tokens()
    assert len(tokens) == 12
    assert all(token.startswith("k2$") for token in tokens)
    assert not any(needs_rotation(token) for token in tokens)
    use_keys(settings, KEY_2)  # the old key is gone: everything must still read back
    assert {c.pk: (c.name, c.address, c.mobile, c.mobile_index) for c in CustomerLike.objects.all()} == before

    again = rotate()
    assert "core.CustomerLike: 0 rows re-encrypted" in again
    assert stored_tokens() == tokens


def test_rotation_touches_only_rows_under_an_older_key(customers, settings):
    """SEC-2: rows already under the newest key are neither read nor written again."""
    use_keys(settings, KEY_2, KEY_1)
    write_customer(name="新客户", mobile="13900000000")
    fresh_token = raw_column(CustomerLike, "name")[-1]
    assert "4 rows re-encrypted" in rotate()
    assert raw_column(CustomerLike, "name")[-1] == fresh_token


def test_rotation_works_in_batches_of_the_given_size(customers, settings):
    """SEC-2: each batch is its own transaction, so a big table never holds one long lock."""
    use_keys(settings, KEY_2, KEY_1)
    statements: list[str] = []

    def record(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        rotate("--batch-size", "3")
    updates = [sql for sql in statements if sql.lstrip().upper().startswith("UPDATE")]
    assert len(updates) == 2  # 4 rows to rotate in batches of 3


def test_a_dry_run_counts_but_changes_nothing(customers, settings):
    use_keys(settings, KEY_2, KEY_1)
    tokens = stored_tokens()
    output = rotate("--dry-run")
    assert "core.CustomerLike: 4 rows would be re-encrypted" in output
    assert stored_tokens() == tokens


def test_rotation_stops_with_a_clear_error_when_a_needed_key_is_missing(customers, settings):
    """SEC-2: a value under a key that was removed too early is reported, not skipped."""
    use_keys(settings, KEY_2)
    with pytest.raises(CommandError, match=r"core.CustomerLike: .*'k1', which is not configured"):
        rotate()


def test_a_batch_size_below_one_is_refused():
    with pytest.raises(CommandError, match="at least 1"):
        rotate("--batch-size", "0")


def test_generate_key_prints_a_key_line_and_a_blind_index_secret_that_the_key_ring_accepts(settings):
    """SEC-2: operators get keys in the configured format, not hand-made ones."""
    out = io.StringIO()
    call_command("generate_key", stdout=out)
    values = [line for line in out.getvalue().splitlines() if line and not line.startswith("#")]
    [key_line, blind_secret] = values
    assert key_line.startswith("k")
    use_keys(settings, key_line, KEY_1, blind=blind_secret)
    assert keyring().newest_id == key_line.partition(":")[0]
    assert decrypt(encrypt("13812345678")) == "13812345678"
    second = io.StringIO()
    call_command("generate_key", stdout=second)
    assert key_line.partition(":")[2] not in second.getvalue()
