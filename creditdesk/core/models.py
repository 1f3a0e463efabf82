"""Shared kernel models: the base every business model extends, the business date and the audit log."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


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
