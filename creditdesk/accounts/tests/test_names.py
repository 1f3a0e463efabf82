"""Names per role (issue 10 item 10): staff who work with the customer see an individual's name in full, the
governance roles (information administrator, auditor) see 张** everywhere — pages, API, logs, exports."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from creditdesk.accounts.services import access_log_record
from creditdesk.vehicles.tests.factories import make_customer

pytestmark = pytest.mark.django_db
NAME = "欧阳娜娜"
MASKED = "欧***"


@pytest.fixture
def nana(persona, business_on):
    customer = make_customer(persona("alice"), name=NAME)
    access_log_record(actor=persona("alice"), action="unmask", subject=customer, field="mobile", purpose="回访客户")
    return customer


@pytest.mark.parametrize(("who", "shown"), [("alice", NAME), ("carol", NAME), ("ivan", MASKED), ("judy", MASKED)])
def test_the_customer_pages_show_the_name_as_the_role_may_see_it(login, persona, nana, who, shown):
    client = login(persona(who))
    for url in ("/customers/", f"/customers/{nana.pk}/"):
        html = client.get(url).content.decode()
        assert shown in html, (who, url)
        if shown == MASKED:
            assert NAME not in html, (who, url)


@pytest.mark.parametrize(("who", "shown"), [("alice", NAME), ("judy", MASKED)])
def test_the_api_shows_the_name_as_the_role_may_see_it(client, api_token, persona, nana, who, shown):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {api_token(persona(who))}"}
    assert client.get(f"/api/v1/customers/{nana.pk}", **headers).json()["name"] == shown
    assert [c["name"] for c in client.get("/api/v1/customers", **headers).json()["items"]] == [shown]


def test_the_access_log_and_its_export_mask_customer_names_for_governance(login, client, api_token, persona, nana):
    ivan = persona("ivan")
    page = login(ivan).get("/accounts/access-log/").content.decode()
    assert MASKED in page
    assert NAME not in page
    sheet = load_workbook(io.BytesIO(login(ivan).get("/accounts/access-log/export/").content)).active
    values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert MASKED in values
    assert NAME not in values
    api = client.get("/api/v1/access-log", HTTP_AUTHORIZATION=f"Bearer {api_token(ivan)}").json()
    subjects = [row["subject"] for row in api["items"]]
    assert MASKED in subjects
    assert NAME not in subjects


def test_the_history_page_masks_the_name_for_governance(login, persona, nana):
    nana.name = "欧阳娜娜娜"
    nana.save()
    html = login(persona("judy")).get(f"/accounts/history/customers/customer/{nana.pk}/").content.decode()
    assert "欧阳" not in html
    assert MASKED in html


def test_company_names_are_public(persona, rf):
    from types import SimpleNamespace

    from django.template import Context, Template

    request = rf.get("/")
    request.user = persona("judy")
    template = Template("{% load people %}{% customer_name c %}")
    company = SimpleNamespace(name="华信商贸有限公司", kind="company")
    person = SimpleNamespace(name=NAME, kind="individual")
    assert template.render(Context({"c": company, "request": request})) == "华信商贸有限公司"
    assert template.render(Context({"c": person, "request": request})) == MASKED
