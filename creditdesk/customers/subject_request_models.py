"""The register of data-subject requests (个人信息权利请求登记), PIPL Art. 44–47; imported by customers.models."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from creditdesk.core.models import BaseModel
from creditdesk.customers.choices import SubjectRequestChannel, SubjectRequestKind, SubjectRequestStatus


def _constraints() -> list[models.BaseConstraint]:
    """What the state machine and the services assume, held by the database (SQLite and PostgreSQL alike)."""
    Q, status = models.Q, SubjectRequestStatus
    is_open = Q(status__in=[status.RECEIVED, status.VERIFIED])
    deletion_done = Q(kind=SubjectRequestKind.DELETION, status=status.COMPLETED)
    checks = {
        "choices": Q(status__in=status.values)
        & Q(kind__in=SubjectRequestKind.values)
        & Q(channel__in=SubjectRequestChannel.values),
        "due_after_received": Q(due_on__gte=models.F("received_on")),
        # Open: nothing decided yet.
        "open_undecided": ~is_open
        | Q(closed_on__isnull=True, handled_by__isnull=True, outcome="", refusal_reason="", anonymise_on__isnull=True),
        # Closed: by whom and when, not before it came in.
        "closed_handled": is_open
        | Q(handled_by__isnull=False, closed_on__isnull=False, closed_on__gte=models.F("received_on")),
        # Nothing is disclosed or changed before the identity check is recorded.
        "identity_checked": ~Q(status__in=[status.VERIFIED, status.COMPLETED])
        | (Q(identity_checked_by__isnull=False) & ~Q(identity_evidence="")),
        "completed_has_outcome": ~Q(status=status.COMPLETED) | (~Q(outcome="") & Q(refusal_reason="")),
        "refused_has_reason": ~Q(status=status.REFUSED) | (~Q(refusal_reason="") & Q(outcome="")),
        # Only a completed deletion is anonymised, and always: on or after the day it closed.
        "anonymise_deletions": Q(anonymise_on__isnull=True)
        | (deletion_done & Q(anonymise_on__gte=models.F("closed_on"))),
        "deletion_scheduled": ~deletion_done | Q(anonymise_on__isnull=False),
    }
    return [models.CheckConstraint(condition=check, name=f"customers_subjreq_{name}") for name, check in checks.items()]


class SubjectRequest(FSMModelMixin, BaseModel):
    """Data-subject request (个人信息权利请求): a customer asks to see, copy, correct or delete their personal
    information or withdraws consent. Received → identity verified → completed or refused (with the reason the law
    requires, PIPL Art. 50); the reply is due `due_on` (business date), overdue after that."""

    SCOPE_OWNER = "customer__owner"
    SCOPE_ORG_UNIT = "customer__org_unit"

    customer = models.ForeignKey(
        "customers.Customer", verbose_name=_("customer"), on_delete=models.PROTECT, related_name="subject_requests"
    )
    kind = models.CharField(_("request"), max_length=20, choices=SubjectRequestKind.choices)
    channel = models.CharField(_("channel"), max_length=12, choices=SubjectRequestChannel.choices)
    details = models.TextField(_("what the customer asks"), blank=True)
    received_on = models.DateField(_("received on"))
    due_on = models.DateField(_("reply due on"))
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("received by"), on_delete=models.PROTECT, related_name="+"
    )
    status = FSMField(
        _("status"),
        max_length=12,
        choices=SubjectRequestStatus.choices,
        default=SubjectRequestStatus.RECEIVED,
        protected=True,
    )
    identity_checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("identity verified by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    identity_evidence = models.CharField(_("how the identity was verified"), max_length=200, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    outcome = models.TextField(_("what was provided, corrected or deleted"), blank=True)
    refusal_reason = models.TextField(_("reason for the refusal"), blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    anonymise_on = models.DateField(_("anonymise on"), null=True, blank=True)

    class Meta:
        verbose_name = _("data-subject request")
        verbose_name_plural = _("data-subject requests")
        ordering = ["-received_on", "-id"]
        indexes = [
            models.Index(
                fields=["due_on"],
                name="customers_subjreq_open_idx",
                condition=models.Q(status__in=["received", "verified"]),
            )
        ]
        constraints = _constraints()

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in (SubjectRequestStatus.RECEIVED, SubjectRequestStatus.VERIFIED)

    @transition(field=status, source=SubjectRequestStatus.RECEIVED, target=SubjectRequestStatus.VERIFIED)
    def verify(self) -> None:
        """The customer's identity is verified."""

    @transition(field=status, source=SubjectRequestStatus.VERIFIED, target=SubjectRequestStatus.COMPLETED)
    def complete(self) -> None:
        """Done: what was provided, corrected or deleted is recorded."""

    @transition(
        field=status,
        source=[SubjectRequestStatus.RECEIVED, SubjectRequestStatus.VERIFIED],
        target=SubjectRequestStatus.REFUSED,
    )
    def refuse(self) -> None:
        """Refused with a reason (PIPL Art. 50)."""
