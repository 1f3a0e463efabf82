"""Backups (SEC-4): an archive restores into a scratch database and matches its manifest, on SQLite and PostgreSQL.

Tests that back up use `transaction=True`: pg_dump runs in its own session and sees only committed rows.
"""

import datetime as dt
import io
import json
import re
import secrets
import tarfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from creditdesk.core import backup, backup_archive
from creditdesk.core.audit import record_event
from creditdesk.core.backup import BackupError, backup_create, backup_restore, backup_verify
from creditdesk.core.models import AuditEvent

backs_up = pytest.mark.django_db(transaction=True)


@pytest.fixture
def backup_dir(settings, tmp_path):
    settings.BACKUP_DIR = tmp_path / "backups"
    return settings.BACKUP_DIR


@pytest.fixture
def some_data(business_on):
    """Rows with JSON, Decimal, Chinese text and aware timestamps, so the checksums have something to cover."""
    for n in range(3):
        record_event(
            actor=None,
            subject=None,
            event_type="loan.checked",
            payload={"amount": Decimal("12345.60"), "n": n, "name": "张三"},
            comment=f"第{n}次",
        )


def events(event_type):
    return list(AuditEvent.objects.filter(event_type=event_type).order_by("id"))


def rewrite_manifest(archive: Path, change) -> None:
    """Rebuild an archive with an edited manifest and a matching .sha256 (a consistent but wrong archive)."""
    with tarfile.open(archive, "r:gz") as tar:
        members = {member.name: tar.extractfile(member).read() for member in tar.getmembers()}
    manifest = json.loads(members["manifest.json"])
    change(manifest)
    members["manifest.json"] = json.dumps(manifest).encode()
    with tarfile.open(archive, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    archive.with_name(archive.name + ".sha256").write_text(f"{backup_archive.file_sha256(archive)}  {archive.name}\n")


def live_target() -> str:
    """The live (test) database, spelled as a restore target."""
    config = connection.settings_dict
    if connection.vendor == "sqlite":
        return config["NAME"]
    return f"postgres://{config['USER']}@{config['HOST'] or 'localhost'}:{config['PORT'] or 5432}/{config['NAME']}"


@backs_up
def test_a_backup_restores_into_a_scratch_database_and_matches_its_manifest(backup_dir, some_data):
    """SEC-4: backup → restore → verify round trip on the database under test (SQLite or PostgreSQL)."""
    audit_rows = AuditEvent.objects.count()
    result = backup_create()

    assert re.fullmatch(rf"creditdesk-\d{{8}}T\d{{6}}Z-{connection.vendor}\.tar\.gz", result.path.name)
    assert result.path.parent == backup_dir
    assert (backup_dir / f"{result.path.name}.sha256").read_text() == f"{result.sha256}  {result.path.name}\n"
    assert result.path.stat().st_mode & 0o077 == 0  # personal data: owner only
    manifest = result.manifest
    assert manifest["vendor"] == connection.vendor
    assert manifest["migrations"]["core"].startswith("0")
    assert manifest["tables"]["core_auditevent"]["rows"] == audit_rows
    assert manifest["tables"]["django_migrations"]["rows"] > 0

    report = backup_verify(archive=result.path)

    assert report.ok, [(check.table, check.problem) for check in report.mismatches]
    assert {check.table for check in report.checks} == set(manifest["tables"])
    assert {"core_auditevent", "django_migrations"} <= {check.table for check in report.checks}
    [verified] = events("backup.verified")
    assert verified.payload["ok"] is True
    assert verified.payload["sha256"] == result.sha256


@backs_up
def test_each_backup_is_an_audit_event_with_file_size_and_checksum(backup_dir, some_data):
    """SEC-4: a backup is recorded in the audit log, after the archive is complete."""
    result = backup_create()

    [event] = events("backup.created")
    assert event.actor_repr == "system"
    assert event.payload["file"] == result.path.name
    assert event.payload["size"] == result.size == result.path.stat().st_size
    assert event.payload["sha256"] == result.sha256
    assert event.payload["tables"] == len(result.manifest["tables"])


@backs_up
def test_the_commands_print_the_archive_and_verify_it(backup_dir, tmp_path, some_data):
    """SEC-4: `creditdesk backup --dir` prints path, size and checksum; `restore --verify` passes on it."""
    out = io.StringIO()
    call_command("backup", "--dir", str(tmp_path / "elsewhere"), stdout=out)

    [archive] = (tmp_path / "elsewhere").glob("*.tar.gz")
    printed = out.getvalue()
    assert str(archive) in printed
    assert f"{archive.stat().st_size:,} bytes" in printed
    assert backup_archive.file_sha256(archive) in printed
    assert not backup_dir.exists()

    out = io.StringIO()
    call_command("restore", "--verify", str(archive), stdout=out)
    assert re.search(r"All \d+ tables match the manifest", out.getvalue())


@backs_up
def test_a_tampered_archive_is_refused_before_anything_is_restored(backup_dir, some_data, monkeypatch):
    """SEC-4: one flipped byte fails the archive's SHA-256; nothing is restored from it."""
    archive = backup_create().path
    data = bytearray(archive.read_bytes())
    data[len(data) // 2] ^= 0xFF
    archive.write_bytes(bytes(data))
    monkeypatch.setattr(backup, "read_archive", lambda *a, **k: pytest.fail("a tampered archive was opened"))

    with pytest.raises(BackupError, match="does not match its checksum"):
        backup_verify(archive=archive)
    with pytest.raises(CommandError, match="damaged or was altered"):
        call_command("restore", "--verify", str(archive), stdout=io.StringIO())
    assert len(events("backup.rejected")) == 2


@backs_up
def test_an_archive_without_its_checksum_needs_one_given(backup_dir, some_data):
    """SEC-4: no .sha256 beside the archive: refused unless the checksum is given explicitly."""
    result = backup_create()
    result.path.with_name(result.path.name + ".sha256").unlink()

    with pytest.raises(CommandError, match="sha256"):
        call_command("restore", "--verify", str(result.path), stdout=io.StringIO())
    call_command("restore", "--verify", str(result.path), "--sha256", result.sha256, stdout=io.StringIO())


@backs_up
def test_a_wrong_row_count_in_the_manifest_is_reported_as_a_mismatch(backup_dir, some_data):
    """SEC-4: verification compares per table; a difference exits non-zero and names the table."""
    audit_rows = AuditEvent.objects.count()
    archive = backup_create().path
    rewrite_manifest(archive, lambda manifest: manifest["tables"]["core_auditevent"].update(rows=audit_rows + 1))

    out = io.StringIO()
    with pytest.raises(CommandError, match=r"Verification failed: 1 of \d+ tables differ"):
        call_command("restore", "--verify", str(archive), stdout=out)
    assert f"MISMATCH  core_auditevent: {audit_rows + 1} rows in the manifest, {audit_rows} restored" in out.getvalue()
    [verified] = events("backup.verified")
    assert verified.payload["ok"] is False
    assert verified.payload["mismatched"] == ["core_auditevent"]


@backs_up
def test_only_the_newest_archives_are_kept(backup_dir, settings, some_data, time_machine):
    """SEC-4: after a successful backup, archives beyond BACKUP_KEEP are deleted with their .sha256."""
    settings.BACKUP_KEEP = 2
    results = []
    for minute in range(3):
        time_machine.move_to(dt.datetime(2027, 3, 15, 2, 30 + minute, tzinfo=dt.UTC), tick=False)
        results.append(backup_create())

    assert sorted(p.name for p in backup_dir.iterdir()) == sorted(
        name for r in results[1:] for name in (r.path.name, f"{r.path.name}.sha256")
    )
    assert results[2].removed == [results[0].path]
    assert events("backup.created")[-1].payload["removed"] == [results[0].path.name]


@backs_up
def test_restore_refuses_the_live_database_without_force(backup_dir, some_data):
    """SEC-4: restoring replaces data, so the live database is never a target by accident."""
    archive = backup_create().path

    with pytest.raises(CommandError, match="Refusing to overwrite the live database"):
        call_command("restore", str(archive), "--into-database-url", live_target(), stdout=io.StringIO())
    with pytest.raises(CommandError, match="--verify"):
        call_command("restore", str(archive), stdout=io.StringIO())
    assert AuditEvent.objects.filter(event_type="loan.checked").count() == 3


@backs_up
def test_restore_into_an_empty_database_matches_the_manifest(backup_dir, tmp_path, some_data):
    """SEC-4: a real restore goes into an explicit, empty target and is compared with the manifest."""
    archive = backup_create().path
    if connection.vendor == "sqlite":
        target = str(tmp_path / "restored.sqlite3")
        cleanup = None
    else:
        name = f"creditdesk_restore_test_{secrets.token_hex(4)}"
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
        target = live_target().rsplit("/", 1)[0] + f"/{name}"
        cleanup = f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'
    try:
        report = backup_restore(archive=archive, into=target)
        assert report.ok, [(check.table, check.problem) for check in report.mismatches]

        with pytest.raises(BackupError, match="already has tables"):
            backup_restore(archive=archive, into=target)
        assert backup_restore(archive=archive, into=target, force=True).ok
    finally:
        if cleanup:
            with connection.cursor() as cursor:
                cursor.execute(cleanup)
    assert [e.payload["forced"] for e in events("backup.restored")] == [False, True]


@backs_up
def test_the_backup_task_writes_an_archive(backup_dir, some_data):
    """SEC-4: the task the scheduler enqueues (immediate backend in tests) produces a verified-format archive."""
    from creditdesk.core.tasks import backup_database

    result = backup_database.enqueue()

    assert result.status == "SUCCESSFUL", result.errors
    assert (backup_dir / result.return_value["file"]).is_file()
