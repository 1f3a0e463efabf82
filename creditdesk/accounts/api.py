"""API of the accounts app: token auth, `/auth/token` and `/me`."""

import datetime as dt
from typing import Any

from django.contrib.auth import authenticate
from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from creditdesk.accounts import selectors, twofactor
from creditdesk.accounts.auth import api_auth
from creditdesk.accounts.choices import Role
from creditdesk.accounts.exports import access_log_workbook
from creditdesk.accounts.models import User
from creditdesk.accounts.permissions import Perm
from creditdesk.accounts.scoping import get_in_scope
from creditdesk.accounts.services import (
    access_log_record,
    sensitive_value_unmask,
    token_issue,
    token_revoke,
)
from creditdesk.core.api import ERRORS
from creditdesk.core.dates import business_date
from creditdesk.core.errors import NotAuthenticated, ValidationFailed
from creditdesk.core.masking import mask
from creditdesk.core.pagination import PageNumber

router = Router(tags=["auth"])


class TokenIn(Schema):
    username: str = Field(min_length=1, max_length=150)
    password: str = Field(min_length=1, max_length=256)
    otp_token: str | None = Field(None, max_length=8, description="TOTP code, for users with two-factor sign-in.")


class TokenOut(Schema):
    token: str
    expires_at: dt.datetime


class OrgUnitOut(Schema):
    id: int
    code: str
    name: str
    kind: str


class RoleOut(Schema):
    code: str
    label: str


class MeOut(Schema):
    id: int
    username: str
    full_name: str
    email: str
    roles: list[str]
    role_labels: list[RoleOut]
    org_unit: OrgUnitOut | None
    business_date: dt.date


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


class AccessLogOut(Schema):
    id: int
    occurred_at: dt.datetime
    actor: str
    action: str
    subject_type: str
    subject_id: str
    subject: str
    field: str
    purpose: str
    record_count: int
    client_address: str | None

    @staticmethod
    def resolve_actor(obj: Any) -> str:
        return obj.actor.get_username()

    @staticmethod
    def resolve_subject_type(obj: Any) -> str:
        return obj.subject_type.model if obj.subject_type else ""

    @staticmethod
    def resolve_subject(obj: Any) -> str:
        return obj.subject_repr


class AccessLogQuery(Schema):
    actor: str = ""
    action: str = ""
    subject: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None


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
def access_log_export(request: HttpRequest, filters: Query[AccessLogQuery]) -> HttpResponse:
    """The filtered access log as an .xlsx file; the export itself is logged."""
    entries = selectors.access_log_list(filters=selectors.AccessLogFilters(**filters.dict()))
    content, count = access_log_workbook(entries)
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


class AuditEventOut(Schema):
    id: int
    occurred_at: dt.datetime
    business_on: dt.date
    actor: str
    event_type: str
    subject_type: str
    subject_id: str
    subject: str
    payload: dict[str, Any]
    comment: str

    @staticmethod
    def resolve_actor(obj: Any) -> str:
        return obj.actor_repr

    @staticmethod
    def resolve_subject_type(obj: Any) -> str:
        return obj.subject_type.model if obj.subject_type else ""

    @staticmethod
    def resolve_subject(obj: Any) -> str:
        return obj.subject_repr


class AuditQuery(Schema):
    event_type: str = ""
    actor: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None


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


class StaffOut(Schema):
    id: int
    username: str
    full_name: str
    org_unit: OrgUnitOut | None
    roles: list[str]
    mobile: str = Field(description="Masked; unmask with POST /staff/{id}/unmask.")

    @staticmethod
    def resolve_roles(obj: Any) -> list[str]:
        return obj.role_codes

    @staticmethod
    def resolve_mobile(obj: Any) -> str:
        return mask("mobile", obj.mobile)


class StaffQuery(Schema):
    q: str = Field("", description="Part of a username or name.")


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


class UnmaskIn(Schema):
    field: str = Field(min_length=1, max_length=64)
    purpose: str = Field(min_length=1, max_length=500, description="Why you need the value; it is logged.")


class UnmaskOut(Schema):
    field: str
    value: str


@router.post(
    "/staff/{staff_id}/unmask",
    auth=api_auth(Perm.STAFF_UNMASK),
    response={200: UnmaskOut, **ERRORS},
    tags=["staff"],
    summary="Unmask a value",
)
def staff_unmask(request: HttpRequest, staff_id: int, payload: UnmaskIn) -> Any:
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
