"""Fixtures of the contract tests: Alice's approved plan on a used car, and the reviewers of each stage."""

import pytest
from django.utils import translation

from creditdesk.accounts.choices import Role
from creditdesk.accounts.tests.factories import UserFactory
from creditdesk.lending import services as lending
from creditdesk.lending.decisions import plan_decide
from creditdesk.lending.tests.factories import rated_car_loan


@pytest.fixture(autouse=True)
def english():
    """Messages are checked in English, whatever the translations say."""
    with translation.override("en"):
        yield


@pytest.fixture
def bob(persona, alice):
    """The department head of Alice's department: the business review of her contracts is his."""
    user = persona("bob")
    user.org_unit = alice.org_unit
    user.save()
    return user


@pytest.fixture
def carol(persona):
    return persona("carol")


@pytest.fixture
def erin(persona):
    return persona("erin")


@pytest.fixture
def rater(db):
    return UserFactory(username="rhea", roles=[Role.RISK_OFFICER])


@pytest.fixture
def approved(alice, bob, carol, persona, rater, business_on):
    """`approved(**loan)` → Alice's service plan, approved through the three stages."""

    def make(**loan):
        application = rated_car_loan(alice, rater, **loan)
        plan = lending.plan_create(actor=alice, application=application)
        lending.plan_submit(actor=alice, plan=plan)
        plan_decide(actor=bob, plan=plan, outcome="approve", opinion="方案合理")
        plan_decide(actor=carol, plan=plan, outcome="approve", opinion="风险可控")
        plan_decide(actor=persona("dave"), plan=plan, outcome="approve", opinion="批准")
        plan.refresh_from_db()
        assert plan.status == "approved"
        return plan

    return make


@pytest.fixture
def headers(api_token):
    """`headers(user)` → the bearer-token header of that user for the API."""
    return lambda user: {"HTTP_AUTHORIZATION": f"Bearer {api_token(user)}"}
