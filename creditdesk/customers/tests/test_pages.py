"""Customer pages: masked list with exact look-up, forms with inline errors, detail tabs, unmask (INFO-1, PRIN-3)."""

import random

import pytest

from creditdesk.accounts.models import AccessLogEntry
from creditdesk.customers.models import Customer
from creditdesk.customers.services import customer_create
from creditdesk.customers.synthetic import credit_code, mobile, resident_id

pytestmark = pytest.mark.django_db
RNG = random.Random(11)
IDN = "11010519491231002X"


@pytest.fixture
def zhang(persona, business_on):
    return customer_create(
        actor=persona("alice"),
        kind="individual",
        name="张三",
        id_number=IDN,
        mobile="13812345678",
        address="上海市徐汇区漕溪北路 88 号",
    )


def test_the_list_masks_identifiers_and_finds_by_exact_id(login, persona, zhang, django_assert_max_num_queries):
    client = login(persona("alice"))
    for _ in range(10):
        customer_create(
            actor=persona("alice"), kind="individual", name="客户", id_number=resident_id(RNG), mobile=mobile(RNG)
        )
    with django_assert_max_num_queries(14):
        html = client.get("/customers/").content.decode()
    assert "110105********002X" in html
    assert IDN not in html
    assert "13812345678" not in html
    found = client.get(f"/customers/?q={IDN}").content.decode()
    assert "张三" in found
    assert found.count('<td><a href="/customers/') == 1


def test_an_individual_is_registered_through_the_form(login, persona, business_on):
    client = login(persona("alice"))
    response = client.post(
        "/customers/new/?kind=individual",
        {
            "kind": "individual",
            "name": "李四",
            "id_number": "110105194912310021",
            "mobile": "13812345678",
            "channel": "own_sales",
        },
    )
    assert response.status_code == 422
    assert 'class="field has-error"' in response.content.decode()
    assert not Customer.objects.exists()
    response = client.post(
        "/customers/new/?kind=individual",
        {
            "kind": "individual",
            "name": "李四",
            "id_number": IDN,
            "mobile": "13812345678",
            "channel": "own_sales",
            "monthly_income_amount": "12000.00",
        },
    )
    customer = Customer.objects.get()
    assert response["Location"] == f"/customers/{customer.pk}/"
    assert customer.gender == "F"


def test_a_duplicate_points_to_the_existing_customer(login, persona, zhang):
    client = login(persona("alice"))
    response = client.post(
        "/customers/new/",
        {"kind": "individual", "name": "张三", "id_number": IDN, "mobile": "13900000000", "channel": "own_sales"},
    )
    assert response.status_code == 422
    assert f'href="/customers/{zhang.pk}/"' in response.content.decode()


def test_a_company_is_registered_and_edited(login, persona, business_on):
    client = login(persona("bob"))
    code = credit_code(RNG)
    client.post(
        "/customers/new/",
        {
            "kind": "company",
            "name": "华信商贸有限公司",
            "credit_code": code,
            "channel": "partner",
            "registered_capital_amount": "1000000.00",
            "employees": "25",
        },
    )
    company = Customer.objects.get(kind="company")
    html = client.get(f"/customers/{company.pk}/").content.decode()
    assert "1,000,000.00 元" in html
    assert code not in html
    response = client.post(
        f"/customers/{company.pk}/edit/",
        {"name": "华信商贸集团有限公司", "credit_code": code, "channel": "partner", "employees": "-3"},
    )
    assert response.status_code == 422
    client.post(
        f"/customers/{company.pk}/edit/",
        {"name": "华信商贸集团有限公司", "credit_code": code, "channel": "partner", "employees": "30"},
    )
    company.refresh_from_db()
    assert (company.name, company.employees) == ("华信商贸集团有限公司", 30)


def test_unmask_on_the_detail_page_is_logged(login, persona, zhang):
    client = login(persona("alice"))
    response = client.post(
        f"/customers/{zhang.pk}/unmask/", {"field": "id_number", "purpose": "核对身份证原件"}, HTTP_HX_REQUEST="true"
    )
    assert IDN in response.content.decode()
    assert AccessLogEntry.objects.filter(subject_id=str(zhang.pk), field="id_number").exists()
    response = client.post(f"/customers/{zhang.pk}/unmask/", {"field": "mobile", "purpose": ""})
    assert response.status_code == 422
    assert "13812345678" not in response.content.decode()


def test_auditors_see_masked_values_without_an_unmask_button(login, persona, zhang):
    html = login(persona("judy")).get(f"/customers/{zhang.pk}/").content.decode()
    assert "110105********002X" in html
    assert f'action="/customers/{zhang.pk}/unmask/"' not in html


def test_consents_and_timeline_tabs(login, persona, zhang):
    client = login(persona("alice"))
    assert 'data-testid="authorization"' in client.get(f"/customers/{zhang.pk}/").content.decode()
    bad = client.post(
        f"/customers/{zhang.pk}/consents/new/",
        {
            "signed_on": "2030-01-01",
            "expires_on": "2031-01-01",
            "scope": "credit_report",
            "purpose": "贷款审批",
            "document_reference": "SQ-9",
        },
    )
    assert bad.status_code == 422
    client.post(
        f"/customers/{zhang.pk}/consents/new/",
        {
            "signed_on": "2027-03-01",
            "expires_on": "2028-03-01",
            "scope": "credit_report",
            "purpose": "贷款审批",
            "document_reference": "SQ-9",
        },
    )
    assert zhang.authorizations.count() == 1
    timeline = client.get(f"/customers/{zhang.pk}/?tab=timeline").content.decode()
    assert "已登记征信查询授权" in timeline  # the event by its label (issue 11 item 11), never its code
    assert "customer.authorization_recorded" not in timeline
    assert "客户已建档" in timeline


def test_customers_outside_scope_answer_404(login, persona, zhang):
    from creditdesk.accounts.tests.factories import UserFactory

    other = UserFactory(username="zhao", roles=["sales"])
    client = login(other)
    assert client.get(f"/customers/{zhang.pk}/").status_code == 404
    assert client.get(f"/customers/{zhang.pk}/edit/").status_code == 404
    assert client.post(f"/customers/{zhang.pk}/unmask/", {"field": "mobile", "purpose": "看看号码"}).status_code == 404
    assert login(persona("outsider")).get("/customers/").status_code == 403


def test_the_disclosure_of_customers_respects_scope(persona, zhang):
    from creditdesk.accounts.disclosure import disclosure_request
    from creditdesk.accounts.tests.factories import UserFactory
    from creditdesk.core.errors import ValidationFailed

    other = UserFactory(username="zhao", roles=["sales"])
    with pytest.raises(ValidationFailed) as err:
        disclosure_request(
            requester=other,
            dataset="customers",
            record_ids=[zhang.pk],
            fields=["id_number"],
            recipient="某律所",
            purpose="诉讼需要",
            legal_basis="contract",
        )
    assert "record_ids" in err.value.fields
    request = disclosure_request(
        requester=persona("alice"),
        dataset="customers",
        record_ids=[zhang.pk],
        fields=["name", "id_number"],
        recipient="某律所",
        purpose="诉讼需要",
        legal_basis="consent",
        consent_reference="SQ-1",
    )
    assert request.record_ids == [zhang.pk]


def test_the_edit_form_never_carries_identifiers_in_clear(login, persona, zhang):
    """Issue 10 item 2: GET /customers/{id}/edit/ pre-filled the full ID number, mobile and address."""
    client = login(persona("alice"))
    html = client.get(f"/customers/{zhang.pk}/edit/").content.decode()
    for value in (IDN, "13812345678", "漕溪北路"):
        assert value not in html
    assert "138****5678" in html
    assert not AccessLogEntry.objects.exists()


def test_an_edit_keeps_identifiers_left_empty_and_replaces_typed_ones(login, persona, zhang):
    client = login(persona("alice"))
    response = client.post(
        f"/customers/{zhang.pk}/edit/", {"name": "张三", "channel": "own_sales", "occupation": "工程师"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    zhang.refresh_from_db()
    assert (zhang.id_number, zhang.mobile, zhang.occupation) == (IDN, "13812345678", "工程师")
    assert zhang.address == "上海市徐汇区漕溪北路 88 号"
    client.post(f"/customers/{zhang.pk}/edit/", {"name": "张三", "channel": "own_sales", "mobile": "13900001111"})
    zhang.refresh_from_db()
    assert (zhang.id_number, zhang.mobile) == (IDN, "13900001111")
