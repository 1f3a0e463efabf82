"""API of the customers app: `/customers` with masked identifiers, exact look-up, unmask and consents."""

from typing import Annotated, Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.views.decorators.cache import never_cache
from ninja import File, Form, Query, Router, UploadedFile
from ninja.decorators import decorate_view
from ninja.pagination import paginate
from ninja.responses import Status

from creditdesk.accounts.api import UnmaskIn, UnmaskOut
from creditdesk.accounts.auth import api_auth
from creditdesk.accounts.permissions import Perm
from creditdesk.accounts.services import sensitive_value_unmask
from creditdesk.core.api import ERRORS
from creditdesk.core.dates import business_date
from creditdesk.core.errors import ValidationFailed
from creditdesk.core.pagination import PageNumber
from creditdesk.core.schema import Id, OneOf, PurposeIn
from creditdesk.customers import documents, selectors, services
from creditdesk.customers.choices import (
    DocumentType,
)
from creditdesk.customers.models import Campaign, MarketingEvent, Partner
from creditdesk.customers.schemas import (
    AccessRequestIn,
    AccessRequestOut,
    AuthorizationIn,
    AuthorizationOut,
    CustomerDetailOut,
    CustomerIn,
    CustomerOut,
    CustomerPatch,
    CustomerQuery,
    DocumentOut,
    GradeIn,
    LeadConvertIn,
    LeadIn,
    LeadMoveIn,
    LeadOut,
    LeadQuery,
    MajorEventIn,
    MajorEventOut,
    PartnerIn,
    PartnerOut,
    PartnerPatch,
    PartnerQuery,
    SentOut,
    StatementIn,
    StatementOut,
    TimelineOut,
)

router = Router(tags=["customers"])


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
    doc_type: Form[Annotated[str, OneOf(DocumentType)]],
    # Optional in the schema: a browser or a client sends an empty file part, which Django drops as no file; the
    # service answers it with a field error ("Choose a file to upload.") instead of pydantic's "Field required".
    file: File[UploadedFile | None] = None,
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


@router.get(
    "/customers/{customer_id}/timeline",
    auth=api_auth(Perm.CUSTOMER_VIEW),
    response={200: list[TimelineOut], **ERRORS},
    summary="What happened to the customer, newest first",
)
def customer_timeline(request: HttpRequest, customer_id: Id) -> Any:
    return selectors.timeline(customer=selectors.customer_get(user=request.user, pk=customer_id))


@router.post(
    "/customers/{customer_id}/grade",
    auth=api_auth(Perm.CUSTOMER_GRADE),
    response={200: CustomerDetailOut, **ERRORS},
    summary="Change the grade with a reason",
)
def customer_grade(request: HttpRequest, customer_id: Id, payload: GradeIn) -> Any:
    customer = selectors.customer_get(user=request.user, pk=customer_id)
    return services.grade_set(actor=request.user, customer=customer, grade=payload.grade, reason=payload.reason)
