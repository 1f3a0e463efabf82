"""Fixtures of the loan tests: an approved plan (the approval itself is lending's, tested there) and its loan."""

import pytest
from django.utils import translation

from creditdesk.lending import services as lending
from creditdesk.lending.models import ServicePlan
from creditdesk.lending.tests.factories import rated_car_loan
from creditdesk.loans.services import open_loan


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def frank(persona):
    return persona("frank")


@pytest.fixture
def approved_plan(persona, business_on):
    application = rated_car_loan(persona("alice"), persona("carol"))
    plan = lending.plan_create(actor=persona("alice"), application=application)
    ServicePlan.objects.filter(pk=plan.pk).update(status="approved")  # approval chains are lending's tests
    plan.refresh_from_db()
    return plan


@pytest.fixture
def loan(approved_plan, frank, business_on):
    return open_loan(plan=approved_plan, start_on=business_on, actor=frank)
