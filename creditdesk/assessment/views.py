"""Pages of the assessment app: applications, the review queue, the explainable decision, the overrides report."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from creditdesk.accounts.decorators import requires
from creditdesk.accounts.permissions import Perm, has_perm
from creditdesk.accounts.scoping import get_in_scope, in_scope
from creditdesk.assessment import co_borrower_views, decision_panels, selectors, services
from creditdesk.assessment.choices import ApplicationStatus, QueryOutcome
from creditdesk.assessment.forms import ApplicationForm, AssessForm, CommentForm, RatingForm, ReturnForm
from creditdesk.assessment.models import LoanApplication
from creditdesk.assessment.prerequisites import Prerequisite
from creditdesk.assessment.prerequisites import for_form as prerequisites_for_form
from creditdesk.core.dates import business_date
from creditdesk.core.errors import DomainError, ValidationFailed
from creditdesk.core.forms import form_errors, int_param
from creditdesk.core.pagination import page_of
from creditdesk.customers.models import Customer
from creditdesk.customers.picker import label_picker

FORM_FIELDS = (
    "product_code",
    "price_amount",
    "down_payment_amount",
    "requested_amount",
    "term_months",
    "repayment_method",
    "purpose",
    "bank_account",
)


@requires(Perm.APPLICATION_VIEW)
def application_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in ApplicationStatus.values and status != "queue":
        status = ""
    search = request.GET.get("q", "").strip()[:100]
    risk_level = request.GET.get("risk_level", "")
    if risk_level not in ("low", "medium", "high"):
        risk_level = ""
    customer_id = int_param(request.GET.get("customer_id"))
    if status == "queue":
        rows = selectors.review_queue(user=request.user)
    else:
        rows = selectors.application_list(
            user=request.user, status=status, search=search, risk_level=risk_level, customer_id=customer_id
        )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "assessment/application_list.html",
        {
            "page_obj": page_of(request, rows),
            "status": status,
            "statuses": ApplicationStatus.choices,
            "search": search,
            "risk_level": risk_level,
            "query": query.urlencode(),
            "can_review": has_perm(request.user, Perm.APPLICATION_REVIEW),
            "customer_id": customer_id,
        },
    )


def _guarantors(request: HttpRequest, form: ApplicationForm) -> list[tuple[Customer, str]]:
    guarantor_id = form.cleaned_data.get("guarantor")
    if not guarantor_id:
        return []
    guarantor = in_scope(Customer.objects.all(), request.user).filter(pk=guarantor_id).first()
    if guarantor is None:
        raise ValidationFailed.on("guarantor", _("No such customer in your scope."))
    return [(guarantor, form.cleaned_data.get("guarantor_relationship") or "")]


def _values(form: ApplicationForm, customer: Customer) -> dict[str, Any]:
    values = {name: form.cleaned_data.get(name) for name in FORM_FIELDS}
    values["bank_account"] = values["bank_account"] or ""
    vehicle_id = int_param(form.cleaned_data.get("vehicle"))
    values["vehicle"] = customer.vehicles.filter(pk=vehicle_id).first() if vehicle_id else None
    return values


def _prerequisites(request: HttpRequest, customer: Customer, form: ApplicationForm) -> list[Prerequisite]:
    """What the checklist will require for the product, vehicle and bank reading on the form (issue 11 item 16);
    the guarantor picker shows the chosen customer by name (in scope only)."""
    label_picker(form, "guarantor", request.user)
    choices = getattr(form.fields["product_code"], "choices", [])  # unchosen: the form shows the first product
    return prerequisites_for_form(
        customer=customer,
        product_code=str(form["product_code"].value() or next(iter(choices), ("", ""))[0]),
        vehicle_id=int_param(str(form["vehicle"].value() or "")),
        bank_account=bool(form["bank_account"].value()),
        today=business_date(),
    )


@requires(Perm.APPLICATION_EDIT)
def application_new(request: HttpRequest) -> HttpResponse:
    customer_id = int_param(request.GET.get("customer"))
    if customer_id is None:
        messages.info(request, _("Open the customer first and start the application from there."))
        return redirect("customers:list")
    customer = get_in_scope(Customer.objects.all(), request.user, pk=customer_id)
    initial = {"term_months": 36, "repayment_method": "equal_instalment"}
    vehicle_id = int_param(request.GET.get("vehicle"))
    if vehicle_id is not None:
        initial["vehicle"] = vehicle_id
    form = ApplicationForm(request.POST if request.method == "POST" else None, customer=customer, initial=initial)
    if form.is_bound and form.is_valid():
        try:
            application = services.application_create(
                actor=request.user,
                customer=customer,
                guarantors=_guarantors(request, form),
                **_values(form, customer),
            )
        except DomainError as err:
            form_errors(form, err)
        else:
            messages.success(request, _("The application is saved as a draft."))
            return redirect("assessment:detail", pk=application.pk)
    return render(
        request,
        "assessment/application_form.html",
        {
            "form": form,
            "customer": customer,
            "application": None,
            "prerequisites": _prerequisites(request, customer, form),
        },
        status=422 if form.errors else 200,
    )


@requires(Perm.APPLICATION_EDIT)
def application_edit(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_get(user=request.user, pk=pk)
    customer = application.customer
    first = application.guarantors.first()
    initial = {name: getattr(application, name) for name in FORM_FIELDS}
    initial["vehicle"] = application.vehicle_id or ""
    if first is not None:
        initial.update(guarantor=first.guarantor_id, guarantor_relationship=first.relationship)
    form = ApplicationForm(request.POST if request.method == "POST" else None, customer=customer, initial=initial)
    if form.is_bound and form.is_valid():
        try:
            values = _values(form, customer)
            if values["requested_amount"] is None:
                values.pop("requested_amount")
            services.application_update(
                actor=request.user, application=application, guarantors=_guarantors(request, form), **values
            )
        except DomainError as err:
            form_errors(form, err)
        else:
            messages.success(request, _("The changes are saved."))
            return redirect("assessment:detail", pk=pk)
    return render(
        request,
        "assessment/application_form.html",
        {
            "form": form,
            "customer": customer,
            "application": application,
            "prerequisites": _prerequisites(request, customer, form),
        },
        status=422 if form.errors else 200,
    )


def _detail(request: HttpRequest, application: LoanApplication, **forms: Any) -> HttpResponse:
    review = selectors.latest_review(application)
    user = request.user
    context = {
        "application": application,
        "review": review,
        "guarantors": application.guarantors.select_related("guarantor"),
        "co_borrowers": application.co_borrowers.select_related("co_borrower", "consent"),
        "co_q": request.GET.get("co_q", ""),
        "co_candidates": co_borrower_views.candidates(user=user, application=application, q=request.GET.get("co_q", ""))
        if has_perm(user, Perm.APPLICATION_EDIT) and application.is_editable
        else [],
        "assessment": selectors.latest_assessment(application),
        "queries": selectors.credit_queries(application)[:10],
        "timeline": selectors.timeline(application)[:50],
        "can_edit": has_perm(user, Perm.APPLICATION_EDIT) and application.is_editable,
        "can_submit": has_perm(user, Perm.APPLICATION_EDIT)
        and application.status in (ApplicationStatus.DRAFT, ApplicationStatus.RETURNED),
        "can_withdraw": has_perm(user, Perm.APPLICATION_EDIT)
        and application.status in (ApplicationStatus.DRAFT, ApplicationStatus.RETURNED, ApplicationStatus.SUBMITTED),
        "can_start_review": has_perm(user, Perm.APPLICATION_REVIEW)
        and application.status == ApplicationStatus.SUBMITTED,
        "can_return": has_perm(user, Perm.APPLICATION_REVIEW)
        and application.status in (ApplicationStatus.SUBMITTED, ApplicationStatus.IN_REVIEW),
        "can_assess": has_perm(user, Perm.APPLICATION_REVIEW) and application.status == ApplicationStatus.IN_REVIEW,
        "can_rate": has_perm(user, Perm.APPLICATION_REVIEW) and application.status == ApplicationStatus.SCORED,
        "can_plan": has_perm(user, Perm.PLAN_EDIT) and application.status == ApplicationStatus.RATED,
        "return_form": forms.get("return_form")
        or ReturnForm(initial={"reasons": _failure_text(review.failures) if review else ""}),
        "assess_form": forms.get("assess_form")
        or AssessForm(
            initial={
                "identity_verified": application.identity_verified,
                "income_verified": application.income_verified,
                "verification_notes": application.verification_notes,
            }
        ),
        "rating_form": forms.get("rating_form") or RatingForm(),
        "comment_form": forms.get("comment_form") or CommentForm(),
        "error": forms.get("error"),
        "prerequisites": prerequisites_for_form(
            customer=application.customer,
            product_code=application.product_code,
            vehicle_id=application.vehicle_id,
            bank_account=bool(application.bank_account),
            today=business_date(),
        )
        if application.status in (ApplicationStatus.DRAFT, ApplicationStatus.RETURNED)
        else None,
    }
    failed = any(f is not None and getattr(f, "errors", None) for f in forms.values()) or forms.get("error")
    return render(request, "assessment/application_detail.html", context, status=422 if failed else 200)


def _failure_text(failures: list[dict[str, Any]]) -> str:
    from creditdesk.assessment.templatetags.assessment import check_label

    return "\n".join(f"- {check_label(item)}" for item in failures)


@requires(Perm.APPLICATION_VIEW)
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.application_get(user=request.user, pk=pk))


def _transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    application = selectors.application_get(user=request.user, pk=pk)
    if request.method != "POST":
        return redirect("assessment:detail", pk=pk)
    form_classes = {"return": ReturnForm, "assess": AssessForm, "rating": RatingForm}
    form_class = form_classes.get(action, CommentForm)
    form = form_class(request.POST)
    if not form.is_valid():
        return _detail(request, application, **{f"{action}_form" if action in form_classes else "comment_form": form})
    data = form.cleaned_data
    try:
        if action == "submit":
            services.application_submit(actor=request.user, application=application, comment=data["comment"])
            messages.success(request, _("The application is submitted to risk."))
        elif action == "withdraw":
            services.application_withdraw(actor=request.user, application=application, comment=data["comment"])
            messages.success(request, _("The application is withdrawn."))
        elif action == "review":
            services.review_start(actor=request.user, application=application)
            messages.success(request, _("The application is in data review."))
        elif action == "return":
            services.application_return(actor=request.user, application=application, reasons=data["reasons"])
            messages.success(request, _("The application is returned to sales."))
        elif action == "assess":
            services.assessment_run(actor=request.user, application=application, **data)
            messages.success(request, _("The application is assessed: confirm or override the rating."))
        elif action == "rating":
            services.rating_decide(actor=request.user, application=application, **data)
            messages.success(request, _("The rating is recorded."))
    except DomainError as err:
        if action in form_classes and err.fields:
            form_errors(form, err)
            return _detail(request, application, **{f"{action}_form": form})
        application.refresh_from_db()
        return _detail(request, application, error=err)
    return redirect("assessment:detail", pk=pk)


@requires(Perm.APPLICATION_EDIT)
def application_submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, "submit")


@requires(Perm.APPLICATION_EDIT)
def application_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, "withdraw")


@requires(Perm.APPLICATION_REVIEW)
def application_review(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, "review")


@requires(Perm.APPLICATION_REVIEW)
def application_return(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, "return")


@requires(Perm.APPLICATION_REVIEW)
def application_assess(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, "assess")


@requires(Perm.APPLICATION_REVIEW)
def application_rating(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, "rating")


@requires(Perm.APPLICATION_VIEW)
def decision(request: HttpRequest, pk: int) -> HttpResponse:
    """The explainable decision (PRIN-2): every rule, the score's contributions, the bureau facts, the rating."""
    application = selectors.application_get(user=request.user, pk=pk)
    assessment = selectors.latest_assessment(application)
    if assessment is None:
        messages.info(request, _("The application has not been assessed yet."))
        return redirect("assessment:detail", pk=pk)
    panels = [panel(request, application) for panel in decision_panels.panels()]
    return render(
        request,
        "assessment/decision.html",
        {
            "application": application,
            "assessment": assessment,
            "versions": selectors.versions_of(assessment),
            "panels": [p for p in panels if p],
        },
    )


@requires(Perm.APPLICATION_VIEW)
def override_report(request: HttpRequest) -> HttpResponse:
    rows = selectors.overrides(user=request.user)
    return render(request, "assessment/overrides.html", {"page_obj": page_of(request, rows)})


@requires(Perm.APPLICATION_REVIEW, Perm.AUDIT_VIEW)
def credit_query_log(request: HttpRequest) -> HttpResponse:
    """The credit-report query log for risk and governance (征信业管理条例: every query is recorded)."""
    outcome = request.GET.get("outcome", "")
    if outcome not in QueryOutcome.values:
        outcome = ""
    rows = selectors.credit_query_log(user=request.user, outcome=outcome)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "assessment/credit_queries.html",
        {
            "page_obj": page_of(request, rows),
            "outcome": outcome,
            "outcomes": QueryOutcome.choices,
            "query": query.urlencode(),
        },
    )
