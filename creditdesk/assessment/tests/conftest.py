import pytest

from creditdesk.assessment.tests.factories import make_car, make_individual


@pytest.fixture
def applicant(persona, business_on):
    """Alice's individual customer, complete for the data review, with a consent in force."""
    return make_individual(persona("alice"))


@pytest.fixture
def car(applicant, persona):
    return make_car(applicant, persona("alice"))
