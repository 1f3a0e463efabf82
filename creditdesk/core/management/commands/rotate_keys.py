"""`creditdesk rotate-keys`: re-encrypt personal information under the newest field key, in batches.

Run it after putting a new key first in CREDITDESK_FIELD_KEYS (or the key file) and deploying; remove an old
key only after a run has finished (docs/operations.md, "Encryption keys"). Safe to repeat and to interrupt.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from creditdesk.core import crypto


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted value that is under an older key with the newest one, in batches of "
        "--batch-size rows, each batch in its own transaction. Idempotent."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=500, help="Rows per transaction (default 500).")
        parser.add_argument("--dry-run", action="store_true", help="Count (and decrypt) what would change only.")

    def handle(self, *args: Any, **options: Any) -> None:
        batch_size: int = options["batch_size"]
        dry_run: bool = options["dry_run"]
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        ring = crypto.keyring()
        self.stdout.write(f"Newest key: {ring.newest_id} ({len(ring.fernets)} configured).")
        verb = "would be re-encrypted" if dry_run else "re-encrypted"
        total = 0
        for model, fields in crypto.encrypted_models():
            label = model._meta.label
            try:
                count = crypto.rotate_model(model, fields, batch_size=batch_size, dry_run=dry_run)
            except crypto.DecryptionFailed as exc:
                # Earlier batches stay committed; after fixing the key configuration a re-run continues.
                raise CommandError(f"{label}: {exc}") from exc
            self.stdout.write(f"{label}: {count} rows {verb}")
            total += count
        self.stdout.write(f"Total: {total} rows {verb}.")
        if not dry_run:
            self.stdout.write(f"Every encrypted value is now under key {ring.newest_id}.")
