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
