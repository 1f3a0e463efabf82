"""`creditdesk demo-otp <username>`: the current two-factor code of a demo user (debug only)."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_otp.plugins.otp_totp.models import TOTPDevice

from creditdesk.accounts.twofactor import current_code


class Command(BaseCommand):
    help = "Print the current two-factor code of a demo user's authenticator. Refused when DEBUG is off."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("demo-otp works only with CREDITDESK_DEBUG=1: in production, codes come from the app.")
        user = get_user_model().objects.filter(username=options["username"]).first()
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first() if user else None
        if device is None:
            raise CommandError(f"{options['username']!r} has no confirmed authenticator.")
        left = device.step - int(time.time() - device.t0) % device.step
        self.stdout.write(current_code(device))
        self.stderr.write(f"valid for {left} more seconds")
