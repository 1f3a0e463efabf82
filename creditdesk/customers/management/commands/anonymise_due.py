"""`creditdesk anonymise-due`: anonymise customers whose deletion request's legal retention has run out (PIPL
Art. 47). Set-based and idempotent; run it daily (cron, or as an end-of-day step once end of day exists)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from creditdesk.core.dates import business_date
from creditdesk.customers.subject_requests import anonymise_due


class Command(BaseCommand):
    help = "Anonymise the customers whose deletion is due (retention ended) on the business date."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", type=dt.date.fromisoformat, help="Business date (default: the current one).")

    def handle(self, *args: Any, **options: Any) -> None:
        changed = anonymise_due(on=options["date"] or business_date())
        self.stdout.write(f"{changed} customers anonymised.")
