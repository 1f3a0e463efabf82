"""The checkers' page of configuration changes (待复核配置): the proposals waiting for a second person, each with
what it changes against the version in force, approved or rejected with a note (maker-checker, issue 11 item 3)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from creditdesk.accounts import configuration
from creditdesk.accounts.decorators import requires
from creditdesk.accounts.permissions import Perm, has_perm
from creditdesk.core.errors import DomainError, NotFound
from creditdesk.core.forms import TextField, form_errors
from creditdesk.core.models import ApprovalState


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", gettext_lazy("Approve")), ("reject", gettext_lazy("Reject"))])
    note = TextField(
        label=gettext_lazy("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Required to reject: the proposer reads it."),
    )


@requires(Perm.CONFIGURATION_APPROVE, Perm.AUDIT_VIEW)
def config_changes(request: HttpRequest) -> HttpResponse:
    rows = configuration.pending_changes()
    return render(
        request,
        "accounts/config_changes.html",
        {"rows": [(row, row._meta.verbose_name, row._meta.app_label, row._meta.model_name) for row in rows]},
    )


@requires(Perm.CONFIGURATION_APPROVE, Perm.AUDIT_VIEW)
def config_change(request: HttpRequest, app_label: str, model: str, pk: int) -> HttpResponse:
    try:
        row = configuration.change_get(app_label=app_label, model=model, pk=pk)
    except NotFound:
        raise Http404 from None
    can_decide = (
        row.approval_state == ApprovalState.PROPOSED
        and has_perm(request.user, Perm.CONFIGURATION_APPROVE)
        and row.proposed_by_id != request.user.pk
    )
    form = ReviewForm(request.POST or None)
    if request.method == "POST":
        if not has_perm(request.user, Perm.CONFIGURATION_APPROVE):
            raise Http404  # auditors read the page; there is nothing for them to post
        if form.is_valid():
            approve = form.cleaned_data["decision"] == "approve"
            try:
                if approve:
                    configuration.config_approve(obj=row, actor=request.user, note=form.cleaned_data["note"])
                else:
                    configuration.config_reject(obj=row, actor=request.user, note=form.cleaned_data["note"])
            except DomainError as err:
                form_errors(form, err)
            else:
                messages.success(request, _("The version is approved.") if approve else _("The version is rejected."))
                return redirect("accounts:config-changes")
    previous = configuration.previous_version(row)
    return render(
        request,
        "accounts/config_change.html",
        {
            "row": row,
            "kind": row._meta.verbose_name,
            "previous": previous,
            "lines": configuration.field_lines(row, previous),
            "form": form,
            "can_decide": can_decide,
            "history_url": reverse("accounts:object-history", args=[app_label, model, pk])
            if has_perm(request.user, Perm.HISTORY_VIEW)
            else "",
        },
        status=422 if form.errors else 200,
    )
