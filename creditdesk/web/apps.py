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

        _label_the_admin()

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


# Third-party apps and models in the Django admin, in the UI language (their packages ship no Chinese): app label →
# (app name, {model name: (singular, plural)}).
THIRD_PARTY_LABELS = {
    "axes": (
        _("Sign-in protection"),
        {
            "accessattempt": (_("failed sign-in attempt"), _("failed sign-in attempts")),
            "accesslog": (_("sign-in record"), _("sign-in records")),
            "accessfailurelog": (_("failed sign-in"), _("failed sign-ins")),
        },
    ),
    "otp_totp": (_("Authenticators"), {"totpdevice": (_("authenticator app"), _("authenticator apps"))}),
    "django_tasks_database": (_("Background tasks"), {"dbtaskresult": (_("task result"), _("task results"))}),
}


# Django's empty choice of every select has no Chinese in Django: our catalogue translates Django's own msgid.
DJANGO_BLANK_CHOICE = _("- Select an option -")


def _label_the_admin() -> None:
    """The admin speaks the staff's language: creditdesk's name instead of Django's, Chinese section names, and
    a Chinese empty choice in every select (DJANGO_BLANK_CHOICE above)."""
    from django.apps import apps
    from django.contrib import admin

    admin.site.site_header = _("creditdesk administration")
    admin.site.site_title = _("creditdesk administration")
    admin.site.index_title = _("Configuration and records")
    for label, (name, models) in THIRD_PARTY_LABELS.items():
        if label not in apps.app_configs:
            continue
        config = apps.get_app_config(label)
        config.verbose_name = name
        for model_name, (singular, plural) in models.items():
            meta = config.get_model(model_name)._meta
            meta.verbose_name, meta.verbose_name_plural = singular, plural
