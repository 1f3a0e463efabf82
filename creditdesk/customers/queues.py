"""Home-page work queues of the customers app."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from creditdesk.accounts.permissions import Perm, has_perm
from creditdesk.core.dates import business_date
from creditdesk.core.shell import WorkQueue
from creditdesk.customers.selectors import access_requests, refresh_due, subject_requests_overdue


def refresh_due_queue(user: Any) -> WorkQueue | None:
    """Customers whose information is due for its periodic refresh (INFO-8), for those who maintain them."""
    if not has_perm(user, Perm.CUSTOMER_EDIT):
        return None
    count = refresh_due(user=user, on=business_date(), months=settings.CUSTOMER_REFRESH_MONTHS).count()
    return WorkQueue(title=_("Customer information due for refresh"), count=count, url=reverse("customers:refresh-due"))


def access_request_queue(user: Any) -> WorkQueue | None:
    """Colleagues outside the user's scope asking for access to one of their customers (issue 10 item 6)."""
    if not has_perm(user, Perm.CUSTOMER_EDIT):
        return None
    count = access_requests(user=user, on=business_date()).count()
    if not count:
        return None
    return WorkQueue(
        title=_("Access requests for your customers"), count=count, url=reverse("customers:access-requests")
    )


def subject_request_queue(user: Any) -> WorkQueue | None:
    """Data-subject requests past their reply date, for the information administrator (PIPL: reply "timely")."""
    if not has_perm(user, Perm.SUBJECT_REQUEST_HANDLE):
        return None
    count = subject_requests_overdue(user=user, on=business_date()).count()
    return WorkQueue(
        title=_("Data-subject requests past their reply date"),
        count=count,
        url=reverse("customers:subject-requests") + "?overdue=1",
    )


QUEUES = (refresh_due_queue, access_request_queue, subject_request_queue)
