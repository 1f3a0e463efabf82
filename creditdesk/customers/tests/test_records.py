"""Documents, statements, events, timeline, refresh queue, grading (INFO-2…8, CLASS-2…4)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from creditdesk.core.errors import Conflict, PermissionDenied, ValidationFailed
from creditdesk.core.filecrypt import decrypt_chunks
from creditdesk.customers.models import Customer, CustomerDocument, GradeChange
from creditdesk.customers.selectors import refresh_due, statements_with_ratios, timeline
from creditdesk.customers.services import (
    customer_create,
    document_upload,
    grade_set,
    grades_recompute,
    major_event_record,
    statement_record,
)

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n% test document\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def company(persona, business_on):
    return customer_create(
        actor=persona("alice"),
        kind="company",
        name="华信商贸有限公司",
        credit_code="91350100M000100Y43",
        industry_division=51,
        employees=60,
    )


@pytest.fixture
def zhang(persona, business_on):
    return customer_create(
        actor=persona("alice"), kind="individual", name="张三", id_number="11010519491231002X", mobile="13812345678"
    )


FIGURES = {
    "current_assets_amount": Decimal("6000000.00"),
    "inventories_amount": Decimal("1000000.00"),
    "total_assets_amount": Decimal("20000000.00"),
    "current_liabilities_amount": Decimal("3000000.00"),
    "total_liabilities_amount": Decimal("8000000.00"),
    "equity_amount": Decimal("12000000.00"),
    "revenue_amount": Decimal("60000000.00"),
    "net_profit_amount": Decimal("1200000.00"),
}


def test_statements_give_ratios_a_trend_and_the_size_class(persona, company):
    alice = persona("alice")
    statement_record(actor=alice, customer=company, period="2025", period_end_on=dt.date(2025, 12, 31), **FIGURES)
    statement_record(
        actor=alice,
        customer=company,
        period="2026",
        period_end_on=dt.date(2026, 12, 31),
        **{**FIGURES, "revenue_amount": Decimal("66000000.00")},
    )
    rows = statements_with_ratios(customer=company)
    assert [s.period for s, _r in rows] == ["2025", "2026"]
    latest = rows[-1][1]
    assert (latest.current_ratio, latest.quick_ratio, latest.debt_to_asset) == (
        Decimal("2.0000"),
        Decimal("1.6667"),
        Decimal("0.4000"),
    )
    assert latest.revenue_growth == Decimal("0.1000")
    company.refresh_from_db()
    assert company.size_class == "medium"  # wholesale: 60 staff, revenue 6,600 万元 → medium (DOMAIN.md §8)


def test_bad_statements_are_refused(persona, company, zhang):
    alice = persona("alice")
    statement_record(actor=alice, customer=company, period="2025", period_end_on=dt.date(2025, 12, 31), **FIGURES)
    with pytest.raises(Conflict):
        statement_record(actor=alice, customer=company, period="2025", period_end_on=dt.date(2025, 12, 31), **FIGURES)
    with pytest.raises(ValidationFailed) as err:
        statement_record(
            actor=alice,
            customer=company,
            period="2024",
            period_end_on=dt.date(2024, 12, 31),
            **{**FIGURES, "total_assets_amount": Decimal("-1.00")},
        )
    assert "total_assets_amount" in err.value.fields
    with pytest.raises(ValidationFailed):
        statement_record(actor=alice, customer=company, period="2030", period_end_on=dt.date(2030, 12, 31), **FIGURES)
    with pytest.raises(ValidationFailed):
        statement_record(actor=alice, customer=zhang, period="2025", period_end_on=dt.date(2025, 12, 31), **FIGURES)


def test_documents_are_checked_by_content_and_size(persona, zhang, settings, tmp_path):
    alice = persona("alice")
    doc = document_upload(
        actor=alice,
        customer=zhang,
        doc_type="id_card",
        upload=SimpleUploadedFile("身份证.pdf", PDF, content_type="application/pdf"),
    )
    assert doc.original_name == "身份证.pdf"
    # Stored encrypted (issue #10 item 8); the data key gives back the exact bytes.
    assert (tmp_path / doc.file.name).read_bytes() != PDF
    assert b"".join(decrypt_chunks(doc.file_key, (tmp_path / doc.file.name).open("rb"))) == PDF
    for name, content, field in [
        ("virus.pdf", b"MZ\x90\x00 not a pdf", "file"),
        ("payload.exe", b"MZ\x90\x00", "file"),
        ("big.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), "file"),
    ]:
        with pytest.raises(ValidationFailed) as err:
            document_upload(actor=alice, customer=zhang, doc_type="id_card", upload=SimpleUploadedFile(name, content))
        assert field in err.value.fields
    assert CustomerDocument.objects.count() == 1
    assert len(list(tmp_path.rglob("*.*"))) == 1


def test_documents_are_served_only_within_scope(login, persona, zhang):
    doc = document_upload(
        actor=persona("alice"), customer=zhang, doc_type="income_proof", upload=SimpleUploadedFile("收入证明.pdf", PDF)
    )
    response = login(persona("alice")).post(f"/customers/{zhang.pk}/documents/{doc.pk}/", {"purpose": "核对收入"})
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF
    from creditdesk.accounts.tests.factories import UserFactory

    stranger = UserFactory(username="zhao", roles=["sales"])
    assert login(stranger).post(f"/customers/{zhang.pk}/documents/{doc.pk}/", {"purpose": "x"}).status_code == 404


def test_the_upload_page_reports_errors_inline(login, persona, zhang):
    client = login(persona("alice"))
    response = client.post(
        f"/customers/{zhang.pk}/record/documents/",
        {"doc_type": "id_card", "file": SimpleUploadedFile("a.png", b"not a png")},
    )
    assert response.status_code == 422
    response = client.post(
        f"/customers/{zhang.pk}/record/documents/",
        {"doc_type": "id_card", "file": SimpleUploadedFile("a.png", b"\x89PNG\r\n\x1a\nrest")},
    )
    assert response.status_code == 302
    assert "a.png" in client.get(f"/customers/{zhang.pk}/?tab=documents").content.decode()


def test_major_events_and_the_timeline(persona, zhang):
    major_event_record(
        actor=persona("alice"),
        customer=zhang,
        event_type="litigation",
        occurred_on=dt.date(2027, 3, 1),
        description="被起诉欠款纠纷",
        impact="negative",
    )
    with pytest.raises(ValidationFailed):
        major_event_record(
            actor=persona("alice"),
            customer=zhang,
            event_type="litigation",
            occurred_on=dt.date(2027, 4, 1),
            description="未来事件",
        )
    kinds = {entry.kind for entry in timeline(customer=zhang)}
    assert {"audit", "profile", "event"} <= kinds


def test_the_refresh_queue_lists_stale_customers(persona, zhang, business_on):
    alice = persona("alice")
    assert list(refresh_due(user=alice, on=business_on, months=12)) == []
    Customer.objects.filter(pk=zhang.pk).update(info_verified_on=dt.date(2025, 1, 1))
    assert list(refresh_due(user=alice, on=business_on, months=12)) == [zhang]
    assert list(refresh_due(user=persona("bob"), on=business_on, months=12)) == []  # bob sits in another unit


def test_grades_change_with_reason_and_history(persona, zhang):
    with pytest.raises(PermissionDenied):
        grade_set(actor=persona("alice"), customer=zhang, grade="A", reason="优质客户")
    with pytest.raises(ValidationFailed):
        grade_set(actor=persona("carol"), customer=zhang, grade="A", reason="")
    grade_set(actor=persona("carol"), customer=zhang, grade="A", reason="按时还款三年")
    change = GradeChange.objects.get()
    assert (change.from_grade, change.to_grade, change.actor.username) == ("B", "A", "carol")


def test_regrade_follows_credit_status_and_severe_events_set_based(
    persona, zhang, company, django_assert_max_num_queries
):
    Customer.objects.filter(pk=zhang.pk).update(credit_status="quality")
    Customer.objects.filter(pk=company.pk).update(credit_status="quality")
    major_event_record(
        actor=persona("alice"),
        customer=company,
        event_type="litigation",
        occurred_on=dt.date(2027, 1, 10),
        description="重大诉讼",
        impact="severe",
    )
    with django_assert_max_num_queries(8):
        assert grades_recompute() == 2
    assert dict(Customer.objects.values_list("name", "grade")) == {"张三": "A", "华信商贸有限公司": "C"}
    assert grades_recompute() == 0
    call_command("regrade")
    assert GradeChange.objects.count() == 2


def test_the_records_api(client, api_token, persona, company):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {api_token(persona('alice'))}"}
    body = {k: str(v) for k, v in FIGURES.items()}
    created = client.post(
        f"/api/v1/customers/{company.pk}/financials",
        {**body, "period": "2026", "period_end_on": "2026-12-31"},
        content_type="application/json",
        **headers,
    )
    assert created.status_code == 201
    assert created.json()["ratios"]["current_ratio"] == "2.0000"
    listed = client.get(f"/api/v1/customers/{company.pk}/financials", **headers).json()
    assert listed[0]["period"] == "2026"
    again = client.post(
        f"/api/v1/customers/{company.pk}/financials",
        {**body, "period": "2026", "period_end_on": "2026-12-31"},
        content_type="application/json",
        **headers,
    )
    assert again.status_code == 409
    upload = client.post(
        f"/api/v1/customers/{company.pk}/documents",
        {"doc_type": "audit_report", "period": "2026", "file": SimpleUploadedFile("审计报告.pdf", PDF)},
        **headers,
    )
    assert upload.status_code == 201
    bad = client.post(
        f"/api/v1/customers/{company.pk}/documents",
        {"doc_type": "audit_report", "file": SimpleUploadedFile("x.pdf", b"nope")},
        **headers,
    )
    assert bad.status_code == 422
    assert "file" in bad.json()["fields"]
    for doc_type in ("nope", ""):  # issue 10 items 7, 9: the document type is a documented enum, refused on its field
        unknown = client.post(
            f"/api/v1/customers/{company.pk}/documents",
            {"doc_type": doc_type, "file": SimpleUploadedFile("x.pdf", PDF)},
            **headers,
        )
        assert unknown.status_code == 422
        assert "doc_type" in unknown.json()["fields"]
    event = client.post(
        f"/api/v1/customers/{company.pk}/events",
        {
            "event_type": "legal_representative_change",
            "occurred_on": "2027-03-01",
            "description": "法定代表人变更为李四",
        },
        content_type="application/json",
        **headers,
    )
    assert event.status_code == 201
    kinds = {e["kind"] for e in client.get(f"/api/v1/customers/{company.pk}/timeline", **headers).json()}
    assert {"event", "document", "audit"} <= kinds
    risk = {"HTTP_AUTHORIZATION": f"Bearer {api_token(persona('carol'))}"}
    graded = client.post(
        f"/api/v1/customers/{company.pk}/grade",
        {"grade": "A", "reason": "财务稳健"},
        content_type="application/json",
        **risk,
    )
    assert graded.json()["grade"] == "A"
    assert (
        client.post(
            f"/api/v1/customers/{company.pk}/grade",
            {"grade": "A", "reason": "x"},
            content_type="application/json",
            **headers,
        ).status_code
        == 403
    )


def test_the_credit_status_class_changes_with_a_reason_and_drives_regrading(persona, zhang):
    """CLASS-3: quality / general / watch / non-performing, set by risk with a reason; regrade follows it."""
    carol = persona("carol")
    grade_set(actor=carol, customer=zhang, grade="B", credit_status="watch", reason="连续两期逾期")
    zhang.refresh_from_db()
    assert (zhang.credit_status, zhang.grade) == ("watch", "B")
    assert grades_recompute() == 1
    zhang.refresh_from_db()
    assert zhang.grade == "C"
    with pytest.raises(ValidationFailed):
        grade_set(actor=carol, customer=zhang, grade="C", credit_status="excellent", reason="x")


def test_the_size_class_follows_changes_of_employees(persona, company):
    alice = persona("alice")
    statement_record(actor=alice, customer=company, period="2026", period_end_on=dt.date(2026, 12, 31), **FIGURES)
    from creditdesk.customers.services import customer_update

    company.refresh_from_db()
    assert company.size_class == "medium"  # wholesale, 60 staff, revenue 6 000 万元
    customer_update(actor=alice, customer=company, employees=10)
    company.refresh_from_db()
    assert company.size_class == "small"  # medium needs ≥ 20 staff (DOMAIN.md §8)
