"""`creditdesk check-ledger`: verify the whole book set-based; exit 1 listing every difference."""

from typing import Any

from django.core.management.base import BaseCommand

from creditdesk.loans.ledger_check import differences


class Command(BaseCommand):
    help = "Verify that stored loan balances equal their allocations and journal debits equal credits."

    def handle(self, *args: Any, **options: Any) -> None:
        found = differences()
        for line in found:
            self.stderr.write(line)
        if found:
            raise SystemExit(1)
        self.stdout.write("Ledger consistent.")
