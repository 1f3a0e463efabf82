"""`creditdesk demo` prepares service plans on the rated demo applications, at every step of the approval."""

import io

import pytest
from django.core.management import call_command

from creditdesk.lending.models import LprRate, PlanDecision, PlanException, ServicePlan

pytestmark = pytest.mark.django_db


def test_demo_plans_cover_the_approval(settings, business_on, tmp_path):
    settings.DEBUG = True
    settings.MEDIA_ROOT = tmp_path
    out = io.StringIO()
    call_command("demo", stdout=out)
    assert "Demo service plans:" in out.getvalue(), out.getvalue()
    statuses = set(ServicePlan.objects.values_list("status", flat=True))
    assert {"draft", "pending_approval", "approved"} <= statuses
    assert PlanDecision.objects.filter(outcome="approve").exists()
    # Issue 11 item 1: no plan failing a hard rule is approved; those are submitted with an exception request that
    # routes them to the credit committee (application 5: 147 % LTV on the market estimate, overridden to medium).
    assert not ServicePlan.objects.filter(status="approved").exclude(failed_rules=[]).exists()
    waiting = ServicePlan.objects.filter(exception_requested=True)
    assert waiting.exists()
    for plan in waiting:
        assert plan.route["committee"] is True
        assert PlanException.objects.get(plan=plan).state == "pending"
    count = ServicePlan.objects.count()
    # Maker-checker (issue 11 item 3): a configuration change waits for a checker, proposed by the administrator.
    pending = list(LprRate.objects.pending().values_list("proposed_by__username", flat=True))
    assert pending == ["admin"]
    call_command("demo", stdout=io.StringIO())
    assert ServicePlan.objects.count() == count
    assert LprRate.objects.pending().count() == 1
