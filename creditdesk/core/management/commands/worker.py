"""`creditdesk worker`: runs queued background tasks (django.tasks, database backend)."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Run the background-task worker (django-tasks-db). Extra options go to `db_worker`."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--queue-name", default="default")
        parser.add_argument("--batch", action="store_true", help="Process what is queued, then exit.")

    def handle(self, *args: Any, **options: Any) -> None:
        worker_options: dict[str, Any] = {"queue_name": options["queue_name"]}
        if options["batch"]:
            worker_options["batch"] = True
        call_command("db_worker", **worker_options)
