"""Pages of service plans (金融服务方案) and their approval: list, prepare, revise, detail with the decision form
(PLAN-1…PLAN-9). Thin: permission, parse, one service or selector, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from creditdesk.accounts.choices import Role
from creditdesk.accounts.decorators import requires
from creditdesk.accounts.permissions import Perm, has_perm
from creditdesk.accounts.scoping import get_in_scope
from creditdesk.assessment.models import LoanApplication
from creditdesk.assessment.selectors import latest_assessment
from creditdesk.core.dates import business_date
from creditdesk.core.errors import DomainError
from creditdesk.core.forms import form_errors
from creditdesk.core.pagination import page_of
from creditdesk.customers.models import Customer
from creditdesk.lending import plan_panels, selectors, services
from creditdesk.lending.choices import EVENT_LABELS, ApprovalStage, ExceptionState, GuaranteeKind, PlanStatus
from creditdesk.lending.decisions import decision_refusal, plan_decide
from creditdesk.lending.forms import CommentForm, DecisionForm, PlanForm
from creditdesk.lending.models import ServicePlan

RENAMED = {"guarantees": "guarantors"}
ROLE_LABELS = dict(Role.choices)
STAGE_LABELS = dict(ApprovalStage.choices)


@requires(Perm.PLAN_VIEW)
def plan_list(request: HttpRequest) -> HttpResponse:
    """Plans in scope, filtered by status, stage and overdue; rated applications still without a plan."""
    today = business_date()
    status = request.GET.get("status", "") if request.GET.get("status", "") in PlanStatus.values else ""
    stage = request.GET.get("stage", "") if request.GET.get("stage", "") in ApprovalStage.values else ""
    overdue = True if request.GET.get("overdue") == "1" else None
    plans = selectors.plan_list(user=request.user, today=today, status=status, stage=stage, overdue=overdue)
    query = request.GET.copy()
    query.pop("page", None)
    can_edit = has_perm(request.user, Perm.PLAN_EDIT)
    ready = selectors.applications_ready_for_plan(user=request.user)[:20] if can_edit else []
    return render(
        request,
        "lending/plan_list.html",
        {
            "page_obj": page_of(request, plans),
            "status": status,
            "stage": stage,
            "overdue": overdue,
            "statuses": PlanStatus.choices,
            "stages": ApprovalStage.choices,
            "query": query.urlencode(),
            "ready": ready,
            "today": today,
        },
    )


def _guarantor_choices(application: LoanApplication, plan: ServicePlan | None) -> dict[int, tuple[Customer, str]]:
    """The guarantors a page may choose: those listed on the application, and those already on the plan."""
    found = {g.guarantor_id: (g.guarantor, g.relationship) for g in application.guarantors.select_related("guarantor")}
    if plan is not None:
        for g in plan.guarantees.filter(kind=GuaranteeKind.GUARANTOR).select_related("guarantor"):
            if g.guarantor is not None:
                found.setdefault(g.guarantor.pk, (g.guarantor, g.relationship))
    return found


def _plan_form(
    request: HttpRequest, application: LoanApplication, level: str, plan: ServicePlan | None, initial: dict[str, Any]
) -> tuple[PlanForm, dict[int, tuple[Customer, str]]]:
    candidates = _guarantor_choices(application, plan)
    form = PlanForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        vehicle_loan=application.vehicle_id is not None,
        # The exception request is offered where one may be needed: high risk, or a failed hard rule (issue 11).
        high_risk=level == "high" or not _admitted(application) or bool(plan and plan.failed_rules),
        guarantors=[(str(pk), f"{c.name}（{relationship}）") for pk, (c, relationship) in candidates.items()],
        revising=plan is not None and plan.status == PlanStatus.RETURNED,
    )
    return form, candidates


def _admitted(application: LoanApplication) -> bool:
    latest = application.assessments.order_by("-id").first()
    return latest is None or latest.admitted


def _chosen(form: PlanForm, candidates: dict[int, tuple[Customer, str]]) -> list[tuple[Customer, str]]:
    return [candidates[int(pk)] for pk in form.cleaned_data.get("guarantors", [])]


@requires(Perm.PLAN_EDIT)
def plan_new(request: HttpRequest, application_id: int) -> HttpResponse:
    """Prepare a plan on a rated application: the application's figures, priced from the grid (PLAN-1…6)."""
    application = get_in_scope(
        LoanApplication.objects.select_related("customer", "vehicle"), request.user, pk=application_id
    )
    existing = selectors.open_plan_of(application)
    if existing is not None:
        messages.info(request, _("This application already has a service plan."))
        return redirect("lending:plan-detail", pk=existing.pk)
    initial = {
        "price_amount": application.price_amount,
        "down_payment_amount": application.down_payment_amount,
        "principal_amount": application.requested_amount,
        "term_months": application.term_months,
        "method": application.repayment_method,
        "guarantors": [str(g.guarantor_id) for g in application.guarantors.all()],
    }
    form, candidates = _plan_form(request, application, application.risk_level, None, initial)
    if form.is_bound and form.is_valid():
        try:
            plan = services.plan_create(
                actor=request.user, application=application, guarantors=_chosen(form, candidates), **form.changes()
            )
        except DomainError as err:
            form_errors(form, err, renamed=RENAMED)
        else:
            messages.success(request, _("The plan is prepared as a draft."))
            return redirect("lending:plan-detail", pk=plan.pk)
    context = {"form": form, "application": application, "plan": None}
    return render(request, "lending/plan_form.html", context, status=422 if form.errors else 200)


@requires(Perm.PLAN_EDIT)
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get(user=request.user, pk=pk, today=business_date())
    if not plan.is_editable:
        messages.info(request, _("Only a draft or returned plan can be revised."))
        return redirect("lending:plan-detail", pk=plan.pk)
    initial = {
        "price_amount": plan.price_amount,
        "down_payment_amount": plan.down_payment_amount,
        "principal_amount": plan.principal_amount,
        "term_months": plan.term_months,
        "method": plan.method,
        "annual_rate": plan.annual_rate if plan.rate_manual else None,
        "exception_requested": plan.exception_requested,
        "exception_reason": plan.exception_reason,
        "guarantors": [str(g.guarantor_id) for g in plan.guarantees.all() if g.kind == GuaranteeKind.GUARANTOR],
    }
    form, candidates = _plan_form(request, plan.application, plan.risk_level, plan, initial)
    if form.is_bound and form.is_valid():
        try:
            services.plan_update(
                actor=request.user,
                plan=plan,
                guarantors=_chosen(form, candidates),
                reason=form.cleaned_data.get("reason", ""),
                **form.changes(),
            )
        except DomainError as err:
            form_errors(form, err, renamed=RENAMED)
        else:
            messages.success(request, _("The plan is revised."))
            return redirect("lending:plan-detail", pk=plan.pk)
    context = {"form": form, "application": plan.application, "plan": plan}
    return render(request, "lending/plan_form.html", context, status=422 if form.errors else 200)


def _staff_names(pks: Any) -> list[str]:
    """Staff as the pages name them: the full name, else the username."""
    users = get_user_model().objects.filter(pk__in=list(pks)).order_by("full_name", "username")
    return [user.full_name or user.username for user in users]


def _detail(
    request: HttpRequest,
    plan: ServicePlan,
    *,
    decision_form: DecisionForm | None = None,
    action_error: DomainError | None = None,
    status: int = 200,
) -> HttpResponse:
    refusal = decision_refusal(actor=request.user, plan=plan)
    can_edit = has_perm(request.user, Perm.PLAN_EDIT)
    context = {
        "plan": plan,
        "schedule": selectors.schedule_of(plan),
        "guarantees": list(plan.guarantees.all()),
        "exception_requests": selectors.exceptions_of(plan),
        "decisions": selectors.decisions(plan),
        "revisions": selectors.revisions(plan),
        "events": [
            (
                event,
                EVENT_LABELS.get(event.event_type, _("Other audit event")),
                STAGE_LABELS.get(event.payload.get("stage")),
            )
            for event in selectors.timeline(plan)
        ],
        "stage_role": ROLE_LABELS.get(plan.route.get("roles", {}).get(plan.current_stage, ""), ""),
        "can_revise": can_edit and plan.is_editable,
        "can_submit": can_edit and plan.is_editable,
        "can_withdraw": can_edit and services.may_withdraw(request.user, plan),
        "can_view_application": has_perm(request.user, Perm.APPLICATION_VIEW),
        "has_assessment": latest_assessment(plan.application) is not None,
        "decision_form": (decision_form or DecisionForm()) if refusal is None else None,
        "action_error": action_error,
        "committee_members": _staff_names(plan.route.get("members") or []),
        "co_borrowers": plan.application.co_borrowers.select_related("co_borrower"),
        "raters": _staff_names(selectors.rater_ids(plan.application))
        if plan.route.get("separate_rating_and_review", True)
        else [],
        "panels": [panel(request, plan) for panel in plan_panels.panels()],
    }
    return render(request, "lending/plan_detail.html", context, status=status)


@requires(Perm.PLAN_VIEW)
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.plan_get(user=request.user, pk=pk, today=business_date()))


@requires(Perm.PLAN_DECIDE)
def plan_decide_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the decision of the current stage; the form asks the decider to confirm (PLAN-7)."""
    plan = selectors.plan_get(user=request.user, pk=pk, today=business_date())
    if request.method != "POST":
        return redirect("lending:plan-detail", pk=pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            plan_decide(
                actor=request.user,
                plan=plan,
                outcome=form.cleaned_data["outcome"],
                opinion=form.cleaned_data["opinion"],
            )
        except DomainError as err:
            form_errors(form, err)
            return _detail(request, plan, decision_form=form, action_error=err, status=err.status)
        messages.success(request, _("The decision is recorded."))
        return redirect("lending:plan-detail", pk=pk)
    return _detail(request, plan, decision_form=form, status=422)


def _transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    plan = selectors.plan_get(user=request.user, pk=pk, today=business_date())
    if request.method != "POST":
        return redirect("lending:plan-detail", pk=pk)
    form = CommentForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    try:
        if action == "submit":
            services.plan_submit(actor=request.user, plan=plan, comment=comment)
            messages.success(request, _("The plan is submitted for approval."))
        else:
            services.plan_withdraw(actor=request.user, plan=plan, comment=comment)
            messages.success(request, _("The plan is withdrawn."))
    except DomainError as err:
        plan = selectors.plan_get(user=request.user, pk=pk, today=business_date())
        return _detail(request, plan, action_error=err, status=err.status)
    return redirect("lending:plan-detail", pk=pk)


@requires(Perm.PLAN_EDIT)
def plan_submit_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, "submit")


@requires(Perm.PLAN_EDIT)
def plan_withdraw_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, "withdraw")


@requires(Perm.PLAN_VIEW)
def exception_list(request: HttpRequest) -> HttpResponse:
    """The exceptions report (例外审批台账): every exception request in scope, filterable by state (issue 11)."""
    state = request.GET.get("state", "") if request.GET.get("state", "") in ExceptionState.values else ""
    query = request.GET.copy()
    query.pop("page", None)
    rows = selectors.exception_list(user=request.user, state=state)
    context = {"page_obj": page_of(request, rows), "state": state, "states": ExceptionState.choices}
    return render(request, "lending/exception_list.html", {**context, "query": query.urlencode()})


def application_exceptions_panel(request: HttpRequest, application: LoanApplication) -> str:
    """The decision page's panel: the exception requests of the application's plans (in the reader's scope)."""
    if not has_perm(request.user, Perm.PLAN_VIEW):
        return ""
    rows = list(selectors.exception_list(user=request.user).filter(plan__application=application))
    if not rows:
        return ""
    return render_to_string("lending/_exception_requests.html", {"exception_requests": rows, "show_plan": True})
