"""Data scope: one function decides which rows a user may see; outside it, objects answer 404 (SEC-3)."""

import pytest
from django.http import Http404

from creditdesk.accounts.choices import OrgUnitKind
from creditdesk.accounts.models import User
from creditdesk.accounts.scoping import get_in_scope, in_scope
from creditdesk.accounts.services import org_unit_upsert
from creditdesk.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def org():
    hq = org_unit_upsert(code="HQ", name="总公司", kind=OrgUnitKind.COMPANY)
    sh = org_unit_upsert(code="SH", name="上海分公司", kind=OrgUnitKind.BRANCH, parent=hq)
    bj = org_unit_upsert(code="BJ", name="北京分公司", kind=OrgUnitKind.BRANCH, parent=hq)
    return {
        "hq": hq,
        "sh": sh,
        "bj": bj,
        "sh_retail": org_unit_upsert(code="SH-R", name="上海零售", kind=OrgUnitKind.DEPARTMENT, parent=sh),
        "sh_svc": org_unit_upsert(code="SH-S", name="上海客服", kind=OrgUnitKind.DEPARTMENT, parent=sh),
        "bj_retail": org_unit_upsert(code="BJ-R", name="北京零售", kind=OrgUnitKind.DEPARTMENT, parent=bj),
        "hq_risk": org_unit_upsert(code="HQ-K", name="风险管理部", kind=OrgUnitKind.DEPARTMENT, parent=hq),
    }


@pytest.fixture
def staff(org):
    def make(username, unit, *roles):
        return UserFactory(username=username, org_unit=org[unit], roles=list(roles))

    return {
        "alice": make("alice", "sh_retail", "sales"),
        "sam": make("sam", "sh_retail", "sales"),
        "bob": make("bob", "sh_retail", "department_head"),
        "grace": make("grace", "sh_svc", "customer_service"),
        "wang": make("wang", "bj_retail", "sales"),
        "carol": make("carol", "hq_risk", "risk_officer"),
        "kim": make("kim", "sh_svc", "risk_officer"),
        "outsider": make("outsider", "hq_risk"),
    }


def visible(user):
    return set(in_scope(User.objects.all(), user).values_list("username", flat=True))


def test_sales_see_only_their_own(staff):
    assert visible(staff["alice"]) == {"alice"}


def test_department_heads_see_their_department(staff):
    assert visible(staff["bob"]) == {"alice", "sam", "bob"}


def test_branch_roles_see_their_branch(staff):
    assert visible(staff["grace"]) == {"alice", "sam", "bob", "grace", "kim"}


def test_head_office_risk_sees_everything_but_branch_risk_only_its_branch(staff):
    assert visible(staff["carol"]) == set(staff)
    assert visible(staff["kim"]) == {"alice", "sam", "bob", "grace", "kim"}


def test_a_user_without_a_role_sees_nothing(staff):
    assert visible(staff["outsider"]) == set()


def test_objects_outside_scope_answer_404_like_missing_ones(staff):
    assert get_in_scope(User.objects.all(), staff["bob"], pk=staff["alice"].pk) == staff["alice"]
    with pytest.raises(Http404):
        get_in_scope(User.objects.all(), staff["alice"], pk=staff["wang"].pk)
    with pytest.raises(Http404):
        get_in_scope(User.objects.all(), staff["alice"], pk=999_999)


def test_a_model_without_scope_paths_cannot_be_scoped(staff):
    from creditdesk.core.models import AuditEvent

    with pytest.raises(TypeError, match="SCOPE_OWNER"):
        in_scope(AuditEvent.objects.all(), staff["carol"])
