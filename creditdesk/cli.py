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

    execute_from_command_line(["creditdesk", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
