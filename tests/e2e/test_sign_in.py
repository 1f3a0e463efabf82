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
