"""Admin of the customers app: configuration only (grade policies); customer data stays out of the admin."""

from django.contrib import admin

from creditdesk.customers.models import GradePolicy


@admin.register(GradePolicy)
class GradePolicyAdmin(admin.ModelAdmin):
    """CLASS-4: a new policy version is a new row with a later effective date; the old one stays for history."""

    list_display = [
        "grade",
        "effective_on",
        "limit_factor",
        "rate_adjustment",
        "visits_per_quarter",
        "monitoring_level",
        "description",
    ]
    list_filter = ["grade"]
    ordering = ["grade", "-effective_on"]
