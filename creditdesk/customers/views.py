"""Pages of the customers app: list, detail with tabs, create and edit, unmask, credit-report authorizations."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from creditdesk.accounts.decorators import requires
from creditdesk.accounts.permissions import Perm, has_perm
from creditdesk.accounts.services import sensitive_value_unmask
from creditdesk.core import private_files, throttling
from creditdesk.core.dates import business_date
from creditdesk.core.errors import DomainError
from creditdesk.core.forms import form_errors
from creditdesk.core.pagination import page_of
from creditdesk.core.throttling import throttle_page
from creditdesk.customers import selectors, services
from creditdesk.customers.choices import Channel, CustomerKind, Grade, LeadStatus
from creditdesk.customers.documents import document_download as document_download_service
from creditdesk.customers.documents import document_response
from creditdesk.customers.forms import (
    AuthorizationForm,
    CampaignForm,
    CompanyForm,
    DocumentForm,
    GradeForm,
    GuaranteeForm,
    IndividualForm,
    LeadForm,
    MajorEventForm,
    MarketingEventForm,
    PartnerForm,
    StatementForm,
    changed_values,
    hide_sensitive,
    kept_sensitive,
)
from creditdesk.customers.models import Partner

TABS = ("profile", "consents", "documents", "financials", "events", "timeline")
FORMS = {
    "documents": DocumentForm,
    "financials": StatementForm,
    "guarantees": GuaranteeForm,
    "events": MajorEventForm,
    "grade": GradeForm,
}


@requires(Perm.CUSTOMER_VIEW)
def customer_list(request: HttpRequest) -> HttpResponse:
    filters = selectors.CustomerFilters.from_params(request.GET)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "customers/customer_list.html",
        {
            "page_obj": page_of(request, selectors.customer_list(user=request.user, filters=filters)),
            "filters": filters,
            "query": query.urlencode(),
            "kinds": CustomerKind.choices,
            "grades": Grade.choices,
            "channels": Channel.choices,
            "can_edit": has_perm(request.user, Perm.CUSTOMER_EDIT),
        },
    )


@requires(Perm.CUSTOMER_EDIT)
def customer_new(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind") or request.POST.get("kind") or CustomerKind.INDIVIDUAL
    form_class = CompanyForm if kind == CustomerKind.COMPANY else IndividualForm
    form = form_class(request.POST or None)
    access_request, existing_id = False, None
    if request.method == "POST" and form.is_valid():
        try:
            customer = services.customer_create(actor=request.user, kind=kind, **changed_values(form, editing=False))
        except DomainError as err:
            form_errors(form, err)
            existing_id = err.details.get("existing_id")
            access_request = bool(err.details.get("access_request"))
        else:
            messages.success(request, _("The customer is registered."))
            return redirect("customers:detail", pk=customer.pk)
    return render(
        request,
        "customers/customer_form.html",
        {
            "form": form,
            "kind": kind,
            "customer": None,
            "existing_id": existing_id,
            "access_request": access_request,
        },
        status=422 if form.errors else 200,
    )


@requires(Perm.CUSTOMER_EDIT)
def customer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    customer = selectors.customer_get(user=request.user, pk=pk)
    form_class = IndividualForm if customer.is_individual else CompanyForm
    sensitive = customer.SENSITIVE_FIELDS
    initial = {name: getattr(customer, name) for name in form_class.base_fields if name not in sensitive}
    form = form_class(request.POST or None, initial=initial)
    hide_sensitive(form, customer)
    existing_id = None
    if request.method == "POST" and form.is_valid():
        values = kept_sensitive(changed_values(form, editing=True), customer)
        values = {k: v for k, v in values.items() if k in sensitive or v != initial.get(k)}
        try:
            services.customer_update(actor=request.user, customer=customer, **values)
        except DomainError as err:
            form_errors(form, err)
            existing_id = err.details.get("existing_id")  # only when that customer is in the user's scope
        else:
            messages.success(request, _("The changes are saved."))
            return redirect("customers:detail", pk=customer.pk)
    return render(
        request,
        "customers/customer_form.html",
        {"form": form, "kind": customer.kind, "customer": customer, "existing_id": existing_id},
        status=422 if form.errors else 200,
    )


def _detail_context(request: HttpRequest, customer: Any, tab: str, forms: dict[str, Any]) -> dict[str, Any]:
    today = business_date()
    context: dict[str, Any] = {
        "customer": customer,
        "tab": tab,
        "today": today,
        "authorization": selectors.authorization_in_force(customer=customer, on=today),
        "can_edit": has_perm(request.user, Perm.CUSTOMER_EDIT),
        "can_grade": has_perm(request.user, Perm.CUSTOMER_GRADE),
        "can_take_subject_request": has_perm(request.user, Perm.SUBJECT_REQUEST_INTAKE),
        "can_unmask": has_perm(request.user, Perm.CUSTOMER_UNMASK),
        "forms": {name: forms.get(name) or form_class() for name, form_class in FORMS.items()},
    }
    if tab == "profile":
        context["policy"] = selectors.grade_policy(grade=customer.grade, on=today)
        context["grade_history"] = selectors.grade_history(customer=customer)[:20]
    if tab == "consents":
        context["authorizations"] = selectors.authorizations(customer=customer)
        context["authorization_form"] = forms.get("consents") or AuthorizationForm()
    if tab == "documents":
        context["documents"] = selectors.documents(customer=customer)
    if tab == "financials":
        context["statements"] = selectors.statements_with_ratios(customer=customer)
        context["guarantees"] = selectors.guarantees(customer=customer)
    if tab == "events":
        context["major_events"] = selectors.major_events(customer=customer)
    if tab == "timeline":
        context["timeline"] = selectors.timeline(customer=customer)
    return context


@requires(Perm.CUSTOMER_VIEW)
def customer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    customer = selectors.customer_get(user=request.user, pk=pk)
    tab = request.GET.get("tab", "profile")
    tab = tab if tab in TABS else "profile"
    return render(request, "customers/customer_detail.html", _detail_context(request, customer, tab, {}))


RECORDERS: dict[str, tuple[str, Any]] = {
    # form name → (tab to show afterwards, service)
    "documents": ("documents", services.document_upload),
    "financials": ("financials", services.statement_record),
    "guarantees": ("financials", services.guarantee_record),
    "events": ("events", services.major_event_record),
    "grade": ("profile", services.grade_set),
}


@requires(Perm.CUSTOMER_EDIT, Perm.CUSTOMER_GRADE)
def customer_record(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """Add a document, statement, guarantee or major event, or change the grade, from the detail page."""
    if kind not in RECORDERS or request.method != "POST":
        return redirect("customers:detail", pk=pk)
    customer = selectors.customer_get(user=request.user, pk=pk)
    tab, service = RECORDERS[kind]
    form = FORMS[kind](request.POST, request.FILES)
    if form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if v is not None}
        if kind == "documents":
            values["upload"] = values.pop("file")
        try:
            service(actor=request.user, customer=customer, **values)
        except DomainError as err:
            form_errors(form, err)
        else:
            messages.success(request, _("Saved."))
            return redirect(f"{reverse('customers:detail', args=[pk])}?tab={tab}")
    context = _detail_context(request, customer, tab, {kind: form})
    return render(request, "customers/customer_detail.html", context, status=422)


@never_cache
@requires(Perm.CUSTOMER_VIEW)
@throttle_page(throttling.EXPORT, methods=frozenset({"POST"}))
def document_download(request: HttpRequest, pk: int, doc_pk: int) -> HttpResponse:
    """A stored document, after the permission and scope check, for a stated purpose that is logged (item 8):
    GET asks for the purpose, POST streams the decrypted file inline, never guessed by the browser."""
    document = selectors.document_get(user=request.user, customer_id=pk, pk=doc_pk)

    def open_file(purpose: str) -> HttpResponse:
        chunks = document_download_service(
            actor=request.user, document=document, purpose=purpose, client_address=request.META.get("REMOTE_ADDR")
        )
        return document_response(document, chunks)

    return private_files.purpose_page(
        request,
        heading=_("Open a document"),
        description=(
            f"{document.get_doc_type_display()} · {document.shown_name} · {filesizeformat(document.size_bytes)}"
        ),
        back_url=reverse("customers:detail", args=[document.customer_id]) + "?tab=documents",
        button=_("Open the document"),
        open_file=open_file,
    )


@requires(Perm.CUSTOMER_VIEW)
def refresh_due(request: HttpRequest) -> HttpResponse:
    customers = selectors.refresh_due(user=request.user, on=business_date(), months=settings.CUSTOMER_REFRESH_MONTHS)
    return render(
        request,
        "customers/refresh_due.html",
        {"page_obj": page_of(request, customers), "months": settings.CUSTOMER_REFRESH_MONTHS},
    )


@never_cache
@requires(Perm.CUSTOMER_UNMASK)
def customer_unmask(request: HttpRequest, pk: int) -> HttpResponse:
    customer = selectors.customer_get(user=request.user, pk=pk)
    if request.method != "POST":
        return redirect("customers:detail", pk=pk)
    field = request.POST.get("field", "")
    context: dict[str, Any] = {"customer": customer, "field": field}
    status = 200
    try:
        context["value"] = sensitive_value_unmask(
            actor=request.user,
            subject=customer,
            field=field,
            purpose=request.POST.get("purpose", ""),
            client_address=request.META.get("REMOTE_ADDR"),
        )
    except DomainError as err:
        # The form again, its error beside the purpose (htmx swaps 422 answers; issue 11 item 13).
        context["errors"] = [m for ms in (err.fields or {"": [err.message]}).values() for m in ms]
        kind = customer.SENSITIVE_FIELDS.get(field)
        context["kind"], context["masked_value"] = kind or "id_number", getattr(customer, field) if kind else ""
        status = err.status
    return render(request, "customers/_unmasked.html", context, status=status)


@requires(Perm.CUSTOMER_EDIT)
def authorization_new(request: HttpRequest, pk: int) -> HttpResponse:
    customer = selectors.customer_get(user=request.user, pk=pk)
    form = AuthorizationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.authorization_record(actor=request.user, customer=customer, **form.cleaned_data)
        except DomainError as err:
            form_errors(form, err)
        else:
            messages.success(request, _("The authorization is recorded."))
            return redirect(f"{reverse('customers:detail', args=[pk])}?tab=consents")
    context = _detail_context(request, customer, "consents", {"consents": form})
    return render(request, "customers/customer_detail.html", context, status=422 if form.errors else 200)


# --- Acquisition: lead board, leads, partners, performance (ACQ-1…3) ------------------------------------


@requires(Perm.CUSTOMER_VIEW)
def lead_board(request: HttpRequest) -> HttpResponse:
    board = selectors.lead_board(user=request.user)
    return render(
        request,
        "customers/lead_board.html",
        {**board, "statuses": LeadStatus.choices, "can_edit": has_perm(request.user, Perm.CUSTOMER_EDIT)},
    )


@requires(Perm.CUSTOMER_EDIT)
def lead_new(request: HttpRequest) -> HttpResponse:
    form = LeadForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
        try:
            lead = services.lead_create(actor=request.user, **values)
        except DomainError as err:
            form_errors(form, err)
        else:
            messages.success(request, _("The lead is recorded."))
            return redirect("customers:lead", pk=lead.pk)
    return render(request, "customers/lead_form.html", {"form": form}, status=422 if form.errors else 200)


@requires(Perm.CUSTOMER_VIEW)
def lead_detail(request: HttpRequest, pk: int) -> HttpResponse:
    lead = selectors.lead_get(user=request.user, pk=pk)
    error = ""
    if request.method == "POST":
        if not has_perm(request.user, Perm.CUSTOMER_EDIT):
            return render(request, "403.html", status=403)
        action = request.POST.get("action", "")
        try:
            if action == "convert":
                values = {k: request.POST[k].strip() for k in ("id_number", "credit_code") if request.POST.get(k)}
                customer = services.lead_convert(actor=request.user, lead=lead, **values)
                messages.success(request, _("The lead is converted."))
                return redirect("customers:detail", pk=customer.pk)
            services.lead_advance(actor=request.user, lead=lead, to=action, reason=request.POST.get("reason", ""))
            return redirect("customers:lead", pk=pk)
        except DomainError as err:
            error = " ".join(m for ms in (err.fields or {"": [err.message]}).values() for m in ms)
    return render(
        request,
        "customers/lead_detail.html",
        {"lead": lead, "error": error, "can_edit": has_perm(request.user, Perm.CUSTOMER_EDIT)},
        status=422 if error else 200,
    )


@requires(Perm.CUSTOMER_VIEW)
def partner_list(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()
    return render(
        request,
        "customers/partner_list.html",
        {
            "page_obj": page_of(request, selectors.partner_list(search=search)),
            "search": search,
            "query": f"q={search}" if search else "",
            "can_edit": has_perm(request.user, Perm.CUSTOMER_EDIT),
        },
    )


@requires(Perm.CUSTOMER_EDIT)
def partner_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    partner = get_object_or_404(Partner, pk=pk) if pk else None
    form = PartnerForm(request.POST or None, instance=partner)
    if request.method == "POST" and form.is_valid():
        try:
            services.partner_save(actor=request.user, partner=partner, **form.cleaned_data)
        except DomainError as err:
            form_errors(form, err)
        else:
            messages.success(request, _("The partner is saved."))
            return redirect("customers:partners")
    return render(
        request, "customers/partner_form.html", {"form": form, "partner": partner}, status=422 if form.errors else 200
    )


@requires(Perm.CUSTOMER_VIEW)
def performance(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "customers/performance.html",
        {
            "channels": selectors.channel_performance(user=request.user),
            "partners": selectors.partner_performance(user=request.user),
        },
    )


REGISTRIES: dict[str, tuple[Any, Any, Any]] = {
    # kind → (form, service, selector)
    "campaigns": (CampaignForm, services.campaign_save, selectors.campaigns),
    "events": (MarketingEventForm, services.marketing_event_save, selectors.marketing_events),
}


@requires(Perm.CUSTOMER_VIEW)
def registry(request: HttpRequest, kind: str) -> HttpResponse:
    """The campaign and offline-event registries (ACQ-1): a list and, for sales staff, a form to add one."""
    if kind not in REGISTRIES:
        return redirect("customers:leads")
    form_class, service, select = REGISTRIES[kind]
    can_edit = has_perm(request.user, Perm.CUSTOMER_EDIT)
    form = form_class(request.POST or None)
    if request.method == "POST":
        if not can_edit:
            return render(request, "403.html", status=403)
        if form.is_valid():
            try:
                service(actor=request.user, **form.cleaned_data)
            except DomainError as err:
                form_errors(form, err)
            else:
                messages.success(request, _("Saved."))
                return redirect("customers:registry", kind=kind)
    return render(
        request,
        "customers/registry.html",
        {"kind": kind, "form": form, "items": page_of(request, select()), "can_edit": can_edit},
        status=422 if form.errors else 200,
    )


@requires(Perm.CUSTOMER_EDIT)
def access_request_new(request: HttpRequest) -> HttpResponse:
    """Ask for access to a customer registered outside one's scope (after a duplicate was refused)."""
    if request.method != "POST":
        return redirect("customers:new")
    values = {key: request.POST.get(key, "").strip() for key in ("id_number", "credit_code", "reason")}
    try:
        services.customer_access_request(actor=request.user, **values)
    except DomainError as err:
        return render(
            request, "customers/access_request_form.html", {"values": values, "errors": err.fields}, status=err.status
        )
    messages.success(request, _("Your request was sent to the customer's owner and head office."))
    return redirect("customers:list")


@requires(Perm.CUSTOMER_EDIT)
def access_requests(request: HttpRequest) -> HttpResponse:
    rows = selectors.access_requests(user=request.user, on=business_date())
    return render(
        request,
        "customers/access_requests.html",
        {"page_obj": page_of(request, rows), "days": selectors.ACCESS_REQUEST_DAYS},
    )
