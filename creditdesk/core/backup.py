"""Backups (SEC-4): one archive per run, verified by restoring it into a scratch database.

An archive `creditdesk-<UTC time>-<vendor>.tar.gz` holds the database image (SQLite: a copy made with the online
backup API; PostgreSQL: `pg_dump --format=custom`) and `manifest.json`: when, which database, the migration state,
and per table a row count and a checksum. `<archive>.sha256` beside it guards the archive itself.

Table checksums come from one function (`creditdesk.core.checksums.table_checksums`, which explains them) run on
the live snapshot and on the restored copy, so SQLite and PostgreSQL give the same checksum for the same data.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import django
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone

from creditdesk.core.audit import record_event
from creditdesk.core.backup_archive import (
    ARCHIVE_FORMAT,
    ARCHIVE_PREFIX,
    ARCHIVE_SUFFIX,
    IMAGE_NAMES,
    BackupError,
    TableCheck,
    check_archive,
    compare,
    file_sha256,
    migration_state,
    prune,
    read_archive,
    sidecar,
    work_directory,
    write_archive,
)
from creditdesk.core.backup_db import (
    PG_RESTORE_OPTIONS,
    SQLITE_ENGINE,
    dbname,
    describe,
    has_tables,
    is_live,
    pg_tool,
    postgresql_image,
    postgresql_scratch_checksums,
    read_snapshot,
    settings_for_target,
    sqlite_image,
    sqlite_integrity,
    sqlite_restore,
    sqlite_settings,
)
from creditdesk.core.checksums import CHECKSUM_METHOD, table_checksums

__all__ = [
    "BackupError",
    "BackupResult",
    "TableCheck",
    "VerifyReport",
    "backup_create",
    "backup_restore",
    "backup_verify",
]


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
            sqlite_image(live, image)
            # Checksums from the copy itself: exactly what the archive holds, however busy the live database is.
            with read_snapshot(sqlite_settings(live.settings_dict, image)) as scratch:
                tables, migrations = table_checksums(scratch), migration_state(scratch)
        else:
            tables, migrations = postgresql_image(live.settings_dict, image)
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
        write_archive(partial, manifest=manifest, image=image, created_at=created_at)
        partial.chmod(0o600)  # the archive holds (encrypted) personal data
        digest = file_sha256(partial)
        size = partial.stat().st_size
        sidecar(path).write_text(f"{digest}  {path.name}\n", encoding="ascii")
        partial.replace(path)

    removed = prune(target_dir, keep=settings.BACKUP_KEEP)
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
    digest = check_archive(archive, expected_sha256=expected_sha256, actor=actor)
    with work_directory() as work:
        manifest, image = read_archive(archive, into=work)
        live = connections[DEFAULT_DB_ALIAS]
        errors: list[str] = []
        if manifest["vendor"] == "sqlite":
            with read_snapshot(sqlite_settings(live.settings_dict, image)) as scratch:
                errors += sqlite_integrity(scratch)
                actual = table_checksums(scratch)
        else:
            if live.vendor != "postgresql":
                raise BackupError(
                    "Verifying a PostgreSQL archive needs a PostgreSQL server: set DATABASE_URL to one "
                    "(its user needs CREATEDB for the scratch database)."
                )
            actual = postgresql_scratch_checksums(live.settings_dict, image)
    report = VerifyReport(
        archive=archive, sha256=digest, manifest=manifest, checks=compare(manifest, actual), errors=errors
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
    digest = check_archive(archive, expected_sha256=expected_sha256, actor=actor)
    live = connections[DEFAULT_DB_ALIAS]
    target_settings = settings_for_target(live.settings_dict, into)
    target_vendor = "sqlite" if target_settings["ENGINE"] == SQLITE_ENGINE else "postgresql"
    with work_directory() as work:
        manifest, image = read_archive(archive, into=work)
        if manifest["vendor"] != target_vendor:
            raise BackupError(f"This is a {manifest['vendor']} archive; it cannot be restored into {target_vendor}.")
        if not force and is_live(target_settings, live):
            raise BackupError(
                "Refusing to overwrite the live database; stop the application and pass --force if you mean it."
            )
        occupied = has_tables(target_settings)
        if occupied and not force:
            raise BackupError(f"{describe(target_settings)} already has tables; pass --force to replace them.")
        if target_vendor == "sqlite":
            sqlite_restore(image, Path(target_settings["NAME"]))
        else:
            # --clean drops what the archive is about to recreate; anything else stays and shows up below.
            clean = ["--clean", "--if-exists"] if occupied else []
            pg_tool("pg_restore", target_settings, [*PG_RESTORE_OPTIONS, *clean, *dbname(target_settings), str(image)])
        with read_snapshot(target_settings) as target:
            errors = sqlite_integrity(target) if target_vendor == "sqlite" else []
            actual = table_checksums(target)
    report = VerifyReport(
        archive=archive, sha256=digest, manifest=manifest, checks=compare(manifest, actual), errors=errors
    )
    with transaction.atomic():
        record_event(
            actor=actor,
            subject=None,
            event_type="backup.restored",
            payload={
                "file": archive.name,
                "sha256": digest,
                "into": describe(target_settings),
                "forced": force,
                "ok": report.ok,
                "mismatched": [check.table for check in report.mismatches],
            },
        )
    return report
