"""Backups (SEC-4): one archive per run, verified by restoring it into a scratch database.

An archive `creditdesk-<UTC time>-<vendor>.tar.gz` holds the database image (SQLite: a copy made with the online
backup API; PostgreSQL: `pg_dump --format=custom`) and `manifest.json`: when, which database, the migration state,
and per table a row count and a checksum. `<archive>.sha256` beside it guards the archive itself.

Table checksums come from one function (`creditdesk.core.checksums.table_checksums`, which explains them) run on
the live snapshot and on the restored copy, so SQLite and PostgreSQL give the same checksum for the same data.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import io
import json
import os
import secrets
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import django
import environ
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.utils import load_backend
from django.utils import timezone

from creditdesk.core.audit import record_event
from creditdesk.core.checksums import CHECKSUM_METHOD, TableSummary, table_checksums
from creditdesk.core.models import AuditEvent

ARCHIVE_FORMAT = 1
ARCHIVE_PREFIX = "creditdesk-"
ARCHIVE_SUFFIX = ".tar.gz"
MANIFEST_NAME = "manifest.json"
IMAGE_NAMES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
SQLITE_ENGINE = "django.db.backends.sqlite3"
SCHEDULED_EVENT = "backup.scheduled"
# Any constant: serialises concurrent `creditdesk scheduler` processes on PostgreSQL (SQLite's IMMEDIATE
# transactions serialise them already).
_SCHEDULER_LOCK_KEY = 0x63726462

# libpq environment variables for the OPTIONS a PostgreSQL DATABASE_URL may carry.
_PG_OPTION_ENV = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
}


class BackupError(Exception):
    """A backup, verification or restore that cannot go on; the message says why and what to do."""


@dataclass(frozen=True)
class BackupResult:
    """What `backup_create` wrote."""

    path: Path
    size: int
    sha256: str
    manifest: dict[str, Any]
    removed: list[Path]

    @property
    def tables(self) -> int:
        return len(self.manifest["tables"])


@dataclass(frozen=True)
class TableCheck:
    """One table compared: the manifest's figures against the restored database's."""

    table: str
    expected: TableSummary | None
    actual: TableSummary | None

    @property
    def ok(self) -> bool:
        return self.expected == self.actual

    @property
    def problem(self) -> str:
        if self.expected is None:
            return "not in the manifest"
        if self.actual is None:
            return "missing from the restored database"
        if self.expected.rows != self.actual.rows:
            return f"{self.expected.rows} rows in the manifest, {self.actual.rows} restored"
        if self.expected.sha256 != self.actual.sha256:
            return "checksum differs"
        return ""


@dataclass(frozen=True)
class VerifyReport:
    """The outcome of restoring an archive and comparing it with its manifest, table by table."""

    archive: Path
    sha256: str
    manifest: dict[str, Any]
    checks: list[TableCheck]
    errors: list[str]

    @property
    def ok(self) -> bool:
        return not self.errors and all(check.ok for check in self.checks)

    @property
    def mismatches(self) -> list[TableCheck]:
        return [check for check in self.checks if not check.ok]


# --- Services ---------------------------------------------------------------------------------------------------


def backup_create(*, actor: Any | None = None, directory: Path | str | None = None) -> BackupResult:
    """Write a backup archive of the live database and its `.sha256`; keep the BACKUP_KEEP newest archives.

    Records `backup.created` in its own transaction after the archive is complete.
    """
    live = connections[DEFAULT_DB_ALIAS]
    vendor = live.vendor
    if vendor not in IMAGE_NAMES:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    target_dir = Path(directory) if directory is not None else Path(settings.BACKUP_DIR)
    target_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    created_at = timezone.now()
    path = target_dir / f"{ARCHIVE_PREFIX}{created_at:%Y%m%dT%H%M%SZ}-{vendor}{ARCHIVE_SUFFIX}"
    if path.exists():
        raise BackupError(f"{path} exists already; wait a second and try again.")

    # Work inside the target directory so the final rename is atomic and no personal data lands in /tmp.
    with tempfile.TemporaryDirectory(dir=target_dir, prefix=".creditdesk-backup-") as work:
        image = Path(work) / IMAGE_NAMES[vendor]
        if vendor == "sqlite":
            _sqlite_image(live, image)
            # Checksums from the copy itself: exactly what the archive holds, however busy the live database is.
            with _snapshot(_sqlite_settings(live.settings_dict, image)) as scratch:
                tables, migrations = table_checksums(scratch), _migration_state(scratch)
        else:
            tables, migrations = _postgresql_image(live.settings_dict, image)
        manifest: dict[str, Any] = {
            "format": ARCHIVE_FORMAT,
            "application": "creditdesk",
            "created_at": created_at.isoformat(),
            "vendor": vendor,
            "image": image.name,
            "django": django.get_version(),
            "migrations": migrations,
            "checksum": CHECKSUM_METHOD,
            "tables": {name: {"rows": s.rows, "sha256": s.sha256} for name, s in sorted(tables.items())},
        }
        partial = Path(work) / path.name
        _write_archive(partial, manifest=manifest, image=image, created_at=created_at)
        partial.chmod(0o600)  # the archive holds (encrypted) personal data
        digest = _file_sha256(partial)
        size = partial.stat().st_size
        _sidecar(path).write_text(f"{digest}  {path.name}\n", encoding="ascii")
        partial.replace(path)

    removed = _prune(target_dir, keep=settings.BACKUP_KEEP)
    with transaction.atomic():
        record_event(
            actor=actor,
            subject=None,
            event_type="backup.created",
            payload={
                "file": path.name,
                "size": size,
                "sha256": digest,
                "tables": len(tables),
                "vendor": vendor,
                "removed": [old.name for old in removed],
            },
        )
    return BackupResult(path=path, size=size, sha256=digest, manifest=manifest, removed=removed)


def backup_verify(*, archive: Path | str, expected_sha256: str | None = None, actor: Any | None = None) -> VerifyReport:
    """Check the archive's checksum, restore it into a scratch database and compare every table with the manifest.

    A damaged or altered archive (checksum mismatch) raises BackupError before anything is restored. The scratch
    database (SQLite: a temporary file; PostgreSQL: `creditdesk_verify_<random>`) is removed afterwards.
    """
    archive = Path(archive)
    digest = _check_archive(archive, expected_sha256=expected_sha256, actor=actor)
    with _work_directory() as work:
        manifest, image = _read_archive(archive, into=work)
        live = connections[DEFAULT_DB_ALIAS]
        errors: list[str] = []
        if manifest["vendor"] == "sqlite":
            with _snapshot(_sqlite_settings(live.settings_dict, image)) as scratch:
                errors += _sqlite_integrity(scratch)
                actual = table_checksums(scratch)
        else:
            if live.vendor != "postgresql":
                raise BackupError(
                    "Verifying a PostgreSQL archive needs a PostgreSQL server: set DATABASE_URL to one "
                    "(its user needs CREATEDB for the scratch database)."
                )
            actual = _postgresql_scratch_checksums(live.settings_dict, image)
    report = VerifyReport(
        archive=archive, sha256=digest, manifest=manifest, checks=_compare(manifest, actual), errors=errors
    )
    with transaction.atomic():
        record_event(
            actor=actor,
            subject=None,
            event_type="backup.verified",
            payload={
                "file": archive.name,
                "sha256": digest,
                "ok": report.ok,
                "tables": len(report.checks),
                "mismatched": [check.table for check in report.mismatches],
                "errors": errors,
            },
        )
    return report


def backup_restore(
    *,
    archive: Path | str,
    into: str,
    force: bool = False,
    expected_sha256: str | None = None,
    actor: Any | None = None,
) -> VerifyReport:
    """Restore an archive into the database `into` (a database URL, or a file path for SQLite), then compare.

    Refuses the live database and a database that already has tables unless `force`: restoring replaces data.
    Records `backup.restored` in the live database afterwards (after the restore, if that is the target).
    """
    archive = Path(archive)
    digest = _check_archive(archive, expected_sha256=expected_sha256, actor=actor)
    live = connections[DEFAULT_DB_ALIAS]
    target_settings = _target_settings(live.settings_dict, into)
    target_vendor = "sqlite" if target_settings["ENGINE"] == SQLITE_ENGINE else "postgresql"
    with _work_directory() as work:
        manifest, image = _read_archive(archive, into=work)
        if manifest["vendor"] != target_vendor:
            raise BackupError(f"This is a {manifest['vendor']} archive; it cannot be restored into {target_vendor}.")
        if not force and _is_live(target_settings, live):
            raise BackupError(
                "Refusing to overwrite the live database; stop the application and pass --force if you mean it."
            )
        occupied = _has_tables(target_settings)
        if occupied and not force:
            raise BackupError(f"{_describe(target_settings)} already has tables; pass --force to replace them.")
        if target_vendor == "sqlite":
            _sqlite_restore(image, Path(target_settings["NAME"]))
        else:
            # --clean drops what the archive is about to recreate; anything else stays and shows up below.
            clean = ["--clean", "--if-exists"] if occupied else []
            _pg_tool(
                "pg_restore", target_settings, [*_PG_RESTORE_OPTIONS, *clean, *_dbname(target_settings), str(image)]
            )
        with _snapshot(target_settings) as target:
            errors = _sqlite_integrity(target) if target_vendor == "sqlite" else []
            actual = table_checksums(target)
    report = VerifyReport(
        archive=archive, sha256=digest, manifest=manifest, checks=_compare(manifest, actual), errors=errors
    )
    with transaction.atomic():
        record_event(
            actor=actor,
            subject=None,
            event_type="backup.restored",
            payload={
                "file": archive.name,
                "sha256": digest,
                "into": _describe(target_settings),
                "forced": force,
                "ok": report.ok,
                "mismatched": [check.table for check in report.mismatches],
            },
        )
    return report


def daily_backup_due_at(*, now: dt.datetime) -> dt.datetime | None:
    """When the daily backup of `now`'s local day falls due (BACKUP_DAILY_AT), or None if none is configured."""
    configured = settings.BACKUP_DAILY_AT.strip()
    if not configured:
        return None
    try:
        at = dt.time.fromisoformat(configured)
    except ValueError as error:
        raise ImproperlyConfigured(
            f"CREDITDESK_BACKUP_DAILY_AT must be a local time HH:MM (or empty), not {configured!r}."
        ) from error
    local = timezone.localtime(now)
    return dt.datetime.combine(local.date(), at, tzinfo=local.tzinfo)


def backup_enqueue_if_due(*, now: dt.datetime) -> bool:
    """Enqueue today's backup task if it is due and not yet enqueued; True when it was enqueued now.

    "Enqueued" is remembered as a `backup.scheduled` audit event written in the same transaction as the queue
    row (django-tasks-db), so a scheduler restart or a second scheduler never enqueues the same day twice.
    """
    due_at = daily_backup_due_at(now=now)
    if due_at is None or now < due_at:
        return False
    # Imported here: tasks.py imports this module.
    from creditdesk.core.tasks import backup_database

    with transaction.atomic():
        connection = connections[DEFAULT_DB_ALIAS]
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_SCHEDULER_LOCK_KEY])
        if AuditEvent.objects.filter(event_type=SCHEDULED_EVENT, occurred_at__gte=due_at).exists():
            return False
        record_event(actor=None, subject=None, event_type=SCHEDULED_EVENT, payload={"due_at": due_at.isoformat()})
        backup_database.enqueue()
    return True


# --- Manifest -------------------------------------------------------------------------------------------------------


def _migration_state(conn: BaseDatabaseWrapper) -> dict[str, str]:
    """The latest applied migration of each app."""
    with conn.cursor() as cursor:
        if "django_migrations" not in conn.introspection.table_names(cursor):
            return {}
        cursor.execute("SELECT app, name FROM django_migrations")
        latest: dict[str, str] = {}
        for app, name in cursor.fetchall():
            latest[app] = max(latest.get(app, name), name)
    return dict(sorted(latest.items()))


def _compare(manifest: Mapping[str, Any], actual: Mapping[str, TableSummary]) -> list[TableCheck]:
    expected = {
        name: TableSummary(rows=int(figures["rows"]), sha256=str(figures["sha256"]))
        for name, figures in manifest["tables"].items()
    }
    return [
        TableCheck(table=name, expected=expected.get(name), actual=actual.get(name))
        for name in sorted(expected.keys() | actual.keys())
    ]


# --- Archive files ------------------------------------------------------------------------------------------------


@contextmanager
def _work_directory() -> Iterator[Path]:
    """A private temporary directory under BACKUP_DIR: extracted images hold personal data, keep them off /tmp."""
    base = Path(settings.BACKUP_DIR)
    base.mkdir(parents=True, exist_ok=True, mode=0o700)
    with tempfile.TemporaryDirectory(dir=base, prefix=".creditdesk-work-") as work:
        yield Path(work)


def _sidecar(archive: Path) -> Path:
    return archive.with_name(archive.name + ".sha256")


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _write_archive(path: Path, *, manifest: dict[str, Any], image: Path, created_at: dt.datetime) -> None:
    data = json.dumps(manifest, indent=2, ensure_ascii=False).encode()
    info = tarfile.TarInfo(MANIFEST_NAME)
    info.size, info.mtime, info.mode = len(data), int(created_at.timestamp()), 0o600
    with tarfile.open(path, "w:gz", compresslevel=6) as tar:
        tar.addfile(info, io.BytesIO(data))
        tar.add(image, arcname=image.name, recursive=False)


def _check_archive(archive: Path, *, expected_sha256: str | None, actor: Any | None) -> str:
    """The archive's SHA-256, after checking it against `expected_sha256` or the `.sha256` file beside it."""
    if not archive.is_file():
        raise BackupError(f"{archive} does not exist.")
    if expected_sha256 is None:
        sidecar = _sidecar(archive)
        if not sidecar.is_file():
            raise BackupError(
                f"{sidecar.name} is missing: copy it beside the archive, or give the checksum with --sha256 "
                "(the backup.created audit event records it)."
            )
        expected_sha256 = sidecar.read_text(encoding="ascii").split(maxsplit=1)[0]
    actual = _file_sha256(archive)
    if not hmac.compare_digest(actual, expected_sha256.strip().lower()):
        with transaction.atomic():
            record_event(
                actor=actor,
                subject=None,
                event_type="backup.rejected",
                payload={"file": archive.name, "sha256": actual, "expected": expected_sha256},
            )
        raise BackupError(
            f"{archive.name} does not match its checksum (expected {expected_sha256}, got {actual}): "
            "the archive is damaged or was altered. Refusing to use it."
        )
    return actual


def _read_archive(archive: Path, *, into: Path) -> tuple[dict[str, Any], Path]:
    """The manifest, and the database image extracted into `into` (only these two known members are read)."""
    try:
        with tarfile.open(archive, "r:gz") as tar:
            manifest_file = tar.extractfile(MANIFEST_NAME)
            if manifest_file is None:
                raise KeyError(MANIFEST_NAME)
            manifest = json.load(manifest_file)
            if manifest.get("format") != ARCHIVE_FORMAT or manifest.get("vendor") not in IMAGE_NAMES:
                raise BackupError(f"{archive.name} has a manifest this version does not understand.")
            image_name = IMAGE_NAMES[manifest["vendor"]]
            source = tar.extractfile(image_name)
            if source is None:
                raise KeyError(image_name)
            image = into / image_name
            with image.open("wb") as out:
                shutil.copyfileobj(source, out, 1 << 20)
    except (tarfile.TarError, KeyError, OSError, json.JSONDecodeError) as error:
        raise BackupError(f"{archive.name} is not a readable creditdesk backup archive ({error}).") from error
    return manifest, image


def _prune(directory: Path, *, keep: int) -> list[Path]:
    """Delete all but the `keep` newest archives (and their .sha256); keep <= 0 keeps everything."""
    if keep <= 0:
        return []
    # The UTC timestamp leads the name, so name order is time order.
    archives = sorted(directory.glob(f"{ARCHIVE_PREFIX}*{ARCHIVE_SUFFIX}"), key=lambda p: p.name, reverse=True)
    for old in archives[keep:]:
        old.unlink(missing_ok=True)
        _sidecar(old).unlink(missing_ok=True)
    return archives[keep:]


# --- Databases ----------------------------------------------------------------------------------------------------


@contextmanager
def _connection(settings_dict: Mapping[str, Any]) -> Iterator[BaseDatabaseWrapper]:
    """A temporary connection (scratch, snapshot, target) under an alias of its own, outside DATABASES.

    Registered in `connections` for the duration because Django's transactions and introspection look
    connections up by alias.
    """
    alias = f"creditdesk_backup_{secrets.token_hex(4)}"
    conn: BaseDatabaseWrapper = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(dict(settings_dict), alias)
    connections[alias] = conn
    try:
        yield conn
    finally:
        conn.close()
        del connections[alias]


@contextmanager
def _snapshot(settings_dict: Mapping[str, Any]) -> Iterator[BaseDatabaseWrapper]:
    """A connection inside one read-only view of all tables (PostgreSQL: a repeatable-read transaction)."""
    with _connection(settings_dict) as conn, transaction.atomic(using=conn.alias):
        if conn.vendor == "postgresql":
            with conn.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield conn
        transaction.set_rollback(True, using=conn.alias)


def _sqlite_settings(base: Mapping[str, Any], path: Path) -> dict[str, Any]:
    return {**base, "ENGINE": SQLITE_ENGINE, "NAME": str(path), "OPTIONS": {}}


def _sqlite_image(live: BaseDatabaseWrapper, target: Path) -> None:
    """Copy the live SQLite database page by page with the online backup API: consistent while the app writes."""
    live.ensure_connection()
    destination = sqlite3.connect(target)
    try:
        live.connection.backup(destination)
        # A self-contained file: readable without a -wal side file.
        destination.execute("PRAGMA journal_mode=DELETE")
    finally:
        destination.close()


def _sqlite_restore(image: Path, target: Path) -> None:
    # The backup API, not a file copy: it takes the proper locks if a process has the target open.
    source = sqlite3.connect(image)
    try:
        destination = sqlite3.connect(target, timeout=20)
        try:
            source.backup(destination)
        finally:
            destination.close()
    except sqlite3.Error as error:
        raise BackupError(f"Cannot restore into {target}: {error}.") from error
    finally:
        source.close()


def _sqlite_integrity(conn: BaseDatabaseWrapper) -> list[str]:
    with conn.cursor() as cursor:
        cursor.execute("PRAGMA integrity_check")
        result = [str(row[0]) for row in cursor.fetchall()]
    return [] if result == ["ok"] else [f"integrity check: {line}" for line in result]


def _postgresql_image(live_settings: Mapping[str, Any], target: Path) -> tuple[dict[str, TableSummary], dict[str, str]]:
    """pg_dump the live database and checksum it, both from one exported snapshot, so they describe the same data."""
    with _snapshot(live_settings) as conn:
        with conn.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
        # pg_dump joins the snapshot, which lives as long as this transaction.
        _pg_tool(
            "pg_dump",
            live_settings,
            ["--format=custom", f"--file={target}", f"--snapshot={snapshot}", *_dbname(live_settings)],
        )
        return table_checksums(conn), _migration_state(conn)


_PG_RESTORE_OPTIONS = ["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]


def _postgresql_scratch_checksums(live_settings: Mapping[str, Any], image: Path) -> dict[str, TableSummary]:
    """Restore into `creditdesk_verify_<random>` on the live server, checksum it, drop it."""
    name = f"creditdesk_verify_{secrets.token_hex(6)}"
    scratch_settings = {**live_settings, "NAME": name}
    # A connection of its own, in autocommit: CREATE/DROP DATABASE cannot run inside a transaction.
    with _connection(live_settings) as admin:
        with admin.cursor() as cursor:
            cursor.execute(f"CREATE DATABASE {admin.ops.quote_name(name)} TEMPLATE template0")
        try:
            _pg_tool("pg_restore", scratch_settings, [*_PG_RESTORE_OPTIONS, *_dbname(scratch_settings), str(image)])
            with _snapshot(scratch_settings) as scratch:
                return table_checksums(scratch)
        finally:
            with admin.cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS {admin.ops.quote_name(name)} WITH (FORCE)")


def _dbname(settings_dict: Mapping[str, Any]) -> list[str]:
    return [f"--dbname={settings_dict['NAME']}"] if settings_dict.get("NAME") else []


def _pg_tool(program: str, settings_dict: Mapping[str, Any], arguments: list[str]) -> None:
    """Run pg_dump/pg_restore with the connection settings of `settings_dict` (password via PGPASSWORD)."""
    executable = shutil.which(program)
    if executable is None:
        raise BackupError(
            f"{program} is not on PATH: install the PostgreSQL client tools (the server's major version or newer)."
        )
    command = [executable, "--no-password"]
    if settings_dict.get("HOST"):
        command.append(f"--host={settings_dict['HOST']}")
    if settings_dict.get("PORT"):
        command.append(f"--port={settings_dict['PORT']}")
    if settings_dict.get("USER"):
        command.append(f"--username={settings_dict['USER']}")
    env = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    options = settings_dict.get("OPTIONS") or {}
    env.update({variable: str(options[option]) for option, variable in _PG_OPTION_ENV.items() if options.get(option)})
    # A list of arguments, no shell: nothing in the settings is interpreted.
    completed = subprocess.run([*command, *arguments], env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if completed.returncode != 0:
        raise BackupError(f"{program} failed (exit {completed.returncode}): {completed.stderr.strip()[-2000:]}")


def _target_settings(live_settings: Mapping[str, Any], into: str) -> dict[str, Any]:
    """Connection settings for a restore target: a database URL, or a plain path meaning an SQLite file."""
    if "://" not in into:
        return _sqlite_settings(live_settings, Path(into).resolve())
    parsed = environ.Env.db_url_config(into)
    if parsed["ENGINE"] not in (SQLITE_ENGINE, "django.db.backends.postgresql"):
        raise BackupError(f"Restores go into SQLite or PostgreSQL, not {parsed['ENGINE']}.")
    if parsed["ENGINE"] == SQLITE_ENGINE:
        return _sqlite_settings(live_settings, Path(parsed["NAME"]).resolve())
    return {
        **live_settings,
        **{key: parsed.get(key, "") for key in ("ENGINE", "NAME", "USER", "PASSWORD", "HOST", "PORT")},
        "OPTIONS": parsed.get("OPTIONS", {}),
    }


def _is_live(target_settings: Mapping[str, Any], live: BaseDatabaseWrapper) -> bool:
    """Whether the target is the database the application runs on, however its address is spelled."""
    if target_settings["ENGINE"] != live.settings_dict["ENGINE"]:
        return False
    if target_settings["ENGINE"] == SQLITE_ENGINE:
        target, current = Path(str(target_settings["NAME"])), Path(str(live.settings_dict["NAME"]))
        if target.exists() and current.exists():
            return target.samefile(current)
        return target.resolve() == current.resolve()
    if target_settings["NAME"] != live.settings_dict["NAME"]:
        return False
    # Same name; the same server if it started at the same instant on the same port (127.0.0.1 vs localhost, …).
    server_sql = "SELECT pg_postmaster_start_time(), inet_server_port()"
    with live.cursor() as cursor:
        cursor.execute(server_sql)
        live_server = cursor.fetchone()
    try:
        with _connection(target_settings) as conn, conn.cursor() as cursor:
            cursor.execute(server_sql)
            return bool(cursor.fetchone() == live_server)
    except DatabaseError as error:
        raise BackupError(f"Cannot connect to {_describe(target_settings)}: {error}") from error


def _has_tables(settings_dict: dict[str, Any]) -> bool:
    if settings_dict["ENGINE"] == SQLITE_ENGINE and not Path(settings_dict["NAME"]).exists():
        return False  # not connecting: that would create the file
    try:
        with _connection(settings_dict) as conn, conn.cursor() as cursor:
            return bool(conn.introspection.table_names(cursor))
    except DatabaseError as error:
        raise BackupError(f"Cannot connect to {_describe(settings_dict)}: {error}") from error


def _describe(settings_dict: Mapping[str, Any]) -> str:
    """The database named without its password (for messages and the audit log)."""
    if settings_dict["ENGINE"] == SQLITE_ENGINE:
        return f"sqlite:{settings_dict['NAME']}"
    user = f"{settings_dict['USER']}@" if settings_dict.get("USER") else ""
    port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
    return f"postgresql://{user}{settings_dict.get('HOST') or 'localhost'}{port}/{settings_dict['NAME']}"
