"""Maker-checker on configuration (issue 11 item 3): a new admission policy, rating policy, product, pricing-grid row
or approval-chain version takes effect only after a second authorised person approves it; both are recorded."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from creditdesk.accounts.configuration import (
    config_approve,
    config_propose,
    config_reject,
    configuration_models,
    field_lines,
    pending_changes,
    previous_version,
)
from creditdesk.accounts.tests.factories import UserFactory
from creditdesk.assessment.models import AdmissionPolicyVersion, RatingPolicyVersion
from creditdesk.assessment.selectors import admission_policy_on, rating_policy_on, stress_rate_on
from creditdesk.core.audit import events_for
from creditdesk.core.errors import Conflict, InvalidTransition, PermissionDenied, ValidationFailed
from creditdesk.lending.models import ApprovalChainVersion, LprRate, Product, SpreadRule, TermAdjustment
from creditdesk.lending.selectors import chain_on, lpr_on, priced_rate, product_for, products_in_force

pytestmark = pytest.mark.django_db

ON = dt.date(2027, 3, 15)


@pytest.fixture
def maker(db):
    """The system administrator who edits configuration in the admin."""
    return UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.fixture
def policy(maker):
    return config_propose(
        obj=AdmissionPolicyVersion(version="2027.2", effective_on=dt.date(2027, 3, 1), min_bureau_score=650),
        actor=maker,
    )


def test_every_configuration_model_is_under_maker_checker():
    assert {AdmissionPolicyVersion, RatingPolicyVersion, Product, LprRate, SpreadRule, TermAdjustment} | {
        ApprovalChainVersion
    } <= set(configuration_models())


def test_a_proposed_policy_is_not_in_force_until_a_second_person_approves_it(policy, maker, persona):
    assert (policy.approval_state, policy.proposed_by) == ("proposed", maker)
    assert admission_policy_on(ON).version == "二手车零售准入 V1"  # the seeded default stays in force
    approved = config_approve(obj=policy, actor=persona("carol"), note="符合风险偏好")
    assert (approved.approval_state, approved.checked_by, approved.review_note) == (
        "approved",
        persona("carol"),
        "符合风险偏好",
    )
    assert approved.checked_at is not None
    assert admission_policy_on(ON).version == "2027.2"
    assert admission_policy_on(ON).min_bureau_score == 650


def test_the_proposer_cannot_approve_their_own_change(persona):
    carol = persona("carol")
    row = config_propose(obj=RatingPolicyVersion(version="r2", effective_on=dt.date(2027, 1, 1)), actor=carol)
    with pytest.raises(PermissionDenied):
        config_approve(obj=row, actor=carol)
    with pytest.raises(PermissionDenied):
        config_reject(obj=row, actor=carol, note="不行")
    row.refresh_from_db()
    assert row.approval_state == "proposed"
    config_approve(obj=row, actor=persona("ivan"))
    assert rating_policy_on(ON).version == "r2"


@pytest.mark.parametrize("name", ["alice", "bob", "dave", "judy", "mallory", "outsider"])
def test_only_a_risk_officer_or_the_information_administrator_approves(policy, persona, name):
    with pytest.raises(PermissionDenied):
        config_approve(obj=policy, actor=persona(name))
    assert AdmissionPolicyVersion.objects.get(pk=policy.pk).approval_state == "proposed"


def test_a_superuser_without_the_permission_cannot_approve(policy):
    with pytest.raises(PermissionDenied):
        config_approve(obj=policy, actor=UserFactory(username="root2", is_staff=True, is_superuser=True))


def test_an_approved_version_cannot_be_edited_or_deleted(policy, maker, persona):
    approved = config_approve(obj=policy, actor=persona("carol"))
    approved.min_bureau_score = 500
    with pytest.raises(Conflict):
        approved.save()
    with pytest.raises(Conflict):
        config_propose(obj=approved, actor=maker)
    with pytest.raises(Conflict):
        approved.delete()
    assert AdmissionPolicyVersion.objects.get(pk=policy.pk).min_bureau_score == 650


def test_a_decided_version_is_not_decided_again(policy, persona):
    config_approve(obj=policy, actor=persona("carol"))
    with pytest.raises(InvalidTransition):
        config_reject(obj=policy, actor=persona("ivan"), note="晚了")


def test_a_rejection_needs_a_reason_and_never_takes_effect(policy, maker, persona):
    with pytest.raises(ValidationFailed) as caught:
        config_reject(obj=policy, actor=persona("carol"), note=" ")
    assert "note" in caught.value.fields
    rejected = config_reject(obj=policy, actor=persona("carol"), note="评分门槛过高")
    assert rejected.approval_state == "rejected"
    assert admission_policy_on(ON).version == "二手车零售准入 V1"  # the seeded default stays in force
    # Corrected and proposed again, it waits for a checker once more.
    rejected.min_bureau_score = 620
    again = config_propose(obj=rejected, actor=maker, changed=["min_bureau_score"])
    assert (again.approval_state, again.checked_by, again.review_note) == ("proposed", None, "")


def test_selectors_ignore_proposed_and_rejected_versions(maker, persona):
    """Products, the LPR, the pricing grid, term adjustments, chains and the stress rate: only approved rows."""
    carol = persona("carol")
    retail = Product.objects.get(code="UC-RETAIL")
    lpr_before = lpr_on(tenor="1y", on=ON)
    before = priced_rate(product=retail, risk_level="low", grade="A", term_months=24, on=ON)
    proposals = [
        AdmissionPolicyVersion(version="p", effective_on=dt.date(2027, 3, 1), stress_rate=D("0.2")),
        ApprovalChainVersion(version="c", effective_on=dt.date(2027, 3, 1)),
        LprRate(tenor="1y", effective_on=dt.date(2027, 3, 1), rate=D("0.090000")),
        SpreadRule(risk_level="low", grade="A", spread=D("0.050000"), effective_on=dt.date(2027, 3, 1)),
        TermAdjustment(min_term_months=1, max_term_months=60, adjustment=D("0.010000"), effective_on=ON),
    ]
    copy = Product.objects.get(code="UC-RETAIL")
    copy.pk, copy.effective_on, copy.max_amount = None, dt.date(2027, 3, 1), D("999999.00")
    proposals.append(copy)
    for index, row in enumerate(proposals):
        config_propose(obj=row, actor=maker)
        if index % 2:
            config_reject(obj=row, actor=carol, note="否")
    assert stress_rate_on(ON) == D("0.12")
    assert chain_on(ON).version == "built-in"
    assert lpr_on(tenor="1y", on=ON) == lpr_before
    assert priced_rate(product=retail, risk_level="low", grade="A", term_months=24, on=ON) == before
    assert product_for(code="UC-RETAIL", on=ON) == retail
    assert retail in products_in_force(on=ON)


def test_the_checker_sees_what_changes_against_the_version_in_force(maker):
    copy = Product.objects.get(code="UC-RETAIL")
    retail_pk, copy.pk, copy.effective_on, copy.max_amount = copy.pk, None, dt.date(2027, 4, 1), D("250000.00")
    proposal = config_propose(obj=copy, actor=maker)
    previous = previous_version(proposal)
    assert previous is not None
    assert previous.pk == retail_pk
    changed = [line for line in field_lines(proposal, previous) if line.changed]
    assert [line.value for line in changed] == ["2027-04-01", "250,000.00 元"]


def test_each_step_writes_an_audit_event_and_the_history_names_both_people(policy, maker, persona):
    config_approve(obj=policy, actor=persona("ivan"), note="同意")
    events = list(events_for(policy).order_by("id"))
    assert [(e.event_type, e.actor) for e in events] == [
        ("configuration.proposed", maker),
        ("configuration.approved", persona("ivan")),
    ]
    assert events[1].comment == "同意"
    history = list(policy.history.order_by("history_id"))
    assert [(h.approval_state, h.history_user) for h in history] == [("proposed", maker), ("approved", persona("ivan"))]


def test_pending_changes_lists_proposals_across_models(policy, maker):
    lpr = config_propose(obj=LprRate(tenor="5y", effective_on=dt.date(2027, 4, 1), rate=D("0.035")), actor=maker)
    assert pending_changes() == [policy, lpr]


def test_the_seeded_configuration_is_approved():
    """The data migration: what was in force before maker-checker stays in force."""
    assert not Product.objects.exclude(approval_state="approved").exists()
    assert not LprRate.objects.exclude(approval_state="approved").exists()
    assert not SpreadRule.objects.exclude(approval_state="approved").exists()
    assert product_for(code="UC-RETAIL", on=ON) is not None
