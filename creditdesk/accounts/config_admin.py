"""The admin of configuration under maker-checker (配置双人复核): `class XAdmin(MakerCheckedAdmin)`.

Saving proposes (the editor is the maker); a different person holding `configuration.approve` approves or rejects,
from the change page's review panel, the list's actions or the staff page *待复核配置*. Approved versions are read-only
and cannot be deleted; "make a new version" opens the add form filled in from one. The history (simple-history) shows
who changed which field and who proposed and decided; reverting from the history is switched off (it would be an edit
past the checker).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.options import ActionLocation
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from creditdesk.accounts.configuration import config_approve, config_propose, config_reject
from creditdesk.accounts.permissions import Perm, has_perm
from creditdesk.core.errors import DomainError
from creditdesk.core.forms import PercentField
from creditdesk.core.model_fields import RateField
from creditdesk.core.models import ApprovalState, MakerChecked

MAKER_CHECKER_COLUMNS = ["approval_state", "proposed_by", "checked_by"]


def _decide(request: HttpRequest, obj: MakerChecked, approve: bool, note: str) -> bool:
    try:
        if approve:
            config_approve(obj=obj, actor=request.user, note=note)
        else:
            config_reject(obj=obj, actor=request.user, note=note)
    except DomainError as err:
        messages.error(request, f"{obj}: {err.fields.get('note', [err.message])[0]}")
        return False
    return True


class MakerCheckedAdmin(SimpleHistoryAdmin):
    change_form_template = "admin/maker_checked/change_form.html"
    actions = ["approve_selected", "reject_selected"]
    # Rate fields that may be below zero (a spread, an adjustment); every other rate is at least 0.
    signed_rates: frozenset[str] = frozenset()

    # --- form ----------------------------------------------------------------------------------------------------

    def formfield_for_dbfield(self, db_field: models.Field[Any, Any], request: HttpRequest, **kwargs: Any) -> Any:
        """Every rate of the configuration is typed and shown in percent (issue 11 item 12): 5.5 for 0.055."""
        if isinstance(db_field, RateField):
            return PercentField(
                label=gettext_lazy("%(name)s (%%)") % {"name": str(db_field.verbose_name)},
                required=not db_field.blank,
                help_text=db_field.help_text,
                initial=db_field.get_default() if db_field.has_default() else None,
                signed=db_field.name in self.signed_rates,
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    # --- list ----------------------------------------------------------------------------------------------------

    def get_list_display(self, request: HttpRequest) -> Any:
        return [*super().get_list_display(request), *MAKER_CHECKER_COLUMNS]

    def get_list_filter(self, request: HttpRequest) -> Any:
        return ["approval_state", *super().get_list_filter(request)]

    def get_list_select_related(self, request: HttpRequest) -> Any:
        return ["proposed_by", "checked_by"]

    def get_actions(self, request: HttpRequest, action_location: Any = ActionLocation.CHANGE_LIST) -> Any:
        actions = super().get_actions(request, action_location)
        actions.pop("delete_selected", None)  # a bulk delete would bypass the refusal to delete approved versions
        return actions

    @admin.action(description=gettext_lazy("Approve the selected proposals"))
    def approve_selected(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        done = sum(_decide(request, obj, True, "") for obj in queryset)
        if done:
            messages.success(request, _("%(count)s version(s) approved.") % {"count": done})

    @admin.action(description=gettext_lazy("Reject the selected proposals"))
    def reject_selected(self, request: HttpRequest, queryset: QuerySet[Any]) -> HttpResponse | None:
        note = request.POST.get("note", "").strip()
        if "confirm" not in request.POST or not note:
            # An intermediate page asks for the reason, like the admin's delete confirmation.
            context = {
                **self.admin_site.each_context(request),
                "title": _("Reject the selected proposals"),
                "opts": self.model._meta,
                "queryset": queryset,
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                "missing_note": "confirm" in request.POST,
            }
            return TemplateResponse(request, "admin/maker_checked/reject_selected.html", context)
        done = sum(_decide(request, obj, False, note) for obj in queryset)
        if done:
            messages.success(request, _("%(count)s version(s) rejected.") % {"count": done})
        return None

    # --- change page ---------------------------------------------------------------------------------------------

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.approval_state == ApprovalState.APPROVED:
            return False  # shown read-only: a change is a new version
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.approval_state == ApprovalState.APPROVED:
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        config_propose(obj=obj, actor=request.user, changed=form.changed_data)

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        """`add/?from=<id>`: the add form filled in from that version (the new version's starting point)."""
        source = request.GET.get("from", "")
        if not source.isdigit():
            return super().get_changeform_initial_data(request)
        original = get_object_or_404(self.model, pk=int(source))
        form_fields = set(self.get_form(request).base_fields)
        return {f.name: getattr(original, f.attname) for f in self.model._meta.concrete_fields if f.name in form_fields}

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        obj = self.get_object(request, object_id)
        context = dict(extra_context or {})
        if obj is not None:
            info = self.model._meta.app_label, self.model._meta.model_name
            context["maker_checker"] = {
                "object": obj,
                "can_decide": obj.approval_state == ApprovalState.PROPOSED
                and has_perm(request.user, Perm.CONFIGURATION_APPROVE)
                and obj.proposed_by_id != request.user.pk,
                "review_url": reverse("admin:{}_{}_review".format(*info), args=[obj.pk]),
                "new_version_url": reverse("admin:{}_{}_add".format(*info)) + f"?from={obj.pk}",
            }
        return super().change_view(request, object_id, form_url, context)

    def get_urls(self) -> list[Any]:
        info = self.model._meta.app_label, self.model._meta.model_name
        review = path(
            "<int:pk>/review/", self.admin_site.admin_view(self.review_view), name="{}_{}_review".format(*info)
        )
        return [review, *super().get_urls()]

    def review_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        return _review(self, request, pk)

    # --- history -------------------------------------------------------------------------------------------------

    def revert_disabled(self, request: HttpRequest, obj: Any = None) -> bool:
        return True

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        if request.method == "POST":
            raise DjangoPermissionDenied  # no revert: an old state comes back only as a new, checked version
        return super().history_form_view(request, object_id, version_id, extra_context)


def _review(model_admin: MakerCheckedAdmin, request: HttpRequest, pk: int) -> HttpResponse:
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    obj = get_object_or_404(model_admin.model, pk=pk)
    approve = request.POST.get("decision") == "approve"
    if _decide(request, obj, approve, request.POST.get("note", "")):
        messages.success(request, _("The version is approved.") if approve else _("The version is rejected."))
    info = model_admin.model._meta.app_label, model_admin.model._meta.model_name
    return HttpResponseRedirect(reverse("admin:{}_{}_change".format(*info), args=[pk]))
