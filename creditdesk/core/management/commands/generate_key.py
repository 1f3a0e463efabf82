"""`creditdesk generate-key`: print a new field-encryption key line and a blind-index secret."""

from __future__ import annotations

import base64
import datetime as dt
import secrets
from typing import Any

from django.core.management.base import BaseCommand

from creditdesk.core.crypto import KEY_BYTES


class Command(BaseCommand):
    help = "Print a new field-encryption key ('k<UTC timestamp>:<key>') and a new blind-index secret."

    def handle(self, *args: Any, **options: Any) -> None:
        # The id only has to be unique among the configured keys; a timestamp also tells operators its age.
        key_id = "k" + dt.datetime.now(tz=dt.UTC).strftime("%Y%m%d%H%M%S")
        key = base64.urlsafe_b64encode(secrets.token_bytes(KEY_BYTES)).decode("ascii")
        self.stdout.write(
            "# Field-encryption key: put it FIRST in CREDITDESK_FIELD_KEYS (or the key file), keep the older keys "
            "after it, deploy, then run `creditdesk rotate-keys`."
        )
        self.stdout.write(f"{key_id}:{key}")
        self.stdout.write(
            "# Blind-index secret for CREDITDESK_BLIND_INDEX_KEY: for a new installation only; replacing it on a "
            "running one makes every look-up miss until the indexes are rebuilt."
        )
        self.stdout.write(secrets.token_urlsafe(32))
