"""API of the accounts app: token auth, `/auth/token` and `/me`."""

from typing import Any

from django.contrib.auth import authenticate
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from ninja import Query, Router
from ninja.decorators import decorate_view
from ninja.pagination import paginate
from ninja.responses import Status

from creditdesk.accounts import disclosure, selectors, twofactor
from creditdesk.accounts.auth import api_auth
from creditdesk.accounts.choices import Role
from creditdesk.accounts.exports import access_log_workbook
from creditdesk.accounts.models import User
from creditdesk.accounts.permissions import Perm
from creditdesk.accounts.schemas import (
    AccessLogOut,
    AccessLogQuery,
    AgreementIn,
    AgreementOut,
    AuditEventOut,
    AuditQuery,
    DisclosureDecisionIn,
    DisclosureIn,
    DisclosureOut,
    DisclosureQuery,
    MeOut,
    OrgUnitOut,
    RoleOut,
    StaffBriefOut,
    StaffOut,
    StaffQuery,
    TokenIn,
    TokenOut,
    UnmaskIn,
    UnmaskOut,
)
from creditdesk.accounts.scoping import get_in_scope
from creditdesk.accounts.services import (
    access_log_record,
    agreement_record,
    sensitive_value_unmask,
    token_issue,
    token_revoke,
)
from creditdesk.core.api import ERRORS
from creditdesk.core.dates import business_date
from creditdesk.core.errors import NotAuthenticated, ValidationFailed
from creditdesk.core.pagination import PageNumber
from creditdesk.core.schema import Id

router = Router(tags=["auth"])


@router.post("/auth/token", auth=None, response={200: TokenOut, **ERRORS}, summary="Issue a bearer token")
def issue_token(request: HttpRequest, payload: TokenIn) -> Any:
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None or not user.is_active:
        raise NotAuthenticated("Wrong username or password.", code="invalid_credentials")
    if twofactor.needs_second_factor(user):
        if not twofactor.has_device(user):
            raise NotAuthenticated("Set up two-factor sign-in in the web interface first.", code="otp_setup_required")
        if twofactor.verify_token(user, payload.otp_token or "") is None:
            raise NotAuthenticated("A valid two-factor code (otp_token) is required.", code="otp_required")
    raw, token = token_issue(user=user)
    return TokenOut(token=raw, expires_at=token.expires_at)


@router.delete("/auth/token", response={204: None, **ERRORS}, summary="Revoke the bearer token of this request")
def revoke_token(request: HttpRequest) -> Any:
    raw = getattr(request, "auth_token", None)
    if raw is None:
        raise ValidationFailed("Only a bearer token can be revoked this way; sign out to end a session.")
    token_revoke(raw=raw, actor=request.user)  # type: ignore[arg-type]
    return Status(204, None)


@router.get("/me", response={200: MeOut, **ERRORS}, summary="The signed-in staff member")
def me(request: HttpRequest) -> Any:
    user: User = request.user  # type: ignore[assignment]
    labels = dict(Role.choices)
    unit = user.org_unit
    return MeOut(
        id=user.pk,
        username=user.get_username(),
        full_name=user.full_name,
        email=user.email,
        roles=user.role_codes,
        role_labels=[RoleOut(code=code, label=str(labels[code])) for code in user.role_codes],
        org_unit=OrgUnitOut(id=unit.pk, code=unit.code, name=unit.name, kind=unit.kind) if unit else None,
        business_date=business_date(),
    )


@router.get(
    "/access-log",
    auth=api_auth(Perm.ACCESS_LOG_VIEW),
    response={200: list[AccessLogOut], **ERRORS},
    tags=["governance"],
    summary="Access log",
)
@paginate(PageNumber)
def access_log(request: HttpRequest, filters: Query[AccessLogQuery]) -> Any:
    """Every view of unmasked data and every export (SEC-7), newest first."""
    return selectors.access_log_list(filters=selectors.AccessLogFilters(**filters.dict()))


@router.get(
    "/access-log/export",
    auth=api_auth(Perm.ACCESS_LOG_EXPORT),
    response={200: None, **ERRORS},
    tags=["governance"],
    summary="Access log as Excel",
)
@decorate_view(never_cache)
def access_log_export(request: HttpRequest, filters: Query[AccessLogQuery]) -> HttpResponse:
    """The filtered access log as an .xlsx file; the export itself is logged."""
    entries = selectors.access_log_list(filters=selectors.AccessLogFilters(**filters.dict()))
    content, count = access_log_workbook(entries, viewer=request.user)
    access_log_record(
        actor=request.user,
        action="export",
        subject=None,
        subject_repr="access log",
        purpose="access log export (API)",
        record_count=count,
        client_address=request.META.get("REMOTE_ADDR"),
    )
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="access-log.xlsx"'
    return response


@router.get(
    "/audit-events",
    auth=api_auth(Perm.AUDIT_VIEW),
    response={200: list[AuditEventOut], **ERRORS},
    tags=["governance"],
    summary="Audit trail",
)
@paginate(PageNumber)
def audit_events(request: HttpRequest, filters: Query[AuditQuery]) -> Any:
    return selectors.audit_event_list(filters=selectors.AuditFilters(**filters.dict()))


@router.get(
    "/staff",
    auth=api_auth(Perm.STAFF_VIEW),
    response={200: list[StaffOut], **ERRORS},
    tags=["staff"],
    summary="Staff within your scope",
)
@paginate(PageNumber)
def staff_list(request: HttpRequest, filters: Query[StaffQuery]) -> Any:
    return selectors.staff_directory(user=request.user, search=filters.q.strip())


@router.post(
    "/staff/{staff_id}/unmask",
    auth=api_auth(Perm.STAFF_UNMASK),
    response={200: UnmaskOut, **ERRORS},
    tags=["staff"],
    summary="Unmask a value",
)
@decorate_view(never_cache)
def staff_unmask(request: HttpRequest, staff_id: Id, payload: UnmaskIn) -> Any:
    """Returns one sensitive value in full, once; writes an access-log row (who, when, what, why, from where)."""
    staff = get_in_scope(selectors.staff_list(), request.user, pk=staff_id)
    value = sensitive_value_unmask(
        actor=request.user,
        subject=staff,
        field=payload.field,
        purpose=payload.purpose,
        client_address=request.META.get("REMOTE_ADDR"),
    )
    return UnmaskOut(field=payload.field, value=value)


DISCLOSURE_READERS = (Perm.DISCLOSURE_REQUEST, Perm.DISCLOSURE_DECIDE, Perm.AUDIT_VIEW)


@router.get(
    "/disclosures",
    auth=api_auth(*DISCLOSURE_READERS),
    response={200: list[DisclosureOut], **ERRORS},
    tags=["governance"],
    summary="Disclosure requests",
)
@paginate(PageNumber)
def disclosure_list(request: HttpRequest, filters: Query[DisclosureQuery]) -> Any:
    """Your own requests; all of them for the information administrator and auditors."""
    return selectors.disclosure_list(user=request.user, state=filters.state)


@router.post(
    "/disclosures",
    auth=api_auth(Perm.DISCLOSURE_REQUEST),
    response={201: DisclosureOut, **ERRORS},
    tags=["governance"],
    summary="Request a disclosure",
)
def disclosure_create(request: HttpRequest, payload: DisclosureIn) -> Any:
    """SEC-6: customer information leaves the company only through an approved request."""
    item = disclosure.disclosure_request(requester=request.user, **payload.dict())
    return Status(201, item)


@router.get(
    "/disclosures/{disclosure_id}",
    auth=api_auth(*DISCLOSURE_READERS),
    response={200: DisclosureOut, **ERRORS},
    tags=["governance"],
    summary="One disclosure request",
)
def disclosure_detail(request: HttpRequest, disclosure_id: Id) -> Any:
    return selectors.disclosure_get(user=request.user, pk=disclosure_id)


@router.post(
    "/disclosures/{disclosure_id}/decisions",
    auth=api_auth(Perm.DISCLOSURE_DECIDE),
    response={200: DisclosureOut, **ERRORS},
    tags=["governance"],
    summary="Approve or reject",
)
def disclosure_decision(request: HttpRequest, disclosure_id: Id, payload: DisclosureDecisionIn) -> Any:
    item = selectors.disclosure_get(user=request.user, pk=disclosure_id)
    return disclosure.disclosure_decide(
        request=item, actor=request.user, approve=payload.decision == "approve", comment=payload.comment
    )


@router.get(
    "/disclosures/{disclosure_id}/export",
    auth=api_auth(Perm.DISCLOSURE_REQUEST),
    response={200: None, **ERRORS},
    tags=["governance"],
    summary="Download an approved disclosure",
)
@decorate_view(never_cache)
def disclosure_export(request: HttpRequest, disclosure_id: Id) -> HttpResponse:
    """The watermarked .xlsx of an approved request, for its requester; every download is logged."""
    item = selectors.disclosure_get(user=request.user, pk=disclosure_id)
    content = disclosure.disclosure_export(
        request=item, actor=request.user, client_address=request.META.get("REMOTE_ADDR")
    )
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="disclosure-{item.pk}.xlsx"'
    return response


@router.get(
    "/confidentiality/agreements",
    auth=api_auth(Perm.CONFIDENTIALITY_VIEW),
    response={200: list[AgreementOut], **ERRORS},
    tags=["governance"],
    summary="Confidentiality agreements",
)
@paginate(PageNumber)
def agreement_list(request: HttpRequest) -> Any:
    return selectors.agreement_list()


@router.post(
    "/confidentiality/agreements",
    auth=api_auth(Perm.CONFIDENTIALITY_MANAGE),
    response={201: AgreementOut, **ERRORS},
    tags=["governance"],
    summary="Record an agreement",
)
def agreement_create(request: HttpRequest, payload: AgreementIn) -> Any:
    staff = selectors.staff_list().filter(pk=payload.staff_id).first()
    if staff is None:
        raise ValidationFailed.on("staff_id", "No such staff member.")
    agreement = agreement_record(
        actor=request.user,
        staff=staff,
        signed_on=payload.signed_on,
        expires_on=payload.expires_on,
        reference=payload.reference,
    )
    return Status(201, agreement)


@router.get(
    "/confidentiality/missing",
    auth=api_auth(Perm.CONFIDENTIALITY_VIEW),
    response={200: list[StaffBriefOut], **ERRORS},
    tags=["governance"],
    summary="Staff without a valid agreement",
)
@paginate(PageNumber)
def agreement_missing(request: HttpRequest) -> Any:
    """Active staff with no confidentiality agreement in force on the business date (SEC-5)."""
    return selectors.staff_without_valid_agreement(on=business_date())
