"""Staff, organisation and API tokens."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition
from simple_history.models import HistoricalRecords

from creditdesk.accounts.choices import (
    PRIVILEGED_ROLES,
    PRIVILEGED_TWO_FACTOR_MESSAGE,
    AccessAction,
    DisclosureState,
    LegalBasis,
    OrgUnitKind,
    Role,
)
from creditdesk.core.crypto import EncryptedTextField
from creditdesk.core.models import BaseModel


class OrgUnit(BaseModel):
    """Org unit (组织机构): the company, a branch (分公司) or a department (部门), arranged as a tree.

    Data scope follows this tree: a department head sees the department, branch roles the branch.
    """

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=OrgUnitKind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("org unit")
        verbose_name_plural = _("org units")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind=OrgUnitKind.COMPANY, parent__isnull=True)
                | (~models.Q(kind=OrgUnitKind.COMPANY) & models.Q(parent__isnull=False)),
                name="accounts_orgunit_only_company_is_root",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def branch(self) -> OrgUnit | None:
        """The branch this unit belongs to (itself if it is one); None for head-office units."""
        unit: OrgUnit | None = self
        while unit is not None:
            if unit.kind == OrgUnitKind.BRANCH:
                return unit
            unit = unit.parent
        return None


class User(AbstractUser):
    """Staff member (员工): a user of the system, placed in one org unit, holding roles as groups."""

    full_name = models.CharField(_("full name"), max_length=100, blank=True)
    employee_no = models.CharField(_("employee number"), max_length=32, blank=True)
    org_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("org unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="staff"
    )
    mobile = EncryptedTextField(_("work mobile"), blank=True)

    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    # Data scope: a staff record belongs to its own person and org unit (see accounts.scoping).
    SCOPE_OWNER = "pk"
    SCOPE_ORG_UNIT = "org_unit"
    # Personal information of staff is masked like customers' (PIPL applies to employees too).
    SENSITIVE_FIELDS = {"mobile": "mobile"}
    UNMASK_PERMISSION = "staff.unmask"

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.full_name or self.get_username()

    def get_short_name(self) -> str:
        """How the admin greets the user: by name, not by username."""
        return str(self)

    @property
    def role_codes(self) -> list[str]:
        """The user's roles as codes (group names that are roles), cached per instance."""
        cached: list[str] | None = getattr(self, "_role_codes", None)
        if cached is None:
            valid = set(Role.values)
            # groups.all() uses a prefetch_related("groups") cache when the list page has one.
            cached = sorted(group.name for group in self.groups.all() if group.name in valid)
            self._role_codes = cached
        return cached

    @property
    def role_labels(self) -> list[str]:
        labels = dict(Role.choices)
        return [str(labels[code]) for code in self.role_codes]

    def has_role(self, *roles: str) -> bool:
        return bool(set(roles) & set(self.role_codes))


class ApiToken(BaseModel):
    """API token (接口令牌): a bearer credential; only its SHA-256 digest is stored, it expires and can be revoked."""

    SCOPE_OWNER = "user"  # scoped like the record it belongs to
    SCOPE_ORG_UNIT = "user__org_unit"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(_("digest"), max_length=64, unique=True)
    prefix = models.CharField(_("prefix"), max_length=8, help_text=_("First characters, to tell tokens apart."))
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"


class AuthGeneration(models.Model):
    """One counter (认证版本), moved whenever anything a cached bearer-token authentication depends on changes: a
    token revoked or changed, a user's roles, activity or org unit, a role or an org unit. A cached entry stamped
    with an older value is stale in every server process at once (accounts/tokencache.py)."""

    value = models.BigIntegerField(_("generation number"), default=0)

    class Meta:
        verbose_name = _("authentication generation")
        verbose_name_plural = _("authentication generations")

    def __str__(self) -> str:
        return str(self.value)


class TwoFactorPolicy(BaseModel):
    """Two-factor policy (双因素认证策略): whether holders of a role must sign in with a TOTP code.

    The privileged roles (`PRIVILEGED_ROLES`) always must: their rows cannot say otherwise.
    """

    role = models.CharField(_("role"), max_length=32, choices=Role.choices, unique=True)
    required = models.BooleanField(_("two-factor sign-in required"), default=False)

    class Meta:
        verbose_name = _("two-factor policy")
        verbose_name_plural = _("two-factor policies")
        ordering = ["role"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(required=True) | ~models.Q(role__in=sorted(PRIVILEGED_ROLES)),
                name="accounts_twofactorpolicy_privileged_required",
                violation_error_message=PRIVILEGED_TWO_FACTOR_MESSAGE,
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.required}"


class AccessLogEntry(models.Model):
    """Access log entry (敏感信息访问日志): one view of unmasked sensitive data or one export (SEC-7, PRIN-3).

    Append-only; written in the same transaction that reveals the value or produces the file.
    """

    occurred_at = models.DateTimeField(_("occurred at"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("staff member"), on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(_("action"), max_length=16, choices=AccessAction.choices, db_index=True)
    subject_type = models.ForeignKey(
        "contenttypes.ContentType",
        verbose_name=_("record type"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    subject_id = models.CharField(_("record id"), max_length=64, blank=True)
    subject_repr = models.CharField(_("record"), max_length=200, blank=True)
    field = models.CharField(_("field"), max_length=64, blank=True)
    purpose = models.TextField(_("purpose"))
    record_count = models.PositiveIntegerField(_("records"), default=1)
    client_address = models.GenericIPAddressField(_("client address"), null=True, blank=True)

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["subject_type", "subject_id"], name="accounts_access_subject_idx")]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_id} {self.action} {self.subject_repr} {self.field}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise ValueError("access log entries are immutable")
        super().save(*args, **kwargs)


class DisclosureRequest(FSMModelMixin, BaseModel):
    """Disclosure request (信息披露申请): customer information leaves the company only through this (SEC-6).

    The requester names the data set, the records and fields, the recipient, the purpose and the legal basis
    (with the consent reference when the basis is consent); the information administrator approves or rejects;
    only then can the requester download the watermarked export, and every download is logged.
    """

    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requester"), on_delete=models.PROTECT, related_name="+"
    )
    org_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("org unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    dataset = models.CharField(_("data set"), max_length=40)
    record_ids = models.JSONField(_("records"), default=list, blank=True)
    fields = models.JSONField(_("fields"), default=list)
    recipient = models.CharField(_("recipient"), max_length=200)
    purpose = models.TextField(_("purpose"))
    legal_basis = models.CharField(_("legal basis"), max_length=16, choices=LegalBasis.choices)
    consent_reference = models.CharField(_("consent reference"), max_length=100, blank=True)
    state = FSMField(
        _("state"), max_length=16, choices=DisclosureState.choices, default=DisclosureState.SUBMITTED, protected=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_comment = models.TextField(_("decision comment"), blank=True)
    export_count = models.PositiveIntegerField(_("downloads"), default=0)

    # Data scope: requesters see their own requests; governance roles see all (see selectors).
    SCOPE_OWNER = "requester"
    SCOPE_ORG_UNIT = "org_unit"

    class Meta:
        verbose_name = _("disclosure request")
        verbose_name_plural = _("disclosure requests")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["state"], name="accounts_disclosure_open_idx", condition=models.Q(state="submitted"))
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(legal_basis="consent") | ~models.Q(consent_reference=""),
                name="accounts_disclosure_consent_has_reference",
            )
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.recipient}"

    # Allowed moves; called only by the services in accounts/disclosure.py, which check who and record why.
    @transition(field=state, source=DisclosureState.SUBMITTED, target=DisclosureState.APPROVED)
    def approve(self) -> None:
        pass

    @transition(field=state, source=DisclosureState.SUBMITTED, target=DisclosureState.REJECTED)
    def reject(self) -> None:
        pass

    @transition(field=state, source=DisclosureState.SUBMITTED, target=DisclosureState.CANCELLED)
    def cancel(self) -> None:
        pass


class ConfidentialityAgreement(BaseModel):
    """Confidentiality agreement (保密协议) signed by a staff member (SEC-5)."""

    SCOPE_OWNER = "staff"  # scoped like the record it belongs to
    SCOPE_ORG_UNIT = "staff__org_unit"

    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("staff member"), on_delete=models.PROTECT, related_name="agreements"
    )
    signed_on = models.DateField(_("signed on"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    reference = models.CharField(_("document reference"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("confidentiality agreement")
        verbose_name_plural = _("confidentiality agreements")
        ordering = ["-signed_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_on__isnull=True) | models.Q(expires_on__gte=models.F("signed_on")),
                name="accounts_agreement_expires_after_signing",
            )
        ]

    def __str__(self) -> str:
        return f"{self.staff} {self.signed_on}"


class TrainingSession(BaseModel):
    """Confidentiality training session (保密培训) and who attended (SEC-5)."""

    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("held on"))
    trainer = models.CharField(_("trainer"), max_length=100, blank=True)
    attendees = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("attendees"), related_name="trainings")

    class Meta:
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return f"{self.held_on} {self.title}"
