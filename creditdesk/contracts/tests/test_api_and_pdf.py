"""The contracts API, the PDF read back with pdftotext, and the pages (CON-1…CON-4)."""

import shutil
import subprocess

from creditdesk.contracts import services
from creditdesk.contracts.choices import KeyTerm
from creditdesk.contracts.reviews import contract_decide
from creditdesk.core.templatetags.money import percent

PDFTOTEXT = shutil.which("pdftotext") or "/usr/bin/pdftotext"


def test_the_api_takes_a_contract_from_plan_to_signature(client, approved, alice, bob, carol, erin, persona, headers):
    plan = approved()
    as_alice = headers(alice)
    created = client.post(f"/api/v1/plans/{plan.pk}/contract", {}, content_type="application/json", **as_alice)
    assert created.status_code == 201, created.content
    contract_id = created.json()["id"]
    again = client.post(f"/api/v1/plans/{plan.pk}/contract", {}, content_type="application/json", **as_alice)
    assert (again.status_code, again.json()["code"]) == (409, "contract_exists")

    url = f"/api/v1/contracts/{contract_id}"
    assert client.post(f"{url}/submit", {}, content_type="application/json", **as_alice).status_code == 200
    bad = client.post(
        f"{url}/decisions", {"outcome": "maybe", "opinion": ""}, content_type="application/json", **headers(bob)
    )
    assert (bad.status_code, "outcome" in bad.json()["fields"]) == (422, True)
    for who, opinion in ((bob, "同意"), (carol, "风险条款完整"), (erin, "文本合规")):
        response = client.post(
            f"{url}/decisions",
            {"outcome": "approve", "opinion": opinion},
            content_type="application/json",
            **headers(who),
        )
        assert response.status_code == 201, response.content
    early = client.post(f"{url}/sign", {}, content_type="application/json", **as_alice)
    assert (early.status_code, early.json()["code"]) == (409, "key_terms_incomplete")
    ticked = client.post(
        f"{url}/key-terms", {"items": list(KeyTerm.values)}, content_type="application/json", **as_alice
    )
    assert ticked.status_code == 200
    assert len(ticked.json()) == 7
    signed = client.post(f"{url}/sign", {}, content_type="application/json", **as_alice)
    assert (signed.status_code, signed.json()["status"]) == (200, "signed")

    listed = client.get("/api/v1/contracts?status=signed", **headers(persona("judy")))
    assert [row["id"] for row in listed.json()["items"]] == [contract_id]
    assert client.get(url, **headers(persona("outsider"))).status_code == 403


def test_the_pdf_is_chinese_and_prints_the_apr(client, approved, alice, headers, tmp_path):
    """CON-1: WeasyPrint with the Noto CJK font; the APR printed beside the contract rate."""
    contract = services.contract_generate(actor=alice, plan=approved())
    response = client.get(f"/api/v1/contracts/{contract.pk}/pdf", **headers(alice))
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / "contract.pdf"
    path.write_bytes(response.content)
    text = subprocess.run([PDFTOTEXT, str(path), "-"], capture_output=True, check=True, text=True).stdout
    assert "借款合同" in text
    assert "年化利率" in text
    assert "合同年利率" in text
    assert percent(contract.apr_nominal_rate) in text
    assert contract.number in text


def test_the_pages_show_the_contract_and_the_review_queue(login, approved, alice, bob, erin, carol):
    plan = approved()
    assert "generate-contract" in login(alice).get(f"/lending/plans/{plan.pk}/").content.decode()
    contract = services.contract_generate(actor=alice, plan=plan)
    services.contract_submit(actor=alice, contract=contract)
    contract_decide(actor=bob, contract=contract, outcome="approve", opinion="同意")
    contract_decide(actor=carol, contract=contract, outcome="approve", opinion="同意")
    legal = login(erin)
    page = legal.get(f"/contracts/{contract.pk}/").content.decode()
    assert 'data-testid="apr"' in page
    assert 'data-testid="review-form"' in page
    assert "/contracts/?status=legal_review" in legal.get("/").content.decode()
    assert contract.number in legal.get("/contracts/?status=legal_review").content.decode()


def test_a_mortgage_registration_without_a_number_is_a_field_error(client, approved, alice, headers):
    """An empty multipart value is "missing" to the schema: the service names the field instead (schemathesis)."""
    plan = approved()
    created = client.post(f"/api/v1/plans/{plan.pk}/contract", {}, content_type="application/json", **headers(alice))
    url = f"/api/v1/contracts/{created.json()['id']}/mortgage/registration"
    for number in ("", "   ", "A\u200bB", "X" * 65):
        response = client.post(url, {"registration_number": number, "registered_on": "2000-01-01"}, **headers(alice))
        assert response.status_code == 422, response.content
        assert "registration_number" in response.json()["fields"]
        assert "evidence" in response.json()["fields"]
    for day in ("null", "2027-02-30", "20270101"):
        response = client.post(url, {"registration_number": "沪A登记1", "registered_on": day}, **headers(alice))
        assert response.status_code == 422, response.content
        assert list(response.json()["fields"]) == ["registered_on"]
