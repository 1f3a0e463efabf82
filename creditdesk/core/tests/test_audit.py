"""The domain audit log records actor, subject, type and payload, and is append-only."""

import datetime as dt
from decimal import Decimal

import pytest

from creditdesk.core.audit import events_for, record_event
from creditdesk.core.models import AuditEvent


@pytest.mark.django_db
def test_an_event_names_actor_subject_type_and_payload(alice, outsider, business_on):
    event = record_event(
        actor=alice,
        subject=outsider,
        event_type="staff.checked",
        payload={"amount": Decimal("1.50"), "on": business_on},
    )
    event.refresh_from_db()
    assert event.actor == alice
    assert event.actor_repr == "alice"
    assert event.subject_id == str(outsider.pk)
    assert event.business_on == dt.date(2027, 3, 15)
    assert event.payload == {"amount": "1.50", "on": "2027-03-15"}
    assert list(events_for(outsider)) == [event]
    assert list(events_for(alice)) == []


@pytest.mark.django_db
def test_system_events_have_no_actor(business_on):
    event = record_event(actor=None, subject=None, event_type="eod.finished")
    assert event.actor is None
    assert event.actor_repr == "system"


@pytest.mark.django_db
def test_events_cannot_be_changed(business_on):
    event = record_event(actor=None, subject=None, event_type="eod.finished")
    event.comment = "rewritten"
    with pytest.raises(ValueError, match="immutable"):
        event.save()
    assert AuditEvent.objects.get(pk=event.pk).comment == ""
