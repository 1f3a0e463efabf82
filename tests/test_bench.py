"""Issue #11 item 21: the benchmarks measure the production configuration, and `bench.api` reports the health
check and an authenticated call side by side, with their ratio."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.__main__ import production_environment
from creditdesk.core.crypto import parse_key

ROOT = Path(__file__).resolve().parents[1]


def test_benchmarks_run_with_debug_off_and_secrets_of_their_own(tmp_path):
    env = production_environment(str(tmp_path))
    assert env["CREDITDESK_DEBUG"] == "0"
    assert env["CREDITDESK_TESTING"] == "0"
    assert env["CREDITDESK_ENV_FILE"] == ""  # a checkout's demo .env (debug on) is not read
    assert len(env["CREDITDESK_SECRET_KEY"]) >= 50
    assert env["CREDITDESK_BLIND_INDEX_KEY"]
    parse_key(env["CREDITDESK_FIELD_KEYS"], source="bench", position=1)
    assert production_environment(str(tmp_path))["CREDITDESK_SECRET_KEY"] != env["CREDITDESK_SECRET_KEY"]


def test_no_benchmark_switches_debug_on():
    for source in (ROOT / "bench").glob("*.py"):
        text = source.read_text(encoding="utf-8")
        assert '"CREDITDESK_DEBUG", "1"' not in text, source
        assert '"CREDITDESK_DEBUG": "1"' not in text, source


@pytest.mark.django_db
def test_the_api_bench_reports_both_calls_and_their_ratio(monkeypatch, business_on):
    from bench import api

    monkeypatch.setattr(api, "REQUESTS", 5)
    monkeypatch.setattr(api, "WARM_UP", 2)
    figures = api.run()
    assert set(figures) >= {"healthz", "me_with_token", "me_over_healthz", "meets_target", "queries_per_request"}
    assert figures["queries_per_request"] == {"healthz": 1, "me_with_token": 2}
    assert figures["me_with_token"]["requests"] == 5
