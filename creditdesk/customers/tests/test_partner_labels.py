"""Partners are companies: their list labels the column 名称, not a person's 姓名 (issue 11 item 11)."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_partner_list_names_companies_not_persons(login, alice):
    html = login(alice).get("/customers/partners/").content.decode()
    head = html.split("<thead>", 1)[1].split("</thead>", 1)[0]
    assert "名称" in head
    assert "姓名" not in head
