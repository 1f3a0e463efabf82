"""Navigation entries of the loans app (discovered by the web shell)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from creditdesk.accounts.permissions import Perm, has_perm
from creditdesk.core.shell import NavEntry

ENTRIES = (
    NavEntry(
        label=_("Loans"),
        url_name="loans:list",
        order=230,
        visible=lambda user: has_perm(user, Perm.LOAN_VIEW),
    ),
)
