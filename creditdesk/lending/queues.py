"""Home-page work queues of the lending app: plans waiting at each approval stage, and plans returned to their
preparer (PLAN-7, PLAN-9: each role sees its own queue, the overdue ones counted)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from creditdesk.accounts.permissions import Perm, has_perm
from creditdesk.core.dates import business_date
from creditdesk.core.shell import WorkQueue
from creditdesk.lending import approval, selectors
from creditdesk.lending.choices import PlanStatus

QUEUE_ITEMS = 5


def _items(plans: Any) -> list[dict[str, Any]]:
    return [
        {
            "label": f"{plan.reference} {plan.application.customer.name}",
            "url": reverse("lending:plan-detail", args=[plan.pk]),
            "due_on": plan.stage_due_on,
            "overdue": plan.overdue,
        }
        for plan in plans[:QUEUE_ITEMS]
    ]


def stage_queue(stage: str, title: str | Promise) -> Callable[[Any], WorkQueue | None]:
    """The queue of `stage` for the users holding its role: what they may still decide, the most overdue first."""

    def provider(user: Any) -> WorkQueue | None:
        if approval.STAGE_ROLES[stage] not in getattr(user, "role_codes", []):
            return None
        today = business_date()
        plans = selectors.approval_queue(user=user, stage=stage, today=today)
        return WorkQueue(
            title=title,
            count=plans.count(),
            url=f"{reverse('lending:plan-list')}?status={PlanStatus.PENDING_APPROVAL}&stage={stage}",
            items=_items(plans),
            overdue=plans.filter(selectors.overdue_q(today)).count(),
        )

    provider.__name__ = f"{stage}_queue"
    return provider


department_review_queue = stage_queue(approval.DEPARTMENT_REVIEW, _("Plans awaiting department review"))
risk_review_queue = stage_queue(approval.RISK_REVIEW, _("Plans awaiting risk review"))
final_decision_queue = stage_queue(approval.FINAL_DECISION, _("Plans awaiting the final decision"))


def returned_plans_queue(user: Any) -> WorkQueue | None:
    """Plans returned for revision to the person who prepared them."""
    if not has_perm(user, Perm.PLAN_EDIT):
        return None
    plans = selectors.plan_list(user=user, today=business_date(), status=PlanStatus.RETURNED).filter(prepared_by=user)
    return WorkQueue(
        title=_("My plans returned for revision"),
        count=plans.count(),
        url=f"{reverse('lending:plan-list')}?status={PlanStatus.RETURNED}",
        items=_items(plans),
    )


QUEUES = (department_review_queue, risk_review_queue, final_decision_queue, returned_plans_queue)
