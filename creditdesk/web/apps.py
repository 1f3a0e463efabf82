from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "creditdesk.web"
    label = "web"
    verbose_name = _("Web shell")

    def ready(self) -> None:
        from creditdesk.core.discovery import app_modules
        from creditdesk.core.shell import NavEntry
        from creditdesk.web import queues
        from creditdesk.web.navigation import register

        # Every installed app's `navigation.ENTRIES` and `queues.QUEUES`, in INSTALLED_APPS order.
        for module in app_modules("navigation"):
            for entry in getattr(module, "ENTRIES", ()):
                register(entry)
        for module in app_modules("queues"):
            for provider in getattr(module, "QUEUES", ()):
                queues.register(provider)

        register(NavEntry(label=_("Home"), url_name="web:home", order=0))
        register(NavEntry(label=_("API documentation"), url_name="api-v1:openapi-view", order=900))
        register(
            NavEntry(
                label=_("Administration"),
                url_name="admin:index",
                order=990,
                visible=lambda user: user.is_superuser or user.has_role("system_admin"),
            )
        )
