"""The plan pages in staff language (issue 11 items 11, 14, 15): the list's deadline column says what it holds,
the detail links to the application and its decision, the withdraw button is offered only to who may withdraw
(the preparer; a department head decides instead), names instead of usernames and codes."""

import pytest
from django.utils import translation

from creditdesk.core.errors import PermissionDenied
from creditdesk.lending import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def chinese(login):
    """`chinese(user)` → a client signed in as the user, pages in Chinese (the default language)."""

    def do(user):
        client = login(user)
        client.cookies.pop("django_language", None)
        return client

    return do


def test_the_list_calls_the_approval_deadline_by_its_name(chinese, draft, alice):
    services.plan_submit(actor=alice, plan=draft())
    with translation.override("zh-hans"):
        html = chinese(alice).get("/lending/plans/").content.decode()
    assert "审批期限" in html
    assert "还款日" not in html  # that is a repayment date: the column holds the decision's deadline


def test_the_detail_links_the_application_and_its_decision_for_approvers(chinese, draft, persona):
    plan = draft()
    with translation.override("zh-hans"):
        html = chinese(persona("dave")).get(f"/lending/plans/{plan.pk}/").content.decode()
    assert f'href="/applications/{plan.application_id}/"' in html
    assert f'href="/applications/{plan.application_id}/decision/"' in html
    assert "UC-RETAIL" not in html  # the product by its name
    assert "built-in" not in html


def test_only_the_preparer_is_offered_the_withdraw_button(chinese, draft, alice, bob):
    plan = services.plan_submit(actor=alice, plan=draft())
    mine = chinese(alice).get(f"/lending/plans/{plan.pk}/").content.decode()
    assert 'data-testid="withdraw-form"' in mine
    assert 'class="primary danger"' in mine  # a styled, dangerous action behind a confirmation
    heads = chinese(bob).get(f"/lending/plans/{plan.pk}/").content.decode()
    assert 'data-testid="withdraw-form"' not in heads
    assert 'data-testid="decision-form"' in heads  # the department head records a decision instead


def test_a_department_head_cannot_withdraw_a_salespersons_plan(chinese, draft, alice, bob):
    plan = services.plan_submit(actor=alice, plan=draft())
    with pytest.raises(PermissionDenied):
        services.plan_withdraw(actor=bob, plan=plan, comment="客户放弃")
    response = chinese(bob).post(f"/lending/plans/{plan.pk}/withdraw/", {"comment": "客户放弃"})
    assert response.status_code == 403
    plan.refresh_from_db()
    assert plan.status == "pending_approval"
    services.plan_withdraw(actor=alice, plan=plan, comment="客户放弃")
    assert plan.status == "withdrawn"


def test_the_activity_names_the_staff_member_not_the_username(chinese, draft, alice):
    alice.full_name = "张伟"
    alice.save()
    plan = services.plan_submit(actor=alice, plan=draft())
    with translation.override("zh-hans"):
        html = chinese(alice).get(f"/lending/plans/{plan.pk}/").content.decode()
    events = html.split('data-testid="events"', 1)[1].split("</ul>", 1)[0]
    assert "张伟" in events
    assert "alice" not in events
