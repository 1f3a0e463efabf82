"""Rated applications for the plan tests, made through the assessment services (the real flow, a fixed bureau)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from creditdesk.assessment import bureau
from creditdesk.assessment import services as assessment
from creditdesk.assessment.models import LoanApplication
from creditdesk.assessment.tests.factories import car_loan, make_car, make_company, make_individual
from creditdesk.customers.models import Customer

VERIFIED = {"identity_verified": True, "income_verified": True, "verification_notes": "身份证原件核对，收入与流水一致"}


class FixedBureau:
    """A clean credit report, so the rating is decided by the test (confirmed or overridden)."""

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


def rate_application(application: LoanApplication, risk_officer: Any, *, level: str) -> LoanApplication:
    """Submit, review, assess and rate `application` at `level` (confirming or overriding the automated rating)."""
    assessment.application_submit(actor=application.created_by, application=application)
    assessment.review_start(actor=risk_officer, application=application)
    result = assessment.assessment_run(actor=risk_officer, application=application, adapter=FixedBureau(), **VERIFIED)
    if result.automated_level == level:
        assessment.rating_decide(actor=risk_officer, application=application, decision="confirmed")
    else:
        assessment.rating_decide(
            actor=risk_officer, application=application, decision="overridden", level=level, reason="测试：人工调整评级"
        )
    application.refresh_from_db()
    return application


def rated_car_loan(
    preparer: Any,
    risk_officer: Any,
    *,
    level: str = "low",
    grade: str = "B",
    customer: Customer | None = None,
    guarantors: list[tuple[Customer, str]] | None = None,
    **loan: Any,
) -> LoanApplication:
    """A rated used-car application of `preparer`'s customer: 150,000.00 car, 45,000.00 down, 36 months."""
    customer = customer or make_individual(preparer)
    Customer.objects.filter(pk=customer.pk).update(grade=grade)
    customer.refresh_from_db()
    application = assessment.application_create(
        actor=preparer,
        customer=customer,
        vehicle=make_car(customer, preparer),
        guarantors=guarantors,
        **car_loan(**loan),
    )
    return rate_application(application, risk_officer, level=level)


def rated_company_loan(preparer: Any, risk_officer: Any, *, level: str = "low", **loan: Any) -> LoanApplication:
    """A rated working-capital application of a company (no vehicle): 300,000.00 over 12 months, interest first."""
    customer = make_company(preparer)
    values = {
        "product_code": "CORP-WC",
        "requested_amount": Decimal("300000.00"),
        "term_months": 12,
        "repayment_method": "interest_first",
        "purpose": "流动资金周转",
        **loan,
    }
    application = assessment.application_create(actor=preparer, customer=customer, vehicle=None, **values)
    return rate_application(application, risk_officer, level=level)
