from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LoansConfig(AppConfig):
    name = "creditdesk.loans"
    label = "loans"
    verbose_name = _("Loans")

    def ready(self) -> None:
        from creditdesk.customers.selectors import register_timeline
        from creditdesk.loans.selectors import customer_timeline

        register_timeline(customer_timeline)
