"""Fixtures of the plan and approval tests: a team in one department and rated applications to plan on."""

import pytest
from django.utils import translation

from creditdesk.accounts.choices import Role
from creditdesk.accounts.tests.factories import UserFactory
from creditdesk.lending import services
from creditdesk.lending.models import CreditCommittee
from creditdesk.lending.tests.factories import rated_car_loan


@pytest.fixture(autouse=True)
def english():
    """Messages are checked in English, whatever the translations say (pages and the API set the cookie)."""
    with translation.override("en"):
        yield


@pytest.fixture
def bob(persona, alice):
    """The department head of Alice's department: her customers are in his scope."""
    user = persona("bob")
    user.org_unit = alice.org_unit
    user.save()
    return user


@pytest.fixture
def carol(persona):
    return persona("carol")


@pytest.fixture
def dave(persona):
    return persona("dave")


@pytest.fixture
def committee(dave, db):
    """The credit committee (贷审会) of three named approvers: dave, erik and fay (M = 3, N = 2)."""
    members = [
        dave,
        UserFactory(username="erik", roles=[Role.APPROVER]),
        UserFactory(username="fay", roles=[Role.APPROVER]),
    ]
    CreditCommittee.objects.create(name="授信审批委员会", quorum=2).members.set(members)
    return members


@pytest.fixture
def rater(db):
    """The risk officer who rates the applications: not carol, who takes the plans' risk review (审贷分离)."""
    return UserFactory(username="rhea", roles=[Role.RISK_OFFICER])


@pytest.fixture
def rated(alice, rater, business_on):
    """`rated(level="low", grade="B", **loan)` → a rated car-loan application of Alice's customer."""

    def make(level="low", grade="B", **loan):
        return rated_car_loan(alice, rater, level=level, grade=grade, **loan)

    return make


@pytest.fixture
def draft(rated, alice):
    """`draft(level="low", grade="B", **overrides)` → Alice's draft plan on a fresh rated application."""

    def make(level="low", grade="B", **overrides):
        return services.plan_create(actor=alice, application=rated(level, grade), **overrides)

    return make


@pytest.fixture
def alice_headers(api_token, persona):
    """The bearer-token header of Alice (sales) for the API."""
    return {"HTTP_AUTHORIZATION": f"Bearer {api_token(persona('alice'))}"}


@pytest.fixture
def post_quote(client, alice_headers, business_on):
    """`post_quote(body)` → the response of POST /api/v1/quotes as Alice."""
    return lambda body: client.post("/api/v1/quotes", body, content_type="application/json", **alice_headers)
