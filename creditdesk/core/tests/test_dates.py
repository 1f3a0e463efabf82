"""The business date is read with one function and moved only by an explicit call (ARCHITECTURE rule 2)."""

import datetime as dt

import pytest

from creditdesk.core.dates import business_date
from creditdesk.core.errors import ValidationFailed
from creditdesk.core.models import AuditEvent, BusinessDate
from creditdesk.core.services import set_business_date


@pytest.mark.django_db
def test_a_new_installation_starts_on_the_configured_date(settings):
    settings.INITIAL_BUSINESS_DATE = "2027-01-04"
    assert business_date() == dt.date(2027, 1, 4)
    assert BusinessDate.objects.count() == 1


@pytest.mark.django_db
def test_the_date_does_not_follow_the_wall_clock(settings, time_machine):
    settings.INITIAL_BUSINESS_DATE = "2027-01-04"
    assert business_date() == dt.date(2027, 1, 4)
    time_machine.move_to(dt.datetime(2030, 6, 1, tzinfo=dt.UTC))
    assert business_date() == dt.date(2027, 1, 4)


@pytest.mark.django_db
def test_moving_the_date_is_audited(alice):
    set_business_date(on=dt.date(2027, 1, 4), allow_backward=True)
    set_business_date(on=dt.date(2027, 1, 5), actor=alice, reason="end of day")
    assert business_date() == dt.date(2027, 1, 5)
    event = AuditEvent.objects.filter(event_type="business_date.moved").first()
    assert event.actor == alice
    assert event.payload == {"from": "2027-01-04", "to": "2027-01-05"}
    assert event.comment == "end of day"


@pytest.mark.django_db
def test_moving_backwards_is_refused_unless_allowed():
    set_business_date(on=dt.date(2027, 1, 5), allow_backward=True)
    with pytest.raises(ValidationFailed) as err:
        set_business_date(on=dt.date(2027, 1, 4))
    assert "on" in err.value.fields
    assert business_date() == dt.date(2027, 1, 5)
    set_business_date(on=dt.date(2027, 1, 4), allow_backward=True)
    assert business_date() == dt.date(2027, 1, 4)
