from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LendingConfig(AppConfig):
    name = "creditdesk.lending"
    label = "lending"
    verbose_name = _("Lending")

    def ready(self) -> None:
        from creditdesk.assessment import catalogue
        from creditdesk.customers.selectors import register_timeline
        from creditdesk.lending.selectors import customer_timeline, product_terms_on

        catalogue.register(product_terms_on)
        from creditdesk.assessment import decision_panels
        from creditdesk.lending.plan_views import application_exceptions_panel

        decision_panels.register(application_exceptions_panel)
        register_timeline(customer_timeline)
