"""Navigation entries of the lending app (discovered by the web shell)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from creditdesk.accounts.permissions import Perm, has_perm
from creditdesk.core.shell import NavEntry

ENTRIES = (
    NavEntry(
        label=_("Quote calculator"),
        url_name="lending:quote",
        order=200,
        visible=lambda user: has_perm(user, Perm.QUOTE_CREATE),
    ),
    NavEntry(
        label=_("Service plans"),
        url_name="lending:plan-list",
        order=210,
        visible=lambda user: has_perm(user, Perm.PLAN_VIEW),
    ),
    NavEntry(
        label=_("Exception requests"),
        url_name="lending:exception-list",
        order=215,
        visible=lambda user: has_perm(user, Perm.PLAN_VIEW),
    ),
)
