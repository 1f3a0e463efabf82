"""`creditdesk serve` starts a real gunicorn server that answers the health check and serves static files."""

from __future__ import annotations

import os
import selectors
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for_line(server: subprocess.Popen[str], text: str, *, timeout: float) -> None:
    """Read the server's log until a line contains `text` (no polling: each read blocks until gunicorn writes)."""
    assert server.stderr is not None
    with selectors.DefaultSelector() as selector:
        selector.register(server.stderr, selectors.EVENT_READ)
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0 and selector.select(left):
            line = server.stderr.readline()
            if text in line:
                return
            if not line:
                break  # the server exited
    pytest.fail(f"the server did not log {text!r} (exit code {server.poll()})")


@pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="the serve smoke test uses its own SQLite file")
def test_serve_answers_health_and_static_files(tmp_path):
    port = _free_port()
    env = {**os.environ, "CREDITDESK_DEBUG": "1", "CREDITDESK_VAR_DIR": str(tmp_path), "CREDITDESK_TESTING": "0"}
    env.pop("DATABASE_URL", None)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--no-input", "-v", "0"], env=env, check=True, cwd=ROOT, timeout=120)
    server = subprocess.Popen(
        [*manage, "serve", "--port", str(port), "--workers", "1"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_for_line(server, "Listening at", timeout=60)
        # The socket is bound (gunicorn said so): a request now waits for the worker instead of being refused.
        with urllib.request.urlopen(base + "/healthz", timeout=30) as response:
            assert response.status == 200
        with urllib.request.urlopen(base + "/static/vendor/htmx/htmx.min.js", timeout=5) as response:
            assert response.status == 200
            assert len(response.read()) > 10_000
        with urllib.request.urlopen(base + "/accounts/login/", timeout=5) as response:
            assert "登录" in response.read().decode()
    finally:
        server.terminate()
        server.wait(timeout=15)
