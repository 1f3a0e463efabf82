from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from creditdesk.accounts.models import AccessLogEntry, ApiToken, OrgUnit, TwoFactorPolicy, User


@admin.register(OrgUnit)
class OrgUnitAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "kind", "parent", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["code", "name"]


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, DjangoUserAdmin):
    list_display = ["username", "full_name", "org_unit", "is_active", "last_login"]
    list_select_related = ["org_unit"]
    list_filter = ["is_active", "groups", "org_unit"]
    search_fields = ["username", "full_name", "employee_no"]
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (_("Organisation"), {"fields": ("full_name", "employee_no", "org_unit", "mobile")}),
    )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["prefix", "user", "created_at", "expires_at", "revoked_at", "last_used_at"]
    list_select_related = ["user"]
    readonly_fields = ["user", "digest", "prefix", "expires_at", "last_used_at"]


@admin.register(TwoFactorPolicy)
class TwoFactorPolicyAdmin(admin.ModelAdmin):
    list_display = ["role", "required", "updated_at"]
    list_editable = ["required"]


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(admin.ModelAdmin):
    """Read-only: the access log is append-only."""

    list_display = ["occurred_at", "actor", "action", "subject_repr", "field", "purpose"]
    list_select_related = ["actor"]
    list_filter = ["action"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
