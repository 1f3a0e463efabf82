"""Disclosure control (信息披露管理, SEC-6): the only way personal information leaves the company.

Apps register the data sets that may be disclosed (`register_dataset`); a staff member requests a disclosure
(records, fields, recipient, purpose, legal basis); the information administrator approves or rejects; the
approved export is generated on demand, watermarked with the request number, requester and purpose, and every
download is written to the access log and the audit trail. `disclosure_export` refuses anything not approved.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import TransitionNotAllowed
from openpyxl import Workbook
from openpyxl.styles import Font

from creditdesk.accounts.choices import DisclosureState, LegalBasis
from creditdesk.accounts.models import DisclosureRequest
from creditdesk.accounts.permissions import Perm, has_perm
from creditdesk.accounts.services import access_log_record
from creditdesk.core.audit import record_event
from creditdesk.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from creditdesk.core.spreadsheets import safe_row

MAX_RECORDS = 5000


@dataclass(frozen=True)
class Dataset:
    """A kind of data that may be disclosed: its fields and how to read the chosen records (unmasked)."""

    code: str
    label: Any
    fields: dict[str, Any]
    rows: Callable[[Sequence[int], Sequence[str]], list[list[Any]]]
    # The ids among the given ones that the requester may see (their data scope); None = no scoping needed.
    visible_ids: Callable[[Sequence[int], Any], set[int]] | None = None


_DATASETS: dict[str, Dataset] = {}


def register_dataset(dataset: Dataset) -> None:
    _DATASETS[dataset.code] = dataset


def datasets() -> dict[str, Dataset]:
    return dict(_DATASETS)


def _validate(
    dataset_code: str,
    record_ids: Sequence[int],
    fields: Sequence[str],
    legal_basis: str,
    consent_reference: str,
    recipient: str,
    purpose: str,
) -> Dataset:
    errors: dict[str, list[str]] = {}
    dataset = _DATASETS.get(dataset_code)
    if dataset is None:
        errors["dataset"] = [_("Choose a data set that may be disclosed.")]
    elif not fields or set(fields) - set(dataset.fields):
        errors["fields"] = [_("Choose fields of the data set.")]
    if not record_ids:
        errors["record_ids"] = [_("Choose at least one record.")]
    elif len(record_ids) > MAX_RECORDS:
        errors["record_ids"] = [_("At most %(max)s records per request.") % {"max": MAX_RECORDS}]
    if legal_basis not in LegalBasis.values:
        errors["legal_basis"] = [_("Choose the legal basis.")]
    elif legal_basis == LegalBasis.CONSENT and not consent_reference.strip():
        errors["consent_reference"] = [_("Give the reference of the customer's written consent.")]
    if not recipient.strip():
        errors["recipient"] = [_("Name the recipient.")]
    if len(purpose.strip()) < 4:
        errors["purpose"] = [_("State the purpose (at least 4 characters).")]
    if errors:
        raise ValidationFailed(_("The request is incomplete."), fields=errors)
    assert dataset is not None
    return dataset


@transaction.atomic
def disclosure_request(
    *,
    requester: Any,
    dataset: str,
    record_ids: Sequence[int],
    fields: Sequence[str],
    recipient: str,
    purpose: str,
    legal_basis: str,
    consent_reference: str = "",
) -> DisclosureRequest:
    """File a disclosure request; it waits for the information administrator."""
    if not has_perm(requester, Perm.DISCLOSURE_REQUEST):
        raise PermissionDenied(_("Your role may not request disclosures."))
    chosen = _validate(dataset, record_ids, fields, legal_basis, consent_reference, recipient, purpose)
    if chosen.visible_ids is not None:
        hidden = sorted(set(record_ids) - chosen.visible_ids(record_ids, requester))
        if hidden:
            # Outside the requester's scope or not existing: the same answer for both, so nothing leaks.
            raise ValidationFailed.on("record_ids", _("Unknown record numbers: %(ids)s.") % {"ids": hidden[:20]})
    request = DisclosureRequest(
        requester=requester,
        org_unit=getattr(requester, "org_unit", None),
        dataset=dataset,
        record_ids=sorted({int(pk) for pk in record_ids}),
        fields=list(dict.fromkeys(fields)),
        recipient=recipient.strip(),
        purpose=purpose.strip(),
        legal_basis=legal_basis,
        consent_reference=consent_reference.strip(),
    )
    request.full_clean(exclude=["state"])  # the state is protected: only transitions set it
    request.save()
    record_event(
        actor=requester,
        subject=request,
        event_type="disclosure.requested",
        payload={"dataset": dataset, "records": len(request.record_ids), "fields": request.fields},
    )
    return request


@transaction.atomic
def disclosure_decide(*, request: DisclosureRequest, actor: Any, approve: bool, comment: str) -> DisclosureRequest:
    """Approve or reject; only the information administrator, never the requester, with a written reason."""
    if not has_perm(actor, Perm.DISCLOSURE_DECIDE):
        raise PermissionDenied(_("Only the information administrator decides on disclosures."))
    if request.requester_id == actor.pk:
        raise PermissionDenied(_("Nobody decides on their own request."))
    if not comment.strip():
        raise ValidationFailed.on("comment", _("Write the reason for the decision."))
    request = DisclosureRequest.objects.select_for_update().get(pk=request.pk)
    previous = request.state
    try:
        request.approve() if approve else request.reject()
    except TransitionNotAllowed:
        raise InvalidTransition(
            _("This request is %(state)s and can no longer be decided.") % {"state": request.get_state_display()}
        ) from None
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.decision_comment = comment.strip()
    request.save()
    record_event(
        actor=actor,
        subject=request,
        event_type="disclosure.approved" if approve else "disclosure.rejected",
        payload={"from": previous, "to": request.state},
        comment=request.decision_comment,
    )
    return request


@transaction.atomic
def disclosure_cancel(*, request: DisclosureRequest, actor: Any) -> DisclosureRequest:
    if request.requester_id != actor.pk:
        raise PermissionDenied(_("Only the requester can withdraw a request."))
    try:
        request.cancel()
    except TransitionNotAllowed:
        raise InvalidTransition(_("Only a request that is still waiting can be withdrawn.")) from None
    request.save()
    record_event(actor=actor, subject=request, event_type="disclosure.cancelled")
    return request


@transaction.atomic
def disclosure_export(*, request: DisclosureRequest, actor: Any, client_address: str | None = None) -> bytes:
    """The approved export as a watermarked .xlsx; refused unless approved, and only for the requester."""
    if request.state != DisclosureState.APPROVED:
        raise InvalidTransition(_("Personal information can be exported only under an approved disclosure request."))
    if request.requester_id != actor.pk:
        raise PermissionDenied(_("Only the requester downloads an approved disclosure."))
    dataset = _DATASETS.get(request.dataset)
    if dataset is None:
        raise ValidationFailed.on("dataset", _("This data set can no longer be disclosed."))
    rows = dataset.rows(request.record_ids, request.fields)
    content = _watermarked_workbook(request, dataset, rows)
    DisclosureRequest.objects.filter(pk=request.pk).update(export_count=request.export_count + 1)
    access_log_record(
        actor=actor,
        action="export",
        subject=request,
        purpose=request.purpose,
        record_count=len(rows),
        client_address=client_address,
        subject_repr=f"{_('Disclosure')} #{request.pk} → {request.recipient}",
    )
    record_event(actor=actor, subject=request, event_type="disclosure.exported", payload={"rows": len(rows)})
    return content


def watermark_text(request: DisclosureRequest) -> str:
    return _("Disclosure #%(id)s · requested by %(who)s · for %(recipient)s · purpose: %(purpose)s · confidential") % {
        "id": request.pk,
        "who": request.requester.get_username(),
        "recipient": request.recipient,
        "purpose": request.purpose,
    }


def _watermarked_workbook(request: DisclosureRequest, dataset: Dataset, rows: list[list[Any]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = str(dataset.label)[:31]
    mark = watermark_text(request)
    # The watermark travels in the first row, on every printed page and in the file's properties.
    sheet.append(safe_row([mark]))
    sheet["A1"].font = Font(bold=True, color="C00000")
    sheet.append(safe_row(str(dataset.fields[code]) for code in request.fields))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(safe_row(row))
    sheet.oddHeader.center.text = mark
    sheet.oddFooter.center.text = mark
    workbook.properties.title = f"Disclosure {request.pk}"
    workbook.properties.creator = request.requester.get_username()
    workbook.properties.description = mark
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _staff_rows(record_ids: Sequence[int], fields: Sequence[str]) -> list[list[Any]]:
    from creditdesk.accounts.models import User

    staff = User.objects.select_related("org_unit").filter(pk__in=record_ids).order_by("pk")
    getters: dict[str, Callable[[Any], Any]] = {
        "username": lambda u: u.username,
        "full_name": lambda u: u.full_name,
        "org_unit": lambda u: str(u.org_unit or ""),
        "mobile": lambda u: u.mobile,
        "email": lambda u: u.email,
    }
    return [[getters[code](person) for code in fields] for person in staff]


register_dataset(
    Dataset(
        code="staff",
        label=gettext_lazy("Staff contact details"),
        fields={
            "username": gettext_lazy("Username"),
            "full_name": gettext_lazy("Full name"),
            "org_unit": gettext_lazy("Org unit"),
            "mobile": gettext_lazy("Work mobile"),
            "email": gettext_lazy("E-mail"),
        },
        rows=_staff_rows,
    )
)
