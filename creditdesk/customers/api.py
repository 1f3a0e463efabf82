"""API of the customers app: `/customers` with masked identifiers, exact look-up, unmask and consents."""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.views.decorators.cache import never_cache
from ninja import Field, File, Form, Query, Router, Schema, UploadedFile
from ninja.decorators import decorate_view
from ninja.pagination import paginate
from ninja.responses import Status

from creditdesk.accounts.api import UnmaskIn, UnmaskOut
from creditdesk.accounts.auth import api_auth
from creditdesk.accounts.display import customer_name_for
from creditdesk.accounts.permissions import Perm
from creditdesk.accounts.services import sensitive_value_unmask
from creditdesk.core.api import ERRORS
from creditdesk.core.dates import business_date
from creditdesk.core.errors import ValidationFailed
from creditdesk.core.fields import Amount, IncomeAmount, PriceAmount
from creditdesk.core.masking import mask
from creditdesk.core.pagination import PageNumber
from creditdesk.core.schema import Date, Id, LongText, Name, OneOf, PurposeIn, StrictIn, StrictPatch, Text
from creditdesk.customers import documents, selectors, services
from creditdesk.customers.choices import (
    AgreementStatus,
    Channel,
    DocumentType,
    EventType,
    Gender,
    Housing,
    Impact,
    MaritalStatus,
    PartnerKind,
    SavingsBand,
)
from creditdesk.customers.models import Campaign, MarketingEvent, Partner

router = Router(tags=["customers"])


class CustomerIn(StrictIn):
    """A new customer: `kind` individual needs `id_number` and `mobile`; company needs `credit_code`."""

    kind: str = Field(pattern="^(individual|company)$")
    name: Name = Field(min_length=1, max_length=100)
    id_number: Text | None = Field(None, max_length=32)
    mobile: Text | None = Field(None, max_length=20)
    credit_code: Text | None = Field(None, max_length=32)
    address: Text | None = Field(None, max_length=300)
    channel: Annotated[str, OneOf(Channel)] | None = None
    gender: Annotated[str, OneOf(Gender)] | None = None
    birth_on: Date | None = None
    occupation: Text | None = Field(None, max_length=100)
    employer: Text | None = Field(None, max_length=200)
    employment_years: int | None = Field(None, ge=0, le=80)
    monthly_income_amount: IncomeAmount | None = None
    marital_status: Annotated[str, OneOf(MaritalStatus)] | None = None
    housing: Annotated[str, OneOf(Housing)] | None = None
    dependants: int | None = Field(None, ge=0, le=30)
    existing_debt_amount: PriceAmount | None = None
    savings_band: Annotated[str, OneOf(SavingsBand)] | None = None
    purchase_purpose: LongText | None = Field(None, max_length=200)
    budget_amount: PriceAmount | None = None
    legal_representative: Name | None = Field(None, max_length=100)
    legal_representative_id_number: Text | None = Field(None, max_length=32)
    registered_capital_amount: Amount | None = None
    established_on: Date | None = None
    business_scope: LongText | None = Field(None, max_length=2000)
    industry_division: int | None = Field(None, ge=1, le=97)
    employees: int | None = Field(None, ge=0)


class CustomerPatch(StrictPatch):
    name: Name | None = Field(None, min_length=1, max_length=100)
    mobile: Text | None = Field(None, max_length=20)
    address: Text | None = Field(None, max_length=300)
    occupation: Text | None = Field(None, max_length=100)
    employer: Text | None = Field(None, max_length=200)
    monthly_income_amount: IncomeAmount | None = None
    purchase_purpose: LongText | None = Field(None, max_length=200)
    budget_amount: PriceAmount | None = None
    registered_capital_amount: Amount | None = None
    employees: int | None = Field(None, ge=0)
    business_scope: LongText | None = Field(None, max_length=2000)


class CustomerOut(Schema):
    """A customer as lists and details show it: identifiers masked (PRIN-3), an individual's name masked for the
    governance roles (accounts/display.py)."""

    id: int
    kind: str
    name: str
    id_number: str
    mobile: str
    credit_code: str
    gender: str
    birth_on: dt.date | None
    grade: str
    credit_status: str
    channel: str
    owner: str
    org_unit: str
    created_at: dt.datetime

    @staticmethod
    def resolve_name(obj: Any, context: Any) -> str:
        return customer_name_for(context, obj)

    @staticmethod
    def resolve_id_number(obj: Any) -> str:
        return mask("id_number", obj.id_number)

    @staticmethod
    def resolve_mobile(obj: Any) -> str:
        return mask("mobile", obj.mobile)

    @staticmethod
    def resolve_credit_code(obj: Any) -> str:
        return mask("credit_code", obj.credit_code)

    @staticmethod
    def resolve_owner(obj: Any) -> str:
        return obj.owner.get_username()

    @staticmethod
    def resolve_org_unit(obj: Any) -> str:
        return obj.org_unit.code


class CustomerDetailOut(CustomerOut):
    address: str
    occupation: str
    employer: str
    monthly_income_amount: Decimal | None
    purchase_purpose: str
    budget_amount: Decimal | None
    legal_representative: str
    registered_capital_amount: Decimal | None
    established_on: dt.date | None
    industry_division: int | None
    employees: int | None
    authorization_in_force: bool

    @staticmethod
    def resolve_address(obj: Any) -> str:
        return mask("address", obj.address)

    @staticmethod
    def resolve_authorization_in_force(obj: Any) -> bool:
        return selectors.authorization_in_force(customer=obj, on=business_date()) is not None


class CustomerQuery(Schema):
    q: str = Field("", description="Name part, or an exact ID number, mobile or credit code.")
    id_number: str = Field("", description="Exact ID number (blind-index look-up).")
    mobile: str = Field("", description="Exact mobile number (blind-index look-up).")
    credit_code: str = Field("", description="Exact unified social credit code (blind-index look-up).")
    kind: str = ""
    grade: str = ""
    channel: str = ""
    owner: str = Field("", description="Username of the responsible salesperson.")
    branch: str = Field("", description="Org-unit code; includes the units below it.")


@router.get(
    "/customers",
    auth=api_auth(Perm.CUSTOMER_VIEW),
    response={200: list[CustomerOut], **ERRORS},
    summary="Customers within your scope",
)
@paginate(PageNumber)
def customer_list(request: HttpRequest, filters: Query[CustomerQuery]) -> Any:
    return selectors.customer_list(user=request.user, filters=selectors.CustomerFilters(**filters.dict()))


@router.post(
    "/customers",
    auth=api_auth(Perm.CUSTOMER_EDIT),
    response={201: CustomerDetailOut, **ERRORS},
    summary="Register a customer",
)
def customer_create(request: HttpRequest, payload: CustomerIn) -> Any:
    """A duplicate ID number or credit code answers 409 with `details.existing_id` (ACQ-2)."""
    values = payload.dict(exclude_none=True)
    customer = services.customer_create(actor=request.user, kind=values.pop("kind"), **values)
    return Status(201, customer)


class SentOut(Schema):
    status: str


class AccessRequestIn(StrictIn):
    id_number: Text = Field("", max_length=32, description="the refused ID number, or")
    credit_code: Text = Field("", max_length=32, description="the refused unified social credit code")
    reason: LongText = Field(min_length=1, max_length=500)


class AccessRequestOut(Schema):
    id: int
    business_on: dt.date
    customer_id: int = Field(alias="subject_id")
    customer_name: str = Field(alias="subject_repr")
    requested_by: str = Field(alias="actor_repr")
    reason: str = Field(alias="comment")


@router.post(
    "/customers/access-requests",
    auth=api_auth(Perm.CUSTOMER_EDIT),
    response={202: SentOut, **ERRORS},
    summary="Request access to a customer registered outside your scope",
)
def access_request_create(request: HttpRequest, payload: AccessRequestIn) -> Any:
    """After a registration answered 409 `identifier_registered`: the request goes to the customer's owner and
    head office. The answer is 202 whether or not the identifier belongs to anyone (no existence oracle)."""
    services.customer_access_request(actor=request.user, **payload.dict())
    return Status(202, SentOut(status="sent"))


@router.get(
    "/customers/access-requests",
    auth=api_auth(Perm.CUSTOMER_EDIT),
    response={200: list[AccessRequestOut], **ERRORS},
    summary="Access requests for the customers you look after",
)
@paginate(PageNumber)
def access_request_list(request: HttpRequest) -> Any:
    return selectors.access_requests(user=request.user, on=business_date())


@router.get(
    "/customers/{customer_id}",
    auth=api_auth(Perm.CUSTOMER_VIEW),
    response={200: CustomerDetailOut, **ERRORS},
    summary="One customer",
)
def customer_detail(request: HttpRequest, customer_id: Id) -> Any:
    return selectors.customer_get(user=request.user, pk=customer_id)


@router.patch(
    "/customers/{customer_id}",
    auth=api_auth(Perm.CUSTOMER_EDIT),
    response={200: CustomerDetailOut, **ERRORS},
    summary="Change a customer",
)
def customer_update(request: HttpRequest, customer_id: Id, payload: CustomerPatch) -> Any:
    customer = selectors.customer_get(user=request.user, pk=customer_id)
    return services.customer_update(actor=request.user, customer=customer, **payload.dict(exclude_unset=True))


@router.post(
    "/customers/{customer_id}/unmask",
    auth=api_auth(Perm.CUSTOMER_UNMASK),
    response={200: UnmaskOut, **ERRORS},
    summary="Unmask one value",
)
@decorate_view(never_cache)
def customer_unmask(request: HttpRequest, customer_id: Id, payload: UnmaskIn) -> Any:
    """The value in full, once; an access-log row records who, when, which field, why and from where (SEC-7)."""
    customer = selectors.customer_get(user=request.user, pk=customer_id)
    value = sensitive_value_unmask(
        actor=request.user,
        subject=customer,
        field=payload.field,
        purpose=payload.purpose,
        client_address=request.META.get("REMOTE_ADDR"),
    )
    return UnmaskOut(field=payload.field, value=value)


class AuthorizationIn(StrictIn):
    signed_on: Date
    expires_on: Date
    purpose: LongText = Field(min_length=1, max_length=200)
    document_reference: Text = Field(min_length=1, max_length=100)
    scope: LongText = "credit_report"


class AuthorizationOut(Schema):
    id: int
    signed_on: dt.date
    expires_on: dt.date
    scope: str
    purpose: str
    document_reference: str
    revoked_on: dt.date | None


@router.get(
    "/customers/{customer_id}/consents",
    auth=api_auth(Perm.CUSTOMER_VIEW),
    response={200: list[AuthorizationOut], **ERRORS},
    summary="Credit-report authorizations",
)
def consent_list(request: HttpRequest, customer_id: Id) -> Any:
    customer = selectors.customer_get(user=request.user, pk=customer_id)
    return list(selectors.authorizations(customer=customer))


@router.post(
    "/customers/{customer_id}/consents",
    auth=api_auth(Perm.CUSTOMER_EDIT),
    response={201: AuthorizationOut, **ERRORS},
    summary="Record a credit-report authorization",
)
def consent_create(request: HttpRequest, customer_id: Id, payload: AuthorizationIn) -> Any:
    customer = selectors.customer_get(user=request.user, pk=customer_id)
    return Status(201, services.authorization_record(actor=request.user, customer=customer, **payload.dict()))


# --- Acquisition: leads and partners (ACQ-1…3) -----------------------------------------------------------


class LeadIn(StrictIn):
    name: Name = Field(min_length=1, max_length=100)
    kind: str = Field("individual", pattern="^(individual|company)$")
    channel: Annotated[str, OneOf(Channel)]
    mobile: Text | None = Field(None, max_length=20)
    id_number: Text | None = Field(None, max_length=32)
    credit_code: Text | None = Field(None, max_length=32)
    partner_id: Id | None = None
    campaign_id: Id | None = None
    event_id: Id | None = None
    notes: LongText = Field("", max_length=2000)


class LeadOut(Schema):
    id: int
    name: str
    kind: str
    status: str
    channel: str
    mobile: str
    partner: str | None
    owner: str
    customer_id: int | None
    lost_reason: str
    created_at: dt.datetime

    @staticmethod
    def resolve_name(obj: Any, context: Any) -> str:
        return customer_name_for(context, obj)

    @staticmethod
    def resolve_mobile(obj: Any) -> str:
        return mask("mobile", obj.mobile)

    @staticmethod
    def resolve_partner(obj: Any) -> str | None:
        return obj.partner.name if obj.partner else None

    @staticmethod
    def resolve_owner(obj: Any) -> str:
        return obj.owner.get_username()


class LeadQuery(Schema):
    status: str = ""
    channel: str = ""
    q: str = ""


class LeadMoveIn(StrictIn):
    to: str = Field(pattern="^(contacted|qualified|lost)$")
    reason: LongText = Field("", max_length=200)


class LeadConvertIn(StrictIn):
    id_number: Text | None = Field(None, max_length=32)
    credit_code: Text | None = Field(None, max_length=32)
    mobile: Text | None = Field(None, max_length=20)


@router.get(
    "/leads",
    auth=api_auth(Perm.CUSTOMER_VIEW),
    response={200: list[LeadOut], **ERRORS},
    tags=["leads"],
    summary="Leads within your scope",
)
@paginate(PageNumber)
def lead_list(request: HttpRequest, filters: Query[LeadQuery]) -> Any:
    return selectors.lead_list(user=request.user, status=filters.status, channel=filters.channel, search=filters.q)


def _registry(model: Any, pk: int | None, field: str) -> Any:
    if pk is None:
        return None
    obj = model.objects.filter(pk=pk).first()
    if obj is None:
        raise ValidationFailed.on(field, "No such record.")
    return obj


@router.post(
    "/leads",
    auth=api_auth(Perm.CUSTOMER_EDIT),
    response={201: LeadOut, **ERRORS},
    tags=["leads"],
    summary="Record a lead",
)
def lead_create(request: HttpRequest, payload: LeadIn) -> Any:
    values = payload.dict(exclude_none=True)
    values["partner"] = _registry(Partner, values.pop("partner_id", None), "partner_id")
    values["campaign"] = _registry(Campaign, values.pop("campaign_id", None), "campaign_id")
    values["event"] = _registry(MarketingEvent, values.pop("event_id", None), "event_id")
    return Status(201, services.lead_create(actor=request.user, **values))


@router.get(
    "/leads/{lead_id}",
    auth=api_auth(Perm.CUSTOMER_VIEW),
    response={200: LeadOut, **ERRORS},
    tags=["leads"],
    summary="One lead",
)
def lead_detail(request: HttpRequest, lead_id: Id) -> Any:
    return selectors.lead_get(user=request.user, pk=lead_id)


@router.post(
    "/leads/{lead_id}/status",
    auth=api_auth(Perm.CUSTOMER_EDIT),
    response={200: LeadOut, **ERRORS},
    tags=["leads"],
    summary="Move a lead to contacted, qualified or lost",
)
def lead_move(request: HttpRequest, lead_id: Id, payload: LeadMoveIn) -> Any:
    lead = selectors.lead_get(user=request.user, pk=lead_id)
    return services.lead_advance(actor=request.user, lead=lead, to=payload.to, reason=payload.reason)


@router.post(
    "/leads/{lead_id}/convert",
    auth=api_auth(Perm.CUSTOMER_EDIT),
    response={200: CustomerDetailOut, **ERRORS},
    tags=["leads"],
    summary="Convert a lead into a customer",
)
def lead_convert(request: HttpRequest, lead_id: Id, payload: LeadConvertIn) -> Any:
    """Links to the existing customer when the ID number or credit code is already on file (ACQ-2)."""
    lead = selectors.lead_get(user=request.user, pk=lead_id)
    return services.lead_convert(actor=request.user, lead=lead, **payload.dict(exclude_none=True))


class PartnerIn(StrictIn):
    name: Name = Field(min_length=1, max_length=200)
    kind: Annotated[str, OneOf(PartnerKind)]
    contact_name: Name = Field("", max_length=100)
    contact_phone: Text = Field("", max_length=32)
    address: Text = Field("", max_length=300)
    agreement_status: Annotated[str, OneOf(AgreementStatus)] = "none"
    agreement_signed_on: Date | None = None
    agreement_expires_on: Date | None = None
    is_active: bool = True


class PartnerPatch(StrictPatch):
    name: Name | None = Field(None, min_length=1, max_length=200)
    contact_name: Name | None = Field(None, max_length=100)
    contact_phone: Text | None = Field(None, max_length=32)
    address: Text | None = Field(None, max_length=300)
    agreement_status: Annotated[str, OneOf(AgreementStatus)] | None = None
    agreement_signed_on: Date | None = None
    agreement_expires_on: Date | None = None
    is_active: bool | None = None


class PartnerOut(Schema):
    id: int
    name: str
    kind: str
    contact_name: str
    contact_phone: str
    address: str
    agreement_status: str
    agreement_signed_on: dt.date | None
    agreement_expires_on: dt.date | None
    is_active: bool


class PartnerQuery(Schema):
    q: str = ""
    active: bool = False


@router.get(
    "/partners",
    auth=api_auth(Perm.CUSTOMER_VIEW),
    response={200: list[PartnerOut], **ERRORS},
    tags=["partners"],
    summary="The partner registry",
)
@paginate(PageNumber)
def partner_list(request: HttpRequest, filters: Query[PartnerQuery]) -> Any:
    return selectors.partner_list(active_only=filters.active, search=filters.q)


@router.post(
    "/partners",
    auth=api_auth(Perm.CUSTOMER_EDIT),
    response={201: PartnerOut, **ERRORS},
    tags=["partners"],
    summary="Register a partner",
)
def partner_create(request: HttpRequest, payload: PartnerIn) -> Any:
    return Status(201, services.partner_save(actor=request.user, **payload.dict()))


@router.get(
    "/partners/{partner_id}",
    auth=api_auth(Perm.CUSTOMER_VIEW),
    response={200: PartnerOut, **ERRORS},
    tags=["partners"],
    summary="One partner",
)
def partner_detail(request: HttpRequest, partner_id: Id) -> Any:
    return get_object_or_404(Partner, pk=partner_id)


@router.patch(
    "/partners/{partner_id}",
    auth=api_auth(Perm.CUSTOMER_EDIT),
    response={200: PartnerOut, **ERRORS},
    tags=["partners"],
    summary="Change a partner",
)
def partner_update(request: HttpRequest, partner_id: Id, payload: PartnerPatch) -> Any:
    partner = get_object_or_404(Partner, pk=partner_id)
    return services.partner_save(actor=request.user, partner=partner, **payload.dict(exclude_unset=True))


# --- Records: documents, financials, events, timeline, grade ---------------------------------------------


class DocumentOut(Schema):
    id: int
    doc_type: str
    original_name: str
    content_type: str
    size_bytes: int
    sha256: str
    period: str
    created_at: dt.datetime

    @staticmethod
    def resolve_original_name(obj: Any) -> str:
        # Identifier-like digit runs masked: the name is metadata, shown without a purpose (item 8).
        return str(obj.shown_name)


@router.get(
    "/customers/{customer_id}/documents",
    auth=api_auth(Perm.CUSTOMER_VIEW),
    response={200: list[DocumentOut], **ERRORS},
    summary="Documents of a customer",
)
def document_list(request: HttpRequest, customer_id: Id) -> Any:
    return list(selectors.documents(customer=selectors.customer_get(user=request.user, pk=customer_id)))


@router.post(
    "/customers/{customer_id}/documents",
    auth=api_auth(Perm.CUSTOMER_EDIT),
    response={201: DocumentOut, **ERRORS},
    summary="Upload a document (PDF, JPEG or PNG, ≤ 10 MB)",
)
def document_create(
    request: HttpRequest,
    customer_id: Id,
    file: File[UploadedFile],
    doc_type: Form[Annotated[str, OneOf(DocumentType)]],
    period: Form[str] = "",
) -> Any:
    customer = selectors.customer_get(user=request.user, pk=customer_id)
    return Status(
        201,
        services.document_upload(actor=request.user, customer=customer, doc_type=doc_type, upload=file, period=period),
    )


@router.post(
    "/customers/{customer_id}/documents/{document_id}/download",
    auth=api_auth(Perm.CUSTOMER_VIEW),
    response={200: None, **ERRORS},
    summary="Download a document (decrypted, for a logged purpose)",
)
@decorate_view(never_cache)
def document_download(request: HttpRequest, customer_id: Id, document_id: Id, payload: PurposeIn) -> Any:
    """The original bytes, streamed; an access-log row records who, which document, why and from where (item 8)."""
    document = selectors.document_get(user=request.user, customer_id=customer_id, pk=document_id)
    chunks = documents.document_download(
        actor=request.user, document=document, purpose=payload.purpose, client_address=request.META.get("REMOTE_ADDR")
    )
    return documents.document_response(document, chunks)


class StatementIn(StrictIn):
    period: Text = Field(min_length=1, max_length=16)
    period_end_on: Date
    audited: bool = False
    current_assets_amount: Amount
    inventories_amount: Amount = Decimal("0.00")
    total_assets_amount: Amount
    current_liabilities_amount: Amount
    total_liabilities_amount: Amount
    equity_amount: Amount
    revenue_amount: Amount
    net_profit_amount: Amount
    operating_cash_flow_amount: Amount | None = None


class RatiosOut(Schema):
    current_ratio: Decimal | None
    quick_ratio: Decimal | None
    debt_to_asset: Decimal | None
    roe: Decimal | None
    net_margin: Decimal | None
    revenue_growth: Decimal | None
    operating_cash_flow_ratio: Decimal | None


class StatementOut(Schema):
    period: str
    period_end_on: dt.date
    audited: bool
    total_assets_amount: Decimal
    revenue_amount: Decimal
    net_profit_amount: Decimal
    ratios: RatiosOut


@router.get(
    "/customers/{customer_id}/financials",
    auth=api_auth(Perm.CUSTOMER_VIEW),
    response={200: list[StatementOut], **ERRORS},
    summary="Statements with ratios, oldest first",
)
def statement_list(request: HttpRequest, customer_id: Id) -> Any:
    customer = selectors.customer_get(user=request.user, pk=customer_id)
    return [
        {
            **{
                f: getattr(s, f)
                for f in (
                    "period",
                    "period_end_on",
                    "audited",
                    "total_assets_amount",
                    "revenue_amount",
                    "net_profit_amount",
                )
            },
            "ratios": r.__dict__,
        }
        for s, r in selectors.statements_with_ratios(customer=customer)
    ]


@router.post(
    "/customers/{customer_id}/financials",
    auth=api_auth(Perm.CUSTOMER_EDIT),
    response={201: StatementOut, **ERRORS},
    summary="Record a period's statement",
)
def statement_create(request: HttpRequest, customer_id: Id, payload: StatementIn) -> Any:
    customer = selectors.customer_get(user=request.user, pk=customer_id)
    statement = services.statement_record(actor=request.user, customer=customer, **payload.dict())
    ratios = dict(selectors.statements_with_ratios(customer=customer))[statement]
    return Status(201, {**payload.dict(), "ratios": ratios.__dict__})


class MajorEventIn(StrictIn):
    event_type: Annotated[str, OneOf(EventType)]
    occurred_on: Date
    description: LongText = Field(min_length=1, max_length=4000)
    impact: Annotated[str, OneOf(Impact)] = "neutral"
    impact_assessment: LongText = Field("", max_length=4000)


class MajorEventOut(Schema):
    id: int
    event_type: str
    occurred_on: dt.date
    description: str
    impact: str
    impact_assessment: str


@router.get(
    "/customers/{customer_id}/events",
    auth=api_auth(Perm.CUSTOMER_VIEW),
    response={200: list[MajorEventOut], **ERRORS},
    summary="Major events of a customer",
)
def event_list(request: HttpRequest, customer_id: Id) -> Any:
    return list(selectors.major_events(customer=selectors.customer_get(user=request.user, pk=customer_id)))


@router.post(
    "/customers/{customer_id}/events",
    auth=api_auth(Perm.CUSTOMER_EDIT, Perm.CUSTOMER_GRADE),
    response={201: MajorEventOut, **ERRORS},
    summary="Record a major event",
)
def event_create(request: HttpRequest, customer_id: Id, payload: MajorEventIn) -> Any:
    customer = selectors.customer_get(user=request.user, pk=customer_id)
    return Status(201, services.major_event_record(actor=request.user, customer=customer, **payload.dict()))


class TimelineOut(Schema):
    at: dt.datetime
    kind: str
    title: str
    detail: str


@router.get(
    "/customers/{customer_id}/timeline",
    auth=api_auth(Perm.CUSTOMER_VIEW),
    response={200: list[TimelineOut], **ERRORS},
    summary="What happened to the customer, newest first",
)
def customer_timeline(request: HttpRequest, customer_id: Id) -> Any:
    return selectors.timeline(customer=selectors.customer_get(user=request.user, pk=customer_id))


class GradeIn(StrictIn):
    grade: str = Field(pattern="^[ABCD]$")
    reason: LongText = Field(min_length=1, max_length=300)


@router.post(
    "/customers/{customer_id}/grade",
    auth=api_auth(Perm.CUSTOMER_GRADE),
    response={200: CustomerDetailOut, **ERRORS},
    summary="Change the grade with a reason",
)
def customer_grade(request: HttpRequest, customer_id: Id, payload: GradeIn) -> Any:
    customer = selectors.customer_get(user=request.user, pk=customer_id)
    return services.grade_set(actor=request.user, customer=customer, grade=payload.grade, reason=payload.reason)
