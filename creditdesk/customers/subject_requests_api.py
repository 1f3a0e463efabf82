"""API of the data-subject request register: `/subject-requests` (PIPL Art. 44–47)."""

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from creditdesk.accounts.auth import api_auth
from creditdesk.accounts.display import customer_name_for
from creditdesk.accounts.permissions import Perm
from creditdesk.core.api import ERRORS
from creditdesk.core.dates import business_date
from creditdesk.core.pagination import PageNumber
from creditdesk.core.schema import Id, LongText, OneOf, StrictIn, Text
from creditdesk.core.spreadsheets import xlsx_response
from creditdesk.customers import selectors
from creditdesk.customers import subject_requests as services
from creditdesk.customers.choices import SubjectRequestChannel, SubjectRequestKind

router = Router(tags=["data-subject requests"])


class SubjectRequestIn(StrictIn):
    customer_id: Id
    kind: Annotated[str, OneOf(SubjectRequestKind)]
    channel: Annotated[str, OneOf(SubjectRequestChannel)]
    details: LongText = Field("", max_length=2000)


class VerifyIn(StrictIn):
    evidence: Text = Field(max_length=200, description="How the customer's identity was verified.")


class CompleteIn(StrictIn):
    outcome: LongText = Field(max_length=4000, description="What was provided, corrected or deleted.")


class RefuseIn(StrictIn):
    reason: LongText = Field(max_length=4000, description="The reason the customer is told (PIPL Art. 50).")


class SubjectRequestOut(Schema):
    id: int
    customer_id: int
    customer_name: str
    kind: str
    channel: str
    status: str
    details: str
    received_on: dt.date
    due_on: dt.date
    overdue: bool
    identity_evidence: str
    outcome: str
    refusal_reason: str
    closed_on: dt.date | None
    anonymise_on: dt.date | None

    @staticmethod
    def resolve_customer_name(obj: Any, context: Any) -> str:
        return customer_name_for(context, obj.customer)

    @staticmethod
    def resolve_overdue(obj: Any) -> bool:
        return obj.is_open and obj.due_on < business_date()


class SubjectRequestQuery(Schema):
    kind: str = ""
    status: str = ""
    overdue: bool = False
    q: str = Field("", max_length=100)


@router.get(
    "/subject-requests",
    auth=api_auth(Perm.SUBJECT_REQUEST_VIEW),
    response={200: list[SubjectRequestOut], **ERRORS},
    summary="The data-subject request register",
)
@paginate(PageNumber)
def request_list(request: HttpRequest, filters: Query[SubjectRequestQuery]) -> Any:
    found = selectors.SubjectRequestFilters(**filters.dict())
    return selectors.subject_request_list(user=request.user, filters=found, on=business_date())


@router.post(
    "/subject-requests",
    auth=api_auth(Perm.SUBJECT_REQUEST_INTAKE),
    response={201: SubjectRequestOut, **ERRORS},
    summary="Register a customer's request",
)
def request_create(request: HttpRequest, payload: SubjectRequestIn) -> Any:
    customer = selectors.customer_get(user=request.user, pk=payload.customer_id)
    values = payload.dict(exclude={"customer_id"})
    return Status(201, services.subject_request_receive(actor=request.user, customer=customer, **values))


@router.get(
    "/subject-requests/{request_id}",
    auth=api_auth(Perm.SUBJECT_REQUEST_VIEW),
    response={200: SubjectRequestOut, **ERRORS},
    summary="One request",
)
def request_detail(request: HttpRequest, request_id: Id) -> Any:
    return selectors.subject_request_get(user=request.user, pk=request_id)


@router.post(
    "/subject-requests/{request_id}/verify",
    auth=api_auth(Perm.SUBJECT_REQUEST_HANDLE),
    response={200: SubjectRequestOut, **ERRORS},
    summary="Record the identity check",
)
def request_verify(request: HttpRequest, request_id: Id, payload: VerifyIn) -> Any:
    found = selectors.subject_request_get(user=request.user, pk=request_id)
    return services.subject_request_verify(actor=request.user, request=found, evidence=payload.evidence)


@router.post(
    "/subject-requests/{request_id}/complete",
    auth=api_auth(Perm.SUBJECT_REQUEST_HANDLE),
    response={200: SubjectRequestOut, **ERRORS},
    summary="Close a request with its outcome",
)
def request_complete(request: HttpRequest, request_id: Id, payload: CompleteIn) -> Any:
    found = selectors.subject_request_get(user=request.user, pk=request_id)
    return services.subject_request_complete(actor=request.user, request=found, outcome=payload.outcome)


@router.post(
    "/subject-requests/{request_id}/refuse",
    auth=api_auth(Perm.SUBJECT_REQUEST_HANDLE),
    response={200: SubjectRequestOut, **ERRORS},
    summary="Refuse a request, with the reason",
)
def request_refuse(request: HttpRequest, request_id: Id, payload: RefuseIn) -> Any:
    found = selectors.subject_request_get(user=request.user, pk=request_id)
    return services.subject_request_refuse(actor=request.user, request=found, reason=payload.reason)


@router.get(
    "/subject-requests/{request_id}/copy",
    auth=api_auth(Perm.SUBJECT_REQUEST_HANDLE),
    response={200: None, **ERRORS},
    summary="The customer's information as an .xlsx copy (verified access requests)",
)
def request_copy(request: HttpRequest, request_id: Id) -> HttpResponse:
    found = selectors.subject_request_get(user=request.user, pk=request_id)
    content = services.subject_request_copy(
        actor=request.user, request=found, client_address=request.META.get("REMOTE_ADDR")
    )
    return xlsx_response(content, f"subject-request-{found.pk}.xlsx")
