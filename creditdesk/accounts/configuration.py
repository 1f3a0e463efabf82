"""Maker-checker on configuration (配置双人复核): a version takes effect only after a second authorised person
approves it.

Every model built on `core.models.MakerChecked` (policies, products, the pricing grid, approval chains, …) goes
through here: the admin's save proposes (`config_propose`), a checker holding `configuration.approve` who is not the
proposer approves or rejects (`config_approve`, `config_reject`), each step with an audit event in the same
transaction. Selectors read only approved rows (`.approved()`, `.in_force(on)`), so a proposal is never in force.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from creditdesk.accounts.permissions import Perm, has_perm
from creditdesk.core.audit import record_event
from creditdesk.core.errors import Conflict, InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from creditdesk.core.model_fields import MoneyField, RateField
from creditdesk.core.models import ApprovalState, MakerChecked
from creditdesk.core.money import format_yuan

# Columns every version has that say nothing about its content.
_BOOKKEEPING = {"id", "created_at", "updated_at", *(f.name for f in MakerChecked._meta.fields)}


def configuration_models() -> list[type[MakerChecked]]:
    """Every model under maker-checker, in app order: found, not registered, so a new one joins by inheriting."""
    return [model for model in apps.get_models() if issubclass(model, MakerChecked)]


def model_label(model: type[models.Model] | models.Model) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}"


def _payload(obj: MakerChecked, **extra: Any) -> dict[str, Any]:
    return {"model": model_label(obj), "version": str(obj), **extra}


@transaction.atomic
def config_propose(*, obj: MakerChecked, actor: Any, changed: Iterable[str] = ()) -> MakerChecked:
    """Save a new or corrected version as a proposal of `actor`: it waits for a checker and is not in force.

    A rejected version may be corrected and proposed again; an approved one never changes (make a new version).
    """
    if (
        obj.pk is not None
        and type(obj)._default_manager.filter(pk=obj.pk, approval_state=ApprovalState.APPROVED).exists()
    ):
        raise Conflict(_("An approved version cannot be changed: propose a new version instead."))
    created = obj.pk is None
    obj.approval_state = ApprovalState.PROPOSED
    obj.proposed_by = actor
    obj.proposed_at = timezone.now()
    obj.checked_by, obj.checked_at, obj.review_note = None, None, ""
    obj._history_user = actor  # type: ignore[attr-defined]  # simple-history: the maker, also outside a request
    obj.save()
    record_event(
        actor=actor,
        subject=obj,
        event_type="configuration.proposed",
        payload=_payload(obj, created=created, fields=sorted(set(changed) - _BOOKKEEPING)),
    )
    return obj


def _decide(obj: MakerChecked, actor: Any, note: str, state: str) -> MakerChecked:
    if not has_perm(actor, Perm.CONFIGURATION_APPROVE):
        raise PermissionDenied(_("Only a risk officer or the information administrator approves configuration."))
    row = type(obj)._default_manager.select_for_update().filter(pk=obj.pk).first()
    if row is None:
        raise NotFound(_("No such configuration version."))
    if row.approval_state != ApprovalState.PROPOSED:
        raise InvalidTransition(
            _("This version is %(state)s and can no longer be decided.") % {"state": row.get_approval_state_display()}
        )
    if row.proposed_by_id is not None and row.proposed_by_id == actor.pk:
        raise PermissionDenied(_("Nobody approves or rejects their own change: a second person must."))
    row.approval_state = state
    row.checked_by = actor
    row.checked_at = timezone.now()
    row.review_note = note.strip()
    row._history_user = actor  # type: ignore[attr-defined]
    row.save()
    record_event(
        actor=actor,
        subject=row,
        event_type=f"configuration.{state}",
        payload=_payload(row, proposed_by=row.proposed_by.get_username() if row.proposed_by else ""),
        comment=row.review_note,
    )
    return row


@transaction.atomic
def config_approve(*, obj: MakerChecked, actor: Any, note: str = "") -> MakerChecked:
    """Approve a proposal: from now on selectors put it in force from its effective date. Never its proposer."""
    return _decide(obj, actor, note, ApprovalState.APPROVED)


@transaction.atomic
def config_reject(*, obj: MakerChecked, actor: Any, note: str) -> MakerChecked:
    """Reject a proposal, with the reason; it never takes effect (the proposer may correct and propose again)."""
    if not note.strip():
        raise ValidationFailed.on("note", _("Write the reason for the rejection."))
    return _decide(obj, actor, note, ApprovalState.REJECTED)


# --- reads -------------------------------------------------------------------------------------------------------


def pending_changes() -> list[MakerChecked]:
    """Every proposal waiting for a checker, across the configuration models, the oldest first."""
    rows: list[MakerChecked] = []
    for model in configuration_models():
        rows.extend(model._default_manager.pending().select_related("proposed_by"))
    # A row written pending outside `config_propose` (code, tests) has no proposal time: it sorts first.
    return sorted(rows, key=lambda row: (row.proposed_at is not None, row.proposed_at or timezone.now(), row.pk))


def pending_count() -> int:
    return sum(
        model._default_manager.filter(approval_state=ApprovalState.PROPOSED).count() for model in configuration_models()
    )


def change_get(*, app_label: str, model: str, pk: int) -> MakerChecked:
    """One version of a configuration model; 404 for anything else."""
    try:
        model_class = apps.get_model(app_label, model)
    except LookupError:
        raise NotFound(_("No such configuration version.")) from None
    if not issubclass(model_class, MakerChecked):
        raise NotFound(_("No such configuration version."))
    row = model_class._default_manager.select_related("proposed_by", "checked_by").filter(pk=pk).first()
    if row is None:
        raise NotFound(_("No such configuration version."))
    return row


def previous_version(obj: MakerChecked) -> MakerChecked | None:
    """The approved version this one would replace: the same series (`SERIES_FIELDS`), effective latest on or
    before it."""
    series = {name: getattr(obj, name) for name in obj.SERIES_FIELDS}
    rows = type(obj)._default_manager.approved().filter(**series).exclude(pk=obj.pk)
    if hasattr(obj, "effective_on"):
        rows = rows.filter(effective_on__lte=obj.effective_on).order_by("-effective_on", "-id")
    return rows.first()


@dataclass(frozen=True)
class FieldLine:
    label: str
    value: str
    previous: str | None  # None: no previous version to compare with
    changed: bool


def _shown(obj: models.Model, field: models.Field[Any, Any]) -> str:
    value = getattr(obj, field.attname)
    if field.choices and value not in (None, ""):
        return str(getattr(obj, f"get_{field.name}_display")())
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(field, RateField):
        return f"{Decimal(value) * 100:.4f}".rstrip("0").rstrip(".") + " %"
    if isinstance(field, MoneyField):
        return f"{format_yuan(value)} 元"
    if isinstance(field, models.JSONField):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def field_lines(obj: MakerChecked, previous: MakerChecked | None) -> list[FieldLine]:
    """The content of a version, field by field, beside the version it replaces (what the checker reads)."""
    lines = []
    for field in obj._meta.concrete_fields:
        if field.name in _BOOKKEEPING:
            continue
        value = _shown(obj, field)
        before = _shown(previous, field) if previous is not None else None
        lines.append(FieldLine(str(field.verbose_name), value, before, before is not None and before != value))
    return lines
