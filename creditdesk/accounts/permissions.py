"""The permission matrix (权限矩阵): what each role may do and how far its data scope reaches.

One table in code, mirrored in docs/security.md; views and endpoints check it with `has_perm()` and read data
through `scoping.in_scope()`. Later capabilities add their permissions here.
"""

from __future__ import annotations

from enum import IntEnum, StrEnum
from typing import Any

from creditdesk.accounts.choices import Role


class Perm(StrEnum):
    """A capability; the value is its code."""

    CUSTOMER_VIEW = "customer.view"
    CUSTOMER_EDIT = "customer.edit"
    CUSTOMER_UNMASK = "customer.unmask"
    CUSTOMER_GRADE = "customer.grade"
    CUSTOMER_NAME = "customer.name"  # an individual's name in full (see accounts/display.py)
    QUOTE_CREATE = "quote.create"
    APPLICATION_VIEW = "application.view"
    APPLICATION_EDIT = "application.edit"
    APPLICATION_REVIEW = "application.review"
    PLAN_VIEW = "plan.view"
    PLAN_EDIT = "plan.edit"
    PLAN_DECIDE = "plan.decide"
    CONTRACT_VIEW = "contract.view"
    CONTRACT_EDIT = "contract.edit"  # generate, submit, explain the key terms, sign, register the mortgage
    CONTRACT_REVIEW = "contract.review"
    STAFF_VIEW = "staff.view"
    STAFF_UNMASK = "staff.unmask"
    ACCESS_LOG_VIEW = "access_log.view"
    ACCESS_LOG_EXPORT = "access_log.export"
    AUDIT_VIEW = "audit.view"
    HISTORY_VIEW = "history.view"
    DISCLOSURE_REQUEST = "disclosure.request"
    DISCLOSURE_DECIDE = "disclosure.decide"
    CONFIDENTIALITY_VIEW = "confidentiality.view"
    CONFIDENTIALITY_MANAGE = "confidentiality.manage"
    BACKUP_MANAGE = "backup.manage"
    STAFF_MANAGE = "staff.manage"
    SUBJECT_REQUEST_VIEW = "subject_request.view"
    SUBJECT_REQUEST_INTAKE = "subject_request.intake"
    SUBJECT_REQUEST_HANDLE = "subject_request.handle"
    CONFIGURATION_APPROVE = "configuration.approve"  # the checker of maker-checker on configuration
    LOAN_VIEW = "loan.view"
    LOAN_POST = "loan.post"  # repayments, settlement, reversal requests and their approval (maker-checker)


class Scope(IntEnum):
    """How far a role's data scope (数据权限范围) reaches; a user gets the widest of their roles."""

    NONE = 0
    OWN = 1  # the customers the user is responsible for
    DEPARTMENT = 2  # the user's org unit and everything below it
    BRANCH = 3  # the user's branch
    ALL = 4  # the whole book (head office); a user placed in a branch gets BRANCH instead


# Who takes a customer's data-subject request in (PIPL Art. 44–47): the staff the customer meets.
_SUBJECT_INTAKE = {Perm.SUBJECT_REQUEST_VIEW, Perm.SUBJECT_REQUEST_INTAKE}
_BUSINESS = {
    *_SUBJECT_INTAKE,
    Perm.CUSTOMER_VIEW,
    Perm.CUSTOMER_NAME,
    Perm.CUSTOMER_EDIT,
    Perm.CUSTOMER_UNMASK,
    Perm.DISCLOSURE_REQUEST,
    Perm.APPLICATION_EDIT,
    Perm.PLAN_EDIT,
    Perm.CONTRACT_EDIT,
}
# Who reads applications, plans and contracts: the people who prepare, assess, decide, contract, pay out and audit.
_CREDIT_READERS = {Perm.APPLICATION_VIEW, Perm.PLAN_VIEW, Perm.CONTRACT_VIEW}
# Who reads loan accounts and their ledger: everyone serving the customer after the loan is paid out (issue 13).
_LOAN_READERS = {Perm.LOAN_VIEW}
# Who works with the customer and so sees individuals' names in full (governance roles see them masked).
_FACE_TO_FACE = {Perm.CUSTOMER_VIEW, Perm.CUSTOMER_NAME}

MATRIX: dict[str, frozenset[Perm]] = {
    Role.SALES: frozenset(_BUSINESS | _CREDIT_READERS | _LOAN_READERS),
    Role.DEPARTMENT_HEAD: frozenset(
        _BUSINESS
        | _CREDIT_READERS
        | _LOAN_READERS
        | {Perm.CONFIDENTIALITY_VIEW, Perm.STAFF_VIEW, Perm.CUSTOMER_GRADE, Perm.PLAN_DECIDE, Perm.CONTRACT_REVIEW}
    ),
    Role.RISK_OFFICER: frozenset(
        _CREDIT_READERS
        | _FACE_TO_FACE
        | _LOAN_READERS
        | {
            Perm.CUSTOMER_UNMASK,
            Perm.CUSTOMER_GRADE,
            Perm.DISCLOSURE_REQUEST,
            Perm.APPLICATION_REVIEW,
            Perm.PLAN_DECIDE,
            Perm.CONTRACT_REVIEW,  # the risk clauses of contracts
            # Risk management owns the credit policy: it checks policies, products, pricing and chains.
            Perm.CONFIGURATION_APPROVE,
        }
    ),
    Role.APPROVER: frozenset(_CREDIT_READERS | _FACE_TO_FACE | _LOAN_READERS | {Perm.PLAN_DECIDE}),
    Role.LEGAL: frozenset(
        _CREDIT_READERS
        | _FACE_TO_FACE
        | _LOAN_READERS
        | {Perm.CUSTOMER_UNMASK, Perm.DISCLOSURE_REQUEST, Perm.CONTRACT_REVIEW}
    ),
    Role.FINANCE: frozenset(_CREDIT_READERS | _FACE_TO_FACE | _LOAN_READERS | {Perm.CUSTOMER_UNMASK, Perm.LOAN_POST}),
    Role.CUSTOMER_SERVICE: frozenset(_FACE_TO_FACE | _LOAN_READERS | {Perm.CUSTOMER_UNMASK, *_SUBJECT_INTAKE}),
    Role.COLLECTOR: frozenset(_FACE_TO_FACE | _LOAN_READERS | {Perm.CUSTOMER_UNMASK}),
    # SEC-1: the information administrator governs disclosure, keys, backups and confidentiality records.
    Role.INFO_ADMIN: frozenset(
        {
            Perm.CUSTOMER_VIEW,
            Perm.ACCESS_LOG_VIEW,
            Perm.ACCESS_LOG_EXPORT,
            Perm.AUDIT_VIEW,
            Perm.HISTORY_VIEW,
            Perm.DISCLOSURE_DECIDE,
            Perm.CONFIDENTIALITY_VIEW,
            Perm.CONFIDENTIALITY_MANAGE,
            Perm.BACKUP_MANAGE,
            Perm.STAFF_VIEW,
            Perm.STAFF_UNMASK,
            Perm.SUBJECT_REQUEST_VIEW,
            Perm.SUBJECT_REQUEST_HANDLE,
            # Change control (变更管理): the second person on a configuration change the administrator made.
            Perm.CONFIGURATION_APPROVE,
        }
    ),
    # Auditors read everything (masked) and change nothing.
    Role.AUDITOR: frozenset(
        _CREDIT_READERS
        | _LOAN_READERS
        | {
            Perm.CUSTOMER_VIEW,
            Perm.ACCESS_LOG_VIEW,
            Perm.ACCESS_LOG_EXPORT,
            Perm.AUDIT_VIEW,
            Perm.HISTORY_VIEW,
            Perm.CONFIDENTIALITY_VIEW,
            Perm.STAFF_VIEW,
            Perm.SUBJECT_REQUEST_VIEW,
        }
    ),
    # The system administrator manages staff and configuration but sees no customer data (segregation of duties).
    Role.SYSTEM_ADMIN: frozenset({Perm.STAFF_MANAGE, Perm.HISTORY_VIEW}),
}

# Quotes are arithmetic without side effects: everyone who works with customers may compute one.
MATRIX = {role: perms | {Perm.QUOTE_CREATE} if Perm.CUSTOMER_VIEW in perms else perms for role, perms in MATRIX.items()}

SCOPE: dict[str, Scope] = {
    Role.SALES: Scope.OWN,
    Role.DEPARTMENT_HEAD: Scope.DEPARTMENT,
    Role.RISK_OFFICER: Scope.ALL,
    Role.APPROVER: Scope.ALL,
    Role.LEGAL: Scope.ALL,
    Role.FINANCE: Scope.ALL,
    Role.CUSTOMER_SERVICE: Scope.BRANCH,
    Role.COLLECTOR: Scope.BRANCH,
    Role.INFO_ADMIN: Scope.ALL,
    Role.AUDITOR: Scope.ALL,
    Role.SYSTEM_ADMIN: Scope.NONE,
}

# Roles that may read but never change anything, whatever else they hold.
READ_ONLY_ROLES = frozenset({Role.AUDITOR})
# What changes data, decides, discloses or reveals: never granted by a read-only role.
WRITE_PERMS = frozenset(
    {
        Perm.CUSTOMER_EDIT,
        Perm.CUSTOMER_UNMASK,
        Perm.CUSTOMER_GRADE,
        Perm.APPLICATION_EDIT,
        Perm.APPLICATION_REVIEW,
        Perm.PLAN_EDIT,
        Perm.PLAN_DECIDE,
        Perm.CONTRACT_EDIT,
        Perm.CONTRACT_REVIEW,
        Perm.STAFF_UNMASK,
        Perm.DISCLOSURE_REQUEST,
        Perm.DISCLOSURE_DECIDE,
        Perm.CONFIDENTIALITY_MANAGE,
        Perm.BACKUP_MANAGE,
        Perm.STAFF_MANAGE,
        Perm.SUBJECT_REQUEST_INTAKE,
        Perm.SUBJECT_REQUEST_HANDLE,
        Perm.CONFIGURATION_APPROVE,
        Perm.LOAN_POST,
    }
)


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def role_grants(role: str, perm: Perm) -> bool:
    """Whether one role grants one permission; a read-only role never grants a write, whatever the matrix says."""
    if role in READ_ONLY_ROLES and perm in WRITE_PERMS:
        return False
    return perm in MATRIX.get(role, frozenset())


def perms_of(user: Any) -> frozenset[Perm]:
    """Every permission the user's roles grant (none for anonymous or inactive users)."""
    if not _active(user):
        return frozenset()
    granted: set[Perm] = set()
    for role in getattr(user, "role_codes", []):
        perms = MATRIX.get(role, frozenset())
        granted |= perms - WRITE_PERMS if role in READ_ONLY_ROLES else perms
    return frozenset(granted)


def has_perm(user: Any, perm: Perm) -> bool:
    return perm in perms_of(user)


def scope_of(user: Any, perm: Perm | None = None) -> Scope:
    """The data scope the user acts in: for a permission, the widest scope among the roles that grant *that*
    permission (an auditor who is also in sales edits only sales' own customers, while reading the whole book);
    without one, the widest scope of any role (what the user may read at all)."""
    if not _active(user):
        return Scope.NONE
    roles = getattr(user, "role_codes", [])
    if perm is not None:
        roles = [role for role in roles if role_grants(role, perm)]
    return max((SCOPE.get(role, Scope.NONE) for role in roles), default=Scope.NONE)


def matrix_markdown() -> str:
    """The matrix as the Markdown table docs/security.md carries (a test keeps the two equal)."""
    perms = list(Perm)
    roles = list(MATRIX)
    lines = ["| permission | " + " | ".join(roles) + " |", "|---|" + "---|" * len(roles)]
    for perm in perms:
        marks = ["✓" if perm in MATRIX[role] else "" for role in roles]
        lines.append(f"| `{perm.value}` | " + " | ".join(marks) + " |")
    lines.append("| **data scope** | " + " | ".join(SCOPE[role].name.lower() for role in roles) + " |")
    return "\n".join(lines)
