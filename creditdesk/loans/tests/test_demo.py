"""The demo loan book (loans/demo.py): seeded through the services, consistent, idempotent, every story present."""

import importlib
import io

import pytest
from django.core.management import call_command

from creditdesk.accounts.choices import Role
from creditdesk.accounts.tests.factories import UserFactory
from creditdesk.core.dates import business_date
from creditdesk.lending import services as lending
from creditdesk.lending.models import ServicePlan
from creditdesk.lending.tests.factories import rated_car_loan
from creditdesk.loans import demo
from creditdesk.loans.ledger_check import differences
from creditdesk.loans.models import Instalment, Loan, Transaction

pytestmark = pytest.mark.django_db


def _overdue(loans):
    """Per active loan, how many instalments are past due and not (fully) paid."""
    today = business_date()
    return {
        loan.pk: sum(1 for line in loan.instalments.all() if line.due_on < today and line.unpaid_amount > 0)
        for loan in loans.filter(status="active")
    }


def _consistent():
    assert differences() == []
    call_command("check_ledger", stdout=io.StringIO())  # exits non-zero on a difference


@pytest.fixture
def demo_run(settings, business_on):
    settings.DEBUG = True
    from django.apps import apps

    importlib.import_module("creditdesk.lending.migrations.0002_default_products_lpr_and_grid").seed(apps, None)
    out = io.StringIO()
    call_command("demo", stdout=out)
    settings.DEBUG = False
    return out.getvalue()


def test_the_demo_opens_a_consistent_loan_book_once(demo_run, settings):
    approved = ServicePlan.objects.filter(status="approved").count()
    assert approved >= 1
    assert Loan.objects.count() == approved
    assert "Demo loans: " in demo_run
    # The demo's first loan is behind on its latest instalment.
    assert any(_overdue(Loan.objects.all()).values())
    if approved >= 2:
        assert Loan.objects.filter(status="settled").exists()
    assert Transaction.objects.filter(kind="repayment").exists()
    assert not Transaction.objects.filter(kind="repayment", value_on__gt=business_date()).exists()
    _consistent()
    before = Transaction.objects.count()
    out = io.StringIO()
    demo.seed(stdout=out)
    settings.DEBUG = True
    call_command("demo", stdout=io.StringIO())
    assert Loan.objects.count() == approved
    assert Transaction.objects.count() == before
    assert "demo loans not seeded" in out.getvalue()


@pytest.fixture
def book(persona, business_on):
    """Twelve approved plans, as many as the stories, and the finance demo user."""
    UserFactory(username="finance", roles=[Role.FINANCE])
    alice, carol = persona("alice"), persona("carol")
    for _ in range(len(demo.STORIES)):
        plan = lending.plan_create(actor=alice, application=rated_car_loan(alice, carol))
        ServicePlan.objects.filter(pk=plan.pk).update(status="approved")  # approval chains are lending's tests


def test_every_story_of_the_book_is_there(book):
    out = io.StringIO()
    demo.seed(stdout=out)
    today = business_date()
    loans = Loan.objects.all()
    assert loans.count() == len(demo.STORIES)
    assert loans.filter(status="settled").count() == 1
    settled = loans.get(status="settled")
    assert settled.start_on <= settled.settled_on <= today
    # Every amount of delinquency exists: 1, 2, 4 and 7 instalments past due, and the partial payers' one.
    overdue = _overdue(loans)
    assert {1, 2, 4, 7} <= set(overdue.values())
    assert sum(1 for count in overdue.values() if count == 0) >= 4  # most pay on time
    partly_paid = [
        line
        for line in Instalment.objects.filter(due_on__lt=today, loan__status="active")
        if 0 < line.unpaid_amount < line.total_amount
    ]
    assert partly_paid
    # The prepayer paid principal ahead of the schedule: less is outstanding than the next instalment opens with.
    ahead = [
        loan
        for loan in loans.filter(status="active")
        if loan.outstanding_principal_amount
        < loan.instalments.filter(due_on__gt=today).order_by("period")[0].opening_balance_amount
    ]
    assert len(ahead) == 1
    assert not Transaction.objects.filter(value_on__gt=today).exists()
    _consistent()
    lines = out.getvalue().strip().splitlines()
    assert len(lines) == 1, lines  # no plan stopped
    summary = lines[0]
    assert summary.startswith("Demo loans: 12 opened, ")
    assert "1 settled" in summary
    repayments = Transaction.objects.filter(kind="repayment").count()
    assert summary.endswith(f"; {repayments} repayments.")
    demo.seed(stdout=io.StringIO())
    assert Loan.objects.count() == len(demo.STORIES)
    assert Transaction.objects.filter(kind="repayment").count() == repayments


def test_no_finance_user_no_loans(persona, business_on):
    alice, carol = persona("alice"), persona("carol")
    plan = lending.plan_create(actor=alice, application=rated_car_loan(alice, carol))
    ServicePlan.objects.filter(pk=plan.pk).update(status="approved")
    demo.seed(stdout=io.StringIO())
    assert not Loan.objects.exists()
