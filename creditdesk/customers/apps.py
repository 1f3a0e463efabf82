from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CustomersConfig(AppConfig):
    name = "creditdesk.customers"
    label = "customers"
    verbose_name = _("Customers")

    def ready(self) -> None:
        from creditdesk.accounts.permissions import Perm, has_perm
        from creditdesk.customers import disclosure  # noqa: F401  (registers the customers data set)
        from creditdesk.web.navigation import NavEntry, register

        register(
            NavEntry(
                label=_("Customers"),
                url_name="customers:list",
                order=100,
                visible=lambda user: has_perm(user, Perm.CUSTOMER_VIEW),
            )
        )
        from creditdesk.customers.queues import access_request_queue, refresh_due_queue, subject_request_queue
        from creditdesk.web.queues import register as register_queue

        register_queue(refresh_due_queue)
        register_queue(access_request_queue)
        register_queue(subject_request_queue)
        register(
            NavEntry(
                label=_("Data-subject requests"),
                url_name="customers:subject-requests",
                order=795,
                visible=lambda user: has_perm(user, Perm.SUBJECT_REQUEST_HANDLE) or has_perm(user, Perm.AUDIT_VIEW),
            )
        )
        register(
            NavEntry(
                label=_("Leads"),
                url_name="customers:leads",
                order=90,
                visible=lambda user: has_perm(user, Perm.CUSTOMER_VIEW),
            )
        )
        register(
            NavEntry(
                label=_("Partners"),
                url_name="customers:partners",
                order=110,
                visible=lambda user: has_perm(user, Perm.CUSTOMER_VIEW),
            )
        )
