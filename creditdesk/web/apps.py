from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "creditdesk.web"
    label = "web"
    verbose_name = _("Web shell")

    def ready(self) -> None:
        from creditdesk.web.navigation import NavEntry, register

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
