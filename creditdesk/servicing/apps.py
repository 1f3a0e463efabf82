from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicingConfig(AppConfig):
    name = "creditdesk.servicing"
    label = "servicing"
    verbose_name = _("Post-loan service")
