"""The checkers' page of configuration changes (issue 11 item 3): pending proposals listed for risk officers and
the information administrator, on their home page too; approve or reject with a note; never one's own."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from creditdesk.accounts.configuration import config_propose
from creditdesk.accounts.tests.factories import UserFactory
from creditdesk.lending.models import Product, SpreadRule

pytestmark = pytest.mark.django_db

LIST = "/accounts/configuration/"


@pytest.fixture
def proposal(db):
    maker = UserFactory(username="root", full_name="孙悦", is_staff=True, is_superuser=True)
    copy = Product.objects.get(code="UC-RETAIL")
    copy.pk, copy.effective_on, copy.max_amount = None, dt.date(2027, 4, 1), D("250000.00")
    return config_propose(obj=copy, actor=maker)


def url_of(row) -> str:
    return f"/accounts/configuration/{row._meta.app_label}/{row._meta.model_name}/{row.pk}/"


def test_the_checker_sees_the_proposal_in_the_home_queue_and_the_list(login, persona, proposal, business_on):
    client = login(persona("carol"))
    queues = [q for q in client.get("/").context["queues"] if q.url == LIST]
    assert [q.count for q in queues] == [1]
    listing = client.get(LIST).content.decode()
    assert url_of(proposal) in listing
    assert "孙悦" in listing


def test_the_detail_shows_what_changes_and_the_checker_approves(login, persona, proposal, business_on):
    client = login(persona("ivan"))
    page = client.get(url_of(proposal))
    assert page.status_code == 200
    html = page.content.decode()
    assert "250,000.00 元" in html
    assert 'data-testid="review-form"' in html
    response = client.post(url_of(proposal), {"decision": "approve", "note": "同意上调"})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert (proposal.approval_state, proposal.checked_by, proposal.review_note) == (
        "approved",
        persona("ivan"),
        "同意上调",
    )
    assert url_of(proposal) not in client.get(LIST).content.decode()


def test_a_rejection_without_a_note_is_a_field_error(login, persona, proposal, business_on):
    response = login(persona("carol")).post(url_of(proposal), {"decision": "reject", "note": ""})
    assert response.status_code == 422
    assert response.context["form"].errors["note"]
    proposal.refresh_from_db()
    assert proposal.approval_state == "proposed"


def test_the_proposer_gets_no_decision_form_and_is_refused(login, persona, business_on):
    carol = persona("carol")
    row = config_propose(
        obj=SpreadRule(risk_level="low", grade="A", spread=D("0.02"), effective_on=dt.date(2027, 4, 1)), actor=carol
    )
    client = login(carol)
    assert 'data-testid="review-form"' not in client.get(url_of(row)).content.decode()
    response = client.post(url_of(row), {"decision": "approve", "note": ""})
    assert response.status_code == 422
    row.refresh_from_db()
    assert row.approval_state == "proposed"


def test_the_auditor_reads_but_cannot_decide(login, persona, proposal, business_on):
    client = login(persona("judy"))
    page = client.get(url_of(proposal))
    assert page.status_code == 200
    assert 'data-testid="review-form"' not in page.content.decode()
    assert client.post(url_of(proposal), {"decision": "approve"}).status_code == 404
    proposal.refresh_from_db()
    assert proposal.approval_state == "proposed"


@pytest.mark.parametrize("name", ["alice", "bob", "dave", "mallory", "outsider"])
def test_other_roles_are_refused(login, persona, proposal, business_on, name):
    client = login(persona(name))
    assert client.get(LIST).status_code == 403
    assert client.post(url_of(proposal), {"decision": "approve"}).status_code == 403


def test_a_page_for_anything_but_a_configuration_model_is_404(login, persona, business_on):
    assert (
        login(persona("carol")).get(f"/accounts/configuration/accounts/user/{persona('carol').pk}/").status_code == 404
    )
