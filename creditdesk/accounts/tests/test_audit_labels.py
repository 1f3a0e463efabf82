"""The audit trail in staff language (issue 11 item 11): events by their labels, filtered by choosing an event or
a whole area and a staff member by name, never by typing codes or usernames."""

import re

import pytest

from creditdesk.core import event_labels
from creditdesk.core.audit import record_event

pytestmark = pytest.mark.django_db


def visible(html: str) -> str:
    body = html.split("<main", 1)[1]
    return re.sub(r"<[^>]+>", " ", re.sub(r"<(script|style|select)[^>]*>.*?</\1>", " ", body, flags=re.S))


def test_events_read_as_labels_with_the_staff_members_name(login, persona, business_on):
    alice = persona("alice")
    alice.full_name = "张伟"
    alice.save()
    record_event(actor=alice, subject=alice, event_type="plan.created")
    record_event(actor=None, subject=None, event_type="business_date.moved")
    html = login(persona("judy")).get("/accounts/audit/").content.decode()
    text = visible(html)
    assert "plan.created" not in text
    assert "business_date" not in text
    assert "金融服务方案 · 已创建" in text
    assert "营业日已调整" in text
    assert "张伟" in text
    assert " alice " not in text
    assert "系统" in text


def test_the_filters_are_choices_not_codes_to_type(login, persona, business_on):
    alice = persona("alice")
    record_event(actor=alice, subject=alice, event_type="plan.created")
    record_event(actor=alice, subject=alice, event_type="customer.created")
    client = login(persona("judy"))
    html = client.get("/accounts/audit/").content.decode()
    assert '<select id="f-type" name="event_type">' in html
    assert '<option value="plan.">全部：金融服务方案</option>' in html
    assert '<select id="f-actor" name="actor">' in html
    only_plans = visible(client.get("/accounts/audit/?event_type=plan.").content.decode())
    assert "已创建" in only_plans
    assert "客户已建档" not in only_plans


def test_every_recorded_event_type_in_the_code_has_a_label():
    """A literal `event_type="…"` anywhere in the apps is labelled (an unknown one would read “其他事件”)."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    codes = set()
    for path in root.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        codes |= set(re.findall(r'event_type="([a-z_]+\.[a-z_]+)"', path.read_text(encoding="utf-8")))
    assert len(codes) > 30
    assert [code for code in sorted(codes) if event_labels.event_label(code) == str(event_labels.OTHER)] == []
