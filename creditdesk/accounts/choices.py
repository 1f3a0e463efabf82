"""Choices of the accounts app: staff roles (岗位角色) and org-unit kinds."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from creditdesk.core import event_labels


class Role(models.TextChoices):
    """The roles of ARCHITECTURE.md §Access; each is a Django group whose name is the value."""

    SALES = "sales", _("Sales")
    DEPARTMENT_HEAD = "department_head", _("Department head")
    RISK_OFFICER = "risk_officer", _("Risk officer")
    APPROVER = "approver", _("Approver")
    LEGAL = "legal", _("Legal")
    FINANCE = "finance", _("Finance")
    CUSTOMER_SERVICE = "customer_service", _("Customer service")
    COLLECTOR = "collector", _("Collector")
    INFO_ADMIN = "info_admin", _("Information administrator")
    AUDITOR = "auditor", _("Auditor")
    SYSTEM_ADMIN = "system_admin", _("System administrator")


# Privileged users (特权用户, 等保 level 3): holders of these roles always sign in with a second factor, whatever
# the two-factor policies say (accounts/twofactor.py `required_by_policy`).
PRIVILEGED_ROLES: frozenset[str] = frozenset({Role.SYSTEM_ADMIN, Role.INFO_ADMIN, Role.FINANCE})
PRIVILEGED_TWO_FACTOR_MESSAGE = _(
    "The system administrator, the information administrator and finance always sign in with two factors; "
    "this cannot be switched off."
)


class OrgUnitKind(models.TextChoices):
    COMPANY = "company", _("Company")
    BRANCH = "branch", _("Branch")
    DEPARTMENT = "department", _("Department")


# Which kinds may sit under which: company → branch → department (a head-office department sits under the company).
ALLOWED_PARENT_KINDS: dict[str, tuple[str, ...]] = {
    OrgUnitKind.COMPANY: (),
    OrgUnitKind.BRANCH: (OrgUnitKind.COMPANY,),
    OrgUnitKind.DEPARTMENT: (OrgUnitKind.COMPANY, OrgUnitKind.BRANCH),
}


class AccessAction(models.TextChoices):
    """What an access-log entry records."""

    UNMASK = "unmask", _("Viewed unmasked")
    EXPORT = "export", _("Exported")
    DOWNLOAD = "download", _("Downloaded a document")


class DisclosureState(models.TextChoices):
    """States of a disclosure request (信息披露申请), SEC-6."""

    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")


class LegalBasis(models.TextChoices):
    """Why giving the information out is lawful (PIPL Art. 13; 征信业管理条例 Art. 20)."""

    CONSENT = "consent", _("Customer's written consent")
    CONTRACT = "contract", _("Necessary to perform a contract with the customer")
    LEGAL_DUTY = "legal_duty", _("Legal duty")
    REGULATOR = "regulator", _("Request of a regulator, court or public authority")


# What the audit events of staff, tokens, disclosures and confidentiality mean (the audit page; core/event_labels).
EVENT_LABELS = {
    "api_token.issued": _("API token issued"),
    "api_token.revoked": _("API token revoked"),
    "two_factor.enrolled": _("Authenticator enrolled"),
    "confidentiality.agreement_recorded": _("Confidentiality agreement recorded"),
    "confidentiality.training_recorded": _("Confidentiality training recorded"),
    "disclosure.requested": _("Disclosure requested"),
    "disclosure.approved": _("Disclosure approved"),
    "disclosure.rejected": _("Disclosure refused"),
    "disclosure.cancelled": _("Disclosure cancelled"),
    "disclosure.exported": _("Disclosure exported"),
    "configuration.proposed": _("Configuration change proposed"),
    "configuration.approved": _("Configuration change approved"),
    "configuration.rejected": _("Configuration change rejected"),
}
EVENT_AREAS = {
    "api_token": _("API tokens"),
    "two_factor": _("Two-factor sign-in"),
    "confidentiality": _("Confidentiality"),
    "disclosure": _("Data disclosures"),
    "configuration": _("Configuration"),
}
event_labels.register(EVENT_LABELS, areas=EVENT_AREAS)
