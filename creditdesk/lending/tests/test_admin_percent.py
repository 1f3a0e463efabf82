"""Issue 11 item 12: the configuration's rates (pricing grid, LPR, product bounds) are typed in percent in the admin."""

import datetime as dt
import re
from decimal import Decimal

import pytest

from creditdesk.accounts.tests.factories import UserFactory
from creditdesk.lending.models import SpreadRule, TermAdjustment

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(login):
    return login(UserFactory(username="root", is_staff=True, is_superuser=True))


def test_a_spread_is_typed_in_percent(root):
    page = root.get("/admin/lending/spreadrule/add/").content.decode()
    assert "（%）" in page or "(%)" in page
    response = root.post(
        "/admin/lending/spreadrule/add/",
        {"risk_level": "low", "grade": "A", "spread": "1.25", "effective_on": "2030-01-01"},
    )
    assert response.status_code == 302, response.content.decode()
    rule = SpreadRule.objects.get(effective_on=dt.date(2030, 1, 1), risk_level="low", grade="A")
    assert rule.spread == Decimal("0.0125")
    edit = root.get(f"/admin/lending/spreadrule/{rule.pk}/change/").content.decode()
    assert 'value="1.25"' in edit


def test_a_term_adjustment_may_be_negative(root):
    response = root.post(
        "/admin/lending/termadjustment/add/",
        {"min_term_months": "1", "max_term_months": "6", "adjustment": "-0.25", "effective_on": "2030-01-01"},
    )
    assert response.status_code == 302, response.content.decode()
    assert TermAdjustment.objects.get(effective_on=dt.date(2030, 1, 1)).adjustment == Decimal("-0.0025")


def test_a_rate_that_is_not_a_number_is_refused_beside_the_field(root):
    response = root.post(
        "/admin/lending/spreadrule/add/",
        {"risk_level": "low", "grade": "A", "spread": "abc", "effective_on": "2030-01-01"},
    )
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()


def test_the_product_form_shows_its_default_rates_in_percent(root):
    page = root.get("/admin/lending/product/add/").content.decode()
    found = re.search(r"<input[^>]*name=\"penalty_uplift\"[^>]*>", page)
    assert found is not None
    assert 'value="50"' in found.group(0), found.group(0)  # the model default 0.500000
