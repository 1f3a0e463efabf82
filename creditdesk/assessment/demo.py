"""Demo loan applications (贷款申请) at every stage, through the real services and the bureau simulator.

For some individual demo customers with a car, the files are completed first (documents, consent, vehicle
papers, a fresh valuation, the profile fields the scorecard reads), then applications are taken to: draft,
submitted, in data review, returned for completion, scored (awaiting the risk officer) and rated (confirmed,
a few overridden with a reason). Deterministic; skipped when applications exist already.
"""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from creditdesk.assessment import services
from creditdesk.assessment.models import LoanApplication
from creditdesk.assessment.templatetags.assessment import check_label
from creditdesk.core.dates import business_date
from creditdesk.core.errors import DomainError
from creditdesk.customers.models import Customer
from creditdesk.customers.selectors import authorization_in_force
from creditdesk.customers.services import authorization_record, customer_update, document_upload
from creditdesk.vehicles.models import Vehicle
from creditdesk.vehicles.selectors import current_value_estimate
from creditdesk.vehicles.services import valuation_record, vehicle_update

SEED = 2029
# How many applications end in each stage (in this order of preparation).
STAGES = (
    ("rated", 14),
    ("scored", 4),
    ("in_review", 3),
    ("returned", 3),
    ("submitted", 4),
    ("draft", 4),
)
PDF = b"%PDF-1.4\n% creditdesk demo document\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
DOCUMENTS = ("id_card", "income_proof", "credit_authorization", "bank_statement")


def _complete_file(owner: Any, customer: Customer, vehicle: Vehicle, number: int) -> None:
    """Give the customer what the data review asks for, through the services (audited like any change)."""
    today = business_date()
    rng = random.Random(SEED + number)  # noqa: S311  (demo data, deterministic on purpose)
    missing: dict[str, Any] = {}
    if customer.monthly_income_amount is None:
        missing["monthly_income_amount"] = Decimal(rng.randrange(12_000, 60_000, 500))
    if customer.employment_years is None:
        missing["employment_years"] = rng.randint(1, 12)
    if not customer.housing:
        missing["housing"] = rng.choice(["owned", "mortgaged", "rented"])
    if not customer.savings_band:
        missing["savings_band"] = rng.choice(["lt50k", "50k_200k", "200k_1m"])
    if missing:
        customer_update(actor=owner, customer=customer, **missing)
    on_file = set(customer.documents.values_list("doc_type", flat=True))
    for doc_type in DOCUMENTS:
        if doc_type not in on_file:
            upload = SimpleUploadedFile(f"{doc_type}-{number}.pdf", PDF, content_type="application/pdf")
            document_upload(actor=owner, customer=customer, doc_type=doc_type, upload=upload)
    if authorization_in_force(customer=customer, on=today) is None:
        authorization_record(
            actor=owner,
            customer=customer,
            signed_on=today,
            expires_on=today.replace(year=today.year + 1),
            purpose="贷款审批及贷后管理",
            document_reference=f"SQ-DEMO-{number:04d}",
        )
    if not vehicle.documents_complete or vehicle.has_major_accident:
        vehicle_update(actor=owner, vehicle=vehicle, registration_certificate=True, invoice=True, insurance=True)
    estimate = current_value_estimate(vehicle, today) or Decimal("80000.00")
    valuation_record(
        actor=owner, vehicle=vehicle, valued_on=today, method="market", value_amount=estimate, appraiser="", notes=""
    )


def seed(*, stdout: Any) -> None:
    if LoanApplication.objects.exists():
        stdout.write("Applications exist already; demo applications not seeded.")
        return
    user_model = get_user_model()
    risk = user_model.objects.get(username="risk")
    rng = random.Random(SEED)  # noqa: S311
    vehicles = list(
        Vehicle.objects.filter(customer__kind="individual", customer__birth_on__isnull=False)
        .select_related("customer", "customer__owner")
        .order_by("pk")
    )
    rng.shuffle(vehicles)
    plan = [stage for stage, count in STAGES for _ in range(count)]
    made: dict[str, int] = {}
    for number, (stage, vehicle) in enumerate(zip(plan, vehicles, strict=False), start=1):
        customer, owner = vehicle.customer, vehicle.customer.owner
        try:
            made_stage = _prepare(stage, number, owner, risk, customer, vehicle, rng)
        except DomainError as err:
            stdout.write(f"  demo application for {customer.name} stopped: {err.message}")
            continue
        made[made_stage] = made.get(made_stage, 0) + 1
    summary = ", ".join(f"{stage} {count}" for stage, count in sorted(made.items()))
    stdout.write(f"Demo applications: {summary}.")


def _prepare(
    stage: str, number: int, owner: Any, risk: Any, customer: Customer, vehicle: Vehicle, rng: random.Random
) -> str:
    if stage != "returned":
        _complete_file(owner, customer, vehicle, number)
    estimate = current_value_estimate(vehicle, business_date()) or Decimal("80000.00")
    price = (estimate * Decimal(rng.choice(["0.95", "1.00", "1.00", "1.05"]))).quantize(Decimal("100"))
    down = (price * Decimal(rng.choice(["0.30", "0.35", "0.40", "0.50"]))).quantize(Decimal("100"))
    if price - down < Decimal("20000"):
        price, down = Decimal("60000"), Decimal("20000")
    application = services.application_create(
        actor=owner,
        customer=customer,
        vehicle=vehicle,
        product_code="UC-RETAIL",
        price_amount=price,
        down_payment_amount=down,
        term_months=rng.choice([12, 24, 36]),
        repayment_method=rng.choice(["equal_instalment", "equal_instalment", "equal_principal"]),
        purpose=rng.choice(["家庭用车", "上下班通勤", "个体经营用车"]),
        bank_account=rng.choice(["salary", "salary", "low_balance", "overdrawn"]),
    )
    if stage == "draft":
        return stage
    services.application_submit(actor=owner, application=application, comment="资料已齐（演示数据）")
    if stage == "submitted":
        return stage
    services.review_start(actor=risk, application=application)
    if stage == "returned":
        review = application.reviews.first()
        with translation.override("zh-hans"):  # the salesperson reads the checks by name, never their codes
            reasons = "；".join(check_label(item) for item in (review.failures if review else [])) or "收入证明"
        services.application_return(actor=risk, application=application, reasons=f"请补充：{reasons}")
        return stage
    if stage == "in_review":
        return stage
    services.assessment_run(
        actor=risk,
        application=application,
        identity_verified=True,
        income_verified=True,
        verification_notes="面签核验身份证原件；收入证明与银行流水一致（演示数据）",
    )
    if stage == "scored":
        return stage
    assessment = application.assessments.first()
    if assessment is not None and number % 5 == 0:
        other = "medium" if assessment.automated_level != "medium" else "low"
        services.rating_decide(
            actor=risk,
            application=application,
            decision="overridden",
            level=other,
            reason="客户为本行长期代发工资客户，收入稳定（演示数据）",
        )
    else:
        services.rating_decide(actor=risk, application=application, decision="confirmed")
    return "rated"
