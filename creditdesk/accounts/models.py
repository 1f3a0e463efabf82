"""Staff, organisation and API tokens."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from creditdesk.accounts.choices import AccessAction, OrgUnitKind, Role
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


class TwoFactorPolicy(BaseModel):
    """Two-factor policy (双因素认证策略): whether holders of a role must sign in with a TOTP code."""

    role = models.CharField(_("role"), max_length=32, choices=Role.choices, unique=True)
    required = models.BooleanField(_("two-factor sign-in required"), default=False)

    class Meta:
        verbose_name = _("two-factor policy")
        verbose_name_plural = _("two-factor policies")
        ordering = ["role"]

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
