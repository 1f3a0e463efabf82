"""API of service plans (金融服务方案) and their approval: `/plans`, `/plans/{id}/decisions` (PLAN-1…PLAN-9).

Every plan carries its APR (nominal and effective, IRR method, PLAN-8) next to the contract rate and the monthly
rate, the schedule's summary, where it is in the approval (stage, due date, overdue) and its route.
"""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.pagination import paginate
from ninja.responses import Status

from creditdesk.accounts.auth import api_auth
from creditdesk.accounts.permissions import Perm
from creditdesk.accounts.scoping import get_field_in_scope
from creditdesk.assessment.api import CommentIn, guarantor_customers
from creditdesk.assessment.models import LoanApplication
from creditdesk.core.api import ERRORS
from creditdesk.core.dates import business_date
from creditdesk.core.errors import ValidationFailed
from creditdesk.core.pagination import PageNumber
from creditdesk.core.schema import Id
from creditdesk.lending import selectors, services
from creditdesk.lending.choices import ExceptionState
from creditdesk.lending.decisions import plan_decide
from creditdesk.lending.models import ServicePlan
from creditdesk.lending.schemas import (
    DecisionOut,
    ExceptionOut,
    ExceptionQuery,
    PlanChanges,
    PlanDecisionIn,
    PlanDetailOut,
    PlanIn,
    PlanOut,
    PlanQuery,
)

router = Router(tags=["plans"])
PLAN_FIELDS = (
    "price_amount",
    "down_payment_amount",
    "principal_amount",
    "term_months",
    "method",
    "annual_rate",
    "exception_requested",
    "exception_reason",
)


def _get(request: HttpRequest, plan_id: Id) -> ServicePlan:
    return selectors.plan_get(user=request.user, pk=plan_id, today=business_date())


def _changes(payload: PlanChanges) -> dict[str, Any]:
    return {k: v for k, v in payload.dict(exclude_unset=True).items() if k in PLAN_FIELDS}


@router.get(
    "/plans",
    auth=api_auth(Perm.PLAN_VIEW),
    response={200: list[PlanOut], **ERRORS},
    summary="Service plans within your scope",
)
@paginate(PageNumber)
def plan_list(request: HttpRequest, filters: Query[PlanQuery]) -> Any:
    return selectors.plan_list(
        user=request.user,
        today=business_date(),
        status=filters.status,
        stage=filters.stage,
        overdue=filters.overdue,
        application_id=filters.application_id,
    )


@router.post(
    "/plans",
    auth=api_auth(Perm.PLAN_EDIT),
    response={201: PlanDetailOut, **ERRORS},
    summary="Prepare a draft service plan on a rated application",
)
def plan_create(request: HttpRequest, payload: PlanIn) -> Any:
    """409 `application_not_rated` or `plan_exists` (with the plan's id); 422 `plan_outside_limits` with every
    breach of the product's limits and the rating's measures at once."""
    application = get_field_in_scope(
        LoanApplication.objects.all(),
        request.user,
        pk=payload.application_id,
        field="application_id",
        message=_("Not found."),
    )
    plan = services.plan_create(
        actor=request.user,
        application=application,
        guarantors=guarantor_customers(request, payload.guarantors),
        reason=payload.reason,
        **_changes(payload),
    )
    return Status(201, _get(request, plan.pk))


@router.get(
    "/plans/{plan_id}",
    auth=api_auth(Perm.PLAN_VIEW),
    response={200: PlanDetailOut, **ERRORS},
    summary="One plan with its whole schedule",
)
def plan_detail(request: HttpRequest, plan_id: Id) -> Any:
    return _get(request, plan_id)


@router.patch(
    "/plans/{plan_id}",
    auth=api_auth(Perm.PLAN_EDIT),
    response={200: PlanDetailOut, **ERRORS},
    summary="Revise a draft or returned plan (a new revision)",
)
def plan_update(request: HttpRequest, plan_id: Id, payload: PlanChanges) -> Any:
    services.plan_update(
        actor=request.user,
        plan=_get(request, plan_id),
        guarantors=guarantor_customers(request, payload.guarantors),
        reason=payload.reason,
        **_changes(payload),
    )
    return _get(request, plan_id)


@router.post(
    "/plans/{plan_id}/submit",
    auth=api_auth(Perm.PLAN_EDIT),
    response={200: PlanDetailOut, **ERRORS},
    summary="Submit the plan for approval along the chain in force",
)
def plan_submit(request: HttpRequest, plan_id: Id, payload: CommentIn) -> Any:
    services.plan_submit(actor=request.user, plan=_get(request, plan_id), comment=payload.comment)
    return _get(request, plan_id)


@router.post(
    "/plans/{plan_id}/withdraw",
    auth=api_auth(Perm.PLAN_EDIT),
    response={200: PlanDetailOut, **ERRORS},
    summary="Withdraw a plan that is not decided yet (a comment is required)",
)
def plan_withdraw(request: HttpRequest, plan_id: Id, payload: CommentIn) -> Any:
    services.plan_withdraw(actor=request.user, plan=_get(request, plan_id), comment=payload.comment)
    return _get(request, plan_id)


@router.get(
    "/plans/{plan_id}/decisions",
    auth=api_auth(Perm.PLAN_VIEW),
    response={200: list[DecisionOut], **ERRORS},
    summary="The plan's approval history, every revision, oldest first",
)
def decision_list(request: HttpRequest, plan_id: Id) -> Any:
    return list(selectors.decisions(_get(request, plan_id)).select_related("plan"))


@router.post(
    "/plans/{plan_id}/decisions",
    auth=api_auth(Perm.PLAN_DECIDE),
    response={201: DecisionOut, **ERRORS},
    summary="Approve, reject or return the plan at its current stage, with an opinion",
)
def decision_create(request: HttpRequest, plan_id: Id, payload: PlanDecisionIn) -> Any:
    """403 `wrong_role` (not this stage's role) or `segregation_of_duties` (the preparer, or a second decision on
    the same revision); 409 `plan_not_pending`; 422 without an opinion."""
    decision = plan_decide(
        actor=request.user, plan=_get(request, plan_id), outcome=payload.outcome, opinion=payload.opinion
    )
    return Status(201, decision)


@router.get(
    "/plan-exceptions",
    auth=api_auth(Perm.PLAN_VIEW),
    response={200: list[ExceptionOut], **ERRORS},
    summary="Exception requests within your scope (the exceptions report), newest first",
)
@paginate(PageNumber)
def exception_list(request: HttpRequest, filters: Query[ExceptionQuery]) -> Any:
    """422 on an unknown `state`."""
    if filters.state and filters.state not in ExceptionState.values:
        raise ValidationFailed.on("state", _("Unknown state."))
    return selectors.exception_list(user=request.user, state=filters.state)
