from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LendingConfig(AppConfig):
    name = "creditdesk.lending"
    label = "lending"
    verbose_name = _("Lending")

    def ready(self) -> None:
        from creditdesk.accounts.permissions import Perm, has_perm
        from creditdesk.assessment import catalogue
        from creditdesk.lending.selectors import product_terms_on
        from creditdesk.web.navigation import NavEntry, register

        catalogue.register(product_terms_on)
        register(
            NavEntry(
                label=_("Quote calculator"),
                url_name="lending:quote",
                order=200,
                visible=lambda user: has_perm(user, Perm.QUOTE_CREATE),
            )
        )
