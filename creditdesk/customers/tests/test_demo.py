"""`creditdesk demo` seeds a realistic book of customers through the real services, once (INFO-1, INFO-2, INFO-4)."""

import io
from collections import Counter

import pytest
from django.core.management import call_command

from creditdesk.core.crypto import blind_index
from creditdesk.core.identifiers import parse_credit_code, parse_resident_id
from creditdesk.customers import demo
from creditdesk.customers.choices import CustomerKind, Grade
from creditdesk.customers.models import CreditAuthorization, Customer, FinancialStatement, GradeChange, Lead

pytestmark = pytest.mark.django_db


def run_demo() -> str:
    out = io.StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def test_demo_seeds_a_book_of_valid_customers_owned_by_the_demo_sales_staff_once(settings, business_on):
    """One test with several checks: seeding takes a few seconds, so it runs once (plus the idempotent re-run)."""
    settings.DEBUG = True
    assert "Demo customers: 160 individuals and 40 companies" in run_demo()

    # Converted demo leads add individuals of their own; the book proper is the planned 160 + 40.
    converted = Customer.objects.filter(leads__isnull=False)
    booked = Customer.objects.filter(leads__isnull=True)
    kinds = Counter(booked.values_list("kind", flat=True))
    assert kinds == {CustomerKind.INDIVIDUAL: demo.INDIVIDUALS, CustomerKind.COMPANY: demo.COMPANIES}
    # ACQ-1/2: about 300 leads at every stage, the converted ones linked to their customer.
    statuses = Counter(Lead.objects.values_list("status", flat=True))
    assert sum(statuses.values()) == demo.LEADS
    assert set(statuses) == {"new", "contacted", "qualified", "lost", "converted"}
    assert converted.count() == statuses["converted"]
    # INFO-5: every company has two years of statements.
    assert FinancialStatement.objects.count() == 2 * demo.COMPANIES
    owners = set(Customer.objects.values_list("owner__username", "org_unit__code"))
    assert owners == {("sales", "SH-RETAIL"), ("sales2", "BJ-RETAIL")}
    assert len(set(Customer.objects.values_list("channel", flat=True))) == 4
    # ACQ-2: a referred customer names where they came from.
    for channel, field in demo.ATTRIBUTION_FIELD.items():
        assert not Customer.objects.filter(channel=channel, **{f"{field}__isnull": True}).exists(), channel
    # CLASS-4: grades spread, B most common, every change away from the starting B kept in the history.
    grades = Counter(booked.values_list("grade", flat=True))
    assert set(grades) == set(Grade.values)
    assert grades.most_common(1)[0][0] == Grade.B
    assert GradeChange.objects.count() == demo.INDIVIDUALS + demo.COMPANIES - grades[Grade.B]

    # INFO-2, INFO-4, ACQ-2: every identifier is valid, known to python-stdnum's region table, and unique.
    individuals = list(booked.filter(kind=CustomerKind.INDIVIDUAL))
    companies = list(booked.filter(kind=CustomerKind.COMPANY))
    assert len({c.id_number for c in individuals}) == demo.INDIVIDUALS
    assert len({c.credit_code for c in companies}) == demo.COMPANIES
    for customer in individuals:
        resident = parse_resident_id(customer.id_number, today=business_on)
        assert not resident.warnings, customer.id_number
        assert (customer.gender, customer.birth_on) == (resident.sex, resident.birth_on)
        assert customer.mobile
        assert customer.monthly_income_amount > 0
    assert all(not parse_resident_id(c.id_number, today=business_on).warnings for c in converted)
    for customer in companies:
        assert not parse_credit_code(customer.credit_code).warnings, customer.credit_code
        assert not parse_resident_id(customer.legal_representative_id_number, today=business_on).warnings
        assert customer.established_on < business_on
    # Stored the real way: the blind index finds a customer by its ID number.
    assert Customer.objects.get(id_number_index=blind_index("id_number", individuals[0].id_number)) == individuals[0]

    # About 70 % signed a credit-report authorization within the last year, in force on the business date.
    authorizations = CreditAuthorization.objects.all()
    assert 120 <= authorizations.count() <= 160
    assert authorizations.values("customer").distinct().count() == authorizations.count()
    assert all(a.in_force_on(business_on) for a in authorizations)

    # Idempotent: a second run leaves the book alone.
    counts = (Customer.objects.count(), CreditAuthorization.objects.count(), GradeChange.objects.count())
    assert "demo customers not seeded" in run_demo()
    assert (Customer.objects.count(), CreditAuthorization.objects.count(), GradeChange.objects.count()) == counts
