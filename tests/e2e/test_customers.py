"""A salesperson registers an individual, sees the ID masked, and unmasks it for a stated purpose (INFO-1, PRIN-3)."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from creditdesk.accounts.models import AccessLogEntry

IDN = "11010519491231002X"


def sign_in(page: Page, base: str, username: str, password: str) -> None:
    page.goto(base + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.get_by_role("button", name="登录", exact=True).click()


def test_register_and_unmask_an_individual(page: Page, live_server, demo_staff, settings):
    sign_in(page, live_server.url, "sales", settings.DEMO_PASSWORD)
    page.get_by_role("link", name="客户管理", exact=True).click()
    page.get_by_role("link", name="新增个人客户").click()

    page.fill("#id_name", "测试客户")
    page.fill("#id_id_number", "110105194912310021")  # wrong check character
    page.fill("#id_mobile", "13812345678")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".field.has-error")).to_contain_text("身份证号码校验不通过")

    page.fill("#id_id_number", IDN)
    page.get_by_role("button", name="保存").click()
    expect(page).to_have_url(re.compile(r"/customers/\d+/$"))
    expect(page.get_by_test_id("id-number")).to_contain_text("110105********002X")
    expect(page.locator("body")).not_to_contain_text(IDN)

    id_cell = page.get_by_test_id("id-number")
    id_cell.locator("summary").click()
    id_cell.locator("input[name=purpose]").fill("核对身份证原件")
    id_cell.get_by_role("button", name="显示明文").click()
    expect(page.get_by_test_id("unmasked-id_number")).to_have_text(IDN)
    assert AccessLogEntry.objects.filter(field="id_number", purpose="核对身份证原件").count() == 1
