"""Pages of the accounts app: lockout, two-factor sign-in, access log, audit events, object history."""

from __future__ import annotations

import math
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from creditdesk.accounts import disclosure, lockout, selectors, twofactor
from creditdesk.accounts.choices import DisclosureState
from creditdesk.accounts.decorators import requires
from creditdesk.accounts.exports import access_log_workbook
from creditdesk.accounts.forms import AgreementForm, DecisionForm, DisclosureRequestForm, TrainingForm
from creditdesk.accounts.permissions import Perm, has_perm
from creditdesk.accounts.scoping import get_in_scope
from creditdesk.accounts.services import (
    access_log_record,
    agreement_record,
    sensitive_value_unmask,
    training_record,
)
from creditdesk.core import event_labels, throttling
from creditdesk.core.api import error_body
from creditdesk.core.dates import business_date
from creditdesk.core.errors import DomainError
from creditdesk.core.forms import form_errors
from creditdesk.core.pagination import page_of
from creditdesk.core.throttling import throttle_page

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def locked_out(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """django-axes lockout answer (item 10): 429 with Retry-After, the same whether or not the user exists."""
    seconds = lockout.retry_after_seconds(request)
    minutes = max(1, math.ceil(seconds / 60))
    if request.path.startswith("/api/"):  # API messages are English, like every other API error
        message = f"Too many failed sign-ins: try again in {minutes} minute{'' if minutes == 1 else 's'}."
        response: HttpResponse = JsonResponse(error_body("locked_out", message), status=429)
    else:
        message = ngettext(
            "Too many failed sign-ins: try again in %(minutes)d minute.",
            "Too many failed sign-ins: try again in %(minutes)d minutes.",
            minutes,
        ) % {"minutes": minutes}
        response = render(request, "accounts/locked_out.html", {"message": message}, status=429)
    response["Retry-After"] = str(seconds)
    return response


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    return target if url_has_allowed_host_and_scheme(target, {request.get_host()}) else "/"


def _step(name: str, request: HttpRequest) -> str:
    """The URL of a two-factor step, carrying the page to return to."""
    return f"{reverse(name)}?{urlencode({'next': _safe_next(request)})}"


@login_required
def otp_verify(request: HttpRequest) -> HttpResponse:
    """Second step of sign-in: a code from the authenticator app (or enrolment if the role requires it)."""
    if not twofactor.has_device(request.user):
        return redirect(_step("accounts:otp-setup", request))
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
    """Enrol an authenticator app: scan the QR code, then confirm with the first code.

    A user who has a device already must first prove it (the code page): otherwise whoever knows the password
    could enrol an authenticator of their own in its place and skip the second factor.
    """
    if twofactor.has_device(request.user) and not request.user.is_verified():  # type: ignore[union-attr]
        return redirect(_step("accounts:otp-verify", request))
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


@never_cache
@requires(Perm.ACCESS_LOG_EXPORT)
@throttle_page(throttling.EXPORT)
def access_log_export(request: HttpRequest) -> HttpResponse:
    filters = selectors.AccessLogFilters.from_params(request.GET)
    entries = selectors.access_log_list(filters=filters)
    content, count = access_log_workbook(entries, viewer=request.user)
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
            "event_choices": event_labels.grouped_choices(),
            "staff_choices": selectors.staff_choices(),
        },
    )


@requires(Perm.HISTORY_VIEW)
def object_history(request: HttpRequest, app_label: str, model: str, pk: str) -> HttpResponse:
    obj, changes = selectors.object_history(user=request.user, app_label=app_label, model=model, pk=pk)
    title = selectors.history_title(user=request.user, obj=obj)
    return render(request, "accounts/object_history.html", {"object": title, "changes": changes})


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


@never_cache
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


@requires(Perm.DISCLOSURE_REQUEST, Perm.DISCLOSURE_DECIDE, Perm.AUDIT_VIEW)
def disclosure_list(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", "")
    items = selectors.disclosure_list(user=request.user, state=state)
    return render(
        request,
        "accounts/disclosure_list.html",
        {
            "page_obj": page_of(request, items),
            "state": state,
            "states": DisclosureState.choices,
            "query": f"state={state}" if state else "",
            "can_request": has_perm(request.user, Perm.DISCLOSURE_REQUEST),
        },
    )


@requires(Perm.DISCLOSURE_REQUEST)
def disclosure_new(request: HttpRequest) -> HttpResponse:
    available = disclosure.datasets()
    form = DisclosureRequestForm(request.POST or None, datasets=available, initial=request.GET.dict())
    if request.method == "POST" and form.is_valid():
        try:
            data = dict(form.cleaned_data)
            item = disclosure.disclosure_request(requester=request.user, fields=data.pop("data_fields"), **data)
        except DomainError as err:
            form_errors(form, err, renamed={"fields": "data_fields"})
        else:
            messages.success(request, _("The request is filed and waits for the information administrator."))
            return redirect("accounts:disclosure", pk=item.pk)
    return render(request, "accounts/disclosure_form.html", {"form": form}, status=422 if form.errors else 200)


@requires(Perm.DISCLOSURE_REQUEST, Perm.DISCLOSURE_DECIDE, Perm.AUDIT_VIEW)
def disclosure_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.disclosure_get(user=request.user, pk=pk)
    form = DecisionForm(request.POST or None)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "cancel":
                disclosure.disclosure_cancel(request=item, actor=request.user)
                messages.success(request, _("The request is withdrawn."))
                return redirect("accounts:disclosure", pk=pk)
            if form.is_valid():
                disclosure.disclosure_decide(
                    request=item,
                    actor=request.user,
                    approve=form.cleaned_data["decision"] == "approve",
                    comment=form.cleaned_data["comment"],
                )
                messages.success(request, _("The decision is recorded."))
                return redirect("accounts:disclosure", pk=pk)
        except DomainError as err:
            form_errors(form, err, renamed={"fields": "data_fields"})
    dataset = disclosure.datasets().get(item.dataset)
    return render(
        request,
        "accounts/disclosure_detail.html",
        {
            "item": item,
            "form": form,
            "dataset": dataset,
            "field_labels": [dataset.fields.get(code, code) for code in item.fields] if dataset else item.fields,
            "watermark": disclosure.watermark_text(item),
            "can_decide": has_perm(request.user, Perm.DISCLOSURE_DECIDE)
            and item.requester_id != request.user.pk
            and item.state == DisclosureState.SUBMITTED,
            "is_requester": item.requester_id == request.user.pk,
        },
        status=422 if form.errors else 200,
    )


@never_cache
@requires(Perm.DISCLOSURE_REQUEST)
@throttle_page(throttling.EXPORT)
def disclosure_download(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.disclosure_get(user=request.user, pk=pk)
    try:
        content = disclosure.disclosure_export(
            request=item, actor=request.user, client_address=request.META.get("REMOTE_ADDR")
        )
    except DomainError as err:
        messages.error(request, err.message)
        return redirect("accounts:disclosure", pk=pk)
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="disclosure-{item.pk}.xlsx"'
    return response


@requires(Perm.CONFIDENTIALITY_VIEW)
def confidentiality(request: HttpRequest) -> HttpResponse:
    today = business_date()
    staff = selectors.staff_list().filter(is_active=True)
    can_manage = has_perm(request.user, Perm.CONFIDENTIALITY_MANAGE)
    agreement_form = AgreementForm(staff=staff, prefix="agreement")
    training_form = TrainingForm(staff=staff, prefix="training")
    if request.method == "POST":
        if not can_manage:
            raise DjangoPermissionDenied
        try:
            if "agreement-staff" in request.POST:
                agreement_form = AgreementForm(request.POST, staff=staff, prefix="agreement")
                if agreement_form.is_valid():
                    agreement_record(actor=request.user, **agreement_form.cleaned_data)
                    messages.success(request, _("The agreement is recorded."))
                    return redirect("accounts:confidentiality")
            else:
                training_form = TrainingForm(request.POST, staff=staff, prefix="training")
                if training_form.is_valid():
                    training_record(actor=request.user, **training_form.cleaned_data)
                    messages.success(request, _("The training is recorded."))
                    return redirect("accounts:confidentiality")
        except DomainError as err:
            form_errors(agreement_form if "agreement-staff" in request.POST else training_form, err)
    return render(
        request,
        "accounts/confidentiality.html",
        {
            "today": today,
            "missing": selectors.staff_without_valid_agreement(on=today),
            "agreements": selectors.agreement_list()[:50],
            "trainings": selectors.training_list()[:20],
            "can_manage": can_manage,
            "agreement_form": agreement_form,
            "training_form": training_form,
        },
        status=422 if (agreement_form.errors or training_form.errors) else 200,
    )
