"""Run the benchmarks on a scratch database and print one JSON document of figures.

Usage: `python -m bench [name ...]` (default: all). The database is a fresh SQLite file in a temporary folder
unless BENCH_DATABASE_URL names another (e.g. a scratch PostgreSQL database).

The benchmarks measure the production configuration (issue #11 item 21): debug off, no `.env`, not the test
settings, and the secrets production requires generated for this run only (they protect nothing but the scratch
database), whatever the shell or a `.env` says.
"""

from __future__ import annotations

import base64
import importlib
import json
import os
import platform
import secrets
import sys
import tempfile

BENCHMARKS = [
    "bench.api",
    "bench.customers",
    "bench.scoring",
    "bench.assessment",
    "bench.schedule",
    "bench.quotes_load",
]


def production_environment(scratch: str) -> dict[str, str]:
    """The environment of a production installation on the scratch folder, with secrets made up for this run."""
    field_key = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode("ascii")  # crypto.KEY_BYTES
    return {
        "DATABASE_URL": os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{scratch}/bench.sqlite3"),
        "CREDITDESK_VAR_DIR": scratch,
        "CREDITDESK_DEBUG": "0",
        "CREDITDESK_TESTING": "0",
        "CREDITDESK_ENV_FILE": "",
        "CREDITDESK_SECRET_KEY": secrets.token_urlsafe(50),
        "CREDITDESK_FIELD_KEYS": f"bench:{field_key}",
        "CREDITDESK_BLIND_INDEX_KEY": secrets.token_urlsafe(32),
        "DJANGO_SETTINGS_MODULE": "creditdesk.settings",
    }


def main(argv: list[str]) -> int:
    scratch = tempfile.mkdtemp(prefix="creditdesk-bench-")
    os.environ.update(production_environment(scratch))
    import django
    from django.conf import settings
    from django.core.management import call_command

    django.setup()
    assert not settings.DEBUG, "benchmarks measure the production configuration"
    assert not settings.TESTING, "benchmarks measure the production configuration"
    call_command("migrate", verbosity=0)
    # Production serves the collected, hashed static files (the pages and the server need the manifest).
    call_command("collectstatic", interactive=False, verbosity=0)
    names = [f"bench.{n}" for n in argv] or BENCHMARKS
    figures = {
        "python": platform.python_version(),
        "database": os.environ["DATABASE_URL"].split(":", 1)[0],
        "debug": settings.DEBUG,
    }
    for name in names:
        figures[name.removeprefix("bench.")] = importlib.import_module(name).run()
    print(json.dumps(figures, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
