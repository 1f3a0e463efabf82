"""API schemas of the lending app: a schedule line and the annualised rate (quotes and plans, PLAN-5, PLAN-8),
and the service plans' and decisions' bodies (PLAN-1…PLAN-9)."""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from ninja import Field, Schema

from creditdesk.accounts.display import customer_name_for
from creditdesk.assessment.api import GuarantorIn
from creditdesk.assessment.choices import RepaymentMethod
from creditdesk.core.fields import RATE_DESCRIPTION, PriceAmount, Rate
from creditdesk.core.money import amount_text
from creditdesk.core.schema import Id, LongText, OneOf, StrictIn, StrictPatch, Text
from creditdesk.lending import selectors
from creditdesk.lending.models import ServicePlan


class InstalmentOut(Schema):
    period: int
    due_on: dt.date
    opening_balance_amount: Decimal
    principal_amount: Decimal
    interest_amount: Decimal
    fee_amount: Decimal
    total_amount: Decimal
    closing_balance_amount: Decimal


class FeeOut(Schema):
    """A one-off fee: a separate charge with its own due date, never deducted from the payout (issue 11 item 6)."""

    kind: str = Field(description="service_fee, gps_fee or registration_fee")
    amount: str
    due_on: dt.date = Field(description="The disbursement date, or the first instalment's due date.")


class AprOut(Schema):
    nominal_rate: Decimal = Field(description="APR (IRR method) as a fraction (小数): 0.0612 means 6.12 %.")
    effective_rate: Decimal = Field(description="Effective annual rate as a fraction (小数).")


INSTALMENT_AMOUNTS = (
    "opening_balance_amount",
    "principal_amount",
    "interest_amount",
    "fee_amount",
    "total_amount",
    "closing_balance_amount",
)


def _rate(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


class PlanChanges(StrictPatch):
    nullable = frozenset({"annual_rate"})  # null: the pricing grid's rate

    price_amount: PriceAmount | None = Field(None, description="Default: the application's.")
    down_payment_amount: PriceAmount | None = None
    principal_amount: PriceAmount | None = Field(
        None, description="A loan without a vehicle; else price − down payment."
    )
    term_months: int | None = Field(None, description="Among the product's terms, within the rating's maximum.")
    method: Annotated[str, OneOf(RepaymentMethod)] | None = None
    annual_rate: Rate | None = Field(
        None, description=f"{RATE_DESCRIPTION} Within the product's bounds; null: the pricing grid's rate."
    )
    exception_requested: bool | None = Field(
        None, description="A high-risk plan goes to the committee as an exception."
    )
    exception_reason: LongText | None = Field(None, max_length=4000)
    guarantors: list[GuarantorIn] | None = Field(None, description="Replaces the list; default: the application's.")
    reason: LongText = Field("", max_length=2000, description="Why: required when revising a returned plan.")


class PlanIn(PlanChanges):
    """A draft plan on a rated application; left-out figures come from the application, the rate from pricing."""

    application_id: Id


class GuaranteeOut(Schema):
    kind: str = Field(description="vehicle_mortgage or guarantor")
    vehicle_id: int | None
    registration_status: str = Field(description="pending, registered or released (mortgages)")
    customer_id: int | None
    name: str
    relationship: str


class PricingOut(Schema):
    priced_rate: str | None = Field(description="The grid's rate: LPR + spread + term adjustment, clipped.")
    base_rate: str | None
    spread: str | None
    term_adjustment: str | None
    clipped: str = Field(description='"", "floor" or "ceiling"')


class ScheduleSummaryOut(Schema):
    instalments: int
    start_on: dt.date | None = Field(
        description="Illustrative disbursement date: the business date of the revision (null on older plans)."
    )
    first_due_on: dt.date = Field(
        description="Illustrative: one month after the start, on the repayment day (the product's or the start's)."
    )
    first_instalment_amount: str
    total_interest_amount: str
    total_fee_amount: str
    total_amount: str


class FailedRuleOut(Schema):
    code: str = Field(description="The admission rule, e.g. ADM-5.ltv; ASSESS-2.high_risk for a declined high risk.")
    stage: str = Field(description="assessment (failed when assessed) or plan (fails on the plan's own figures).")
    reason: str
    measured: str = Field(description="The figure measured, e.g. the LTV 1.4726 (a fraction) or 156 months.")
    limit: str = Field(description="The limit it breaks, e.g. 0.70 or 120.")


class ExceptionOut(Schema):
    """An exception request (例外审批申请): decided with the plan by the credit committee (issue 11 item 1)."""

    id: int
    plan_id: int
    plan_reference: str
    revision: int
    rules: list[FailedRuleOut] = Field(description="Exactly the hard rules the plan failed when it was submitted.")
    reason: str
    proposed_by: str
    proposed_on: dt.date
    state: str = Field(description="pending, approved, rejected, returned or withdrawn.")
    decided_by: str | None
    decided_on: dt.date | None
    opinion: str

    @staticmethod
    def resolve_plan_reference(obj: Any) -> str:
        return str(obj.plan.reference)

    @staticmethod
    def resolve_proposed_by(obj: Any) -> str:
        return str(obj.proposed_by.get_username())

    @staticmethod
    def resolve_decided_by(obj: Any) -> str | None:
        return obj.decided_by.get_username() if obj.decided_by is not None else None


class ExceptionQuery(Schema):
    state: str = Field("", max_length=16, description="pending, approved, rejected, returned or withdrawn.")


class PlanOut(Schema):
    id: int
    reference: str
    application_id: int
    application_reference: str
    customer_id: int
    customer_name: str
    customer_grade: str
    product_code: str
    revision: int
    revisions: int = Field(description="How many revisions the plan has had.")
    status: str
    apr: AprOut = Field(description="Annualised rate by the IRR method, fees included (PLAN-8).")
    annual_rate: str = Field(description=RATE_DESCRIPTION)
    monthly_rate: str = Field(description="Monthly rate as a fraction (月利率，小数): the annual rate / 12.")
    rate_manual: bool
    pricing: PricingOut
    price_amount: str | None
    down_payment_amount: str
    principal_amount: str
    net_payout_amount: str = Field(description="Paid to the payee: the whole principal, nothing deducted.")
    term_months: int
    method: str
    upfront_fee_amount: str = Field(description="Total of the one-off fees (`fees`), each charged separately.")
    fees: list[FeeOut]
    monthly_fee_amount: str
    schedule: ScheduleSummaryOut
    risk_level: str
    measures: dict[str, str]
    exception_requested: bool
    exception_reason: str
    failed_rules: list[FailedRuleOut] = Field(
        description="Hard rules the plan fails: it is submitted only with an exception request (issue 11)."
    )
    guarantees: list[GuaranteeOut]
    stage: str | None
    stage_role: str | None
    stage_entered_on: dt.date | None
    stage_due_on: dt.date | None
    overdue: bool
    route: dict[str, Any]
    chain_version: str
    prepared_by: str
    submitted_by: str | None
    submitted_on: dt.date | None
    concluded_on: dt.date | None
    created_at: dt.datetime

    @staticmethod
    def resolve_application_reference(obj: ServicePlan) -> str:
        return obj.application.reference

    @staticmethod
    def resolve_customer_id(obj: ServicePlan) -> int:
        return obj.application.customer_id

    @staticmethod
    def resolve_customer_name(obj: ServicePlan, context: Any) -> str:
        return customer_name_for(context, obj.application.customer)

    @staticmethod
    def resolve_customer_grade(obj: ServicePlan) -> str:
        return obj.application.customer.grade

    @staticmethod
    def resolve_product_code(obj: ServicePlan) -> str:
        return obj.product.code

    @staticmethod
    def resolve_revisions(obj: ServicePlan) -> int:
        return obj.revision  # revisions are numbered from 1 without gaps

    @staticmethod
    def resolve_apr(obj: ServicePlan) -> dict[str, str]:
        return {"nominal_rate": str(obj.apr_nominal_rate), "effective_rate": str(obj.apr_effective_rate)}

    @staticmethod
    def resolve_monthly_rate(obj: ServicePlan) -> str:
        return str(obj.monthly_rate)

    @staticmethod
    def resolve_pricing(obj: ServicePlan) -> dict[str, Any]:
        return {
            "priced_rate": _rate(obj.priced_rate),
            "base_rate": _rate(obj.base_rate),
            "spread": _rate(obj.spread),
            "term_adjustment": _rate(obj.term_adjustment),
            "clipped": obj.rate_clipped,
        }

    @staticmethod
    def resolve_price_amount(obj: ServicePlan) -> str | None:
        return amount_text(obj.price_amount)

    @staticmethod
    def resolve_down_payment_amount(obj: ServicePlan) -> str | None:
        return amount_text(obj.down_payment_amount)

    @staticmethod
    def resolve_principal_amount(obj: ServicePlan) -> str | None:
        return amount_text(obj.principal_amount)

    @staticmethod
    def resolve_net_payout_amount(obj: ServicePlan) -> str | None:
        return amount_text(obj.net_payout_amount)

    @staticmethod
    def resolve_fees(obj: ServicePlan) -> list[dict[str, Any]]:
        return [{"kind": f["kind"], "amount": f["amount"], "due_on": f["due_on"]} for f in obj.fees]

    @staticmethod
    def resolve_upfront_fee_amount(obj: ServicePlan) -> str | None:
        return amount_text(obj.upfront_fee_amount)

    @staticmethod
    def resolve_monthly_fee_amount(obj: ServicePlan) -> str | None:
        return amount_text(obj.monthly_fee_amount)

    @staticmethod
    def resolve_annual_rate(obj: ServicePlan) -> str:
        return str(obj.annual_rate)

    @staticmethod
    def resolve_schedule(obj: ServicePlan) -> dict[str, Any]:
        return {
            "instalments": obj.term_months,
            "start_on": obj.start_on,
            "first_due_on": obj.first_due_on,
            "first_instalment_amount": amount_text(obj.first_instalment_amount),
            "total_interest_amount": amount_text(obj.total_interest_amount),
            "total_fee_amount": amount_text(obj.total_fee_amount),
            "total_amount": amount_text(obj.total_amount),
        }

    @staticmethod
    def resolve_guarantees(obj: ServicePlan, context: Any) -> list[dict[str, Any]]:
        return [
            {
                "kind": g.kind,
                "vehicle_id": g.vehicle_id,
                "registration_status": g.registration_status,
                "customer_id": g.guarantor_id,
                "name": customer_name_for(context, g.guarantor) if g.guarantor is not None else str(g.vehicle),
                "relationship": g.relationship,
            }
            for g in obj.guarantees.all()  # prefetched by the selectors
        ]

    @staticmethod
    def resolve_stage(obj: ServicePlan) -> str | None:
        return obj.current_stage or None

    @staticmethod
    def resolve_stage_role(obj: ServicePlan) -> str | None:
        return obj.route.get("roles", {}).get(obj.current_stage) if obj.current_stage else None

    @staticmethod
    def resolve_overdue(obj: ServicePlan) -> bool:
        return bool(getattr(obj, "overdue", False))  # annotated by the selectors from the business date

    @staticmethod
    def resolve_prepared_by(obj: ServicePlan) -> str:
        return obj.prepared_by.get_username()

    @staticmethod
    def resolve_submitted_by(obj: ServicePlan) -> str | None:
        return obj.submitted_by.get_username() if obj.submitted_by is not None else None


class CoBorrowerRefOut(Schema):
    customer_id: int
    name: str
    relationship: str


class PlanDetailOut(PlanOut):
    instalments: list[InstalmentOut] = Field(description="The whole repayment schedule (PLAN-5).")
    exception_requests: list[ExceptionOut] = Field(description="The plan's exception requests, newest first.")

    @staticmethod
    def resolve_exception_requests(obj: ServicePlan) -> list[Any]:
        return list(selectors.exceptions_of(obj).select_related("plan"))

    co_borrowers: list[CoBorrowerRefOut] = Field(description="The application's co-borrowers (共同借款人).")

    @staticmethod
    def resolve_co_borrowers(obj: ServicePlan, context: Any) -> list[dict[str, Any]]:
        return [
            {
                "customer_id": row.co_borrower_id,
                "name": customer_name_for(context, row.co_borrower),
                "relationship": row.relationship,
            }
            for row in obj.application.co_borrowers.select_related("co_borrower")
        ]

    @staticmethod
    def resolve_instalments(obj: ServicePlan) -> list[dict[str, Any]]:
        return [
            {
                "period": line.period,
                "due_on": line.due_on,
                **{name: amount_text(getattr(line, name)) for name in INSTALMENT_AMOUNTS},
            }
            for line in selectors.schedule_of(obj).instalments
        ]


class PlanQuery(Schema):
    status: str = Field("", max_length=100, description="One status or several, comma-separated.")
    stage: str = Field("", max_length=24, description="department_review, risk_review or final_decision.")
    overdue: bool | None = Field(None, description="true: pending plans past their stage's due date.")
    application_id: Id | None = None


class PlanDecisionIn(StrictIn):
    outcome: Text = Field(max_length=8, description="approve, reject or return")
    opinion: LongText = Field(max_length=4000, description="Required: every decision gives its reasons.")


class DecisionOut(Schema):
    id: int
    plan_id: int
    revision: int
    stage: str
    decider: str
    outcome: str
    opinion: str
    decided_on: dt.date
    decided_at: dt.datetime
    plan_status: str = Field(description="The plan's status after this decision.")
    plan_stage: str | None = Field(description="The plan's stage after this decision.")

    @staticmethod
    def resolve_decider(obj: Any) -> str:
        return obj.decider.get_username()

    @staticmethod
    def resolve_plan_status(obj: Any) -> str:
        return obj.plan.status

    @staticmethod
    def resolve_plan_stage(obj: Any) -> str | None:
        return obj.plan.current_stage or None
