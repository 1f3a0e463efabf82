"""API authentication and authorisation: bearer tokens or the session, then the permission matrix.

Permissions are checked at the authentication stage, before the request body is parsed, so a caller without
the permission gets 403 whatever the body holds, never a validation error that would reveal the endpoint's shape.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja.security import HttpBearer, SessionAuth

from creditdesk.accounts.permissions import Perm, has_perm
from creditdesk.accounts.services import token_authenticate
from creditdesk.core.api import error_body
from creditdesk.core.errors import BadRequest, PermissionDenied

IDEMPOTENCY_HEADER = "Idempotency-Key"


class BearerTokenAuth(HttpBearer):
    """`Authorization: Bearer <token>` with a token from `POST /auth/token`."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = token_authenticate(token)
        if user is not None:
            request.user = user
            request.auth_token = token  # type: ignore[attr-defined]
        return user


def _check(request: HttpRequest, perms: tuple[Perm, ...], idempotent: bool) -> None:
    if perms and not any(has_perm(request.user, perm) for perm in perms):
        raise PermissionDenied("Your role does not allow this.")
    if idempotent and not request.headers.get(IDEMPOTENCY_HEADER, "").strip():
        # Checked here, before the body: a money-moving request without its key is refused whatever it holds.
        raise BadRequest(
            _("Send an Idempotency-Key header: it makes a retried request safe."),
            code="idempotency_key_required",
            fields={IDEMPOTENCY_HEADER: [_("An idempotency key is required.")]},
        )


class PermissionBearer(BearerTokenAuth):
    def __init__(self, perms: tuple[Perm, ...], idempotent: bool = False) -> None:
        super().__init__()
        self.perms = perms
        self.idempotent = idempotent

    def __call__(self, request: HttpRequest) -> Any:
        user = super().__call__(request)
        if user:
            _check(request, self.perms, self.idempotent)
        return user


class CsrfSessionAuth(SessionAuth):
    """The session, CSRF-checked only when it signs someone in.

    Without a signed-in session there is nothing a forged request could borrow, so an anonymous write (or
    one with an expired, revoked or made-up bearer token) answers 401 `not_authenticated`, not 403 CSRF.
    """

    def _get_key(self, request: HttpRequest) -> str | None:
        if not request.user.is_authenticated:
            return None
        return super()._get_key(request)


session_auth = CsrfSessionAuth()


class PermissionSession(CsrfSessionAuth):
    def __init__(self, perms: tuple[Perm, ...], idempotent: bool = False) -> None:
        super().__init__()
        self.perms = perms
        self.idempotent = idempotent

    def __call__(self, request: HttpRequest) -> Any:
        user = super().__call__(request)
        if user:
            _check(request, self.perms, self.idempotent)
        return user


def api_auth(*perms: Perm, idempotent: bool = False) -> list[Any]:
    """The `auth=` of an operation: any signed-in caller (no perms given) or holders of any of `perms`; with
    `idempotent`, a request without an `Idempotency-Key` header answers 400 `idempotency_key_required`."""
    return [PermissionBearer(perms, idempotent), PermissionSession(perms, idempotent)]


def docs_access(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The `docs_decorator` of the API: `/docs` and `/openapi.json` need a session or a bearer token.

    Public when `CREDITDESK_API_DOCS_PUBLIC` is on (the default in debug mode only).
    """

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if settings.CREDITDESK_API_DOCS_PUBLIC or request.user.is_authenticated or BearerTokenAuth()(request):
            return view(request, *args, **kwargs)
        if request.path.endswith(".json"):
            response = JsonResponse(
                error_body("not_authenticated", "Sign in or send a valid bearer token."), status=401
            )
            response["WWW-Authenticate"] = 'Bearer realm="creditdesk"'
            return response
        return redirect_to_login(request.get_full_path())

    return wrapped
