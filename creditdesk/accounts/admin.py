from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from creditdesk.accounts.choices import PRIVILEGED_ROLES, PRIVILEGED_TWO_FACTOR_MESSAGE
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


class TwoFactorPolicyForm(forms.ModelForm):
    """A policy row; for a privileged role "not required" is refused (the model's check constraint, which the
    admin's forms skip when the role is not one of their fields, as on the change list)."""

    class Meta:
        model = TwoFactorPolicy
        fields = ["role", "required"]

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        role = cleaned.get("role", self.instance.role)
        if role in PRIVILEGED_ROLES and not cleaned.get("required", self.instance.required):
            self.add_error("required" if "required" in self.fields else None, PRIVILEGED_TWO_FACTOR_MESSAGE)
        return cleaned


@admin.register(TwoFactorPolicy)
class TwoFactorPolicyAdmin(admin.ModelAdmin):
    form = TwoFactorPolicyForm
    list_display = ["role", "required", "always_required", "updated_at"]
    list_editable = ["required"]

    @admin.display(description=_("always required (privileged role)"), boolean=True)
    def always_required(self, obj: TwoFactorPolicy) -> bool:
        return obj.role in PRIVILEGED_ROLES

    def get_changelist_form(self, request: Any, **kwargs: Any) -> Any:
        return super().get_changelist_form(request, form=TwoFactorPolicyForm, **kwargs)

    def get_readonly_fields(self, request: Any, obj: TwoFactorPolicy | None = None) -> Any:
        if obj is not None and obj.role in PRIVILEGED_ROLES:
            return ["role", "required"]  # shown, not editable: the rule is in the code
        return super().get_readonly_fields(request, obj)

    def has_delete_permission(self, request: Any, obj: TwoFactorPolicy | None = None) -> bool:
        if obj is not None and obj.role in PRIVILEGED_ROLES:
            return False
        return super().has_delete_permission(request, obj)
