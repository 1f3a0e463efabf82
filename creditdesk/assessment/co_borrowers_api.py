"""API of co-borrowers (共同借款人): `/applications/{id}/co-borrowers`, added and removed while the application is a
draft, each a customer in the caller's scope with their own credit-report consent (issue 11 item 9)."""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status

from creditdesk.accounts.auth import api_auth
from creditdesk.accounts.display import customer_name_for
from creditdesk.accounts.permissions import Perm
from creditdesk.accounts.scoping import get_field_in_scope
from creditdesk.assessment import co_borrowers, selectors
from creditdesk.core.api import ERRORS
from creditdesk.core.schema import Id, Name, StrictIn
from creditdesk.customers.models import Customer

router = Router(tags=["applications"])


class CoBorrowerIn(StrictIn):
    customer_id: Id
    relationship: Name = Field(min_length=1, max_length=100, description="To the applicant, e.g. 配偶 (spouse).")


class CoBorrowerOut(Schema):
    customer_id: int
    name: str
    relationship: str
    consent_reference: str
    consent_expires_on: dt.date

    @staticmethod
    def resolve_customer_id(obj: Any) -> int:
        return int(obj.co_borrower_id)

    @staticmethod
    def resolve_name(obj: Any, context: Any) -> str:
        return customer_name_for(context, obj.co_borrower)

    @staticmethod
    def resolve_consent_reference(obj: Any) -> str:
        return str(obj.consent.document_reference)

    @staticmethod
    def resolve_consent_expires_on(obj: Any) -> dt.date:
        return obj.consent.expires_on


def _rows(application: Any) -> Any:
    return application.co_borrowers.select_related("co_borrower", "consent").order_by("id")


@router.get(
    "/applications/{application_id}/co-borrowers",
    auth=api_auth(Perm.APPLICATION_VIEW),
    response={200: list[CoBorrowerOut], **ERRORS},
    summary="The application's co-borrowers, with their consents",
)
def co_borrower_list(request: HttpRequest, application_id: Id) -> Any:
    return list(_rows(selectors.application_get(user=request.user, pk=application_id)))


@router.post(
    "/applications/{application_id}/co-borrowers",
    auth=api_auth(Perm.APPLICATION_EDIT),
    response={201: CoBorrowerOut, **ERRORS},
    summary="Add a co-borrower to a draft application",
)
def co_borrower_add(request: HttpRequest, application_id: Id, payload: CoBorrowerIn) -> Any:
    """422 on `customer_id` (the applicant, a company, a guarantor, or no consent in force) or `relationship`;
    409 `co_borrower_exists`, or when the application is no longer a draft."""
    application = selectors.application_get(user=request.user, pk=application_id)
    customer = get_field_in_scope(
        Customer.objects.all(), request.user, pk=payload.customer_id, field="customer_id", message=_("Not found.")
    )
    row = co_borrowers.co_borrower_add(
        actor=request.user, application=application, customer=customer, relationship=payload.relationship
    )
    return Status(201, _rows(application).get(pk=row.pk))


@router.delete(
    "/applications/{application_id}/co-borrowers/{customer_id}",
    auth=api_auth(Perm.APPLICATION_EDIT),
    response={204: None, **ERRORS},
    summary="Take a co-borrower off a draft application",
)
def co_borrower_remove(request: HttpRequest, application_id: Id, customer_id: Id) -> Any:
    application = selectors.application_get(user=request.user, pk=application_id)
    co_borrowers.co_borrower_remove(actor=request.user, application=application, customer_id=customer_id)
    return Status(204, None)
