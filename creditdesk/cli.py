"""The `creditdesk` command: Django's management commands under the project's name.

`creditdesk serve`, `creditdesk migrate`, `creditdesk demo`, `creditdesk worker`, `creditdesk createadmin`, …
are the same as `python manage.py …`.
"""

from __future__ import annotations

import os
import sys


def settings_or_exit(code: int = 2) -> None:
    """Load the settings; a configuration error (a missing secret, say) is one line on stderr and exit `code`,
    not a traceback."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "creditdesk.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    try:
        settings.INSTALLED_APPS  # noqa: B018 (imports the settings module)
    except ImproperlyConfigured as exc:
        print(f"creditdesk: {exc}", file=sys.stderr)
        raise SystemExit(code) from None


def main(argv: list[str] | None = None) -> None:
    settings_or_exit()
    from django.core.management import execute_from_command_line

    args = list(sys.argv[1:] if argv is None else argv)
    if args and not args[0].startswith("-"):
        args[0] = args[0].replace("-", "_")  # `creditdesk rotate-keys` runs the `rotate_keys` command
    execute_from_command_line(["creditdesk", *args])


if __name__ == "__main__":
    main()
