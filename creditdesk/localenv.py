"""The local `.env` beside manage.py: where settings read it from, and the one `make run` writes for the demo.

Standard library only: `make run` runs this before Django is configured (`python -m creditdesk.localenv`).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

DEMO_ENV = """\
# Written by `make run` for the embedded demo; local to this checkout (git-ignored), never commit it.
# Debug mode: the SQLite database under var/ and development keys derived from a built-in secret, so
# `make run` and every `creditdesk ...` / `python manage.py ...` command here share one configuration.
# Production sets CREDITDESK_DEBUG=0 and its secrets instead: .env.example lists every setting.
CREDITDESK_DEBUG=1
"""


def env_file() -> Path | None:
    """The file settings read: CREDITDESK_ENV_FILE if set (empty = none), else `.env` beside manage.py."""
    configured = os.environ.get("CREDITDESK_ENV_FILE")
    if configured is None:
        return BASE_DIR / ".env"
    return Path(configured) if configured else None


def write_demo_env(path: Path | None = None) -> bool:
    """Write the demo `.env` (readable by its owner only) unless one exists; True if it was written."""
    path = path or env_file()
    if path is None or path.exists():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(DEMO_ENV)
    return True


def main() -> int:
    path = env_file()
    if write_demo_env(path):
        print(f"Wrote {path} for the embedded demo (CREDITDESK_DEBUG=1); edit or delete it to change that.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
