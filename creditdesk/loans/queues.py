"""Home-page work queue of the loans app: reversal requests waiting for a second finance user (maker-checker)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from creditdesk.accounts.permissions import Perm, has_perm
from creditdesk.core.shell import WorkQueue
from creditdesk.loans import selectors

QUEUE_ITEMS = 5


def reversal_queue(user: Any) -> WorkQueue | None:
    """Reversals other finance users asked for, oldest first: this user may approve or reject them."""
    if not has_perm(user, Perm.LOAN_POST):
        return None
    pending = selectors.pending_reversals(user=user)
    return WorkQueue(
        title=_("Reversals awaiting your check"),
        count=pending.count(),
        url=reverse("loans:list"),
        items=[
            {
                "label": f"{r.transaction.loan.number} {r.transaction.loan.customer.name} {r.transaction.amount} 元",
                "url": reverse("loans:detail", args=[r.transaction.loan_id]) + "#reversals",
                "due_on": None,
                "overdue": False,
            }
            for r in pending[:QUEUE_ITEMS]
        ],
    )


QUEUES = (reversal_queue,)
