"""Pages of contracts (借款合同): list with filters, detail with reviews, key terms, signing, mortgage and the PDF,
and the contract panel of the plan page. Thin: permission, parse, one service or selector, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from creditdesk.accounts.decorators import requires
from creditdesk.accounts.display import person_name
from creditdesk.accounts.permissions import Perm, has_perm
from creditdesk.assessment.choices import RepaymentMethod
from creditdesk.contracts import pdf, selectors, services
from creditdesk.contracts.choices import EVENT_LABELS, ContractStatus, KeyTerm
from creditdesk.contracts.forms import CommentForm, KeyTermsForm, MortgageRegistrationForm, ReviewForm, SignForm
from creditdesk.contracts.models import CANCELLABLE, Contract
from creditdesk.contracts.reviews import contract_decide, review_refusal
from creditdesk.core.dates import business_date
from creditdesk.core.errors import DomainError
from creditdesk.core.forms import form_errors
from creditdesk.core.pagination import page_of
from creditdesk.lending import selectors as lending
from creditdesk.lending.choices import FeeKind, PlanStatus, RegistrationStatus


@requires(Perm.CONTRACT_VIEW)
def contract_list(request: HttpRequest) -> HttpResponse:
    """Contracts in scope, searched by number or borrower and filtered by status."""
    status = request.GET.get("status", "") if request.GET.get("status", "") in ContractStatus.values else ""
    search = request.GET.get("q", "")[:100]
    contracts = selectors.contract_list(user=request.user, status=status, search=search)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "contracts/contract_list.html",
        {
            "page_obj": page_of(request, contracts),
            "status": status,
            "q": search,
            "statuses": ContractStatus.choices,
            "query": query.urlencode(),
        },
    )


def _party(viewer: Any, p: dict[str, Any]) -> dict[str, Any]:
    return {**p, "display_name": person_name(viewer, p.get("name"), person=p.get("kind") == "individual")}


def _detail(
    request: HttpRequest,
    contract: Contract,
    *,
    review_form: ReviewForm | None = None,
    sign_form: SignForm | None = None,
    mortgage_form: MortgageRegistrationForm | None = None,
    action_error: DomainError | None = None,
    status: int = 200,
) -> HttpResponse:
    snap = contract.snapshot
    parties = snap["parties"]
    can_edit = has_perm(request.user, Perm.CONTRACT_EDIT)
    explained = {k.item: k for k in contract.key_terms.select_related("explained_by")}
    mortgage = getattr(contract, "mortgage", None)
    open_contract = contract.status in CANCELLABLE
    context = {
        "contract": contract,
        "s": snap,
        "borrower": _party(request.user, parties["borrower"]),
        "co_borrowers": [_party(request.user, p) for p in parties.get("co_borrowers", [])],
        "guarantors": [_party(request.user, p) for p in parties.get("guarantors", [])],
        "method_label": RepaymentMethod(snap["method"]).label,
        "fees": [{**fee, "label": FeeKind(fee["kind"]).label} for fee in snap.get("fees", [])],
        "reviews": selectors.reviews(contract),
        "events": [(e, EVENT_LABELS.get(e.event_type, _("Other audit event"))) for e in selectors.timeline(contract)],
        "checklist": [(code, label, explained.get(code)) for code, label in KeyTerm.choices],
        "key_terms_complete": len(explained) == len(KeyTerm.values),
        "signatures": contract.signatures.all(),
        "mortgage": mortgage,
        "can_submit": can_edit and contract.status == ContractStatus.DRAFT,
        "can_cancel": can_edit and open_contract,
        "can_explain": can_edit and open_contract and len(explained) < len(KeyTerm.values),
        "can_sign": can_edit and contract.status == ContractStatus.READY_TO_SIGN,
        "can_register": can_edit
        and contract.status == ContractStatus.SIGNED
        and mortgage is not None
        and mortgage.status == RegistrationStatus.PENDING,
        "review_form": (review_form or ReviewForm())
        if review_refusal(actor=request.user, contract=contract) is None
        else None,
        "sign_form": sign_form or SignForm(),
        "key_terms_form": KeyTermsForm(initial={"items": list(explained)}),
        "mortgage_form": mortgage_form or MortgageRegistrationForm(initial={"registered_on": business_date()}),
        "action_error": action_error,
    }
    return render(request, "contracts/contract_detail.html", context, status=status)


def _get(request: HttpRequest, pk: int) -> Contract:
    return selectors.contract_get(user=request.user, pk=pk)


@requires(Perm.CONTRACT_VIEW)
def contract_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _get(request, pk))


@requires(Perm.CONTRACT_VIEW)
def contract_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    contract = Contract.objects.get(pk=_get(request, pk).pk)
    response = HttpResponse(pdf.render_contract(contract), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{contract.number}.pdf"'
    return response


@requires(Perm.CONTRACT_EDIT)
def contract_generate_view(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = lending.plan_get(user=request.user, pk=plan_id, today=business_date())
    if request.method != "POST":
        return redirect("lending:plan-detail", pk=plan_id)
    try:
        contract = services.contract_generate(actor=request.user, plan=plan)
    except DomainError as err:
        messages.error(request, err.message)
        return redirect("lending:plan-detail", pk=plan_id)
    messages.success(request, _("The contract is generated."))
    return redirect("contracts:detail", pk=contract.pk)


def _action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    contract = _get(request, pk)
    if request.method != "POST":
        return redirect("contracts:detail", pk=pk)
    form = CommentForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    try:
        if action == "submit":
            services.contract_submit(actor=request.user, contract=contract, comment=comment)
            messages.success(request, _("The contract is submitted for review."))
        else:
            services.contract_cancel(actor=request.user, contract=contract, comment=comment)
            messages.success(request, _("The contract is cancelled."))
    except DomainError as err:
        return _detail(request, contract, action_error=err, status=err.status)
    return redirect("contracts:detail", pk=pk)


@requires(Perm.CONTRACT_EDIT)
def contract_submit_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(request, pk, "submit")


@requires(Perm.CONTRACT_EDIT)
def contract_cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(request, pk, "cancel")


@requires(Perm.CONTRACT_REVIEW)
def contract_review_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the review of the current stage; the form asks the reviewer to confirm (CON-2)."""
    contract = _get(request, pk)
    if request.method != "POST":
        return redirect("contracts:detail", pk=pk)
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            contract_decide(
                actor=request.user,
                contract=contract,
                outcome=form.cleaned_data["outcome"],
                opinion=form.cleaned_data["opinion"],
            )
        except DomainError as err:
            form_errors(form, err)
            return _detail(request, contract, review_form=form, action_error=err, status=err.status)
        messages.success(request, _("The review is recorded."))
        return redirect("contracts:detail", pk=pk)
    return _detail(request, contract, review_form=form, status=422)


@requires(Perm.CONTRACT_EDIT)
def key_terms_view(request: HttpRequest, pk: int) -> HttpResponse:
    contract = _get(request, pk)
    if request.method != "POST":
        return redirect("contracts:detail", pk=pk)
    form = KeyTermsForm(request.POST)
    if not form.is_valid():
        return _detail(
            request, contract, action_error=DomainError(_("Choose key terms from the checklist.")), status=422
        )
    try:
        services.key_terms_explain(actor=request.user, contract=contract, items=form.cleaned_data["items"])
    except DomainError as err:
        return _detail(request, contract, action_error=err, status=err.status)
    messages.success(request, _("The key-terms explanation is recorded."))
    return redirect("contracts:detail", pk=pk)


@requires(Perm.CONTRACT_EDIT)
def contract_sign_view(request: HttpRequest, pk: int) -> HttpResponse:
    contract = _get(request, pk)
    if request.method != "POST":
        return redirect("contracts:detail", pk=pk)
    form = SignForm(request.POST)
    if not form.is_valid():
        return _detail(request, contract, sign_form=form, status=422)
    try:
        services.contract_sign(actor=request.user, contract=contract)
    except DomainError as err:
        return _detail(request, contract, sign_form=form, action_error=err, status=err.status)
    messages.success(request, _("The contract is signed by every party."))
    return redirect("contracts:detail", pk=pk)


@requires(Perm.CONTRACT_EDIT)
def mortgage_register_view(request: HttpRequest, pk: int) -> HttpResponse:
    contract = _get(request, pk)
    if request.method != "POST":
        return redirect("contracts:detail", pk=pk)
    form = MortgageRegistrationForm(request.POST, request.FILES)
    if not form.is_valid():
        return _detail(request, contract, mortgage_form=form, status=422)
    try:
        services.mortgage_register(
            actor=request.user,
            contract=contract,
            registration_number=form.cleaned_data["registration_number"],
            registered_on=form.cleaned_data["registered_on"],
            evidence=form.cleaned_data["evidence"],
        )
    except DomainError as err:
        form_errors(form, err)
        return _detail(request, contract, mortgage_form=form, action_error=err, status=err.status)
    messages.success(request, _("The mortgage registration is recorded."))
    return redirect("contracts:detail", pk=pk)


def plan_contract_panel(request: HttpRequest, plan: Any) -> str:
    """The plan page's contract panel: the live contract's link, or the button that generates one."""
    if plan.status != PlanStatus.APPROVED or not has_perm(request.user, Perm.CONTRACT_VIEW):
        return ""
    contract = selectors.live_contract_for_plan(plan)
    return render_to_string(
        "contracts/_plan_panel.html",
        {"plan": plan, "contract": contract, "can_generate": has_perm(request.user, Perm.CONTRACT_EDIT)},
        request=request,
    )
