"""`creditdesk demo`: seed the demo organisation, staff and (as later apps add them) a living portfolio.

Each installed creditdesk app may have a `demo.py` with `seed(*, stdout) -> None`; they run in INSTALLED_APPS
order, which is the dependency order, so later apps can rely on what earlier ones seeded. Idempotent.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction

from creditdesk.core.discovery import app_modules


class Command(BaseCommand):
    help = "Seed demo data (staff for every role with a known password). Refused outside DEBUG unless --force."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true", help="Seed even when DEBUG is off.")
        parser.add_argument("--if-empty", action="store_true", help="Seed only when no staff exist yet.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "Refusing to seed demo data with known passwords while CREDITDESK_DEBUG is off; "
                "pass --force if you mean it."
            )
        from django.contrib.auth import get_user_model

        if options["if_empty"] and get_user_model().objects.exists():
            self.stdout.write("Staff exist already; demo data not seeded.")
            return
        with transaction.atomic():
            for module in app_modules("demo"):
                module.seed(stdout=self.stdout)
        # Fresh statistics, so the query planner picks the identifier indexes over the owner index at once.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
