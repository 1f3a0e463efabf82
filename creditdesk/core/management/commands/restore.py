"""`creditdesk restore`: verify a backup archive in a scratch database, or restore it into a chosen one (SEC-4)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from creditdesk.core.backup import BackupError, VerifyReport, backup_restore, backup_verify


class Command(BaseCommand):
    help = (
        "Check a backup archive. --verify restores it into a scratch database and compares row counts and "
        "checksums per table with its manifest; --into-database-url restores it for real (then compares). "
        "Exits non-zero on any mismatch."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path, help="A creditdesk-….tar.gz archive (its .sha256 beside it).")
        parser.add_argument("--verify", action="store_true", help="Restore into a scratch database and compare.")
        parser.add_argument(
            "--into-database-url",
            metavar="URL",
            help="Restore into this database (postgres://… or sqlite:////path, or a plain SQLite file path).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Allow replacing a database that has tables, including the live one (stop the application first).",
        )
        parser.add_argument("--sha256", help="The archive's expected checksum when the .sha256 file is not beside it.")

    def handle(self, *args: Any, **options: Any) -> None:
        into = options["into_database_url"]
        if not into and not options["verify"]:
            raise CommandError("Say --verify (scratch database) or --into-database-url URL (restore for real).")
        if options["force"] and not into:
            raise CommandError("--force only applies with --into-database-url.")
        try:
            if into:
                report = backup_restore(
                    archive=options["archive"], into=into, force=options["force"], expected_sha256=options["sha256"]
                )
            else:
                report = backup_verify(archive=options["archive"], expected_sha256=options["sha256"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        self._print(report, verbosity=options["verbosity"])
        if not report.ok:
            raise CommandError(
                f"Verification failed: {len(report.mismatches)} of {len(report.checks)} tables differ from the manifest"
                + (f", {len(report.errors)} other problems." if report.errors else ".")
            )

    def _print(self, report: VerifyReport, *, verbosity: int) -> None:
        manifest = report.manifest
        self.stdout.write(f"{report.archive.name}: sha256 ok, {manifest['vendor']} backup of {manifest['created_at']}")
        for check in report.checks:
            if not check.ok:
                self.stdout.write(f"  MISMATCH  {check.table}: {check.problem}")
            elif verbosity >= 2 and check.actual is not None:
                self.stdout.write(f"  ok        {check.table}: {check.actual.rows} rows")
        for error in report.errors:
            self.stdout.write(f"  ERROR     {error}")
        if report.ok:
            rows = sum(check.actual.rows for check in report.checks if check.actual is not None)
            self.stdout.write(f"All {len(report.checks)} tables match the manifest ({rows:,} rows).")
