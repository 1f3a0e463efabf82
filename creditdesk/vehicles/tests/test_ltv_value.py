"""The vehicle page says which value counts for the loan-to-value and why (issue 11 item 18, DOMAIN.md §1): the
latest valuation, measured against the lower of transaction price and appraisal; the 54321 estimate is a
reference only, and a wide gap between the two asks for the appraiser's reason."""

import datetime as dt
from decimal import Decimal

import pytest

from creditdesk.vehicles import services
from creditdesk.vehicles.tests.factories import make_vehicle

pytestmark = pytest.mark.django_db


def section(html: str, testid: str) -> str:
    return html.split(f'data-testid="{testid}"', 1)[1].split("</tr>", 1)[0]


def test_the_appraisal_counts_and_the_estimate_is_a_reference(login, alice, zhang, business_on):
    car = make_vehicle(zhang, first_registered_on=dt.date(2022, 3, 15), original_price_amount=Decimal("200000.00"))
    services.valuation_record(
        actor=alice,
        vehicle=car,
        valued_on=business_on,
        method="appraiser",
        value_amount=Decimal("150000.00"),
        appraiser="上海某评估公司",
        notes="车况良好",
    )
    html = login(alice).get(f"/vehicles/{car.pk}/").content.decode()
    counts = section(html, "ltv-value")
    assert "150,000.00 元" in counts
    assert "孰低" in counts  # measured on the lower of transaction price and this value
    estimate = section(html, "estimate")
    assert "仅供参考" in html
    assert "不用于计算贷款价值比" in estimate
    assert 'data-testid="estimate-gap"' in estimate  # 150 000 against an estimate far below: say why


def test_without_a_valuation_the_price_is_the_measure(login, alice, zhang, business_on):
    car = make_vehicle(zhang)
    html = login(alice).get(f"/vehicles/{car.pk}/").content.decode()
    assert "尚无评估" in section(html, "ltv-value")
    assert 'data-testid="estimate-gap"' not in html
