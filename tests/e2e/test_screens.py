"""Issue 11 items 13 and 17 in the browser: the quote calculator shows the server's error beside the rate, and
the pages work 390 px wide (the navigation behind a menu button, tables scrolling inside their card)."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from creditdesk.accounts.models import User
from creditdesk.customers.models import Customer
from tests.e2e.test_customers import sign_in

PHONE = {"width": 390, "height": 844}


def _no_page_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide at {PHONE['width']} px"


def test_the_quote_calculator_shows_the_rate_error_beside_the_rate(page: Page, live_server, demo_staff, settings):
    sign_in(page, live_server.url, "sales", settings.DEMO_PASSWORD)
    page.goto(live_server.url + "/lending/quote/")
    page.fill("#id_principal_amount", "60000.00")
    page.fill("#id_term_months", "12")
    page.fill("#id_annual_rate", "100")
    page.get_by_role("button", name="计算").click()
    rate = page.locator(".field.has-error", has=page.locator("#id_annual_rate"))
    expect(rate).to_contain_text("利率应不小于 0% 且小于 100%")
    expect(page.get_by_test_id("quote-errors")).to_be_visible()

    page.fill("#id_annual_rate", "6")
    page.get_by_role("button", name="计算").click()
    expect(page.get_by_test_id("apr")).to_be_visible()
    expect(page.locator(".field.has-error")).to_have_count(0)  # the old error is gone
    expect(page.locator("#quote-result")).to_contain_text("6.00%")


def test_the_guarantor_is_picked_by_name(page: Page, live_server, demo_staff, settings):
    """Issue 11 item 16: the application form lists the prerequisites; the guarantor is searched, not numbered."""
    sales = User.objects.get(username="sales")
    applicant, other = Customer.objects.filter(owner=sales, kind="individual").order_by("pk")[:2]
    sign_in(page, live_server.url, "sales", settings.DEMO_PASSWORD)
    page.goto(f"{live_server.url}/applications/new/?customer={applicant.pk}")
    expect(page.get_by_test_id("prerequisites")).to_contain_text("资料审核将要求的材料")
    search = page.get_by_test_id("customer-picker-guarantor")
    search.press_sequentially(other.name)
    result = page.locator(f'[data-testid=picker-result][data-pick="{other.pk}"]')
    expect(result).to_be_visible()
    result.click()
    expect(page.locator("input[type=hidden][name=guarantor]")).to_have_value(str(other.pk))
    expect(search).to_have_value(re.compile(re.escape(other.name) + r" · .*\*"))


def test_home_a_list_and_a_detail_work_390_px_wide(page: Page, live_server, demo_staff, settings):
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, live_server.url, "sales", settings.DEMO_PASSWORD)
    expect(page.locator("#mainnav")).to_be_visible()  # a wide screen shows the navigation, no menu button
    expect(page.get_by_test_id("menu-toggle")).to_be_hidden()

    page.set_viewport_size(PHONE)
    page.reload()
    expect(page.get_by_test_id("business-date")).to_be_visible()
    _no_page_scroll(page)

    menu = page.get_by_test_id("menu-toggle")
    nav = page.locator("#mainnav")
    expect(menu).to_be_visible()
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(nav).to_be_hidden()
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(nav).to_be_visible()
    _no_page_scroll(page)
    nav.get_by_role("link", name="客户管理", exact=True).click()

    expect(page).to_have_url(live_server.url + "/customers/")
    expect(nav).to_be_hidden()  # a new page starts with the menu closed
    _no_page_scroll(page)
    page.goto(live_server.url + "/lending/plans/")
    _no_page_scroll(page)

    page.goto(live_server.url + "/customers/")
    page.locator("table a[href^='/customers/']").first.click()
    expect(page.get_by_test_id("id-number")).to_be_visible()
    _no_page_scroll(page)
