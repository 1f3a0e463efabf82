"""Navigation entries of the contracts app (discovered by the web shell)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from creditdesk.accounts.permissions import Perm, has_perm
from creditdesk.core.shell import NavEntry

ENTRIES = (
    NavEntry(
        label=_("Contracts"),
        url_name="contracts:list",
        order=220,
        visible=lambda user: has_perm(user, Perm.CONTRACT_VIEW),
    ),
)
