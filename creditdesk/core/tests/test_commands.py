"""The `creditdesk` command wraps Django's management commands."""

import io
import os

import pytest
from django.core.management import CommandError, call_command

from creditdesk.accounts.models import User
from creditdesk.cli import main


def test_the_creditdesk_command_runs_management_commands(capsys):
    main(["help", "demo"])
    assert "--if-empty" in capsys.readouterr().out


@pytest.mark.django_db
def test_createadmin_takes_the_password_from_the_environment(monkeypatch):
    monkeypatch.setenv("CREDITDESK_ADMIN_PASSWORD", "a-long-admin-passphrase")
    out = io.StringIO()
    call_command("createadmin", "--username", "root", stdout=out)
    admin = User.objects.get(username="root")
    assert admin.is_superuser
    assert admin.role_codes == ["system_admin"]
    assert admin.check_password("a-long-admin-passphrase")


@pytest.mark.django_db
def test_createadmin_refuses_a_weak_password(monkeypatch):
    monkeypatch.setenv("CREDITDESK_ADMIN_PASSWORD", "123")
    with pytest.raises(CommandError, match="10"):
        call_command("createadmin", stdout=io.StringIO())
    assert not User.objects.exists()


@pytest.mark.django_db
def test_createadmin_without_a_password_or_terminal_explains_itself(monkeypatch):
    monkeypatch.delenv("CREDITDESK_ADMIN_PASSWORD", raising=False)
    monkeypatch.setattr(os, "isatty", lambda fd: False)
    with pytest.raises(CommandError, match="CREDITDESK_ADMIN_PASSWORD"):
        call_command("createadmin", stdout=io.StringIO())


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_queued_tasks_and_exits_in_batch_mode(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from django_tasks_db.models import DBTaskResult

    from creditdesk.core.tasks import ping

    result = ping.enqueue()
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    call_command("worker", "--batch", stdout=io.StringIO(), stderr=io.StringIO())
    assert DBTaskResult.objects.get(id=result.id).status == "SUCCESSFUL"
