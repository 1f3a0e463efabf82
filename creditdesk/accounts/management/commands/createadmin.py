"""`creditdesk createadmin`: create (or reset) a system administrator."""

from __future__ import annotations

import getpass
import os
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from creditdesk.accounts.choices import Role
from creditdesk.accounts.services import roles_ensure, user_upsert


class Command(BaseCommand):
    help = "Create or reset a system administrator. The password comes from CREDITDESK_ADMIN_PASSWORD or a prompt."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", default="admin")
        parser.add_argument("--full-name", default="")
        parser.add_argument("--email", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        password = os.environ.get("CREDITDESK_ADMIN_PASSWORD")
        if not password:
            if not os.isatty(0):
                raise CommandError("Set CREDITDESK_ADMIN_PASSWORD or run interactively.")
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The passwords differ.")
        try:
            validate_password(password)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        roles_ensure()
        user = user_upsert(
            username=options["username"],
            full_name=options["full_name"] or options["username"],
            email=options["email"],
            org_unit=None,
            roles=[Role.SYSTEM_ADMIN.value],
            password=password,
            is_superuser=True,
        )
        self.stdout.write(self.style.SUCCESS(f"System administrator {user.get_username()!r} is ready."))
