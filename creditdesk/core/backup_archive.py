"""Backup archive files (SEC-4): the manifest, the tarball and its `.sha256`, pruning old archives.

`creditdesk.core.backup` (the services) writes and reads archives through these functions.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import io
import json
import shutil
import tarfile
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper

from creditdesk.core.audit import record_event
from creditdesk.core.checksums import TableSummary

ARCHIVE_FORMAT = 1
ARCHIVE_PREFIX = "creditdesk-"
ARCHIVE_SUFFIX = ".tar.gz"
MANIFEST_NAME = "manifest.json"
IMAGE_NAMES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}


class BackupError(Exception):
    """A backup, verification or restore that cannot go on; the message says why and what to do."""


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


# --- Manifest -------------------------------------------------------------------------------------------------------


def migration_state(conn: BaseDatabaseWrapper) -> dict[str, str]:
    """The latest applied migration of each app."""
    with conn.cursor() as cursor:
        if "django_migrations" not in conn.introspection.table_names(cursor):
            return {}
        cursor.execute("SELECT app, name FROM django_migrations")
        latest: dict[str, str] = {}
        for app, name in cursor.fetchall():
            latest[app] = max(latest.get(app, name), name)
    return dict(sorted(latest.items()))


def compare(manifest: Mapping[str, Any], actual: Mapping[str, TableSummary]) -> list[TableCheck]:
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
def work_directory() -> Iterator[Path]:
    """A private temporary directory under BACKUP_DIR: extracted images hold personal data, keep them off /tmp."""
    base = Path(settings.BACKUP_DIR)
    base.mkdir(parents=True, exist_ok=True, mode=0o700)
    with tempfile.TemporaryDirectory(dir=base, prefix=".creditdesk-work-") as work:
        yield Path(work)


def sidecar(archive: Path) -> Path:
    return archive.with_name(archive.name + ".sha256")


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def write_archive(path: Path, *, manifest: dict[str, Any], image: Path, created_at: dt.datetime) -> None:
    data = json.dumps(manifest, indent=2, ensure_ascii=False).encode()
    info = tarfile.TarInfo(MANIFEST_NAME)
    info.size, info.mtime, info.mode = len(data), int(created_at.timestamp()), 0o600
    with tarfile.open(path, "w:gz", compresslevel=6) as tar:
        tar.addfile(info, io.BytesIO(data))
        tar.add(image, arcname=image.name, recursive=False)


def check_archive(archive: Path, *, expected_sha256: str | None, actor: Any | None) -> str:
    """The archive's SHA-256, after checking it against `expected_sha256` or the `.sha256` file beside it."""
    if not archive.is_file():
        raise BackupError(f"{archive} does not exist.")
    if expected_sha256 is None:
        sidecar_file = sidecar(archive)
        if not sidecar_file.is_file():
            raise BackupError(
                f"{sidecar_file.name} is missing: copy it beside the archive, or give the checksum with --sha256 "
                "(the backup.created audit event records it)."
            )
        expected_sha256 = sidecar_file.read_text(encoding="ascii").split(maxsplit=1)[0]
    actual = file_sha256(archive)
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


def read_archive(archive: Path, *, into: Path) -> tuple[dict[str, Any], Path]:
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


def prune(directory: Path, *, keep: int) -> list[Path]:
    """Delete all but the `keep` newest archives (and their .sha256); keep <= 0 keeps everything."""
    if keep <= 0:
        return []
    # The UTC timestamp leads the name, so name order is time order.
    archives = sorted(directory.glob(f"{ARCHIVE_PREFIX}*{ARCHIVE_SUFFIX}"), key=lambda p: p.name, reverse=True)
    for old in archives[keep:]:
        old.unlink(missing_ok=True)
        sidecar(old).unlink(missing_ok=True)
    return archives[keep:]
