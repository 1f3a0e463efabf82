from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContractsConfig(AppConfig):
    name = "creditdesk.contracts"
    label = "contracts"
    verbose_name = _("Contracts")

    def ready(self) -> None:
        from creditdesk.contracts.selectors import customer_timeline
        from creditdesk.contracts.views import plan_contract_panel
        from creditdesk.customers.selectors import register_timeline
        from creditdesk.lending import plan_panels

        plan_panels.register(plan_contract_panel)
        register_timeline(customer_timeline)
