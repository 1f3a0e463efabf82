"""The customers API: masked answers, exact look-up through the blind index, duplicates, scope (INFO-1, ACQ-2)."""

import random

import pytest

from creditdesk.accounts.models import AccessLogEntry
from creditdesk.customers.models import Customer
from creditdesk.customers.synthetic import credit_code, mobile, resident_id

pytestmark = pytest.mark.django_db
RNG = random.Random(7)
IDN = "11010519491231002X"


@pytest.fixture
def as_alice(client, api_token, persona, business_on):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {api_token(persona('alice'))}"}

    def call(method, path, body=None):
        return client.generic(
            method,
            path,
            data=__import__("json").dumps(body) if body is not None else "",
            content_type="application/json",
            **headers,
        )

    return call


def test_an_individual_is_created_masked_and_found_by_exact_id(as_alice):
    response = as_alice(
        "POST", "/api/v1/customers", {"kind": "individual", "name": "张三", "id_number": IDN, "mobile": "13812345678"}
    )
    assert response.status_code == 201
    body = response.json()
    assert IDN not in response.content.decode()
    assert "13812345678" not in response.content.decode()
    assert body["id_number"] == "110105********002X"
    assert (body["gender"], body["birth_on"]) == ("F", "1949-12-31")
    found = as_alice("GET", f"/api/v1/customers?id_number={IDN.lower()}").json()
    assert [c["id"] for c in found["items"]] == [body["id"]]
    assert as_alice("GET", "/api/v1/customers?mobile=138 1234 5678").json()["count"] == 1
    assert as_alice("GET", "/api/v1/customers?q=13812345678").json()["count"] == 1
    assert as_alice("GET", "/api/v1/customers?id_number=110105194912310021").json()["count"] == 0


def test_a_duplicate_id_number_answers_409_with_the_existing_id(as_alice):
    first = as_alice(
        "POST", "/api/v1/customers", {"kind": "individual", "name": "张三", "id_number": IDN, "mobile": "13812345678"}
    ).json()
    again = as_alice(
        "POST",
        "/api/v1/customers",
        {"kind": "individual", "name": "张三", "id_number": IDN.lower(), "mobile": "13900000000"},
    )
    assert again.status_code == 409
    assert again.json()["details"]["existing_id"] == first["id"]
    assert Customer.objects.count() == 1


@pytest.mark.parametrize(
    "bad", ["11010519491231002Y", "1101051949123100", "110105194913310028", "110105209912310023", "ABCDEFGHIJKLMNOPQR"]
)
def test_bad_id_numbers_are_refused_with_a_field_error(as_alice, bad):
    response = as_alice(
        "POST", "/api/v1/customers", {"kind": "individual", "name": "坏号", "id_number": bad, "mobile": "13812345678"}
    )
    assert response.status_code == 422
    assert "id_number" in response.json()["fields"]
    assert not Customer.objects.exists()


def test_gender_or_birth_date_contradicting_the_id_is_refused(as_alice):
    response = as_alice(
        "POST",
        "/api/v1/customers",
        {"kind": "individual", "name": "张三", "id_number": IDN, "mobile": "13812345678", "gender": "M"},
    )
    assert response.status_code == 422
    assert "gender" in response.json()["fields"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"mobile": "12345"}, "mobile"),
        ({"mobile": ""}, "mobile"),
        ({"monthly_income_amount": "-1.00"}, "monthly_income_amount"),
        ({"credit_code": "91350100M000100Y43"}, "credit_code"),
    ],
)
def test_other_bad_individual_input_names_the_field(as_alice, body, field):
    payload = {"kind": "individual", "name": "李四", "id_number": resident_id(RNG), "mobile": mobile(RNG), **body}
    response = as_alice("POST", "/api/v1/customers", payload)
    assert response.status_code == 422, response.content
    assert field in response.json()["fields"]


def test_a_company_needs_a_valid_credit_code_and_is_unique(as_alice):
    code = credit_code(RNG)
    created = as_alice(
        "POST",
        "/api/v1/customers",
        {
            "kind": "company",
            "name": "华信贸易有限公司",
            "credit_code": code,
            "registered_capital_amount": "5000000.00",
            "employees": 40,
        },
    )
    assert created.status_code == 201
    assert created.json()["credit_code"].endswith(code[-2:])
    assert code not in created.content.decode()
    bad = code[:17] + ("0" if code[17] != "0" else "1")
    assert (
        "credit_code"
        in as_alice("POST", "/api/v1/customers", {"kind": "company", "name": "x", "credit_code": bad}).json()["fields"]
    )
    assert (
        as_alice("POST", "/api/v1/customers", {"kind": "company", "name": "y", "credit_code": code}).status_code == 409
    )
    neg = as_alice(
        "POST",
        "/api/v1/customers",
        {"kind": "company", "name": "z", "credit_code": credit_code(RNG), "registered_capital_amount": "-5.00"},
    )
    assert "registered_capital_amount" in neg.json()["fields"]
    future = as_alice(
        "POST",
        "/api/v1/customers",
        {"kind": "company", "name": "z", "credit_code": credit_code(RNG), "established_on": "2030-01-01"},
    )
    assert "established_on" in future.json()["fields"]


def test_other_salespeople_and_outsiders_cannot_see_the_customer(as_alice, client, api_token, persona):
    created = as_alice(
        "POST", "/api/v1/customers", {"kind": "individual", "name": "张三", "id_number": IDN, "mobile": "13812345678"}
    ).json()
    from creditdesk.accounts.tests.factories import UserFactory

    other = UserFactory(username="zhao", roles=["sales"])
    headers = {"HTTP_AUTHORIZATION": f"Bearer {api_token(other)}"}
    assert client.get(f"/api/v1/customers/{created['id']}", **headers).status_code == 404
    assert client.get("/api/v1/customers", **headers).json()["count"] == 0
    patch = client.patch(
        f"/api/v1/customers/{created['id']}", {"name": "改名"}, content_type="application/json", **headers
    )
    assert patch.status_code == 404
    outsider = {"HTTP_AUTHORIZATION": f"Bearer {api_token(persona('outsider'))}"}
    assert client.get("/api/v1/customers", **outsider).status_code == 403
    risk = {"HTTP_AUTHORIZATION": f"Bearer {api_token(persona('carol'))}"}
    assert client.get(f"/api/v1/customers/{created['id']}", **risk).status_code == 200


def test_unmask_returns_the_value_and_logs_it(as_alice):
    created = as_alice(
        "POST", "/api/v1/customers", {"kind": "individual", "name": "张三", "id_number": IDN, "mobile": "13812345678"}
    ).json()
    response = as_alice(
        "POST", f"/api/v1/customers/{created['id']}/unmask", {"field": "id_number", "purpose": "核对身份证原件"}
    )
    assert response.json() == {"field": "id_number", "value": IDN}
    assert AccessLogEntry.objects.filter(field="id_number", purpose="核对身份证原件").count() == 1
    refused = as_alice("POST", f"/api/v1/customers/{created['id']}/unmask", {"field": "name", "purpose": "看看名字"})
    assert refused.status_code == 422


def test_consents_are_recorded_and_reported(as_alice):
    created = as_alice(
        "POST", "/api/v1/customers", {"kind": "individual", "name": "张三", "id_number": IDN, "mobile": "13812345678"}
    ).json()
    assert as_alice("GET", f"/api/v1/customers/{created['id']}").json()["authorization_in_force"] is False
    bad = as_alice(
        "POST",
        f"/api/v1/customers/{created['id']}/consents",
        {"signed_on": "2027-03-01", "expires_on": "2027-02-01", "purpose": "贷款审批", "document_reference": "SQ-1"},
    )
    assert "expires_on" in bad.json()["fields"]
    ok = as_alice(
        "POST",
        f"/api/v1/customers/{created['id']}/consents",
        {"signed_on": "2027-03-01", "expires_on": "2028-03-01", "purpose": "贷款审批", "document_reference": "SQ-1"},
    )
    assert ok.status_code == 201
    assert as_alice("GET", f"/api/v1/customers/{created['id']}").json()["authorization_in_force"] is True


def test_the_list_query_count_does_not_grow_with_the_page(as_alice, persona, django_assert_max_num_queries):
    alice = persona("alice")
    from creditdesk.customers.services import customer_create

    for _ in range(30):
        customer_create(actor=alice, kind="individual", name="客户", id_number=resident_id(RNG), mobile=mobile(RNG))
    with django_assert_max_num_queries(8):
        small = as_alice("GET", "/api/v1/customers?page_size=5")
    with django_assert_max_num_queries(8):
        large = as_alice("GET", "/api/v1/customers?page_size=30")
    assert (len(small.json()["items"]), len(large.json()["items"])) == (5, 30)
