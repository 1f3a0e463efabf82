"""Shared kernel models: the base every business model extends, the business date and the audit log."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from creditdesk.core.errors import Conflict


class BaseModel(models.Model):
    """Common columns of every business model: when a row was created and last changed (aware UTC).

    Every subclass also gets a change history (django-simple-history): who changed which field when.
    Encrypted fields stay encrypted in the history table too.
    """

    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True


class ApprovalState(models.TextChoices):
    """Where a configuration version stands under maker-checker (双人复核)."""

    PROPOSED = "proposed", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class MakerCheckedQuerySet(models.QuerySet[Any]):
    def approved(self) -> MakerCheckedQuerySet:
        """Only versions a second person approved: the only ones any selector may put in force."""
        return self.filter(approval_state=ApprovalState.APPROVED)

    def pending(self) -> MakerCheckedQuerySet:
        return self.filter(approval_state=ApprovalState.PROPOSED)

    def in_force(self, on: Any) -> MakerCheckedQuerySet:
        """Approved versions effective on or before `on`, the latest first (`.first()` is the one in force)."""
        return self.approved().filter(effective_on__lte=on).order_by("-effective_on", "-id")


class MakerChecked(models.Model):
    """Configuration under maker-checker (配置双人复核): a version takes effect only once a second authorised person
    approved it (`accounts.configuration.config_approve`); who proposed and who decided are kept on the row.

    Apply it with `class X(MakerChecked, BaseModel)` plus `MakerCheckedAdmin` in the admin; selectors read
    `X.objects.approved()` / `.in_force(on)`. An approved version never changes: a change is a new version.
    """

    approval_state = models.CharField(
        _("approval"),
        max_length=16,
        choices=ApprovalState.choices,
        default=ApprovalState.PROPOSED,
        editable=False,
        db_index=True,
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    proposed_at = models.DateTimeField(_("proposed at"), null=True, blank=True, editable=False)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved or rejected by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    checked_at = models.DateTimeField(_("approved or rejected at"), null=True, blank=True, editable=False)
    review_note = models.TextField(_("review note"), blank=True, editable=False)

    objects = MakerCheckedQuerySet.as_manager()

    # The fields that name one series of versions (a product's code, an LPR tenor); () = the table is one series.
    SERIES_FIELDS: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        # An approved version is what decisions were made under: it never changes, whoever saves it.
        if self.pk is not None and self._stored_approved():
            raise Conflict(str(_("An approved version cannot be changed: propose a new version instead.")))
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        if self.pk is not None and self._stored_approved():
            raise Conflict(str(_("An approved version cannot be deleted: propose a new version instead.")))
        return super().delete(*args, **kwargs)

    def _stored_approved(self) -> bool:
        return type(self)._default_manager.filter(pk=self.pk, approval_state=ApprovalState.APPROVED).exists()

    @property
    def is_approved(self) -> bool:
        return self.approval_state == ApprovalState.APPROVED


class BusinessDate(models.Model):
    """Business date (营业日): the one current date of the books, moved only by an explicit call.

    A single row (pk 1). Due dates, overdue days, SLAs and reminders are computed from it, never from the
    wall clock, so end-of-day can replay or catch up a day and tests can move it.
    """

    SINGLETON_PK = 1

    id = models.PositiveSmallIntegerField(primary_key=True, default=SINGLETON_PK, editable=False)
    current_on = models.DateField(_("business date"))
    moved_at = models.DateTimeField(_("moved at"), auto_now=True)

    class Meta:
        verbose_name = _("business date")
        verbose_name_plural = _("business date")
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="core_businessdate_singleton")]

    def __str__(self) -> str:
        return self.current_on.isoformat()


class AuditEvent(models.Model):
    """Audit event (审计事件): an immutable record of something that happened to a business object.

    Written by `core.audit.record_event` in the same transaction as the change it describes.
    """

    occurred_at = models.DateTimeField(_("occurred at"), auto_now_add=True, db_index=True)
    business_on = models.DateField(_("business date"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_repr = models.CharField(_("actor name"), max_length=150, blank=True)
    event_type = models.CharField(_("event type"), max_length=80, db_index=True)
    subject_type = models.ForeignKey(
        ContentType, verbose_name=_("subject type"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    subject_id = models.CharField(_("subject id"), max_length=64, blank=True)
    subject_repr = models.CharField(_("subject"), max_length=200, blank=True)
    payload = models.JSONField(_("details"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["subject_type", "subject_id"], name="core_audit_subject_idx")]

    def __str__(self) -> str:
        return f"{self.event_type} {self.subject_repr}".strip()

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Audit rows are append-only: correcting history means recording a new event.
        if self.pk is not None:
            raise ValueError("audit events are immutable")
        super().save(*args, **kwargs)
