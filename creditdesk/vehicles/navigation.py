"""Navigation entries of the vehicles app (discovered by the web shell)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from creditdesk.accounts.permissions import Perm, has_perm
from creditdesk.core.shell import NavEntry

ENTRIES = (
    NavEntry(
        label=_("Vehicles"),
        url_name="vehicles:list",
        order=150,
        visible=lambda user: has_perm(user, Perm.CUSTOMER_VIEW),
    ),
)
