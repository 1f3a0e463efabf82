"""Admin of the lending app: the configuration (products, LPR series, pricing grid, term adjustments)."""

from django.contrib import admin

from creditdesk.lending.models import LprRate, Product, SpreadRule, TermAdjustment


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    """A change is a new version: copy the product with a later effective date (old quotes keep their terms)."""

    list_display = [
        "code",
        "name",
        "customer_kind",
        "effective_on",
        "min_amount",
        "max_amount",
        "rate_floor",
        "rate_ceiling",
        "is_active",
    ]
    list_filter = ["customer_kind", "is_active"]


@admin.register(LprRate)
class LprRateAdmin(admin.ModelAdmin):
    list_display = ["tenor", "effective_on", "rate"]
    list_filter = ["tenor"]


@admin.register(SpreadRule)
class SpreadRuleAdmin(admin.ModelAdmin):
    list_display = ["risk_level", "grade", "spread", "effective_on"]
    list_filter = ["risk_level", "grade"]


@admin.register(TermAdjustment)
class TermAdjustmentAdmin(admin.ModelAdmin):
    list_display = ["min_term_months", "max_term_months", "adjustment", "effective_on"]
