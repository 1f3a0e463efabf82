"""Admin of the assessment app: admission and rating policies and the application scorecard (configuration,
versioned by effective date).

Applications, reviews, credit queries and assessments are not registered: they hold customer data, which the
system administrator does not see (segregation of duties); they change only through the services.
"""

from django.contrib import admin

from creditdesk.accounts.config_admin import MakerCheckedAdmin
from creditdesk.assessment.models import AdmissionPolicyVersion, RatingPolicyVersion, RegulatoryCap, ScorecardVersion


@admin.register(AdmissionPolicyVersion)
class AdmissionPolicyAdmin(MakerCheckedAdmin):
    """A change is a new version with a later effective date; decisions keep the version they were made under."""

    list_display = ["version", "effective_on", "min_age", "max_age", "min_bureau_score", "max_ltv", "max_term_months"]


@admin.register(RatingPolicyVersion)
class RatingPolicyAdmin(MakerCheckedAdmin):
    list_display = [
        "version",
        "effective_on",
        "low_min_bureau_score",
        "high_max_bureau_score",
        "low_min_internal_score",
    ]


@admin.register(ScorecardVersion)
class ScorecardVersionAdmin(MakerCheckedAdmin):
    """A new scorecard is a new version with a later effective date; the bands are checked on save (field errors).

    The default version's bands, points and reasoning are in docs/scorecard.md.
    """

    list_display = ["name", "effective_on", "base_points"]


@admin.register(RegulatoryCap)
class RegulatoryCapAdmin(MakerCheckedAdmin):
    """The law's caps (issue 11 item 2): a change is a new row with a later date, citing its source.
    Like every configuration, a new row takes effect only after a second person approves it (maker-checker).
    """

    list_display = ["applies_to", "effective_on", "max_ltv", "max_term_months"]
    list_filter = ["applies_to"]
