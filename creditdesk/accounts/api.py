"""API of the accounts app: token auth, `/auth/token` and `/me`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import authenticate
from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status
from ninja.security import HttpBearer

from creditdesk.accounts.choices import Role
from creditdesk.accounts.models import User
from creditdesk.accounts.services import token_authenticate, token_issue, token_revoke
from creditdesk.core.api import ERRORS
from creditdesk.core.dates import business_date
from creditdesk.core.errors import NotAuthenticated, ValidationFailed

router = Router(tags=["auth"])


class BearerTokenAuth(HttpBearer):
    """`Authorization: Bearer <token>` with a token from `POST /auth/token`."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = token_authenticate(token)
        if user is not None:
            request.user = user
            request.auth_token = token  # type: ignore[attr-defined]
        return user


class TokenIn(Schema):
    username: str = Field(min_length=1, max_length=150)
    password: str = Field(min_length=1, max_length=256)


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
