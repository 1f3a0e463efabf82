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
        register_timeline(customer_timeline)
