from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "creditdesk.accounts"
    label = "accounts"
    verbose_name = _("Staff and organisation")

    def ready(self) -> None:
        from creditdesk.accounts import (
            disclosure,  # noqa: F401  (registers the staff data set)
            tokencache,  # noqa: F401  (what ends cached token authentications)
        )
        from creditdesk.accounts.permissions import Perm, has_perm
        from creditdesk.web.navigation import NavEntry, register

        register(
            NavEntry(
                label=_("Staff"),
                url_name="accounts:staff",
                order=700,
                visible=lambda user: has_perm(user, Perm.STAFF_VIEW),
            )
        )
        register(
            NavEntry(
                label=_("Disclosures"),
                url_name="accounts:disclosures",
                order=780,
                visible=lambda user: any(
                    has_perm(user, p) for p in (Perm.DISCLOSURE_REQUEST, Perm.DISCLOSURE_DECIDE, Perm.AUDIT_VIEW)
                ),
            )
        )
        register(
            NavEntry(
                label=_("Confidentiality"),
                url_name="accounts:confidentiality",
                order=790,
                visible=lambda user: has_perm(user, Perm.CONFIDENTIALITY_VIEW),
            )
        )
        register(
            NavEntry(
                label=_("Configuration changes"),
                url_name="accounts:config-changes",
                order=795,
                visible=lambda user: has_perm(user, Perm.CONFIGURATION_APPROVE) or has_perm(user, Perm.AUDIT_VIEW),
            )
        )
        register(
            NavEntry(
                label=_("Access log"),
                url_name="accounts:access-log",
                order=800,
                visible=lambda user: has_perm(user, Perm.ACCESS_LOG_VIEW),
            )
        )
        register(
            NavEntry(
                label=_("Audit trail"),
                url_name="accounts:audit-events",
                order=810,
                visible=lambda user: has_perm(user, Perm.AUDIT_VIEW),
            )
        )
        from creditdesk.accounts.queues import configuration_queue
        from creditdesk.web.queues import register as register_queue

        register_queue(configuration_queue)
