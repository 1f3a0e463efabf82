"""`creditdesk scheduler` enqueues the daily backup once per local day at BACKUP_DAILY_AT (SEC-4)."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.tasks import default_task_backend

from creditdesk.core.models import AuditEvent

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def queue(settings):
    """Tasks are only recorded, not run (django.tasks' dummy backend); returns the enqueued task names."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    settings.BACKUP_DAILY_AT = "02:30"
    return lambda: [result.task.name for result in default_task_backend.results]


def tick_at(time_machine, moment: dt.datetime) -> str:
    time_machine.move_to(moment, tick=False)
    out = io.StringIO()
    call_command("scheduler", "--once", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_the_daily_backup_is_enqueued_once_a_day_at_the_configured_local_time(queue, time_machine, business_on):
    """SEC-4: not before 02:30 local time, once at or after it, and not again the same day."""
    assert tick_at(time_machine, dt.datetime(2027, 3, 15, 2, 29, tzinfo=SHANGHAI)) == ""
    assert queue() == []

    assert "daily backup enqueued" in tick_at(time_machine, dt.datetime(2027, 3, 15, 2, 30, tzinfo=SHANGHAI))
    assert queue() == ["backup_database"]

    for later in (dt.datetime(2027, 3, 15, 2, 31, tzinfo=SHANGHAI), dt.datetime(2027, 3, 15, 23, 59, tzinfo=SHANGHAI)):
        assert tick_at(time_machine, later) == ""
    assert queue() == ["backup_database"]

    # A scheduler that was down at 02:30 catches up when it comes back, the next day too.
    tick_at(time_machine, dt.datetime(2027, 3, 16, 9, 0, tzinfo=SHANGHAI))
    tick_at(time_machine, dt.datetime(2027, 3, 16, 9, 1, tzinfo=SHANGHAI))
    assert queue() == ["backup_database", "backup_database"]
    assert AuditEvent.objects.filter(event_type="backup.scheduled").count() == 2


@pytest.mark.django_db
def test_the_day_is_the_local_day_not_the_utc_day(queue, time_machine, business_on):
    """SEC-4: 02:30 in Shanghai is 18:30 UTC the day before; that is still one backup per local day."""
    tick_at(time_machine, dt.datetime(2027, 3, 14, 18, 30, tzinfo=dt.UTC))
    tick_at(time_machine, dt.datetime(2027, 3, 15, 1, 0, tzinfo=dt.UTC))
    assert queue() == ["backup_database"]


@pytest.mark.django_db
def test_no_daily_backup_when_the_time_is_empty(queue, settings, time_machine):
    """SEC-4: CREDITDESK_BACKUP_DAILY_AT="" turns the daily backup off (cron runs `creditdesk backup` instead)."""
    settings.BACKUP_DAILY_AT = ""
    assert "No daily backup" in tick_at(time_machine, dt.datetime(2027, 3, 15, 12, 0, tzinfo=SHANGHAI))
    assert queue() == []


@pytest.mark.django_db
def test_a_malformed_time_is_refused_at_start(queue, settings):
    settings.BACKUP_DAILY_AT = "2:30pm"
    with pytest.raises(ImproperlyConfigured, match="HH:MM"):
        call_command("scheduler", "--once", stdout=io.StringIO())
