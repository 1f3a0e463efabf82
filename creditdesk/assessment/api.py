"""API of the assessment app: `/applications`, their transitions, `/assessment`, `/rating`, `/rating-overrides`."""

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from creditdesk.accounts.auth import api_auth
from creditdesk.accounts.display import customer_name_for
from creditdesk.accounts.permissions import Perm
from creditdesk.accounts.scoping import get_field_in_scope
from creditdesk.assessment import selectors, services
from creditdesk.assessment.choices import BankAccountReading, RepaymentMethod
from creditdesk.assessment.models import LoanApplication
from creditdesk.core.api import ERRORS, ErrorOut
from creditdesk.core.errors import NotFound
from creditdesk.core.fields import PriceAmount
from creditdesk.core.money import amount_text
from creditdesk.core.pagination import PageNumber
from creditdesk.core.schema import Id, LongText, Name, OneOf, StrictIn, StrictPatch, Text
from creditdesk.customers.models import Customer
from creditdesk.vehicles.models import Vehicle

router = Router(tags=["applications"])
ERRORS_WITH_BUREAU = {**ERRORS, 503: ErrorOut}


class GuarantorIn(StrictIn):
    customer_id: Id
    relationship: Name = Field(min_length=1, max_length=100)


class ApplicationIn(StrictIn):
    """A new draft. For a car loan give the vehicle, the price and the down payment: the amount is their difference."""

    customer_id: Id
    vehicle_id: Id | None = None
    product_code: Text = Field(max_length=32, description="A product in force, e.g. UC-RETAIL or CORP-WC.")
    price_amount: PriceAmount | None = None
    down_payment_amount: PriceAmount | None = None
    requested_amount: PriceAmount | None = Field(None, description="Optional with a price: price − down payment.")
    term_months: int
    repayment_method: Annotated[str, OneOf(RepaymentMethod)] = "equal_instalment"
    purpose: LongText = Field(max_length=200)
    bank_account: Annotated[str, OneOf(["", *BankAccountReading.values])] = Field("", description="Empty: not read.")
    guarantors: list[GuarantorIn] = []


class ApplicationPatch(StrictPatch):
    nullable = frozenset({"vehicle_id"})  # null: no vehicle

    vehicle_id: Id | None = None
    product_code: Text | None = Field(None, max_length=32)
    price_amount: PriceAmount | None = None
    down_payment_amount: PriceAmount | None = None
    requested_amount: PriceAmount | None = None
    term_months: int | None = None
    repayment_method: Annotated[str, OneOf(RepaymentMethod)] | None = None
    purpose: LongText | None = Field(None, max_length=200)
    bank_account: Text | None = Field(None, max_length=16)
    guarantors: list[GuarantorIn] | None = None


class GuarantorOut(Schema):
    customer_id: int
    name: str
    relationship: str


class ChecklistItemOut(Schema):
    code: str
    outcome: str = Field(description="pass, fail or warn")
    reason: str
    compared: dict[str, str]


class ApplicationOut(Schema):
    id: int
    reference: str
    customer_id: int
    customer_name: str
    vehicle_id: int | None
    product_code: str
    price_amount: str | None
    down_payment_amount: str | None
    requested_amount: str
    term_months: int
    repayment_method: str
    purpose: str
    bank_account: str
    status: str
    submitted_on: dt.date | None
    return_reasons: str
    bureau_status: str
    risk_level: str
    rated_on: dt.date | None
    created_at: dt.datetime

    @staticmethod
    def resolve_customer_name(obj: Any, context: Any) -> str:
        return customer_name_for(context, obj.customer)

    @staticmethod
    def resolve_price_amount(obj: Any) -> str | None:
        return amount_text(obj.price_amount)

    @staticmethod
    def resolve_down_payment_amount(obj: Any) -> str | None:
        return amount_text(obj.down_payment_amount)

    @staticmethod
    def resolve_requested_amount(obj: Any) -> str | None:
        return amount_text(obj.requested_amount)


class ApplicationDetailOut(ApplicationOut):
    guarantors: list[GuarantorOut]
    co_borrowers: list[GuarantorOut]
    checklist_passed: bool | None
    checklist: list[ChecklistItemOut]
    identity_verified: bool
    income_verified: bool
    verification_notes: str

    @staticmethod
    def resolve_guarantors(obj: Any, context: Any) -> list[dict[str, Any]]:
        return [
            {
                "customer_id": g.guarantor_id,
                "name": customer_name_for(context, g.guarantor),
                "relationship": g.relationship,
            }
            for g in obj.guarantors.select_related("guarantor")
        ]

    @staticmethod
    def resolve_co_borrowers(obj: Any, context: Any) -> list[dict[str, Any]]:
        rows = obj.co_borrowers.select_related("co_borrower")
        return [
            {
                "customer_id": r.co_borrower_id,
                "name": customer_name_for(context, r.co_borrower),
                "relationship": r.relationship,
            }
            for r in rows
        ]

    @staticmethod
    def resolve_checklist_passed(obj: Any) -> bool | None:
        review = selectors.latest_review(obj)
        return None if review is None else review.passed

    @staticmethod
    def resolve_checklist(obj: Any) -> list[dict[str, Any]]:
        review = selectors.latest_review(obj)
        return [] if review is None else review.items


class AssessmentOut(Schema):
    id: int
    application_id: int
    business_on: dt.date
    assessed_at: dt.datetime
    assessed_by: str
    admitted: bool
    admission_policy_version: str
    admission: dict[str, Any] = Field(description="Every rule: code, outcome, reason, compared figures.")
    scorecard_version: str
    internal_score: int | None
    probability_of_default: str | None = Field(
        description="A fraction (0.065110 = 6.5 %); null when the scorecard has no measured PD (the expert A 卡)."
    )
    scorecard: dict[str, Any] = Field(
        description="The application scorecard (A 卡): kind, name, base points, each characteristic's value, band and "
        "points (values in yuan, percent, months, years), the top reasons."
    )
    bureau_facts: dict[str, Any]
    rating_policy_version: str
    automated_level: str
    rating: dict[str, Any] = Field(description="Reasons worst first, and the automated level's measures.")
    decision: str = Field(description="pending, confirmed or overridden")
    final_level: str
    measures: dict[str, Any] = Field(description="The final level's constraints for the service plan (ASSESS-2).")
    decided_by: str | None
    decided_at: dt.datetime | None
    decision_reason: str

    @staticmethod
    def resolve_assessed_by(obj: Any) -> str:
        return obj.assessed_by.get_username()

    @staticmethod
    def resolve_decided_by(obj: Any) -> str | None:
        return obj.decided_by.get_username() if obj.decided_by_id else None

    @staticmethod
    def resolve_probability_of_default(obj: Any) -> str | None:
        return None if obj.probability_of_default is None else str(obj.probability_of_default)


class OverrideOut(Schema):
    application_id: int
    reference: str
    customer_name: str
    business_on: dt.date
    automated_level: str
    final_level: str
    decided_by: str
    decided_at: dt.datetime
    decision_reason: str

    @staticmethod
    def resolve_reference(obj: Any) -> str:
        return obj.application.reference

    @staticmethod
    def resolve_customer_name(obj: Any, context: Any) -> str:
        return customer_name_for(context, obj.application.customer)

    @staticmethod
    def resolve_decided_by(obj: Any) -> str:
        return obj.decided_by.get_username()


class ApplicationQuery(Schema):
    status: str = Field("", max_length=100, description="One status or several, comma-separated.")
    customer_id: Id | None = None
    risk_level: str = Field("", max_length=8)
    q: str = Field("", max_length=100, description="Customer name, application number (SQ…) or VIN.")


class CommentIn(StrictIn):
    comment: LongText = Field("", max_length=2000)


class ReturnIn(StrictIn):
    reasons: LongText = Field(max_length=2000, description="What the salesperson must complete.")


class AssessIn(StrictIn):
    identity_verified: bool = Field(description="Identity and full civil capacity verified in person.")
    income_verified: bool = Field(False, description="Income checked against the income documents (individuals).")
    verification_notes: LongText = Field(max_length=4000)


class RatingIn(StrictIn):
    decision: Annotated[str, OneOf(["confirmed", "overridden"])]
    level: Annotated[str, OneOf(["", "low", "medium", "high"])] = Field("", description="The level when overriding.")
    reason: LongText = Field("", max_length=4000, description="Required when overriding.")


class CreditQueryOut(Schema):
    id: int
    customer_id: int
    customer_name: str
    application_id: int | None
    business_on: dt.date
    queried_at: dt.datetime
    queried_by: str
    purpose: str
    consent_reference: str
    adapter: str
    outcome: str

    @staticmethod
    def resolve_customer_name(obj: Any, context: Any) -> str:
        return customer_name_for(context, obj.customer)

    @staticmethod
    def resolve_queried_by(obj: Any) -> str:
        return obj.queried_by.get_username()


class CreditQueryFilter(Schema):
    outcome: str = Field("", max_length=16, description="report, no_file, timeout, unavailable or refused.")
    since: dt.date | None = None
    until: dt.date | None = None


class OverrideQuery(Schema):
    since: dt.date | None = None
    until: dt.date | None = None


def _scoped(model: Any, request: HttpRequest, pk: int | None, field: str) -> Any:
    if pk is None:
        return None
    return get_field_in_scope(model.objects.all(), request.user, pk=pk, field=field, message=_("Not found."))


def guarantor_customers(request: HttpRequest, rows: list[GuarantorIn] | None) -> list[tuple[Customer, str]] | None:
    """The guarantors of a request body as (customer in the caller's scope, relationship); None when not given."""
    if rows is None:
        return None
    return [(_scoped(Customer, request, row.customer_id, "guarantors"), row.relationship) for row in rows]


def _get(request: HttpRequest, application_id: Id) -> LoanApplication:
    return selectors.application_get(user=request.user, pk=application_id)


@router.get(
    "/applications",
    auth=api_auth(Perm.APPLICATION_VIEW),
    response={200: list[ApplicationOut], **ERRORS},
    summary="Loan applications within your scope",
)
@paginate(PageNumber)
def application_list(request: HttpRequest, filters: Query[ApplicationQuery]) -> Any:
    return selectors.application_list(
        user=request.user,
        status=filters.status,
        customer_id=filters.customer_id,
        search=filters.q,
        risk_level=filters.risk_level,
    )


@router.post(
    "/applications",
    auth=api_auth(Perm.APPLICATION_EDIT),
    response={201: ApplicationDetailOut, **ERRORS},
    summary="Prepare a draft application",
)
def application_create(request: HttpRequest, payload: ApplicationIn) -> Any:
    values = payload.dict(exclude={"customer_id", "vehicle_id", "guarantors"})
    customer = _scoped(Customer, request, payload.customer_id, "customer_id")
    vehicle = _scoped(Vehicle, request, payload.vehicle_id, "vehicle_id")
    application = services.application_create(
        actor=request.user,
        customer=customer,
        vehicle=vehicle,
        guarantors=guarantor_customers(request, payload.guarantors),
        **values,
    )
    return Status(201, _get(request, application.pk))


@router.get(
    "/applications/{application_id}",
    auth=api_auth(Perm.APPLICATION_VIEW),
    response={200: ApplicationDetailOut, **ERRORS},
    summary="One application with its latest data-review checklist",
)
def application_detail(request: HttpRequest, application_id: Id) -> Any:
    return _get(request, application_id)


@router.patch(
    "/applications/{application_id}",
    auth=api_auth(Perm.APPLICATION_EDIT),
    response={200: ApplicationDetailOut, **ERRORS},
    summary="Change a draft or returned application",
)
def application_update(request: HttpRequest, application_id: Id, payload: ApplicationPatch) -> Any:
    application = _get(request, application_id)
    changes = payload.dict(exclude_unset=True, exclude={"guarantors"})
    if "vehicle_id" in changes:
        changes["vehicle"] = _scoped(Vehicle, request, changes.pop("vehicle_id"), "vehicle_id")
    services.application_update(
        actor=request.user,
        application=application,
        guarantors=guarantor_customers(request, payload.guarantors),
        **changes,
    )
    return _get(request, application_id)


@router.post(
    "/applications/{application_id}/submit",
    auth=api_auth(Perm.APPLICATION_EDIT),
    response={200: ApplicationDetailOut, **ERRORS},
    summary="Submit the application to risk (runs the data-review checklist)",
)
def application_submit(request: HttpRequest, application_id: Id, payload: CommentIn) -> Any:
    services.application_submit(actor=request.user, application=_get(request, application_id), comment=payload.comment)
    return _get(request, application_id)


@router.post(
    "/applications/{application_id}/withdraw",
    auth=api_auth(Perm.APPLICATION_EDIT),
    response={200: ApplicationDetailOut, **ERRORS},
    summary="Withdraw the application",
)
def application_withdraw(request: HttpRequest, application_id: Id, payload: CommentIn) -> Any:
    services.application_withdraw(
        actor=request.user, application=_get(request, application_id), comment=payload.comment
    )
    return _get(request, application_id)


@router.post(
    "/applications/{application_id}/review",
    auth=api_auth(Perm.APPLICATION_REVIEW),
    response={200: ApplicationDetailOut, **ERRORS},
    summary="Take a submitted application into data review",
)
def application_review(request: HttpRequest, application_id: Id) -> Any:
    services.review_start(actor=request.user, application=_get(request, application_id))
    return _get(request, application_id)


@router.post(
    "/applications/{application_id}/return",
    auth=api_auth(Perm.APPLICATION_REVIEW),
    response={200: ApplicationDetailOut, **ERRORS},
    summary="Return the application to sales for completion, with reasons",
)
def application_return(request: HttpRequest, application_id: Id, payload: ReturnIn) -> Any:
    services.application_return(actor=request.user, application=_get(request, application_id), reasons=payload.reasons)
    return _get(request, application_id)


@router.post(
    "/applications/{application_id}/assessment",
    auth=api_auth(Perm.APPLICATION_REVIEW),
    response={201: AssessmentOut, **ERRORS_WITH_BUREAU},
    summary="Assess: checklist, credit report, admission rules, scorecard and automated rating",
)
def assessment_create(request: HttpRequest, application_id: Id, payload: AssessIn) -> Any:
    """409 `review_failed` (with the failed items), 409 `consent_missing`, 503 `bureau_timeout` /
    `bureau_unavailable`: the application stays in review and can be assessed again."""
    assessment = services.assessment_run(
        actor=request.user, application=_get(request, application_id), **payload.dict()
    )
    return Status(201, assessment)


@router.get(
    "/applications/{application_id}/assessment",
    auth=api_auth(Perm.APPLICATION_VIEW),
    response={200: AssessmentOut, **ERRORS},
    summary="The latest assessment, explained",
)
def assessment_detail(request: HttpRequest, application_id: Id) -> Any:
    assessment = selectors.latest_assessment(_get(request, application_id))
    if assessment is None:
        raise NotFound(_("The application has not been assessed yet."))
    return assessment


@router.post(
    "/applications/{application_id}/rating",
    auth=api_auth(Perm.APPLICATION_REVIEW),
    response={200: AssessmentOut, **ERRORS},
    summary="Confirm the automated rating or override it with a reason",
)
def rating_decide(request: HttpRequest, application_id: Id, payload: RatingIn) -> Any:
    return services.rating_decide(actor=request.user, application=_get(request, application_id), **payload.dict())


@router.get(
    "/rating-overrides",
    auth=api_auth(Perm.APPLICATION_VIEW),
    response={200: list[OverrideOut], **ERRORS},
    summary="Ratings a risk officer overrode, with the reasons",
)
@paginate(PageNumber)
def override_list(request: HttpRequest, filters: Query[OverrideQuery]) -> Any:
    rows: Any = selectors.overrides(user=request.user, since=filters.since, until=filters.until)
    return rows


@router.get(
    "/credit-queries",
    auth=api_auth(Perm.APPLICATION_REVIEW, Perm.AUDIT_VIEW),
    response={200: list[CreditQueryOut], **ERRORS},
    summary="The credit-report query log: who queried whose file, when, why and under which consent",
)
@paginate(PageNumber)
def credit_query_list(request: HttpRequest, filters: Query[CreditQueryFilter]) -> Any:
    rows: Any = selectors.credit_query_log(
        user=request.user, outcome=filters.outcome, since=filters.since, until=filters.until
    )
    return rows
