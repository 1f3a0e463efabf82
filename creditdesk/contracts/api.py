"""The contracts API (`/api/v1/`), issue 13 item 1 (CON-1…CON-4): generate from an approved plan, list, detail,
PDF, reviews (`/decisions {outcome, opinion}`, the shape of the plan decisions), key terms, signing, mortgage."""

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status

from creditdesk.accounts.auth import api_auth
from creditdesk.accounts.permissions import Perm
from creditdesk.contracts import pdf, selectors, services
from creditdesk.contracts.models import Contract
from creditdesk.contracts.reviews import contract_decide
from creditdesk.contracts.schemas import (
    CancelIn,
    CommentIn,
    ContractDecisionIn,
    ContractDetailOut,
    ContractOut,
    ContractQuery,
    KeyTermOut,
    KeyTermsIn,
    MortgageOut,
    ReleaseIn,
    ReviewOut,
)
from creditdesk.core.api import ERRORS
from creditdesk.core.dates import business_date
from creditdesk.core.errors import ValidationFailed
from creditdesk.core.pagination import PageNumber
from creditdesk.core.schema import ISO_DATE, Id
from creditdesk.lending import selectors as lending

router = Router(tags=["contracts"])


def _get(request: HttpRequest, contract_id: int) -> Contract:
    return selectors.contract_get(user=request.user, pk=contract_id)


@router.post(
    "/plans/{plan_id}/contract",
    auth=api_auth(Perm.CONTRACT_EDIT),
    response={201: ContractDetailOut, **ERRORS},
    summary="Generate the contract of an approved plan",
)
def contract_create(request: HttpRequest, plan_id: Id) -> Any:
    """409 `plan_not_approved`, `contract_exists` (with its id in `details`) or `vehicle_pledged`."""
    plan = lending.plan_get(user=request.user, pk=plan_id, today=business_date())
    contract = services.contract_generate(actor=request.user, plan=plan)
    return Status(201, _get(request, contract.pk))


@router.get(
    "/contracts",
    auth=api_auth(Perm.CONTRACT_VIEW),
    response={200: list[ContractOut], **ERRORS},
    summary="Contracts within your scope, newest first",
)
@paginate(PageNumber)
def contract_list(request: HttpRequest, filters: Query[ContractQuery]) -> Any:
    return selectors.contract_list(
        user=request.user, status=filters.status, customer_id=filters.customer_id, search=filters.search
    )


@router.get(
    "/contracts/{contract_id}",
    auth=api_auth(Perm.CONTRACT_VIEW),
    response={200: ContractDetailOut, **ERRORS},
    summary="One contract with its frozen figures, reviews, key terms, signatures and mortgage",
)
def contract_detail(request: HttpRequest, contract_id: Id) -> Any:
    return _get(request, contract_id)


@router.get(
    "/contracts/{contract_id}/pdf",
    auth=api_auth(Perm.CONTRACT_VIEW),
    response={200: None, **ERRORS},
    summary="The contract as a PDF (the signed PDF once signed)",
    openapi_extra={"responses": {200: {"description": "The PDF", "content": {"application/pdf": {}}}}},
)
def contract_pdf(request: HttpRequest, contract_id: Id) -> Any:
    contract = Contract.objects.get(pk=_get(request, contract_id).pk)  # with the signed PDF's bytes
    response = HttpResponse(pdf.render_contract(contract), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{contract.number}.pdf"'
    return response


@router.post(
    "/contracts/{contract_id}/submit",
    auth=api_auth(Perm.CONTRACT_EDIT),
    response={200: ContractDetailOut, **ERRORS},
    summary="Send a draft contract to the business review",
)
def contract_submit(request: HttpRequest, contract_id: Id, payload: CommentIn) -> Any:
    services.contract_submit(actor=request.user, contract=_get(request, contract_id), comment=payload.comment)
    return _get(request, contract_id)


@router.post(
    "/contracts/{contract_id}/cancel",
    auth=api_auth(Perm.CONTRACT_EDIT),
    response={200: ContractDetailOut, **ERRORS},
    summary="Cancel a contract that is not signed (a comment is required)",
)
def contract_cancel(request: HttpRequest, contract_id: Id, payload: CancelIn) -> Any:
    services.contract_cancel(actor=request.user, contract=_get(request, contract_id), comment=payload.comment)
    return _get(request, contract_id)


@router.get(
    "/contracts/{contract_id}/decisions",
    auth=api_auth(Perm.CONTRACT_VIEW),
    response={200: list[ReviewOut], **ERRORS},
    summary="The contract's reviews, oldest first",
)
def review_list(request: HttpRequest, contract_id: Id) -> Any:
    return list(selectors.reviews(_get(request, contract_id)).select_related("contract"))


@router.post(
    "/contracts/{contract_id}/decisions",
    auth=api_auth(Perm.CONTRACT_REVIEW),
    response={201: ReviewOut, **ERRORS},
    summary="Approve or reject the contract at its current review stage, with an opinion",
)
def review_create(request: HttpRequest, contract_id: Id, payload: ContractDecisionIn) -> Any:
    """403 `wrong_role` or `segregation_of_duties`; 409 `contract_not_in_review`; 422 without an opinion."""
    review = contract_decide(
        actor=request.user, contract=_get(request, contract_id), outcome=payload.outcome, opinion=payload.opinion
    )
    return Status(201, review)


@router.post(
    "/contracts/{contract_id}/key-terms",
    auth=api_auth(Perm.CONTRACT_EDIT),
    response={200: list[KeyTermOut], **ERRORS},
    summary="Record key terms as explained to the customer (the checklist so far)",
)
def key_terms(request: HttpRequest, contract_id: Id, payload: KeyTermsIn) -> Any:
    rows = services.key_terms_explain(actor=request.user, contract=_get(request, contract_id), items=payload.items)
    return list(rows)


@router.post(
    "/contracts/{contract_id}/sign",
    auth=api_auth(Perm.CONTRACT_EDIT),
    response={200: ContractDetailOut, **ERRORS},
    summary="Sign for every party through the e-signature adapter",
)
def contract_sign(request: HttpRequest, contract_id: Id) -> Any:
    """409 `contract_not_ready` unless ready to sign; 409 `key_terms_incomplete` with the missing items."""
    services.contract_sign(actor=request.user, contract=_get(request, contract_id))
    return _get(request, contract_id)


@router.post(
    "/contracts/{contract_id}/mortgage/registration",
    auth=api_auth(Perm.CONTRACT_EDIT),
    response={200: MortgageOut, **ERRORS},
    summary="Record the mortgage as registered (number, date, evidence document)",
)
def mortgage_register(
    request: HttpRequest,
    contract_id: Id,
    # Optional in the schema (an empty multipart value is "missing" to ninja): the service names the field.
    registration_number: Form[str] = "",
    # A string for the same reason (a multipart form has no null): YYYY-MM-DD, empty for the business date.
    registered_on: Form[str] = "",
    evidence: File[UploadedFile | None] = None,
) -> Any:
    """409 `contract_not_signed`, `mortgage_not_pending` or `no_mortgage`; 422 for a missing or bad field."""
    return services.mortgage_register(
        actor=request.user,
        contract=_get(request, contract_id),
        registration_number=registration_number,
        registered_on=_form_date("registered_on", registered_on),
        evidence=evidence,
    )


def _form_date(field: str, value: str) -> dt.date:
    """A date of a multipart form: ISO YYYY-MM-DD, or the business date when left empty."""
    value = value.strip()
    if not value:
        return business_date()
    try:
        if not ISO_DATE.fullmatch(value):
            raise ValueError(value)
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValidationFailed.on(field, _("Enter the date as YYYY-MM-DD.")) from None


@router.post(
    "/contracts/{contract_id}/mortgage/release",
    auth=api_auth(Perm.CONTRACT_EDIT),
    response={200: MortgageOut, **ERRORS},
    summary="Release a registered mortgage (at settlement)",
)
def mortgage_release(request: HttpRequest, contract_id: Id, payload: ReleaseIn) -> Any:
    """409 `mortgage_not_registered` or `no_mortgage`."""
    return services.mortgage_release(
        actor=request.user, contract=_get(request, contract_id), released_on=payload.released_on
    )
