"""Two-factor sign-in: a signed-in user who must use TOTP is held at the verification page until verified.

A user who must use it but has no device yet (a privileged role, or a role policy) is held at enrolment: every
other page redirects there, every API call answers 401 `otp_setup_required`.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from creditdesk.accounts.twofactor import has_device, needs_second_factor
from creditdesk.core.api import error_body

EXEMPT_PREFIXES = ("/accounts/otp/", "/accounts/logout/", "/accounts/login/", "/static/", "/i18n/", "/healthz")


class TwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(EXEMPT_PREFIXES)
            and not user.is_verified()
            and needs_second_factor(user)
        ):
            enrolled = has_device(user)
            if request.path.startswith("/api/"):
                if not enrolled:
                    message = "Set up two-factor sign-in in the web interface first."
                    return JsonResponse(error_body("otp_setup_required", message), status=401)
                return JsonResponse(error_body("otp_required", "Complete two-factor sign-in first."), status=401)
            step = "accounts:otp-verify" if enrolled else "accounts:otp-setup"
            return redirect(f"{reverse(step)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
