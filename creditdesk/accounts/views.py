"""Pages of the accounts app: lockout, two-factor sign-in, access log, audit events, object history."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from creditdesk.accounts import selectors, twofactor
from creditdesk.accounts.decorators import requires
from creditdesk.accounts.exports import access_log_workbook
from creditdesk.accounts.permissions import Perm, has_perm
from creditdesk.accounts.scoping import get_in_scope
from creditdesk.accounts.services import access_log_record, sensitive_value_unmask
from creditdesk.core.api import error_body
from creditdesk.core.errors import DomainError
from creditdesk.core.pagination import page_of


def locked_out(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """django-axes lockout answer: the JSON error body for the API, a page for people."""
    if request.path.startswith("/api/"):
        return JsonResponse(
            error_body("locked_out", "Too many failed sign-ins: this account is locked for a while."), status=429
        )
    return render(request, "accounts/locked_out.html", status=429)


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    return target if url_has_allowed_host_and_scheme(target, {request.get_host()}) else "/"


@login_required
def otp_verify(request: HttpRequest) -> HttpResponse:
    """Second step of sign-in: a code from the authenticator app (or enrolment if the role requires it)."""
    if not twofactor.has_device(request.user):
        return redirect(f"{request.build_absolute_uri('/accounts/otp/setup/')}?next={_safe_next(request)}")
    error = ""
    if request.method == "POST":
        device = twofactor.verify_token(request.user, request.POST.get("token", ""))
        if device is not None:
            otp_login(request, device)
            return redirect(_safe_next(request))
        error = _("The code is wrong or has expired.")
    return render(request, "accounts/otp_verify.html", {"error": error, "next": _safe_next(request)})


@login_required
def otp_setup(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app: scan the QR code, then confirm with the first code."""
    error = ""
    device_id = request.session.get("otp_setup_device")
    device = TOTPDevice.objects.filter(pk=device_id, user=request.user, confirmed=False).first()
    if request.method == "POST" and device is not None:
        if twofactor.device_confirm(user=request.user, device=device, token=request.POST.get("token", "")):
            otp_login(request, device)
            del request.session["otp_setup_device"]
            messages.success(request, _("Two-factor sign-in is set up."))
            return redirect(_safe_next(request))
        error = _("The code is wrong or has expired.")
    if device is None:
        device = twofactor.device_start(user=request.user)
        request.session["otp_setup_device"] = device.pk
    return render(
        request,
        "accounts/otp_setup.html",
        {
            "qr": twofactor.qr_svg(device),
            "secret": twofactor.secret_base32(device),
            "error": error,
            "next": _safe_next(request),
        },
    )


@requires(Perm.ACCESS_LOG_VIEW)
def access_log(request: HttpRequest) -> HttpResponse:
    filters = selectors.AccessLogFilters.from_params(request.GET)
    entries = selectors.access_log_list(filters=filters)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "accounts/access_log.html",
        {"page_obj": page_of(request, entries), "filters": filters, "query": query.urlencode()},
    )


@requires(Perm.ACCESS_LOG_EXPORT)
def access_log_export(request: HttpRequest) -> HttpResponse:
    filters = selectors.AccessLogFilters.from_params(request.GET)
    entries = selectors.access_log_list(filters=filters)
    content, count = access_log_workbook(entries)
    access_log_record(
        actor=request.user,
        action="export",
        subject=None,
        subject_repr=_("Access log"),
        purpose=_("Access log export"),
        record_count=count,
        client_address=request.META.get("REMOTE_ADDR"),
    )
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="access-log.xlsx"'
    return response


@requires(Perm.AUDIT_VIEW)
def audit_events(request: HttpRequest) -> HttpResponse:
    filters = selectors.AuditFilters.from_params(request.GET)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "accounts/audit_events.html",
        {
            "page_obj": page_of(request, selectors.audit_event_list(filters=filters)),
            "filters": filters,
            "query": query.urlencode(),
        },
    )


@requires(Perm.HISTORY_VIEW)
def object_history(request: HttpRequest, app_label: str, model: str, pk: str) -> HttpResponse:
    obj, changes = selectors.object_history(user=request.user, app_label=app_label, model=model, pk=pk)
    return render(request, "accounts/object_history.html", {"object": obj, "changes": changes})


@requires(Perm.STAFF_VIEW)
def staff_directory(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()
    staff = selectors.staff_directory(user=request.user, search=search)
    return render(
        request,
        "accounts/staff_directory.html",
        {
            "page_obj": page_of(request, staff),
            "search": search,
            "query": f"q={search}" if search else "",
            "can_unmask": has_perm(request.user, Perm.STAFF_UNMASK),
        },
    )


@requires(Perm.STAFF_UNMASK)
def staff_unmask(request: HttpRequest, pk: int) -> HttpResponse:
    """Reveal a staff member's mobile once for a stated purpose (htmx fragment, or a page without JavaScript)."""
    staff = get_in_scope(selectors.staff_list(), request.user, pk=pk)
    if request.method != "POST":
        return redirect("accounts:staff")
    template = "accounts/_unmasked.html" if getattr(request, "htmx", False) else "accounts/unmasked.html"
    try:
        value = sensitive_value_unmask(
            actor=request.user,
            subject=staff,
            field=request.POST.get("field", "mobile"),
            purpose=request.POST.get("purpose", ""),
            client_address=request.META.get("REMOTE_ADDR"),
        )
    except DomainError as err:
        return render(
            request, template, {"staff": staff, "errors": err.fields or {"": [err.message]}}, status=err.status
        )
    return render(request, template, {"staff": staff, "value": value})
