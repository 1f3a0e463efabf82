"""A plan at department review goes through the chain in the browser: department head, risk officer, approver."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from creditdesk.lending.models import ServicePlan
from tests.e2e.test_customers import sign_in


def _decide(page: Page, base: str, plan: ServicePlan, opinion: str) -> None:
    page.goto(f"{base}/lending/plans/{plan.pk}/")
    form = page.get_by_test_id("decision-form")
    form.locator("input[name=outcome][value=approve]").check()
    form.locator("textarea[name=opinion]").fill(opinion)
    form.locator("button[type=submit]").click()  # not confirmed yet: refused inline, nothing recorded
    expect(page.locator(".field.has-error").first).to_be_visible()
    form = page.get_by_test_id("decision-form")
    form.locator("input[name=outcome][value=approve]").check()
    form.locator("textarea[name=opinion]").fill(opinion)
    form.locator("input[name=confirm]").check()
    form.locator("button[type=submit]").click()


def test_a_plan_is_approved_along_the_chain(page: Page, live_server, demo_staff, settings):
    plan = ServicePlan.objects.filter(
        status="pending_approval", current_stage="department_review", exception_requested=False
    ).first()
    assert plan is not None, "the demo seeds a plan waiting for the department review"
    base = live_server.url

    sign_in(page, base, "depthead", settings.DEMO_PASSWORD)
    expect(page.locator("body")).to_contain_text("待部门初审的方案")  # the home-page queue
    _decide(page, base, plan, "客户资质良好，同意")
    expect(page.get_by_test_id("decision-row")).to_have_count(1)
    expect(page.get_by_test_id("decision-form")).to_have_count(0)  # nobody decides twice

    page.context.clear_cookies()
    sign_in(page, base, "risk2", settings.DEMO_PASSWORD)  # `risk` rated the application (审贷分离)
    _decide(page, base, plan, "风险可控，首付比例符合中风险要求")
    expect(page.get_by_test_id("decision-row")).to_have_count(2)

    page.context.clear_cookies()
    sign_in(page, base, "approver", settings.DEMO_PASSWORD)
    _decide(page, base, plan, "同意")
    expect(page.get_by_test_id("status")).to_have_text("已批准")
    expect(page.get_by_test_id("apr")).to_be_visible()
    plan.refresh_from_db()
    assert plan.status == "approved"
    assert list(plan.decisions.values_list("decider__username", flat=True).order_by("id")) == [
        "depthead",
        "risk2",
        "approver",
    ]
