"""Pages of the vehicles app: list, detail with valuations and the condition report, create and edit (INFO-3)."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from creditdesk.accounts.decorators import requires
from creditdesk.accounts.permissions import Perm, has_perm
from creditdesk.accounts.scoping import get_in_scope, in_scope
from creditdesk.core import private_files, throttling
from creditdesk.core.dates import business_date
from creditdesk.core.errors import DomainError
from creditdesk.core.forms import form_errors, int_param
from creditdesk.core.pagination import page_of
from creditdesk.core.throttling import throttle_page
from creditdesk.customers.models import Customer
from creditdesk.vehicles import selectors, services
from creditdesk.vehicles.forms import ConditionReportForm, ValuationForm, VehicleForm, changed_values
from creditdesk.vehicles.models import Vehicle


@requires(Perm.CUSTOMER_VIEW)
def vehicle_list(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()[:100]
    customer_id = int_param(request.GET.get("customer_id"))
    customer = None
    if customer_id is not None:
        customer = in_scope(Customer.objects.all(), request.user).filter(pk=customer_id).first()
    query = request.GET.copy()
    query.pop("page", None)
    vehicles = selectors.vehicle_list(user=request.user, search=search, customer_id=customer_id)
    return render(
        request,
        "vehicles/vehicle_list.html",
        {
            "page_obj": page_of(request, vehicles),
            "search": search,
            "customer": customer,
            "query": query.urlencode(),
            "can_edit": has_perm(request.user, Perm.CUSTOMER_EDIT),
        },
    )


@requires(Perm.CUSTOMER_EDIT)
def vehicle_new(request: HttpRequest) -> HttpResponse:
    customer_id = int_param(request.GET.get("customer"))
    if customer_id is None:
        messages.info(request, _("Open the customer first and add the vehicle from there."))
        return redirect("customers:list")
    customer = get_in_scope(Customer.objects.all(), request.user, pk=customer_id)
    form = VehicleForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            vehicle = services.vehicle_create(actor=request.user, customer=customer, **changed_values(form))
        except DomainError as err:
            form_errors(form, err)
        else:
            messages.success(request, _("The vehicle is recorded."))
            return redirect("vehicles:detail", pk=vehicle.pk)
    return render(
        request,
        "vehicles/vehicle_form.html",
        {"form": form, "customer": customer, "vehicle": None},
        status=422 if form.errors else 200,
    )


@requires(Perm.CUSTOMER_EDIT)
def vehicle_edit(request: HttpRequest, pk: int) -> HttpResponse:
    vehicle = selectors.vehicle_get(user=request.user, pk=pk)
    initial = {name: getattr(vehicle, name) for name in VehicleForm.base_fields}
    form = VehicleForm(request.POST if request.method == "POST" else None, initial=initial)
    if form.is_bound and form.is_valid():
        values = changed_values(form, initial)
        try:
            if values:  # an unchanged form writes no history row and no audit event
                services.vehicle_update(actor=request.user, vehicle=vehicle, **values)
        except DomainError as err:
            form_errors(form, err)
        else:
            messages.success(request, _("The changes are saved."))
            return redirect("vehicles:detail", pk=vehicle.pk)
    return render(
        request,
        "vehicles/vehicle_form.html",
        {"form": form, "customer": vehicle.customer, "vehicle": vehicle},
        status=422 if form.errors else 200,
    )


ESTIMATE_GAP_WARNING = Decimal("0.30")


def _gap(appraised: Decimal | None, estimate: Decimal | None) -> Decimal | None:
    """How far the appraisal that counts lies from the 54321 estimate, as a share of the estimate, when the gap is
    wide enough (30 %) that the page asks for the appraiser's reason."""
    if appraised is None or not estimate:
        return None
    gap = abs(appraised - estimate) / estimate
    return gap.quantize(Decimal("0.0001")) if gap >= ESTIMATE_GAP_WARNING else None


def _detail(
    request: HttpRequest,
    vehicle: Vehicle,
    *,
    valuation_form: ValuationForm | None = None,
    upload_form: ConditionReportForm | None = None,
) -> HttpResponse:
    today = business_date()
    estimate = selectors.current_value_estimate(vehicle, today)
    latest = selectors.latest_valuation(vehicle)
    failed = (valuation_form is not None and valuation_form.errors) or (upload_form is not None and upload_form.errors)
    context = {
        "vehicle": vehicle,
        "today": today,
        "estimate": estimate,
        "ltv_valuation": latest,
        "estimate_gap": _gap(latest.value_amount if latest else None, estimate),
        "valuations": selectors.valuations(vehicle=vehicle),
        "same_vin_count": selectors.same_vin_count(vehicle),
        "pledged_elsewhere": selectors.pledged_elsewhere(vehicle),
        "can_edit": has_perm(request.user, Perm.CUSTOMER_EDIT),
        "valuation_form": valuation_form or ValuationForm(initial={"valued_on": today}),
        "upload_form": upload_form or ConditionReportForm(),
    }
    return render(request, "vehicles/vehicle_detail.html", context, status=422 if failed else 200)


@requires(Perm.CUSTOMER_VIEW)
def vehicle_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.vehicle_get(user=request.user, pk=pk))


@requires(Perm.CUSTOMER_EDIT)
def valuation_new(request: HttpRequest, pk: int) -> HttpResponse:
    vehicle = selectors.vehicle_get(user=request.user, pk=pk)
    if request.method != "POST":
        return redirect("vehicles:detail", pk=pk)
    form = ValuationForm(request.POST)
    if form.is_valid():
        try:
            services.valuation_record(actor=request.user, vehicle=vehicle, **form.cleaned_data)
        except DomainError as err:
            form_errors(form, err)
        else:
            messages.success(request, _("The valuation is recorded."))
            return redirect("vehicles:detail", pk=pk)
    return _detail(request, vehicle, valuation_form=form)


@requires(Perm.CUSTOMER_EDIT)
def condition_report_upload(request: HttpRequest, pk: int) -> HttpResponse:
    vehicle = selectors.vehicle_get(user=request.user, pk=pk)
    if request.method != "POST":
        return redirect("vehicles:detail", pk=pk)
    form = ConditionReportForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.condition_report_attach(
                actor=request.user, vehicle=vehicle, upload=form.cleaned_data["condition_report"]
            )
        except DomainError as err:
            form_errors(form, err)
        else:
            messages.success(request, _("The condition report is stored."))
            return redirect("vehicles:detail", pk=pk)
    return _detail(request, vehicle, upload_form=form)


@never_cache
@requires(Perm.CUSTOMER_VIEW)
@throttle_page(throttling.EXPORT, methods=frozenset({"POST"}))
def condition_report(request: HttpRequest, pk: int) -> HttpResponse:
    """The condition report after the scope check, for a stated purpose that is logged (issue #10 item 8): GET asks
    for the purpose, POST streams the decrypted file inline; documents have no public URL (MEDIA_URL is not served)."""
    vehicle = selectors.vehicle_get(user=request.user, pk=pk)
    if not vehicle.condition_report:
        raise Http404

    def open_file(purpose: str) -> HttpResponse:
        chunks = services.condition_report_download(
            actor=request.user, vehicle=vehicle, purpose=purpose, client_address=request.META.get("REMOTE_ADDR")
        )
        return services.condition_report_response(vehicle, chunks)

    return private_files.purpose_page(
        request,
        heading=_("Open the condition report"),
        description=f"{vehicle.brand} {vehicle.model_name} · {vehicle.vin}",
        back_url=reverse("vehicles:detail", args=[vehicle.pk]),
        button=_("Open the condition report"),
        open_file=open_file,
    )
