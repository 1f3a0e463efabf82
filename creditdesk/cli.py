"""The `creditdesk` command: Django's management commands under the project's name.

`creditdesk serve`, `creditdesk migrate`, `creditdesk demo`, `creditdesk worker`, `creditdesk createadmin`, …
are the same as `python manage.py …`.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "creditdesk.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv[1:] if argv is None else argv)
    if args and not args[0].startswith("-"):
        args[0] = args[0].replace("-", "_")  # `creditdesk rotate-keys` runs the `rotate_keys` command
    execute_from_command_line(["creditdesk", *args])


if __name__ == "__main__":
    main()
