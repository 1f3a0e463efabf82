"""Issue #11 item 19: after `make run` the documented commands work in the same checkout, and a missing secret
outside debug is one clear line on stderr (what to set), never a traceback (CLI, manage.py and the server)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from creditdesk.localenv import DEMO_ENV, write_demo_env

ROOT = Path(__file__).resolve().parents[1]


def _clean_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """A shell with nothing of creditdesk's set: this tree on the path, no .env unless `extra` names one."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(ROOT),
        "CREDITDESK_ENV_FILE": str(tmp_path / "absent.env"),
        "CREDITDESK_VAR_DIR": str(tmp_path / "var"),
        "CREDITDESK_TESTING": "0",
    }
    return {**env, **extra}


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=180, check=False
    )


@pytest.mark.parametrize(
    "args",
    [
        ["-m", "creditdesk.cli", "regrade"],  # the `creditdesk` entry point
        ["manage.py", "regrade"],
        ["-c", "import creditdesk.wsgi"],  # what gunicorn loads
    ],
    ids=["creditdesk", "manage.py", "wsgi"],
)
def test_missing_secrets_outside_debug_are_one_line_not_a_traceback(tmp_path, args):
    """Item 19: every missing secret named in one line on stderr, a non-zero exit, no traceback."""
    result = _run(args, _clean_env(tmp_path))
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for name in ("CREDITDESK_SECRET_KEY", "CREDITDESK_FIELD_KEYS", "CREDITDESK_BLIND_INDEX_KEY", "CREDITDESK_DEBUG"):
        assert name in lines[0]


def test_only_the_missing_secret_is_named(tmp_path):
    env = _clean_env(tmp_path, CREDITDESK_SECRET_KEY="s" * 50, CREDITDESK_FIELD_KEYS="k1:" + "A" * 43 + "=")
    result = _run(["-m", "creditdesk.cli", "check"], env)
    assert result.returncode != 0
    assert "CREDITDESK_BLIND_INDEX_KEY is not set" in result.stderr
    assert "CREDITDESK_SECRET_KEY" not in result.stderr


def test_demo_env_is_written_once_and_private(tmp_path):
    path = tmp_path / ".env"
    assert write_demo_env(path) is True
    assert path.read_text(encoding="utf-8") == DEMO_ENV
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    path.write_text("CREDITDESK_DEBUG=0\n", encoding="utf-8")
    assert write_demo_env(path) is False  # an operator's own .env is never overwritten
    assert path.read_text(encoding="utf-8") == "CREDITDESK_DEBUG=0\n"


@pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="uses its own SQLite file")
def test_documented_commands_work_after_the_demo_env_is_written(tmp_path):
    """Item 19: what `make run` writes is what `creditdesk regrade` (without CREDITDESK_DEBUG exported) reads."""
    path = tmp_path / ".env"
    env = _clean_env(tmp_path, CREDITDESK_ENV_FILE=str(path))
    assert _run(["-m", "creditdesk.localenv"], env).returncode == 0
    assert path.is_file()
    migrate = _run(["manage.py", "migrate", "--no-input", "-v", "0"], env)
    assert migrate.returncode == 0, migrate.stderr
    regrade = _run(["-m", "creditdesk.cli", "regrade"], env)
    assert regrade.returncode == 0, regrade.stderr
    assert "Traceback" not in regrade.stderr


def test_make_run_writes_the_env_first_and_git_ignores_it():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = makefile.split("\nrun: venv\n", 1)[1].split("\n\n", 1)[0]
    steps = [line.strip() for line in recipe.splitlines()]
    assert "creditdesk.localenv" in steps[0]
    # The demo and the commands read one configuration: the recipe forces no CREDITDESK_DEBUG of its own.
    assert not any("CREDITDESK_DEBUG=" in step for step in steps)
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert ".env" in ignored
