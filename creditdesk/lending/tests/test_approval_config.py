"""The approval chain's configuration (审批流程配置): versioned rows, built-in defaults, refused in the admin when the
pure chain would refuse it (PLAN-7, PLAN-9, ARCHITECTURE rule 8)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from creditdesk.accounts.tests.factories import UserFactory
from creditdesk.lending.approval import ApprovalChain, AuthorityLimit
from creditdesk.lending.models import ApprovalChainVersion
from creditdesk.lending.selectors import chain_on

pytestmark = pytest.mark.django_db


def test_without_a_row_the_built_in_chain_applies():
    assert chain_on(dt.date(2027, 3, 15)) == ApprovalChain(version="built-in")


def test_the_latest_row_in_force_applies():
    ApprovalChainVersion.objects.create(
        version="2027.1",
        effective_on=dt.date(2027, 1, 1),
        approval_state="approved",
        authority_limits=[
            {"role": "approver", "max_amount": "300000.00", "max_risk_level": "low"},
            {"role": "approver", "max_amount": "800000.00", "max_risk_level": "medium"},
        ],
        committee_size=5,
        committee_quorum=3,
        green_channel_grades=["A", "B"],
    )
    chain = chain_on(dt.date(2027, 3, 15))
    assert chain.version == "2027.1"
    assert chain.authority_limits[1] == AuthorityLimit("approver", Decimal("800000.00"), "medium")
    assert (chain.committee_size, chain.committee_quorum, chain.green_channel_grades) == (5, 3, ("A", "B"))
    assert chain_on(dt.date(2026, 12, 31)).version == "built-in"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"committee_size": 2, "committee_quorum": 3}, "committee_quorum"),
        ({"risk_review_sla_days": 0}, "risk_review_sla_days"),
        ({"green_channel_grades": ["E"]}, "green_channel_grades"),
        ({"authority_limits": [{"role": "approver"}]}, "authority_limits"),
        (
            {"authority_limits": [{"role": "approver", "max_amount": "abc", "max_risk_level": "low"}]},
            "authority_limits",
        ),
        ({"authority_limits": [{"role": "approver", "max_amount": "1.00", "max_risk_level": "extreme"}]}, "__all__"),
    ],
)
def test_an_impossible_chain_is_refused_in_the_admin_form(changes, field):
    row = ApprovalChainVersion(version="bad", effective_on=dt.date(2027, 1, 1), **changes)
    with pytest.raises(ValidationError) as caught:
        row.full_clean()
    assert field in caught.value.message_dict


def test_the_admin_edits_chains_and_shows_no_plans(login, draft, business_on):
    """Issue 10 item 3: plans carry customer names and amounts; the system administrator sees none of them."""
    plan = draft()
    client = login(UserFactory(username="root", is_staff=True, is_superuser=True))
    assert client.get("/admin/lending/approvalchainversion/add/").status_code == 200
    assert client.get("/admin/lending/serviceplan/").status_code == 404
    assert client.get(f"/admin/lending/serviceplan/{plan.pk}/change/").status_code == 404
