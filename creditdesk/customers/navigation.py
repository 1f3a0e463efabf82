"""Navigation entries of the customers app (discovered by the web shell)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from creditdesk.accounts.permissions import Perm, has_perm
from creditdesk.core.shell import NavEntry

ENTRIES = (
    NavEntry(
        label=_("Leads"), url_name="customers:leads", order=90, visible=lambda user: has_perm(user, Perm.CUSTOMER_VIEW)
    ),
    NavEntry(
        label=_("Customers"),
        url_name="customers:list",
        order=100,
        visible=lambda user: has_perm(user, Perm.CUSTOMER_VIEW),
    ),
    NavEntry(
        label=_("Partners"),
        url_name="customers:partners",
        order=110,
        visible=lambda user: has_perm(user, Perm.CUSTOMER_VIEW),
    ),
    NavEntry(
        label=_("Data-subject requests"),
        url_name="customers:subject-requests",
        order=795,
        visible=lambda user: has_perm(user, Perm.SUBJECT_REQUEST_HANDLE) or has_perm(user, Perm.AUDIT_VIEW),
    ),
)
