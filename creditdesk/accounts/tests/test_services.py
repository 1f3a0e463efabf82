"""Org units form a company → branch → department tree; staff hold roles as groups."""

import pytest
from django.contrib.auth.models import Group

from creditdesk.accounts.choices import OrgUnitKind, Role
from creditdesk.accounts.services import org_unit_upsert, user_upsert
from creditdesk.core.errors import ValidationFailed

pytestmark = pytest.mark.django_db


def test_every_role_exists_as_a_group_after_migrating():
    assert set(Group.objects.values_list("name", flat=True)) >= set(Role.values)


def test_the_org_tree_follows_company_branch_department():
    hq = org_unit_upsert(code="HQ", name="总公司", kind=OrgUnitKind.COMPANY)
    sh = org_unit_upsert(code="SH", name="上海分公司", kind=OrgUnitKind.BRANCH, parent=hq)
    retail = org_unit_upsert(code="SH-R", name="零售信贷部", kind=OrgUnitKind.DEPARTMENT, parent=sh)
    risk = org_unit_upsert(code="HQ-RISK", name="风险管理部", kind=OrgUnitKind.DEPARTMENT, parent=hq)
    assert retail.branch() == sh
    assert risk.branch() is None
    with pytest.raises(ValidationFailed):
        org_unit_upsert(code="X", name="x", kind=OrgUnitKind.BRANCH, parent=retail)
    with pytest.raises(ValidationFailed):
        org_unit_upsert(code="Y", name="y", kind=OrgUnitKind.DEPARTMENT)
    with pytest.raises(ValidationFailed):
        org_unit_upsert(code="Z", name="z", kind="team", parent=hq)


def test_user_upsert_sets_exactly_the_given_roles():
    hq = org_unit_upsert(code="HQ", name="总公司", kind=OrgUnitKind.COMPANY)
    user = user_upsert(
        username="zhang", full_name="张三", org_unit=hq, roles=["sales", "collector"], password="pw-long-enough"
    )
    assert user.role_codes == ["collector", "sales"]
    user = user_upsert(username="zhang", full_name="张三", org_unit=hq, roles=["auditor"])
    assert user.role_codes == ["auditor"]
    assert user.check_password("pw-long-enough")
    with pytest.raises(ValidationFailed):
        user_upsert(username="li", full_name="李四", org_unit=hq, roles=["wizard"])


def test_groups_that_are_not_roles_are_not_reported_as_roles(alice):
    alice.groups.add(Group.objects.create(name="newsletter"))
    alice.refresh_from_db()
    assert alice.role_codes == ["sales"]
