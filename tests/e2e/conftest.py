"""Browser journeys: Playwright drives Debian's Chromium (never a downloaded browser) against a live server."""

from __future__ import annotations

import importlib
import os
import shutil

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls of the test set-up are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)
    if CHROMIUM is None and not os.environ.get("CI"):
        skip = pytest.mark.skip(reason="Debian's chromium is not installed (apt-get install chromium); CI installs it")
        for item in items:
            if "e2e" in item.keywords:
                item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if CHROMIUM is None:
        pytest.fail("chromium is not installed; CI must install Debian's chromium package")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "headless": True, "args": CHROMIUM_ARGS}


@pytest.fixture
def demo_staff(transactional_db, settings):
    """The demo organisation and staff, as `creditdesk demo` seeds them."""
    from django.apps import apps
    from django.core.management import call_command

    settings.DEBUG = True
    # An earlier transactional test flushed every table, including the configuration the data migrations seed
    # (products, LPR, pricing grid, policies, scorecard, caps): put it back, approved, as a migrated database has it.
    from creditdesk.accounts.configuration import configuration_models
    from creditdesk.core.models import ApprovalState

    for migration in (
        "creditdesk.lending.migrations.0002_default_products_lpr_and_grid",
        "creditdesk.assessment.migrations.0003_seed_default_policy_and_scorecard_versions",
        "creditdesk.assessment.migrations.0009_seed_regulatory_caps",
    ):
        importlib.import_module(migration).seed(apps, None)
    for model in configuration_models():
        model.objects.filter(approval_state=ApprovalState.PROPOSED).update(approval_state=ApprovalState.APPROVED)
    call_command("demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    settings.DEBUG = False
