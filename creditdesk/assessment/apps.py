from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "creditdesk.assessment"
    label = "assessment"
    verbose_name = _("Credit assessment")

    def ready(self) -> None:
        from creditdesk.assessment.selectors import customer_timeline
        from creditdesk.customers.selectors import register_timeline

        register_timeline(customer_timeline)
        from creditdesk.assessment.selectors import customer_relationship
        from creditdesk.customers.subject_requests import register_relationship

        register_relationship(customer_relationship)
        from creditdesk.assessment.models import (
            ApplicationCoBorrower,
            ApplicationGuarantor,
            Assessment,
            CreditQuery,
            LoanApplication,
        )
        from creditdesk.customers.anonymisation import SCRUBBED, Scrub, register_scrub

        # A customer's anonymisation: the staff's free text about them and the bureau report go; amounts stay.
        register_scrub(Scrub(LoanApplication, "customer_id", {"verification_notes": "", "return_reasons": ""}))
        register_scrub(Scrub(CreditQuery, "customer_id", {"report": "", "message": ""}))
        register_scrub(Scrub(Assessment, "application__customer_id", {"decision_reason": SCRUBBED}))
        register_scrub(Scrub(ApplicationGuarantor, "guarantor_id", {}))
        register_scrub(Scrub(ApplicationCoBorrower, "co_borrower_id", {}))
