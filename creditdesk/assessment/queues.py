"""Home-page work queues of the assessment app."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from creditdesk.accounts.permissions import Perm, has_perm
from creditdesk.assessment import selectors
from creditdesk.assessment.choices import ApplicationStatus
from creditdesk.core.shell import WorkQueue


def review_queue(user: Any) -> WorkQueue | None:
    """Risk officers: applications submitted, in data review or scored and awaiting confirmation."""
    if not has_perm(user, Perm.APPLICATION_REVIEW):
        return None
    count = selectors.review_queue(user=user).count()
    return WorkQueue(title=_("Applications to review"), count=count, url=reverse("assessment:list") + "?status=queue")


def returned_queue(user: Any) -> WorkQueue | None:
    """Sales: applications risk returned for completion."""
    if not has_perm(user, Perm.APPLICATION_EDIT):
        return None
    count = selectors.application_list(user=user, status=ApplicationStatus.RETURNED).count()
    return WorkQueue(
        title=_("Applications returned for completion"),
        count=count,
        url=reverse("assessment:list") + f"?status={ApplicationStatus.RETURNED}",
    )


QUEUES = (review_queue, returned_queue)
