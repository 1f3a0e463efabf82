"""`creditdesk regrade`: recompute every customer's grade from credit status and major events (CLASS-3, CLASS-4)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from creditdesk.customers.services import grades_recompute


class Command(BaseCommand):
    help = "Recompute customer grades for the whole book (set-based); every change is kept in the grade history."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", type=dt.date.fromisoformat, help="Business date to grade on (default: today's).")

    def handle(self, *args: Any, **options: Any) -> None:
        changed = grades_recompute(on=options["date"])
        self.stdout.write(f"{changed} grades changed.")
