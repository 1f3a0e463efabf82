"""Issue 11 item 16: the application form lists what the data review will require, present or missing, and the
guarantor is chosen with a search picker (names and masked IDs in scope), not typed as an internal number."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from creditdesk.assessment.models import LoanApplication
from creditdesk.assessment.services import application_create
from creditdesk.assessment.tests.factories import car_loan, make_individual
from creditdesk.customers.models import CustomerDocument

pytestmark = pytest.mark.django_db


def _items(html: str) -> dict[str, str]:
    """Each prerequisite's text → its mark (已具备 / 缺失 / 建议)."""
    rows = re.findall(r'data-testid="prerequisite"[^>]*>\s*<span class="mark">(.*?)</span>\s*(.*?)</li>', html, re.S)
    return {re.sub(r"\s+", " ", text).strip(): mark for mark, text in rows}


def test_the_form_lists_what_is_present_for_a_complete_customer(login, persona, applicant, car):
    html = login(persona("alice")).get(reverse("assessment:new") + f"?customer={applicant.pk}&vehicle={car.pk}")
    items = _items(html.content.decode())
    assert "资料审核将要求的材料" in html.content.decode()
    labels = " ".join(items)
    for label in ("征信授权", "身份证", "收入证明", "银行流水", "车辆估值"):
        assert label in labels, label
    assert set(items.values()) == {"已具备"}, items


def test_the_form_lists_what_is_missing(login, persona, business_on):
    alice = persona("alice")
    customer = make_individual(alice, consent=False)
    CustomerDocument.objects.filter(customer=customer, doc_type__in=["income_proof", "bank_statement"]).delete()
    html = login(alice).get(reverse("assessment:new") + f"?customer={customer.pk}").content.decode()
    items = _items(html)
    missing = {text for text, mark in items.items() if mark == "缺失"}
    assert any("征信授权" in text and "未签署" in text for text in missing), items
    assert any("收入证明" in text for text in missing), items
    assert any("车辆" in text for text in missing), items  # the default product is a car loan, no vehicle chosen
    assert any("银行流水" in text for text, mark in items.items() if mark == "建议"), items


def test_a_draft_shows_the_prerequisites_until_it_is_submitted(login, persona, applicant, car):
    alice = persona("alice")
    application = application_create(actor=alice, customer=applicant, **car_loan(vehicle=car))
    html = login(alice).get(reverse("assessment:detail", args=[application.pk])).content.decode()
    assert 'data-testid="prerequisites"' in html


def test_the_guarantor_is_a_search_picker_not_a_number(login, persona, applicant, car):
    alice = persona("alice")
    guarantor = make_individual(alice, name="李四")
    client = login(alice)
    url = reverse("assessment:new") + f"?customer={applicant.pk}"
    html = client.get(url).content.decode()
    assert "data-customer-picker" in html
    assert re.search(r'<input type="hidden" name="guarantor" value=""', html)
    assert "客户编号" not in html
    response = client.post(
        url,
        {
            "product_code": "UC-RETAIL",
            "vehicle": str(car.pk),
            "price_amount": "150000.00",
            "down_payment_amount": "45000.00",
            "term_months": "36",
            "repayment_method": "equal_instalment",
            "purpose": "家庭用车",
            "guarantor": str(guarantor.pk),
            "guarantor_relationship": "朋友",
        },
    )
    assert response.status_code == 302
    application = LoanApplication.objects.get()
    assert application.guarantors.get().guarantor == guarantor
    edit = client.get(reverse("assessment:edit", args=[application.pk])).content.decode()
    assert "李四 · 310104" in edit  # the chosen guarantor by name and masked ID


def test_the_picker_searches_customers_in_scope_with_masked_ids(login, persona, business_on):
    alice = persona("alice")
    mine = make_individual(alice, name="王五")
    client = login(alice)
    html = client.get(reverse("customers:search"), {"q": "王"}).content.decode()
    assert "王五" in html
    assert mine.id_number not in html
    assert re.search(r"王五 · 310104\*+\w{4}", html)
    assert f'data-pick="{mine.pk}"' in html
    assert client.get(reverse("customers:search"), {"q": ""}).content.decode().strip() == ""
    assert "没有" in client.get(reverse("customers:search"), {"q": "不存在的名字"}).content.decode()


def test_the_picker_hides_customers_outside_the_scope(login, persona, business_on):
    from creditdesk.accounts.tests.factories import UserFactory

    alice = persona("alice")
    elsewhere = UserFactory(username="zed", roles=["sales"])
    stranger = make_individual(elsewhere, name="赵七")
    html = login(alice).get(reverse("customers:search"), {"q": "赵七"}).content.decode()
    assert "赵七" not in html
    assert f'data-pick="{stranger.pk}"' not in html


def test_the_picker_needs_a_role(login, outsider):
    assert login(outsider).get(reverse("customers:search"), {"q": "王"}).status_code == 403
