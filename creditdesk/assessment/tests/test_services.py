"""The application workflow through the services: states, data review, bureau, assessment, human decision."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from creditdesk.assessment import bureau, services
from creditdesk.assessment.models import Assessment, CreditQuery, LoanApplication
from creditdesk.assessment.tests.factories import car_loan, make_car, make_company, make_individual
from creditdesk.core.audit import events_for
from creditdesk.core.crypto import decrypt
from creditdesk.core.errors import (
    Conflict,
    InvalidTransition,
    PermissionDenied,
    ServiceUnavailable,
    ValidationFailed,
)

VERIFIED = {
    "identity_verified": True,
    "income_verified": True,
    "verification_notes": "身份证原件核对，收入证明与流水一致",
}


def _draft(persona, applicant, car, **overrides) -> LoanApplication:
    return services.application_create(actor=persona("alice"), customer=applicant, vehicle=car, **car_loan(**overrides))


def _in_review(persona, applicant, car, **overrides) -> LoanApplication:
    application = _draft(persona, applicant, car, **overrides)
    services.application_submit(actor=persona("alice"), application=application)
    return services.review_start(actor=persona("carol"), application=application)


def test_the_amount_is_the_price_less_the_down_payment(persona, applicant, car) -> None:
    application = _draft(persona, applicant, car)
    assert application.requested_amount == Decimal("105000.00")
    assert application.status == "draft"
    assert application.reference == f"SQ{application.pk:07d}"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"term_months": 48}, "term_months"),
        ({"down_payment_amount": Decimal("150000.00")}, "down_payment_amount"),
        ({"down_payment_amount": Decimal("-1.00")}, "down_payment_amount"),
        ({"price_amount": Decimal("0.00")}, "price_amount"),
        ({"product_code": "NOPE"}, "product_code"),
        ({"product_code": "CORP-WC"}, "product_code"),
        ({"repayment_method": "balloon"}, "repayment_method"),
        ({"purpose": " "}, "purpose"),
        ({"requested_amount": Decimal("100000.00")}, "requested_amount"),
    ],
)
def test_bad_input_is_refused_field_by_field(persona, applicant, car, overrides, field) -> None:
    with pytest.raises(ValidationFailed) as caught:
        _draft(persona, applicant, car, **overrides)
    assert field in caught.value.fields
    assert not LoanApplication.objects.exists()


def test_a_car_loan_needs_the_customers_own_vehicle(persona, applicant, business_on) -> None:
    other = make_individual(persona("alice"), name="李四")
    with pytest.raises(ValidationFailed) as caught:
        services.application_create(
            actor=persona("alice"), customer=applicant, vehicle=make_car(other, persona("alice")), **car_loan()
        )
    assert "vehicle" in caught.value.fields
    with pytest.raises(ValidationFailed) as caught:
        services.application_create(actor=persona("alice"), customer=applicant, vehicle=None, **car_loan())
    assert "vehicle" in caught.value.fields


def test_only_sales_prepare_and_only_risk_reviews(persona, applicant, car) -> None:
    with pytest.raises(PermissionDenied):
        services.application_create(actor=persona("carol"), customer=applicant, vehicle=car, **car_loan())
    application = _draft(persona, applicant, car)
    services.application_submit(actor=persona("alice"), application=application)
    with pytest.raises(PermissionDenied):
        services.review_start(actor=persona("alice"), application=application)


def test_the_full_journey_to_a_confirmed_rating(persona, applicant, car) -> None:
    application = _in_review(persona, applicant, car)
    assessment = services.assessment_run(actor=persona("carol"), application=application, **VERIFIED)
    application.refresh_from_db()
    assert application.status == "scored"
    assert assessment.decision == "pending"
    codes = [r["code"] for r in assessment.admission["results"]]
    assert codes[0] == "ADM-1.civil_capacity"
    assert len(codes) == 13
    assert assessment.scorecard["base_points"] + sum(c["points"] for c in assessment.scorecard["contributions"]) == (
        assessment.internal_score
    )
    query = CreditQuery.objects.get(application=application)
    assert query.outcome == "report"
    assert query.consent_reference.startswith("AUTH-")
    assert str(assessment.bureau_facts["score"]) in query.report

    decided = services.rating_decide(actor=persona("carol"), application=application, decision="confirmed")
    application.refresh_from_db()
    assert application.status == "rated"
    assert application.risk_level == decided.final_level == assessment.automated_level
    assert decided.measures["max_term_months"]
    events = [e.event_type for e in events_for(application).order_by("id")]
    assert events == [
        "application.created",
        "application.submitted",
        "application.review_started",
        "application.credit_query",
        "application.scored",
        "application.rating_confirmed",
    ]


def test_the_stored_report_is_encrypted_at_rest(persona, applicant, car) -> None:
    from django.db import connection

    application = _in_review(persona, applicant, car)
    services.assessment_run(actor=persona("carol"), application=application, **VERIFIED)
    with connection.cursor() as cursor:
        cursor.execute("SELECT report FROM assessment_creditquery")
        stored = cursor.fetchone()[0]
    assert "score" not in stored
    assert "delinquencies" not in stored
    assert "delinquencies_24m" in decrypt(stored)


def test_an_override_needs_a_reason_and_a_different_level(persona, applicant, car) -> None:
    application = _in_review(persona, applicant, car)
    assessment = services.assessment_run(actor=persona("carol"), application=application, **VERIFIED)
    with pytest.raises(ValidationFailed) as caught:
        services.rating_decide(actor=persona("carol"), application=application, decision="overridden", level="high")
    assert "reason" in caught.value.fields
    with pytest.raises(ValidationFailed) as caught:
        services.rating_decide(
            actor=persona("carol"),
            application=application,
            decision="overridden",
            level=assessment.automated_level,
            reason="x",
        )
    assert "level" in caught.value.fields
    other = next(level for level in ("low", "medium", "high") if level != assessment.automated_level)
    decided = services.rating_decide(
        actor=persona("carol"), application=application, decision="overridden", level=other, reason="担保人资质良好"
    )
    assert decided.final_level == other
    assert decided.decision == "overridden"
    assert decided.decision_reason == "担保人资质良好"
    with pytest.raises(InvalidTransition):
        services.rating_decide(actor=persona("carol"), application=application, decision="confirmed")


def test_a_failed_checklist_keeps_the_application_in_review_and_can_be_returned(persona, applicant, car) -> None:
    car.insurance = False
    car.save()
    application = _in_review(persona, applicant, car)
    with pytest.raises(Conflict) as caught:
        services.assessment_run(actor=persona("carol"), application=application, **VERIFIED)
    assert caught.value.code == "review_failed"
    assert [f["code"] for f in caught.value.details["failures"]] == ["vehicle.documents"]
    application.refresh_from_db()
    assert application.status == "in_review"
    assert application.reviews.count() == 3  # submit, review start, assessment attempt: all kept
    assert not Assessment.objects.exists()
    services.application_return(actor=persona("carol"), application=application, reasons="请补充保险单")
    application.refresh_from_db()
    assert application.status == "returned"
    assert application.return_reasons == "请补充保险单"
    services.application_update(actor=persona("alice"), application=application, term_months=24)
    services.application_submit(actor=persona("alice"), application=application, comment="已补充")
    application.refresh_from_db()
    assert application.status == "submitted"


def test_without_consent_the_query_is_refused_and_logged(persona, business_on) -> None:
    customer = make_individual(persona("alice"), consent=False)
    application = _in_review(persona, customer, make_car(customer, persona("alice")))
    with pytest.raises(Conflict) as caught:
        services.assessment_run(actor=persona("carol"), application=application, **VERIFIED)
    assert caught.value.code == "review_failed"  # the checklist already names the missing consent
    assert "consent.applicant" in [f["code"] for f in caught.value.details["failures"]]
    with pytest.raises(Conflict) as caught:
        services.query_bureau(actor=persona("carol"), application=application, adapter=bureau.SimulatedBureau())
    assert caught.value.code == "consent_missing"
    log = CreditQuery.objects.get(application=application)
    assert log.outcome == "refused"
    assert log.queried_by == persona("carol")
    assert log.authorization is None


@pytest.mark.parametrize(("sequence", "code"), [("999", "bureau_timeout"), ("998", "bureau_unavailable")])
def test_a_bureau_failure_leaves_the_application_in_review(persona, business_on, sequence, code) -> None:
    customer = make_individual(persona("alice"), sequence=sequence)
    application = _in_review(persona, customer, make_car(customer, persona("alice")))
    with pytest.raises(ServiceUnavailable) as caught:
        services.assessment_run(actor=persona("carol"), application=application, **VERIFIED)
    assert caught.value.code == code
    assert caught.value.status == 503
    application.refresh_from_db()
    assert application.status == "in_review"
    assert application.bureau_status == code.removeprefix("bureau_")
    assert CreditQuery.objects.filter(application=application).count() == 1
    # once the bureau answers again, the same application is assessed
    assessment = services.assessment_run(
        actor=persona("carol"), application=application, adapter=_FixedBureau(), **VERIFIED
    )
    assert assessment.bureau_facts["score"] == 720


class _FixedBureau:
    def query(self, q: bureau.BureauQuery) -> bureau.BureauReport:
        bureau.check_query(q)
        return bureau.BureauReport(
            score=720,
            delinquencies_24m=0,
            defaults=0,
            fraud_flag=False,
            current_debt_amount=Decimal("0.00"),
            monthly_debt_service_amount=Decimal("0.00"),
            inquiries_6m=1,
            bad_records=(),
            raw={},
        )


def test_no_credit_file_is_assessed_without_a_score(persona, business_on) -> None:
    customer = make_individual(persona("alice"), sequence="997")
    application = _in_review(persona, customer, make_car(customer, persona("alice")))
    assessment = services.assessment_run(actor=persona("carol"), application=application, **VERIFIED)
    assert assessment.bureau_facts == {"outcome": "no_file"}
    assert not assessment.admitted
    assert assessment.automated_level == "high"


def test_the_manual_verification_is_required(persona, applicant, car) -> None:
    application = _in_review(persona, applicant, car)
    with pytest.raises(ValidationFailed) as caught:
        services.assessment_run(
            actor=persona("carol"),
            application=application,
            identity_verified=False,
            income_verified=False,
            verification_notes="",
        )
    assert set(caught.value.fields) == {"identity_verified", "income_verified", "verification_notes"}


def test_transitions_from_the_wrong_state_are_refused(persona, applicant, car) -> None:
    application = _draft(persona, applicant, car)
    with pytest.raises(InvalidTransition):
        services.review_start(actor=persona("carol"), application=application)
    with pytest.raises(InvalidTransition):
        services.assessment_run(actor=persona("carol"), application=application, **VERIFIED)
    services.application_submit(actor=persona("alice"), application=application)
    with pytest.raises(InvalidTransition):
        services.application_submit(actor=persona("alice"), application=application)
    with pytest.raises(InvalidTransition):
        services.application_update(actor=persona("alice"), application=application, term_months=24)


def test_ltv_exactly_at_the_cap_is_admitted_and_one_fen_over_is_not(persona, applicant, business_on) -> None:
    at_cap = make_car(applicant, persona("alice"), value="150000.00")
    application = _in_review(persona, applicant, at_cap)  # 105 000 / 150 000 = 0.70
    assessment = services.assessment_run(
        actor=persona("carol"), application=application, adapter=_FixedBureau(), **VERIFIED
    )
    ltv = next(r for r in assessment.admission["results"] if r["code"] == "ADM-5.ltv")
    assert (ltv["outcome"], ltv["compared"]["ltv"]) == ("pass", "0.7000")

    over = make_car(applicant, persona("alice"), value="149999.99")
    application = _in_review(persona, applicant, over)
    assessment = services.assessment_run(
        actor=persona("carol"), application=application, adapter=_FixedBureau(), **VERIFIED
    )
    ltv = next(r for r in assessment.admission["results"] if r["code"] == "ADM-5.ltv")
    assert (ltv["outcome"], ltv["compared"]["ltv"]) == ("fail", "0.7001")
    assert assessment.automated_level == "high"


def test_age_exactly_at_the_limit(persona, business_on) -> None:
    # Born 1967-03-15: exactly 60 on 2027-03-15, admitted by age; 63 at maturity of a 36-month loan.
    customer = make_individual(persona("alice"))
    from creditdesk.assessment.tests.factories import id_number
    from creditdesk.core.crypto import blind_index

    number = id_number(born="19670315")
    customer.id_number, customer.id_number_index = number, blind_index("id_number", number)
    customer.birth_on = dt.date(1967, 3, 15)
    customer.gender = "M" if int(number[16]) % 2 else "F"
    customer.save()
    application = _in_review(persona, customer, make_car(customer, persona("alice")))
    assessment = services.assessment_run(
        actor=persona("carol"), application=application, adapter=_FixedBureau(), **VERIFIED
    )
    age = next(r for r in assessment.admission["results"] if r["code"] == "ADM-2.age")
    assert (age["outcome"], age["compared"]["age_years"]) == ("pass", "60")


def test_a_company_working_capital_loan_skips_personal_and_vehicle_rules(persona, business_on) -> None:
    company = make_company(persona("alice"))
    application = services.application_create(
        actor=persona("alice"),
        customer=company,
        product_code="CORP-WC",
        requested_amount=Decimal("500000.00"),
        term_months=12,
        repayment_method="interest_first",
        purpose="采购原材料",
    )
    services.application_submit(actor=persona("alice"), application=application)
    services.review_start(actor=persona("carol"), application=application)
    assessment = services.assessment_run(
        actor=persona("carol"),
        application=application,
        identity_verified=True,
        income_verified=False,
        verification_notes="营业执照原件核对",
    )
    skipped = {r["code"] for r in assessment.admission["results"] if r["reason"] == "not_applicable"}
    assert "ADM-2.age" in skipped
    assert "ADM-5.ltv" in skipped


def test_guarantors_need_their_own_consent(persona, applicant, car) -> None:
    guarantor = make_individual(persona("alice"), name="王五", consent=False)
    application = services.application_create(
        actor=persona("alice"), customer=applicant, vehicle=car, guarantors=[(guarantor, "配偶")], **car_loan()
    )
    services.application_submit(actor=persona("alice"), application=application)
    review = application.reviews.first()
    assert [i["code"] for i in review.failures] == ["consent.guarantor"]
    with pytest.raises(ValidationFailed) as caught:
        services.application_create(
            actor=persona("alice"), customer=applicant, vehicle=car, guarantors=[(applicant, "本人")], **car_loan()
        )
    assert "guarantors" in caught.value.fields
