"""Run the benchmarks on a scratch database and print one JSON document of figures.

Usage: `python -m bench [name ...]` (default: all). The database is a fresh SQLite file in a temporary folder
unless BENCH_DATABASE_URL names another (e.g. a scratch PostgreSQL database).
"""

from __future__ import annotations

import importlib
import json
import os
import platform
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


def main(argv: list[str]) -> int:
    scratch = tempfile.mkdtemp(prefix="creditdesk-bench-")
    os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{scratch}/bench.sqlite3")
    os.environ["CREDITDESK_VAR_DIR"] = scratch
    os.environ.setdefault("CREDITDESK_DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "creditdesk.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    names = [f"bench.{n}" for n in argv] or BENCHMARKS
    figures = {"python": platform.python_version(), "database": os.environ["DATABASE_URL"].split(":", 1)[0]}
    for name in names:
        figures[name.removeprefix("bench.")] = importlib.import_module(name).run()
    print(json.dumps(figures, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
