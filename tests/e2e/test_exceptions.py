"""Issue 11 item 1 in the browser: an application that failed the LTV rule, its rating overridden, gets a plan
only with an exception request, which goes past the normal chain's single approver to the credit committee."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from creditdesk.assessment import services as assessment
from creditdesk.assessment.tests.factories import add_consent, car_loan, make_car, make_individual
from creditdesk.core.dates import business_date
from creditdesk.lending.models import PlanException, ServicePlan
from creditdesk.lending.tests.factories import rate_application
from tests.e2e.test_customers import sign_in
from tests.e2e.test_plans import _decide


def _failed_ltv_application():
    """105,000.00 on a 150,000.00 car appraised at 120,000.00: 87.5 % > 70 %; overridden from high to medium."""
    users = get_user_model().objects
    sales, risk = users.get(username="sales"), users.get(username="risk")
    customer = make_individual(sales, name="赵六", consent=False)
    add_consent(customer, sales, signed_on=business_date())  # in force on the live server's business date
    application = assessment.application_create(
        actor=sales, customer=customer, vehicle=make_car(customer, sales, value="120000.00"), **car_loan()
    )
    return rate_application(application, risk, level="medium")


def test_a_failed_ltv_rule_goes_to_the_committee_as_an_exception(page: Page, live_server, demo_staff, settings):
    application = _failed_ltv_application()
    assert not application.assessments.first().admitted
    base = live_server.url

    sign_in(page, base, "sales", settings.DEMO_PASSWORD)
    page.goto(f"{base}/lending/applications/{application.pk}/plan/")
    page.fill("input[name=down_payment_amount]", "66000.00")  # 84,000.00 = 70 % of the appraisal
    page.check("input[name=exception_requested]")
    page.fill("textarea[name=exception_reason]", "评估价偏保守，客户收入稳定，首付已提高至44%")
    page.locator("form button[type=submit]").last.click()
    expect(page.get_by_test_id("failed-rules")).to_contain_text("贷款价值比")
    page.get_by_test_id("submit-form").locator("button").click()
    expect(page.get_by_test_id("exception-request")).to_have_attribute("data-state", "pending")
    plan = ServicePlan.objects.get(application=application)
    assert plan.route["committee"] is True

    steps = (("depthead", "同意上报贷审会"), ("risk2", "例外理由充分，风险可控"), ("approver", "同意例外"))
    for user, opinion in steps:
        page.context.clear_cookies()
        sign_in(page, base, user, settings.DEMO_PASSWORD)
        _decide(page, base, plan, opinion)
    # One approver is not the committee: the plan still waits for a second approval.
    expect(page.get_by_test_id("status")).to_have_text("审批中")
    plan.refresh_from_db()
    assert (plan.status, plan.current_stage) == ("pending_approval", "final_decision")
    assert PlanException.objects.get(plan=plan).state == "pending"
    page.goto(f"{base}/lending/exceptions/?state=pending")
    expect(page.get_by_test_id("exception-list")).to_contain_text(plan.reference)
    # A second member of the committee (贷审会) carries the plan, and with it the exception.
    page.context.clear_cookies()
    sign_in(page, base, "approver2", settings.DEMO_PASSWORD)
    _decide(page, base, plan, "同意例外，按方案放款")
    plan.refresh_from_db()
    assert plan.status == "approved"
    assert PlanException.objects.get(plan=plan).state == "approved"
