"""Role combinations (issue 10 item 5, SEC-3): a permission acts in the scope of the role that grants it, and a
read-only role never contributes a write permission or widens a write's scope."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from creditdesk.accounts.choices import OrgUnitKind, Role
from creditdesk.accounts.permissions import (
    MATRIX,
    READ_ONLY_ROLES,
    SCOPE,
    WRITE_PERMS,
    Perm,
    Scope,
    has_perm,
    perms_of,
    scope_of,
)
from creditdesk.accounts.services import org_unit_upsert
from creditdesk.accounts.tests.factories import UserFactory
from creditdesk.vehicles.tests.factories import make_customer


class Holder:
    """A signed-in staff member holding exactly these roles (no database needed)."""

    is_authenticated = True
    is_active = True

    def __init__(self, *roles: str) -> None:
        self.role_codes = list(roles)


def expected_scope(roles: tuple[str, ...], perm: Perm) -> Scope:
    granting = [r for r in roles if perm in MATRIX[r] and not (r in READ_ONLY_ROLES and perm in WRITE_PERMS)]
    return max((SCOPE[r] for r in granting), default=Scope.NONE)


@given(st.sampled_from(list(Role.values)), st.sampled_from(list(Role.values)), st.sampled_from(list(Perm)))
def test_a_permission_acts_in_the_scope_of_the_roles_granting_it(first, second, perm):
    """For every pair of roles and every permission: the scope is that of the roles granting it, never wider."""
    user = Holder(first, second)
    assert scope_of(user, perm) == expected_scope((first, second), perm)
    assert scope_of(user, perm) <= scope_of(user)
    if not has_perm(user, perm):
        assert scope_of(user, perm) == Scope.NONE


@pytest.mark.parametrize("role", sorted(Role.values))
def test_a_read_only_role_never_contributes_a_write(role):
    for read_only in READ_ONLY_ROLES:
        combined = perms_of(Holder(role, read_only))
        assert combined & WRITE_PERMS == perms_of(Holder(role)) & WRITE_PERMS
        for perm in WRITE_PERMS:
            assert scope_of(Holder(role, read_only), perm) == scope_of(Holder(role), perm)


def test_every_pair_of_roles_is_the_union_of_its_reads():
    for first, second in itertools.combinations(Role.values, 2):
        combined = perms_of(Holder(first, second))
        assert combined == perms_of(Holder(first)) | perms_of(Holder(second))


@pytest.fixture
def branches(db):
    hq = org_unit_upsert(code="HQ", name="总公司", kind=OrgUnitKind.COMPANY)
    sh = org_unit_upsert(code="SH", name="上海分公司", kind=OrgUnitKind.BRANCH, parent=hq)
    bj = org_unit_upsert(code="BJ", name="北京分公司", kind=OrgUnitKind.BRANCH, parent=hq)
    return {"hq": hq, "sh": sh, "bj": bj}


@pytest.fixture
def auditor_in_sales(branches):
    """Someone at head office holding auditor (whole book, read) and sales (own customers, edit)."""
    return UserFactory(username="ada", org_unit=branches["hq"], roles=[Role.AUDITOR, Role.SALES])


@pytest.fixture
def others_customer(branches, business_on):
    wang = UserFactory(username="wang", org_unit=branches["bj"], roles=[Role.SALES])
    return make_customer(wang, name="李四")


def test_an_auditor_in_sales_reads_but_cannot_change_another_branchs_customer(
    client, auditor_in_sales, others_customer, api_token
):
    """The issue's case: PATCH /api/v1/customers/{id} on another branch's customer answered 200."""
    headers = {"Authorization": f"Bearer {api_token(auditor_in_sales)}"}
    read = client.get(f"/api/v1/customers/{others_customer.pk}", headers=headers)
    assert read.status_code == 200
    response = client.patch(
        f"/api/v1/customers/{others_customer.pk}",
        {"address": "上海市浦东新区世纪大道 100 号"},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 403, response.content
    assert response.json()["code"] == "out_of_scope"
    others_customer.refresh_from_db()
    assert "世纪大道" not in (others_customer.address or "")


def test_an_auditor_in_sales_cannot_unmask_another_branchs_customer(
    client, auditor_in_sales, others_customer, api_token
):
    headers = {"Authorization": f"Bearer {api_token(auditor_in_sales)}"}
    response = client.post(
        f"/api/v1/customers/{others_customer.pk}/unmask",
        {"field": "mobile", "purpose": "核实客户身份"},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 403, response.content


def test_an_auditor_in_sales_still_edits_their_own_customer(client, auditor_in_sales, business_on, api_token):
    own = make_customer(auditor_in_sales, name="王五")
    headers = {"Authorization": f"Bearer {api_token(auditor_in_sales)}"}
    response = client.patch(
        f"/api/v1/customers/{own.pk}", {"address": "上海市黄浦区"}, content_type="application/json", headers=headers
    )
    assert response.status_code == 200, response.content
