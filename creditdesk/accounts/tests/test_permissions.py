"""The permission matrix covers every role; auditors change nothing; the system administrator sees no customer."""

import pytest

from creditdesk.accounts.choices import Role
from creditdesk.accounts.permissions import MATRIX, SCOPE, Perm, Scope, has_perm, perms_of, scope_of

WRITE_SUFFIXES = (".edit", ".decide", ".manage", ".request")


def test_every_role_has_permissions_and_a_scope():
    assert set(MATRIX) == set(Role.values)
    assert set(SCOPE) == set(Role.values)


def test_auditors_read_everything_and_change_nothing():
    """SEC-3: auditors have read permissions only, over the whole book."""
    assert not [p for p in MATRIX[Role.AUDITOR] if p.value.endswith(WRITE_SUFFIXES)]
    assert SCOPE[Role.AUDITOR] == Scope.ALL


def test_the_information_administrator_governs_disclosure_and_the_access_log():
    """SEC-1: a dedicated information-management role."""
    assert {Perm.DISCLOSURE_DECIDE, Perm.ACCESS_LOG_VIEW, Perm.BACKUP_MANAGE} <= MATRIX[Role.INFO_ADMIN]
    assert not [role for role, perms in MATRIX.items() if Perm.DISCLOSURE_DECIDE in perms and role != Role.INFO_ADMIN]


def test_the_system_administrator_sees_no_customer_data():
    assert Perm.CUSTOMER_VIEW not in MATRIX[Role.SYSTEM_ADMIN]
    assert SCOPE[Role.SYSTEM_ADMIN] == Scope.NONE


@pytest.mark.django_db
def test_a_user_without_roles_or_inactive_has_nothing(persona):
    outsider = persona("outsider")
    assert perms_of(outsider) == frozenset()
    assert scope_of(outsider) == Scope.NONE
    alice = persona("alice")
    assert has_perm(alice, Perm.CUSTOMER_VIEW)
    alice.is_active = False
    assert not has_perm(alice, Perm.CUSTOMER_VIEW)


@pytest.mark.django_db
def test_several_roles_combine(persona):
    from django.contrib.auth.models import Group

    alice = persona("alice")
    alice.groups.add(Group.objects.get(name=Role.AUDITOR))
    alice = type(alice).objects.get(pk=alice.pk)
    assert has_perm(alice, Perm.AUDIT_VIEW)
    assert has_perm(alice, Perm.CUSTOMER_EDIT)
    assert scope_of(alice) == Scope.ALL


def test_docs_security_md_carries_the_current_matrix():
    from pathlib import Path

    from creditdesk.accounts.permissions import matrix_markdown

    doc = (Path(__file__).resolve().parents[3] / "docs" / "security.md").read_text(encoding="utf-8")
    between = doc.split("<!-- matrix:start -->")[1].split("<!-- matrix:end -->")[0].strip()
    assert between == matrix_markdown(), "regenerate the table in docs/security.md from matrix_markdown()"
