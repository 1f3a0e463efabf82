"""`creditdesk backup`: write a backup archive with per-table checksums and its .sha256 (SEC-4)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from creditdesk.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Back up the database into a timestamped archive (database image + manifest with per-table row counts "
        "and checksums) and write its .sha256; keeps the CREDITDESK_BACKUP_KEEP newest archives."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dir", type=Path, default=None, help=f"Directory for the archive (default {settings.BACKUP_DIR})."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = backup_create(directory=options["dir"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(str(result.path))
        self.stdout.write(f"  size    {result.size:,} bytes")
        self.stdout.write(f"  sha256  {result.sha256}")
        self.stdout.write(
            f"  tables  {result.tables}, {sum(t['rows'] for t in result.manifest['tables'].values()):,} rows"
        )
        for old in result.removed:
            self.stdout.write(f"  removed {old.name} (retention: {settings.BACKUP_KEEP} newest)")
