"""Home-page work queue of the accounts app: configuration changes waiting for a checker (maker-checker)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from creditdesk.accounts.configuration import pending_changes
from creditdesk.accounts.permissions import Perm, has_perm
from creditdesk.core.shell import WorkQueue


def configuration_queue(user: Any) -> WorkQueue | None:
    """The proposals this checker may decide: every pending one except their own."""
    if not has_perm(user, Perm.CONFIGURATION_APPROVE):
        return None
    rows = [row for row in pending_changes() if row.proposed_by_id != user.pk]
    return WorkQueue(
        title=_("Configuration changes awaiting approval"),
        count=len(rows),
        url=reverse("accounts:config-changes"),
        items=[
            {
                "label": f"{row._meta.verbose_name} {row}",
                "url": reverse("accounts:config-change", args=[row._meta.app_label, row._meta.model_name, row.pk]),
            }
            for row in rows[:5]
        ],
    )


QUEUES = (configuration_queue,)
