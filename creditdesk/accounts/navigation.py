"""Navigation entries of the accounts app (discovered by the web shell)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from creditdesk.accounts.permissions import Perm, has_perm
from creditdesk.core.shell import NavEntry

ENTRIES = (
    NavEntry(
        label=_("Staff"), url_name="accounts:staff", order=700, visible=lambda user: has_perm(user, Perm.STAFF_VIEW)
    ),
    NavEntry(
        label=_("Disclosures"),
        url_name="accounts:disclosures",
        order=780,
        visible=lambda user: any(
            has_perm(user, p) for p in (Perm.DISCLOSURE_REQUEST, Perm.DISCLOSURE_DECIDE, Perm.AUDIT_VIEW)
        ),
    ),
    NavEntry(
        label=_("Confidentiality"),
        url_name="accounts:confidentiality",
        order=790,
        visible=lambda user: has_perm(user, Perm.CONFIDENTIALITY_VIEW),
    ),
    NavEntry(
        label=_("Configuration changes"),
        url_name="accounts:config-changes",
        order=795,
        visible=lambda user: has_perm(user, Perm.CONFIGURATION_APPROVE) or has_perm(user, Perm.AUDIT_VIEW),
    ),
    NavEntry(
        label=_("Access log"),
        url_name="accounts:access-log",
        order=800,
        visible=lambda user: has_perm(user, Perm.ACCESS_LOG_VIEW),
    ),
    NavEntry(
        label=_("Audit trail"),
        url_name="accounts:audit-events",
        order=810,
        visible=lambda user: has_perm(user, Perm.AUDIT_VIEW),
    ),
)
