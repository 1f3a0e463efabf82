"""A demo user signs in, sees the home page in Chinese, and switches to English."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect


def test_a_demo_user_signs_in_and_switches_language(page: Page, live_server, demo_staff, settings):
    page.goto(live_server.url + "/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    expect(page.locator("h1")).to_have_text("登录")

    page.fill("#id_username", "sales")
    page.fill("#id_password", "wrong-password")
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page.locator(".errorlist")).to_contain_text("用户名或密码错误")

    page.fill("#id_username", "sales")
    page.fill("#id_password", settings.DEMO_PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    expect(page.get_by_test_id("business-date")).to_contain_text("营业日")
    expect(page.get_by_test_id("whoami")).to_have_text("张伟")
    expect(page.locator(".mainnav")).to_contain_text("首页")
    expect(page.locator("main")).to_contain_text("我的待办")

    page.get_by_test_id("lang-en").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_test_id("business-date")).to_contain_text("Business date")
    expect(page.locator(".mainnav")).to_contain_text("Home")

    page.get_by_test_id("lang-zh-hans").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")

    page.get_by_role("button", name="退出登录").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


def test_the_demo_administrator_signs_in_with_the_demo_code(page: Page, live_server, demo_staff, settings):
    """Issue 10 item 10: a privileged user always gives the second factor; the demo's code comes from demo-otp."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from creditdesk.accounts.twofactor import current_code

    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", settings.DEMO_PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page).to_have_url(re.compile(r"/accounts/otp/"))
    page.goto(live_server.url + "/admin/")  # nothing else before the code
    expect(page).to_have_url(re.compile(r"/accounts/otp/"))
    page.fill("#id_token", current_code(TOTPDevice.objects.get(user__username="admin", confirmed=True)))
    page.get_by_role("button", name="验证").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))  # back where they were going
    page.goto(live_server.url + "/")
    expect(page.get_by_test_id("whoami")).to_have_text("孙悦")
