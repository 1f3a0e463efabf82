"""The UI shell: sign-in, home with business date and queues, role-based navigation, languages, error pages."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_pages_need_sign_in(client: Client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_login_page_is_chinese_by_default_even_for_english_browsers(client: Client):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-Hans">' in html
    assert "登录" in html


def test_signing_in_leads_home(client: Client, alice, password, business_on):
    response = client.post("/accounts/login/", {"username": "alice", "password": password}, follow=True)
    assert response.redirect_chain[-1][0] == "/"
    assert "2027-03-15" in response.content.decode()


def test_a_wrong_password_is_shown_inline(client: Client, alice):
    response = client.post("/accounts/login/", {"username": "alice", "password": "wrong"})
    assert response.status_code == 200
    assert "用户名或密码错误" in response.content.decode()


def test_home_shows_business_date_roles_and_empty_queues(login, persona, business_on, django_assert_max_num_queries):
    client = login(persona("judy"))
    with django_assert_max_num_queries(10):
        response = client.get("/")
    html = response.content.decode()
    assert 'data-testid="business-date"' in html
    assert "2027-03-15" in html
    assert "审计员" in html
    assert 'data-testid="no-queues"' in html


def test_home_lists_the_work_queues_of_the_role(login, alice, business_on):
    html = login(alice).get("/").content.decode()
    assert 'href="/customers/refresh-due/"' in html


def test_navigation_follows_roles(login, persona):
    admin_link = 'href="/admin/"'
    assert admin_link not in login(persona("alice")).get("/").content.decode()
    assert admin_link in login(persona("mallory")).get("/").content.decode()


def test_switching_to_english_and_back(client: Client, alice, business_on):
    client.force_login(alice)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert "Business date" in html
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert "营业日" in client.get("/").content.decode()


def test_an_unsupported_language_cookie_falls_back_to_chinese(client: Client, alice, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert "登录" in client.get("/accounts/login/").content.decode()


def test_unknown_pages_get_the_404_page(client: Client, settings):
    settings.DEBUG = False
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "404" in response.content.decode()


def test_sign_out_needs_a_post(login, alice):
    client = login(alice)
    assert client.get("/accounts/logout/").status_code == 405
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/").status_code == 302


def test_healthz_checks_the_database(client: Client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_reports_an_unreachable_database(client: Client, monkeypatch):
    from django.db import connection

    def broken(*args, **kwargs):
        raise RuntimeError("database is down")

    monkeypatch.setattr(connection, "cursor", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


def test_vendored_assets_ship_with_their_licences():
    from pathlib import Path

    vendor = Path(__file__).resolve().parents[1] / "static" / "vendor"
    for name, asset in (("htmx", "htmx.min.js"), ("echarts", "echarts.min.js")):
        assert (vendor / name / asset).stat().st_size > 10_000
        assert (vendor / name / "LICENSE").is_file()


def test_unknown_api_paths_answer_json_404_even_for_posts_without_csrf():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/api/v1/not-built-yet", {"a": 1}, content_type="application/json")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_a_csrf_failure_on_a_page_shows_the_403_page(alice):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "alice", "password": "x"})
    assert response.status_code == 403
    assert "403" in response.content.decode()
