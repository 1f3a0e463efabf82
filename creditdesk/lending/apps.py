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
        from creditdesk.assessment import decision_panels
        from creditdesk.lending.plan_views import application_exceptions_panel

        decision_panels.register(application_exceptions_panel)
        register(
            NavEntry(
                label=_("Quote calculator"),
                url_name="lending:quote",
                order=200,
                visible=lambda user: has_perm(user, Perm.QUOTE_CREATE),
            )
        )
        register(
            NavEntry(
                label=_("Service plans"),
                url_name="lending:plan-list",
                order=210,
                visible=lambda user: has_perm(user, Perm.PLAN_VIEW),
            )
        )
        register(
            NavEntry(
                label=_("Exception requests"),
                url_name="lending:exception-list",
                order=215,
                visible=lambda user: has_perm(user, Perm.PLAN_VIEW),
            )
        )
        from creditdesk.customers.selectors import register_timeline
        from creditdesk.lending import queues
        from creditdesk.lending.selectors import customer_timeline

        register_timeline(customer_timeline)
        from creditdesk.web.queues import register as register_queue

        for provider in (
            queues.department_review_queue,
            queues.risk_review_queue,
            queues.final_decision_queue,
            queues.returned_plans_queue,
        ):
            register_queue(provider)
