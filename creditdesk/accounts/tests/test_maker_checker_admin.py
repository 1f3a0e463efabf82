"""Maker-checker in the admin (issue 11 item 3): saving proposes, a different authorised person approves or rejects,
approved versions are read-only, the list shows who proposed and who decided."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.test import Client

from creditdesk.accounts.configuration import config_approve, config_propose
from creditdesk.accounts.tests.factories import UserFactory
from creditdesk.accounts.tests.otp import sign_in
from creditdesk.lending.models import LprRate
from creditdesk.lending.selectors import lpr_on

pytestmark = pytest.mark.django_db

ADD = "/admin/lending/lprrate/add/"
ON = dt.date(2027, 3, 15)


@pytest.fixture
def maker(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.fixture
def checker(db):
    """A second administrator who is also a risk officer: the one who may approve in the admin."""
    return UserFactory(username="checker", is_staff=True, is_superuser=True, roles=["risk_officer"])


def client_for(user) -> Client:
    return sign_in(Client(), user)


def test_saving_in_the_admin_proposes_and_the_proposal_is_not_in_force(maker, business_on):
    before = lpr_on(tenor="1y", on=ON)
    response = client_for(maker).post(ADD, {"tenor": "1y", "effective_on": "2027-03-01", "rate": "0.045"})
    assert response.status_code == 302, response.content
    row = LprRate.objects.get(effective_on=dt.date(2027, 3, 1), tenor="1y")
    assert (row.approval_state, row.proposed_by) == ("proposed", maker)
    assert lpr_on(tenor="1y", on=ON) == before


def test_the_proposer_cannot_approve_in_the_admin_and_a_checker_can(maker, checker, business_on):
    row = config_propose(obj=LprRate(tenor="1y", effective_on=dt.date(2027, 3, 1), rate=D("0.045")), actor=checker)
    url = f"/admin/lending/lprrate/{row.pk}/review/"
    # The proposer (a risk officer too) and a superuser without the permission are both refused.
    client_for(checker).post(url, {"decision": "approve"})
    client_for(maker).post(url, {"decision": "approve"})
    row.refresh_from_db()
    assert row.approval_state == "proposed"
    row = config_propose(obj=row, actor=maker)  # the administrator corrects it: now the maker is root
    page = client_for(checker).get(f"/admin/lending/lprrate/{row.pk}/change/")
    assert 'value="approve"' in page.content.decode()
    response = client_for(checker).post(url, {"decision": "approve", "note": "按人民银行公告"})
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.approval_state, row.checked_by, row.review_note) == ("approved", checker, "按人民银行公告")
    assert lpr_on(tenor="1y", on=ON) == D("0.045000")


def test_an_approved_version_is_read_only_in_the_admin(maker, checker, business_on):
    row = config_propose(obj=LprRate(tenor="5y", effective_on=dt.date(2027, 3, 1), rate=D("0.039")), actor=maker)
    row = config_approve(obj=row, actor=checker)
    client = client_for(maker)
    page = client.get(f"/admin/lending/lprrate/{row.pk}/change/")
    assert page.status_code == 200
    assert 'name="rate"' not in page.content.decode()  # no input: read-only
    assert f"?from={row.pk}" in page.content.decode()  # "make a new version from this one"
    refused = client.post(f"/admin/lending/lprrate/{row.pk}/change/", {"tenor": row.tenor, "rate": "0.01"})
    assert refused.status_code == 403
    assert client.post(f"/admin/lending/lprrate/{row.pk}/delete/", {"post": "yes"}).status_code == 403
    history = row.history.first()
    revert = client.post(f"/admin/lending/lprrate/{row.pk}/history/{history.history_id}/", {"rate": "0.01"})
    assert revert.status_code == 403
    assert LprRate.objects.get(pk=row.pk).rate == row.rate


def test_a_new_version_starts_from_the_approved_one(maker, business_on):
    row = LprRate.objects.approved().first()
    form = client_for(maker).get(f"{ADD}?from={row.pk}").context["adminform"].form
    assert form.initial["tenor"] == row.tenor
    assert form.initial["rate"] == row.rate


def test_the_list_shows_state_proposer_and_checker_and_rejects_with_a_reason(maker, checker, business_on):
    row = config_propose(obj=LprRate(tenor="5y", effective_on=dt.date(2027, 3, 1), rate=D("0.039")), actor=maker)
    client = client_for(checker)
    listing = client.get("/admin/lending/lprrate/?approval_state__exact=proposed").content.decode()
    assert str(maker) in listing
    assert "delete_selected" not in listing
    action = {"action": "reject_selected", "_selected_action": [row.pk]}
    asked = client.post("/admin/lending/lprrate/", action)
    assert asked.status_code == 200
    assert "note" in asked.content.decode()
    client.post("/admin/lending/lprrate/", {**action, "confirm": "1", "note": ""})
    row.refresh_from_db()
    assert row.approval_state == "proposed"
    client.post("/admin/lending/lprrate/", {**action, "confirm": "1", "note": "利率有误"})
    row.refresh_from_db()
    assert (row.approval_state, row.checked_by, row.review_note) == ("rejected", checker, "利率有误")


def test_the_approve_action_approves_only_others_proposals(maker, checker, business_on):
    mine = config_propose(obj=LprRate(tenor="5y", effective_on=dt.date(2027, 3, 2), rate=D("0.039")), actor=checker)
    theirs = config_propose(obj=LprRate(tenor="5y", effective_on=dt.date(2027, 3, 1), rate=D("0.039")), actor=maker)
    client_for(checker).post(
        "/admin/lending/lprrate/", {"action": "approve_selected", "_selected_action": [mine.pk, theirs.pk]}
    )
    assert LprRate.objects.get(pk=mine.pk).approval_state == "proposed"
    assert LprRate.objects.get(pk=theirs.pk).approval_state == "approved"
