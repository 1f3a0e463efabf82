"""The application scorecard (A 卡) that decides, issue #11 item 10 (ASSESS-1): our own facts in Chinese units on the
decision page, no training-data bins, the probability in %, versions by name and date, the demo book's rating
shares kept, and versions in the admin with their bands checked."""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
import re
from collections import Counter
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from creditdesk.accounts.tests.factories import UserFactory
from creditdesk.assessment import expert_defaults, selectors, services
from creditdesk.assessment.models import Assessment, ScorecardVersion
from creditdesk.assessment.tests.factories import car_loan, make_car, make_individual
from creditdesk.assessment.tests.test_services import VERIFIED

# The automated levels of the 18 assessed demo applications before the expert scorecard (German WOE v1):
# high 14, medium 3, low 1. The expert scorecard must keep each share within 10 percentage points.
DEMO_LEVELS_BEFORE = {"high": 14, "medium": 3, "low": 1}


def _assessed(persona, applicant, car, **overrides) -> Assessment:
    application = services.application_create(
        actor=persona("alice"), customer=applicant, vehicle=car, **car_loan(**overrides)
    )
    services.application_submit(actor=persona("alice"), application=application)
    services.review_start(actor=persona("carol"), application=application)
    return services.assessment_run(actor=persona("carol"), application=application, **VERIFIED)


def test_the_scorecard_reads_a_100_000_yuan_loan_in_yuan_and_percent(persona, applicant, car) -> None:
    # 150 000 price, 50 000 down: a 100 000 元 loan on a car appraised at 150 000.
    assessment = _assessed(persona, applicant, car, down_payment_amount=Decimal("50000.00"))
    assert assessment.scorecard["kind"] == "expert"
    assert assessment.scorecard_version == expert_defaults.NAME
    by_code = {c["code"]: c for c in assessment.scorecard["contributions"]}
    assert by_code["loan_to_value"]["value"] == "66.67"  # 100 000 / 150 000
    assert by_code["down_payment_ratio"]["value"] == "33.33"
    assert by_code["monthly_income"]["value"] == "30000"
    assert by_code["term"]["value"] == "36"
    assert by_code["housing"]["value"] == "owned"
    assert set(by_code) == {c["code"] for c in expert_defaults.CHARACTERISTICS}
    assert assessment.internal_score == assessment.scorecard["base_points"] + sum(c["points"] for c in by_code.values())
    assert assessment.probability_of_default is None  # an expert scorecard has no measured PD


def test_the_decision_page_shows_our_facts_in_chinese_and_no_training_bins(login, persona, applicant, car) -> None:
    assessment = _assessed(persona, applicant, car, down_payment_amount=Decimal("50000.00"))
    page = login(persona("carol")).get(reverse("assessment:decision", args=[assessment.application_id]))
    text = page.content.decode()
    assert not re.search(r"\bDM\b", text)
    assert "salary assignments" not in text
    assert "built-in" not in text
    assert "贷款价值比" in text
    assert "66.67 %" in text
    assert "30,000 元" in text  # monthly income
    assert "36 个月" in text
    assert "自有住房" in text
    assert "A卡专家评分 V1（2026-01-01 起生效）" in text
    assert "风险评级 V1（2026-01-01 起生效）" in text
    assert "二手车零售准入 V1（2026-01-01 起生效）" in text
    assert text.count('data-testid="contribution-row"') == len(expert_defaults.CHARACTERISTICS)


def test_a_100_000_yuan_loan_falls_in_a_yuan_band_on_the_page(login, persona, applicant, car, business_on) -> None:
    """Not "Loan amount 4000.00" (the German model's Deutschmark scaling): a version that scores the amount reads 元."""
    bands = [
        {"min": None, "max": "50000", "points": 10},
        {"min": "50001", "max": "150000", "points": 6},
        {"min": "150001", "max": None, "points": 0},
    ]
    data = [*copy.deepcopy(expert_defaults.CHARACTERISTICS), {"code": "loan_amount", "bands": bands}]
    ScorecardVersion.objects.create(
        name="A卡专家评分 V1.2",
        effective_on=business_on,
        base_points=294,
        characteristics=data,
        approval_state="approved",
    )
    assessment = _assessed(persona, applicant, car, down_payment_amount=Decimal("50000.00"))
    loan = next(c for c in assessment.scorecard["contributions"] if c["code"] == "loan_amount")
    assert (loan["value"], loan["band"]["min"], loan["band"]["max"], loan["points"]) == ("100000", "50001", "150000", 6)
    text = login(persona("carol")).get(reverse("assessment:decision", args=[assessment.application_id])).content
    text = text.decode()
    assert "贷款金额" in text
    assert "100,000 元" in text
    assert "50,001–150,000 元" in text
    assert "4000.00" not in text


def test_reasons_on_the_decision_page_are_chinese_sentences(login, persona, business_on) -> None:
    # A clean credit file (sequence 158: score 770, no debt, no overdue), so the loan's own figures are among the
    # reasons shown whatever ran before (the default sequence follows a counter shared by the whole run).
    applicant = make_individual(persona("alice"), sequence="158")
    car = make_car(applicant, persona("alice"))
    assessment = _assessed(persona, applicant, car)  # 105 000 on 150 000: LTV 70 %, 36 months
    text = login(persona("carol")).get(reverse("assessment:decision", args=[assessment.application_id])).content
    text = text.decode()
    assert "贷款价值比 70 %，高于 50 %" in text
    assert "贷款期限 36 个月，高于 12 个月" in text


def test_a_probability_of_default_is_shown_as_a_percentage_with_one_decimal(login, persona, applicant, car) -> None:
    """An assessment that carries a PD (the earlier statistical model) shows 6.5 %, never 0.065110."""
    assessment = _assessed(persona, applicant, car)
    Assessment.objects.filter(pk=assessment.pk).update(
        probability_of_default=Decimal("0.065110"),
        scorecard_version="v1",
        scorecard={"base_points": 512, "contributions": [{"label": "Savings", "value": "500 <= ... < 1000 DM"}]},
    )
    text = login(persona("carol")).get(reverse("assessment:decision", args=[assessment.application_id])).content
    text = text.decode()
    assert "6.5 %" in text
    assert "0.065110" not in text
    assert not re.search(r"\bDM\b", text)


def test_the_version_in_force_on_the_business_date_scores(persona, applicant, car, business_on) -> None:
    data = copy.deepcopy(expert_defaults.CHARACTERISTICS)
    ScorecardVersion.objects.create(
        name="A卡专家评分 V2",
        effective_on=business_on + dt.timedelta(days=1),
        base_points=200,
        characteristics=data,
        approval_state="approved",
    )
    assert selectors.scorecard_on(business_on).name == expert_defaults.NAME
    ScorecardVersion.objects.create(
        name="A卡专家评分 V1.0-草案", effective_on=business_on, base_points=250, characteristics=data
    )  # proposed, not yet approved: not in force (maker-checker)
    assert selectors.scorecard_on(business_on).name == expert_defaults.NAME
    ScorecardVersion.objects.create(
        name="A卡专家评分 V1.1",
        effective_on=business_on,
        base_points=290,
        characteristics=data,
        approval_state="approved",
    )
    assessment = _assessed(persona, applicant, car)
    assert assessment.scorecard_version == "A卡专家评分 V1.1"
    assert assessment.scorecard["base_points"] == 290


def test_the_seeded_default_version_is_the_documented_one(db) -> None:
    row = ScorecardVersion.objects.get(name=expert_defaults.NAME)
    assert row.effective_on == dt.date.fromisoformat(expert_defaults.EFFECTIVE_ON)
    assert (row.base_points, row.characteristics) == (expert_defaults.BASE_POINTS, expert_defaults.CHARACTERISTICS)


def test_overlapping_bands_are_refused_with_a_field_error(db) -> None:
    data = copy.deepcopy(expert_defaults.CHARACTERISTICS)
    data[3]["bands"][1]["min"] = "25"  # debt-to-income 25–40 % overlaps ≤ 30 %
    row = ScorecardVersion(name="重叠", effective_on=dt.date(2027, 4, 1), base_points=300, characteristics=data)
    with pytest.raises(ValidationError) as caught:
        row.full_clean()
    assert list(caught.value.message_dict) == ["characteristics"]
    with pytest.raises(ValidationError):
        row.save()
    assert not ScorecardVersion.objects.filter(name="重叠").exists()


def test_the_admin_shows_an_overlap_next_to_the_field(login, business_on) -> None:
    data = copy.deepcopy(expert_defaults.CHARACTERISTICS)
    data[3]["bands"][1]["min"] = "25"
    client = login(UserFactory(username="root", is_staff=True, is_superuser=True))
    assert client.get("/admin/assessment/scorecardversion/add/").status_code == 200
    response = client.post(
        "/admin/assessment/scorecardversion/add/",
        {
            "name": "重叠",
            "effective_on": "2027-04-01",
            "base_points": "300",
            "characteristics": json.dumps(data),
            "notes": "",
        },
    )
    assert response.status_code == 200
    assert "characteristics" in response.context["adminform"].form.errors
    assert not ScorecardVersion.objects.filter(name="重叠").exists()


@pytest.mark.django_db
def test_the_demo_book_keeps_its_share_of_low_medium_and_high_within_10_points(settings, business_on, tmp_path):
    settings.DEBUG = True
    settings.MEDIA_ROOT = tmp_path
    call_command("demo", stdout=io.StringIO())
    levels = Counter(Assessment.objects.values_list("automated_level", flat=True))
    total, before = sum(levels.values()), sum(DEMO_LEVELS_BEFORE.values())
    assert total == before
    assert all(a.scorecard["kind"] == "expert" for a in Assessment.objects.all())
    for level, count in DEMO_LEVELS_BEFORE.items():
        assert abs(levels[level] / total - count / before) <= 0.10, (level, dict(levels))
