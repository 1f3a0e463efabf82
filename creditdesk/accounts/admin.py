from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from creditdesk.accounts.models import ApiToken, OrgUnit, TwoFactorPolicy, User
from creditdesk.core.masking import mask


@admin.register(OrgUnit)
class OrgUnitAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "kind", "parent", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["code", "name"]


class StaffChangeForm(UserChangeForm):
    """The staff form of the admin: the work mobile is never shown in clear (only `staff.unmask` reveals it, with a
    purpose and a log row); typing a new number replaces it, leaving the field empty keeps it."""

    mobile = forms.CharField(
        label=_("new work mobile"), required=False, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial["mobile"] = ""
        self.fields["mobile"].help_text = _("Now: %(masked)s. Leave empty to keep it.") % {
            "masked": mask("mobile", self.instance.mobile) or "—"
        }

    def clean_mobile(self) -> str:
        typed = (self.cleaned_data.get("mobile") or "").strip()
        return typed or (self.instance.mobile or "")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Staff in the admin. Not a history admin: its change list shows old and new values in clear; the masked
    history of a staff member is the history page (`accounts:object-history`)."""

    form = StaffChangeForm
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
