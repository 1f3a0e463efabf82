"""Home-page work queues of the contracts app: contracts waiting at each review stage for the role that reviews
it (CON-2: the department head's business review, the risk officer's, legal's), and the salesperson's contracts
ready to sign."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from creditdesk.accounts.permissions import Perm, has_perm
from creditdesk.contracts import selectors
from creditdesk.contracts.choices import ContractStatus, ReviewStage
from creditdesk.contracts.reviews import STAGE_ROLES
from creditdesk.core.shell import WorkQueue

QUEUE_ITEMS = 5


def _items(contracts: Any) -> list[dict[str, Any]]:
    return [
        {
            "label": f"{c.number} {c.customer.name}",
            "url": reverse("contracts:detail", args=[c.pk]),
            "due_on": None,
            "overdue": False,
        }
        for c in contracts[:QUEUE_ITEMS]
    ]


def stage_queue(stage: ReviewStage, title: str | Promise) -> Callable[[Any], WorkQueue | None]:
    """The queue of `stage` for the users holding its role: the contracts they may still review, oldest first."""

    def provider(user: Any) -> WorkQueue | None:
        if STAGE_ROLES[stage] not in getattr(user, "role_codes", []) or not has_perm(user, Perm.CONTRACT_REVIEW):
            return None
        contracts = selectors.review_queue(user=user, status=str(stage))
        return WorkQueue(
            title=title,
            count=contracts.count(),
            url=f"{reverse('contracts:list')}?status={stage}",
            items=_items(contracts),
        )

    provider.__name__ = f"contract_{stage}_queue"
    return provider


business_review_queue = stage_queue(ReviewStage.BUSINESS_REVIEW, _("Contracts awaiting business review"))
risk_review_queue = stage_queue(ReviewStage.RISK_REVIEW, _("Contracts awaiting risk review"))
legal_review_queue = stage_queue(ReviewStage.LEGAL_REVIEW, _("Contracts awaiting legal review"))


def ready_to_sign_queue(user: Any) -> WorkQueue | None:
    """Contracts of the salesperson's customers that passed every review and wait for the signing."""
    if not has_perm(user, Perm.CONTRACT_EDIT):
        return None
    contracts = selectors.contract_list(user=user, status=ContractStatus.READY_TO_SIGN)
    return WorkQueue(
        title=_("Contracts ready to sign"),
        count=contracts.count(),
        url=f"{reverse('contracts:list')}?status={ContractStatus.READY_TO_SIGN}",
        items=_items(contracts),
    )


QUEUES = (business_review_queue, risk_review_queue, legal_review_queue, ready_to_sign_queue)
