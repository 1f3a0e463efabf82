"""Table checksums for backups (SEC-4): the same figure for the same data, whichever database holds it.

A table's checksum is computed from raw column values, as the database returns them (encrypted fields stay
ciphertext, so no key is needed), on the live snapshot when a backup is made and on the restored copy when it is
verified. For that comparison to mean anything across vendors, every value is rendered canonically
(`canonical_value`): SQLite's 0/1 booleans, REAL/TEXT decimals, hex-text UUIDs, JSON text, naive-UTC datetimes and
microsecond durations come out the same as PostgreSQL's typed values.

- A row's digest is SHA-256 over the JSON list of its canonical values, columns sorted by name (so the physical
  column order does not matter).
- A table's checksum is SHA-256 over its name, sorted column names, row count and the sum of its row digests
  modulo 2**256. The sum is order-independent, so neither the primary key type nor the collation nor the order in
  which rows come back matters, and it streams in constant memory.

Changing the rendering changes checksums, so older archives would no longer verify: bump CHECKSUM_METHOD,
which each manifest records.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.apps import apps
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone
from django.utils.dateparse import parse_datetime

CHECKSUM_METHOD = "sha256, sum of canonical-JSON row digests mod 2**256, v1"

# How a column's raw value is read, by Django field type; the rest is rendered by its Python type.
_KIND_BY_FIELD_TYPE = {
    "BooleanField": "bool",
    "DecimalField": "decimal",
    "DateTimeField": "datetime",
    "DurationField": "duration",
    "UUIDField": "uuid",
    "JSONField": "json",
    "FloatField": "float",
}


@dataclass(frozen=True)
class TableSummary:
    """Row count and checksum of one table."""

    rows: int
    sha256: str


def canonical_value(value: object, kind: str | None = None) -> object:
    """A JSON value that is the same for the same data read raw from SQLite or PostgreSQL.

    `kind` (from the Django field type) resolves SQLite's ambiguities: booleans stored as 0/1, decimals as
    REAL/INTEGER/TEXT, UUIDs as hex text, JSON as text, durations as microseconds.
    """
    if value is None:
        return None
    if kind == "bool":
        return bool(value)
    if kind == "decimal" or isinstance(value, Decimal):
        number = Decimal(str(value)).normalize()
        return format(number, "f")
    if kind == "float":
        return float(str(value))  # str() of a float round-trips exactly
    if kind == "datetime" or isinstance(value, dt.datetime):
        moment = value if isinstance(value, dt.datetime) else parse_datetime(str(value))
        if moment is None:
            return str(value)
        if timezone.is_naive(moment):
            moment = moment.replace(tzinfo=dt.UTC)  # Django stores naive UTC in SQLite
        return moment.astimezone(dt.UTC).isoformat()
    if kind == "duration" or isinstance(value, dt.timedelta):
        return value // dt.timedelta(microseconds=1) if isinstance(value, dt.timedelta) else int(str(value))
    if kind == "uuid" or isinstance(value, uuid.UUID):
        return uuid.UUID(str(value)).hex
    if kind == "json":
        decoded = json.loads(value) if isinstance(value, str | bytes) else value
        return json.dumps(decoded, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex()
    if isinstance(value, bool | int | float | str):
        return value
    return str(value)


def table_checksums(conn: BaseDatabaseWrapper) -> dict[str, TableSummary]:
    """Row count and checksum of every table of the database behind `conn` (see the module docstring)."""
    hints = _column_kinds()
    with conn.cursor() as cursor:
        tables = sorted(conn.introspection.table_names(cursor))
        columns = {
            table: sorted(info.name for info in conn.introspection.get_table_description(cursor, table))
            for table in tables
        }
    return {table: _table_checksum(conn, table, columns[table], hints.get(table, {})) for table in tables}


def _table_checksum(conn: BaseDatabaseWrapper, table: str, columns: list[str], kinds: dict[str, str]) -> TableSummary:
    quote = conn.ops.quote_name
    column_kinds = [kinds.get(column) for column in columns]
    sql = f"SELECT {', '.join(quote(c) for c in columns)} FROM {quote(table)}"  # noqa: S608 (quoted identifiers)
    total = rows = 0
    # A server-side cursor on PostgreSQL: constant memory however large the table.
    with conn.chunked_cursor() as cursor:
        cursor.execute(sql)
        while batch := cursor.fetchmany(2000):
            for row in batch:
                values = [canonical_value(v, k) for v, k in zip(row, column_kinds, strict=True)]
                line = json.dumps(values, ensure_ascii=False, separators=(",", ":"))
                total += int.from_bytes(hashlib.sha256(line.encode()).digest(), "big")
                rows += 1
    summary = {"table": table, "columns": columns, "rows": rows, "sum": f"{total % 2**256:064x}"}
    return TableSummary(rows=rows, sha256=hashlib.sha256(json.dumps(summary, sort_keys=True).encode()).hexdigest())


def _column_kinds() -> dict[str, dict[str, str]]:
    """Per table, the kind of each column whose raw value needs interpreting (see canonical_value)."""
    kinds: dict[str, dict[str, str]] = {"django_migrations": {"applied": "datetime"}}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy:
            continue
        table = kinds.setdefault(model._meta.db_table, {})
        for field in model._meta.concrete_fields:
            kind = _KIND_BY_FIELD_TYPE.get(field.get_internal_type())
            if kind and field.column:
                table[field.column] = kind
    return kinds
