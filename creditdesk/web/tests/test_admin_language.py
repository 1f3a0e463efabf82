"""The Django admin speaks the staff's language (issue 11 item 15): creditdesk's name, not Django's, and Chinese
section names for the third-party apps (sign-in protection, authenticators, background tasks)."""

import re

import pytest

pytestmark = pytest.mark.django_db


def test_the_admin_index_has_no_english_sections_and_no_django_branding(login, persona):
    admin = persona("mallory")
    admin.is_superuser = True  # as the demo's system administrator: every section is listed
    admin.save()
    html = login(admin).get("/admin/").content.decode()
    text = re.sub(r"<[^>]+>", " ", re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S))
    assert "Django" not in text
    for english in ("Axes", "AXES", "TOTP devices", "Task Results", "Otp_Totp", "Tasks Database Backend"):
        assert english not in text
    assert "creditdesk 系统管理" in text
    assert "登录防护" in text
    assert "身份验证器" in text
    assert "后台任务" in text


def test_a_select_offers_a_chinese_empty_choice(login, persona):
    html = login(persona("alice")).get("/customers/leads/new/").content.decode()
    assert "- Select an option -" not in html
    assert "请选择" in html
