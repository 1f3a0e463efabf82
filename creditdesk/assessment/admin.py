"""Admin of the assessment app: the admission and rating policies (configuration, versioned by effective date).

Applications, reviews, credit queries and assessments are not registered: they hold customer data, which the
system administrator does not see (segregation of duties); they change only through the services.
"""

from django.contrib import admin

from creditdesk.assessment.models import AdmissionPolicyVersion, RatingPolicyVersion, RegulatoryCap


@admin.register(AdmissionPolicyVersion)
class AdmissionPolicyAdmin(admin.ModelAdmin):
    """A change is a new version with a later effective date; decisions keep the version they were made under."""

    list_display = ["version", "effective_on", "min_age", "max_age", "min_bureau_score", "max_ltv", "max_term_months"]


@admin.register(RatingPolicyVersion)
class RatingPolicyAdmin(admin.ModelAdmin):
    list_display = [
        "version",
        "effective_on",
        "low_min_bureau_score",
        "high_max_bureau_score",
        "low_min_internal_score",
    ]


@admin.register(RegulatoryCap)
class RegulatoryCapAdmin(admin.ModelAdmin):
    """The law's caps (issue 11 item 2): a change is a new row with a later date, citing its source.

    TODO(issue 11 item 3): changes take effect only after a second person approves them (maker-checker).
    """

    list_display = ["applies_to", "effective_on", "max_ltv", "max_term_months"]
    list_filter = ["applies_to"]
