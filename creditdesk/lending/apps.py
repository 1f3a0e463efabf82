from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LendingConfig(AppConfig):
    name = "creditdesk.lending"
    label = "lending"
    verbose_name = _("Lending")
