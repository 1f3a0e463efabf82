"""Issue 11 item 16: a duplicate-ID refusal links to the existing customer when the user's scope includes it, on
registration and on edit; outside the scope it is a plain message that names no customer."""

import random

import pytest

from creditdesk.accounts.tests.factories import UserFactory
from creditdesk.customers.services import customer_create
from creditdesk.customers.synthetic import resident_id

pytestmark = pytest.mark.django_db
IDN = "11010519491231002X"
OTHER = resident_id(random.Random(16))


def _individual(actor, name, number, mobile):
    return customer_create(actor=actor, kind="individual", name=name, id_number=number, mobile=mobile)


def test_an_edit_to_a_duplicate_in_scope_links_to_the_existing_customer(login, persona, business_on):
    alice = persona("alice")
    zhang = _individual(alice, "张三", IDN, "13812345678")
    li = _individual(alice, "李四", OTHER, "13912345678")
    response = login(alice).post(
        f"/customers/{li.pk}/edit/", {"name": "李四", "id_number": IDN, "mobile": "", "channel": "own_sales"}
    )
    html = response.content.decode()
    assert response.status_code == 422, html
    assert 'data-testid="existing-customer"' in html
    assert f'href="/customers/{zhang.pk}/"' in html


def test_a_duplicate_outside_the_scope_is_a_plain_message(login, persona, business_on):
    alice = persona("alice")
    zhang = _individual(alice, "张三", IDN, "13812345678")
    wang = UserFactory(username="wang", org_unit=alice.org_unit, roles=["sales"])
    response = login(wang).post(
        "/customers/new/",
        {"kind": "individual", "name": "张三", "id_number": IDN, "mobile": "13900000000", "channel": "own_sales"},
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert 'data-testid="existing-customer"' not in html
    assert f"/customers/{zhang.pk}/" not in html
    assert "张三" not in html.replace('value="张三"', "")  # only what Wang typed
