"""The checklist, the admission rules and the rating signals read as labels with units, never `key=value` codes
(issue 11 item 11): amounts in 元, ratios in %, yes/no, product names; the timeline names staff, one date."""

from __future__ import annotations

import re

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from creditdesk.assessment import services
from creditdesk.assessment.tests.factories import car_loan
from creditdesk.assessment.tests.test_services import VERIFIED, _FixedBureau

CODE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b|\bTrue\b|\bFalse\b|\btrue\b|\bfalse\b|=")


def render(item: dict) -> str:
    with translation.override("zh-hans"):
        return Template("{% load assessment %}{% figures item %}").render(Context({"item": item}))


def test_the_checklist_figures_are_labelled():
    vehicle = render(
        {
            "code": "vehicle.documents",
            "compared": {"registration_certificate": "True", "invoice": "True", "insurance": "False"},
        }
    )
    assert vehicle == "机动车登记证书 是 · 购车发票 是 · 保险 否"
    identity = render(
        {
            "code": "identity.id_number",
            "compared": {"id_number": "1101**********1234", "derived_birth_on": "1990-01-01"},
        }
    )
    assert identity == "身份证号码 1101**********1234 · 证号所载出生日期 1990-01-01"
    missing = render({"code": "customer.fields", "compared": {"missing": "monthly_income_amount,housing"}})
    assert not CODE.search(missing), missing


def test_a_rule_shows_its_figures_with_units():
    dti = render(
        {
            "code": "ADM-2.debt_to_income",
            "compared": {
                "debt_to_income": "0.5210",
                "monthly_income_amount": "12000.00",
                "monthly_debt_service_amount": "2000.00",
                "new_instalment_amount": "4252.00",
                "max": "0.5000",
            },
        }
    )
    assert dti == (
        "负债收入比 52.10 % · 月收入 12,000.00 元 · 每月还款额 2,000.00 元 · 新增月供 4,252.00 元 · 上限 50.00 %"
    )
    term = render({"code": "ADM-6.term", "compared": {"term_months": "36", "max": "36"}})
    assert term == "期限 36 个月 · 上限 36 个月"


def test_a_rating_signal_names_the_rule_and_the_reason():
    failed = {"rule": "ADM-2.debt_to_income", "reason": "above_maximum"}
    signal = render({"code": "admission_failed", "compared": failed})
    assert "ADM-2.debt_to_income" not in signal
    assert "above_maximum" not in signal
    assert signal == "规则 负债收入比（现有月还款 + 新增月供）÷ 月收入 · 结果 超过上限"
    assert not CODE.search(signal), signal


def test_an_unknown_figure_is_labelled_not_dumped():
    assert render({"code": "x", "compared": {"some_new_key": "7"}}) == "其他数据 7"
    assert render({"code": "x", "compared": {}}) == "—"


@pytest.mark.django_db
def test_the_pages_show_labels_and_the_timeline_names_staff_once_dated(
    login, persona, applicant, car, monkeypatch
) -> None:
    monkeypatch.setattr("creditdesk.assessment.bureau.get_adapter", lambda name: _FixedBureau())
    alice = persona("alice")
    alice.full_name = "张伟"
    alice.save()
    application = services.application_create(actor=alice, customer=applicant, vehicle=car, **car_loan())
    login(alice).post(reverse("assessment:submit", args=[application.pk]), {"comment": ""})
    risk = login(persona("carol"))
    risk.post(reverse("assessment:review", args=[application.pk]))
    risk.post(
        reverse("assessment:assess", args=[application.pk]),
        {"identity_verified": "on", "income_verified": "on", "verification_notes": VERIFIED["verification_notes"]},
    )
    detail = risk.get(reverse("assessment:detail", args=[application.pk])).content.decode()
    checklist = detail.split('data-testid="checklist"', 1)[1].split("</table>", 1)[0]
    assert "=" not in re.sub(r"<[^>]+>", "", checklist)
    assert "True" not in checklist
    assert "registration_certificate" not in checklist
    assert "UC-RETAIL" not in re.sub(r"<[^>]+>", "", detail)  # the product by its name
    timeline = detail.split('data-testid="timeline"', 1)[1].split("</ul>", 1)[0]
    assert "张伟" in timeline
    assert ">alice<" not in timeline
    assert " alice" not in timeline
    first = re.search(r'<span class="muted">([^<]*)</span>', timeline).group(1)
    assert len(re.findall(r"\d{4}-\d{2}-\d{2}", first)) == 1  # the business date once, with the time
    decision = risk.get(reverse("assessment:decision", args=[application.pk])).content.decode()
    rules = decision.split('data-testid="rules"', 1)[1].split("</table>", 1)[0]
    text = re.sub(r"<[^>]+>", " ", rules)
    assert "ADM-" not in text
    assert "=" not in text
    assert "true" not in text
    measures = decision.split("Measures for the service plan", 1)[-1]
    assert not re.search(r">\s*(true|false|intensive|close|normal)\s*<", measures)
    listing = login(alice).get(reverse("assessment:list")).content.decode()
    assert "<td>UC-RETAIL</td>" not in listing
