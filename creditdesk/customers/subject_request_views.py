"""Pages of the data-subject request register (个人信息权利请求), PIPL Art. 44–47."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from creditdesk.accounts.decorators import requires
from creditdesk.accounts.permissions import Perm, has_perm
from creditdesk.core import throttling
from creditdesk.core.dates import business_date
from creditdesk.core.errors import DomainError
from creditdesk.core.forms import int_param
from creditdesk.core.pagination import page_of
from creditdesk.core.spreadsheets import xlsx_response
from creditdesk.core.throttling import throttle_page
from creditdesk.customers import selectors
from creditdesk.customers import subject_requests as services
from creditdesk.customers.choices import SubjectRequestChannel, SubjectRequestKind, SubjectRequestStatus


@requires(Perm.SUBJECT_REQUEST_VIEW)
def request_list(request: HttpRequest) -> HttpResponse:
    today = business_date()
    filters = selectors.SubjectRequestFilters.from_params(request.GET)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "customers/subject_request_list.html",
        {
            "page_obj": page_of(request, selectors.subject_request_list(user=request.user, filters=filters, on=today)),
            "filters": filters,
            "query": query.urlencode(),
            "today": today,
            "kinds": SubjectRequestKind.choices,
            "statuses": SubjectRequestStatus.choices,
            "report": selectors.subject_request_report(user=request.user, on=today),
        },
    )


@requires(Perm.SUBJECT_REQUEST_INTAKE)
def request_new(request: HttpRequest) -> HttpResponse:
    source = request.POST if request.method == "POST" else request.GET
    customer_id = int_param(source.get("customer"))
    customer = selectors.customer_get(user=request.user, pk=customer_id) if customer_id else None
    values = {key: source.get(key, "") for key in ("kind", "channel", "details")}
    errors: dict[str, list[str]] = {}
    if request.method == "POST" and customer is not None:
        try:
            created = services.subject_request_receive(actor=request.user, customer=customer, **values)
        except DomainError as err:
            errors = err.fields
        else:
            messages.success(
                request, _("The request is registered; the reply is due on %(due)s.") % {"due": created.due_on}
            )
            return redirect("customers:subject-request", pk=created.pk)
    elif request.method == "POST":
        errors = {"customer": [_("Open the form from the customer's page.")]}
    return render(
        request,
        "customers/subject_request_form.html",
        {
            "customer": customer,
            "values": values,
            "errors": errors,
            "kinds": SubjectRequestKind.choices,
            "channels": SubjectRequestChannel.choices,
        },
        status=422 if errors else 200,
    )


def _detail(
    request: HttpRequest, found: Any, errors: dict[str, list[str]] | None = None, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "customers/subject_request_detail.html",
        {
            "item": found,
            "today": business_date(),
            "can_handle": has_perm(request.user, Perm.SUBJECT_REQUEST_HANDLE),
            "errors": errors or {},
            "values": request.POST,
        },
        status=status,
    )


@requires(Perm.SUBJECT_REQUEST_VIEW)
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.subject_request_get(user=request.user, pk=pk))


STEPS: dict[str, tuple[Any, str, Any]] = {
    "verify": (services.subject_request_verify, "evidence", gettext_lazy("The identity check is recorded.")),
    "complete": (services.subject_request_complete, "outcome", gettext_lazy("The request is completed.")),
    "refuse": (
        services.subject_request_refuse,
        "reason",
        gettext_lazy("The request is refused; tell the customer the reason."),
    ),
}


@require_POST
@requires(Perm.SUBJECT_REQUEST_HANDLE)
def request_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    found = selectors.subject_request_get(user=request.user, pk=pk)
    if step not in STEPS:
        return redirect("customers:subject-request", pk=pk)
    service, field, done = STEPS[step]
    try:
        service(actor=request.user, request=found, **{field: request.POST.get(field, "")})
    except DomainError as err:
        return _detail(request, found, err.fields or {"general": [err.message]}, status=err.status)
    messages.success(request, str(done))
    return redirect("customers:subject-request", pk=pk)


@require_POST
@requires(Perm.SUBJECT_REQUEST_HANDLE)
@throttle_page(throttling.EXPORT)
def request_copy(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.subject_request_get(user=request.user, pk=pk)
    try:
        content = services.subject_request_copy(
            actor=request.user, request=found, client_address=request.META.get("REMOTE_ADDR")
        )
    except DomainError as err:
        return _detail(request, found, {"general": [err.message]}, status=err.status)
    return xlsx_response(content, f"subject-request-{found.pk}.xlsx")
