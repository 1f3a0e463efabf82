"""A risk officer assesses an application in data review, confirms the rating and reads the explained decision."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from creditdesk.assessment.models import LoanApplication
from tests.e2e.test_customers import sign_in


def test_assess_confirm_and_explain(page: Page, live_server, demo_staff, settings):
    application = LoanApplication.objects.filter(status="in_review").order_by("pk").first()
    assert application is not None, "the demo seeds applications in data review"
    sign_in(page, live_server.url, "risk", settings.DEMO_PASSWORD)
    page.goto(f"{live_server.url}/applications/?status=queue")
    page.get_by_role("link", name=application.reference).click()
    expect(page.get_by_test_id("status")).to_have_attribute("data-status", "in_review")

    form = page.get_by_test_id("assess-form")
    form.locator("button[type=submit]").click()  # nothing verified yet: refused inline
    expect(page.locator(".field.has-error").first).to_be_visible()
    form = page.get_by_test_id("assess-form")
    form.locator("#id_identity_verified").check()
    form.locator("#id_income_verified").check()
    form.locator("#id_verification_notes").fill("面签核验身份证原件，收入证明与流水一致")
    form.locator("button[type=submit]").click()
    expect(page.get_by_test_id("status")).to_have_attribute("data-status", "scored")

    rating = page.get_by_test_id("rating-form")
    rating.locator("#id_decision").select_option("confirmed")
    rating.locator("button[type=submit]").click()
    expect(page.get_by_test_id("status")).to_have_attribute("data-status", "rated")
    expect(page.get_by_test_id("risk-level")).to_be_visible()

    page.get_by_test_id("decision-link").click()
    expect(page).to_have_url(re.compile(r"/applications/\d+/decision/$"))
    expect(page.get_by_test_id("rule-row")).to_have_count(13)
    expect(page.get_by_test_id("human-decision")).to_contain_text("刘洋")
    application.refresh_from_db()
    assert application.status == "rated"
