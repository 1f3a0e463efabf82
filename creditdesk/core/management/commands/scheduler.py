"""`creditdesk scheduler`: enqueue periodic jobs when they fall due; `creditdesk worker` runs them.

django.tasks has no periodic scheduler, so this small loop is one: run exactly one beside the worker(s). Today it
knows one job, the daily backup at CREDITDESK_BACKUP_DAILY_AT local time (SEC-4). What was enqueued is
remembered in the database, so restarts and `--once` from cron never enqueue a day twice.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import DatabaseError, close_old_connections
from django.utils import timezone

from creditdesk.core.backup_schedule import backup_enqueue_if_due, daily_backup_due_at

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Enqueue due periodic jobs (the daily backup) for `creditdesk worker`; loops until stopped unless --once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Check once and exit (tests, cron).")
        parser.add_argument("--interval", type=int, default=60, help="Seconds between checks (default 60).")

    def handle(self, *args: Any, **options: Any) -> None:
        # Fail at start on a malformed setting rather than at the first due time.
        if daily_backup_due_at(now=timezone.now()) is None:
            self.stdout.write("No daily backup: CREDITDESK_BACKUP_DAILY_AT is empty.")
        elif options["verbosity"] >= 1 and not options["once"]:
            self.stdout.write(f"Daily backup at {settings.BACKUP_DAILY_AT} ({settings.TIME_ZONE}).")
        try:
            while True:
                self._tick(once=options["once"])
                if options["once"]:
                    return
                time.sleep(max(options["interval"], 1))
                # A long-running process: drop connections the server closed or that outlived CONN_MAX_AGE.
                close_old_connections()
        except KeyboardInterrupt:
            return

    def _tick(self, *, once: bool) -> None:
        try:
            if backup_enqueue_if_due(now=timezone.now()):
                self.stdout.write(f"{timezone.localtime():%Y-%m-%d %H:%M} daily backup enqueued")
        except DatabaseError:
            if once:
                raise
            # Keep looping: the database may be back by the next check.
            logger.exception("scheduler: checking due jobs failed")
