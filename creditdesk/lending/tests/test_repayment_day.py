"""Due dates after a month-end start (issue 11 item 7): anchored on the repayment day, clamped per month; a
product may fix the repayment day (1–28) and count a broken first period by actual days / 360."""

import datetime as dt
from decimal import Decimal

import pytest

from creditdesk.core.errors import ValidationFailed
from creditdesk.core.services import set_business_date
from creditdesk.lending.models import Product
from creditdesk.lending.schedule import FirstPeriod, Method, build_schedule, repayment_dates
from creditdesk.lending.selectors import schedule_of

D = Decimal
JAN_31 = dt.date(2027, 1, 31)


def schedule(start_on=JAN_31, **kwargs):
    values = {
        "principal_amount": D("60000.00"),
        "annual_rate": D("0.068"),
        "term_months": 6,
        "method": Method.EQUAL_INSTALMENT,
        "start_on": start_on,
        **kwargs,
    }
    return build_schedule(**values)


def due(result):
    return [line.due_on.isoformat() for line in result.instalments]


def test_a_month_end_start_keeps_its_repayment_day_issue_11_item_7():
    """Issue 11 item 7: start 2027-01-31 → 02-28, 03-31, 04-30 (not 02-28, 03-28, 04-28)."""
    assert due(schedule()) == ["2027-02-28", "2027-03-31", "2027-04-30", "2027-05-31", "2027-06-30", "2027-07-31"]


def test_a_chosen_month_end_first_due_date_stands_for_the_starts_day():
    """Issue 11 item 7: start 01-31 with first due 02-28 (its month's end) keeps the 31st."""
    assert due(schedule(first_due_on=dt.date(2027, 2, 28)))[:3] == ["2027-02-28", "2027-03-31", "2027-04-30"]


def test_a_fixed_repayment_day_gives_every_due_date_issue_11_item_7():
    """Issue 11 item 7: the product fixes the 15th: start 01-31 → 02-15, 03-15, …"""
    assert due(schedule(repayment_day=15))[:3] == ["2027-02-15", "2027-03-15", "2027-04-15"]
    assert repayment_dates(start_on=dt.date(2027, 11, 30), count=3) == [
        dt.date(2027, 12, 30),
        dt.date(2028, 1, 30),
        dt.date(2028, 2, 29),
    ]


def test_a_broken_first_period_counts_a_full_month_by_default_issue_11_item_7():
    """Issue 11 item 7: 15 days to the 15th still pay one month's interest (60,000 × 6.8 % / 12 = 340.00)."""
    regular = schedule()
    broken = schedule(repayment_day=15)
    assert broken.instalments[0].interest_amount == regular.instalments[0].interest_amount == D("340.00")
    assert [line.total_amount for line in broken.instalments] == [line.total_amount for line in regular.instalments]


def test_a_product_may_count_a_broken_first_period_by_actual_days_over_360_issue_11_item_7():
    """Issue 11 item 7: 2027-01-31 → 02-15 is 15 days: 60,000 × 6.8 % × 15 / 360 = 170.00 of interest; the
    principal parts stay those of the regular plan, later instalments are unchanged."""
    full = schedule(repayment_day=15)
    actual = schedule(repayment_day=15, first_period=FirstPeriod.ACTUAL_360)
    assert actual.instalments[0].interest_amount == D("170.00")
    assert actual.instalments[0].total_amount == full.instalments[0].total_amount - D("170.00")
    assert [line.principal_amount for line in actual.instalments] == [
        line.principal_amount for line in full.instalments
    ]
    assert actual.instalments[1:] == full.instalments[1:]
    assert actual.total_principal_amount == D("60000.00")
    longer = schedule(first_due_on=dt.date(2027, 3, 31), first_period="actual_360")  # 59 days
    assert longer.instalments[0].interest_amount == D("668.67")  # 60,000 × 0.068 × 59 / 360 = 668.666…


def test_a_regular_first_month_is_not_a_broken_period():
    """Issue 11 item 7: start 01-31, first due 02-28 is one calendar month: no day count, whatever the product."""
    assert schedule(first_period=FirstPeriod.ACTUAL_360) == schedule()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"first_due_on": JAN_31}, "first_due_on"),
        ({"first_due_on": dt.date(2028, 2, 29)}, "first_due_on"),  # more than a year after the start
        ({"repayment_day": 29}, "repayment_day"),
        ({"repayment_day": 0}, "repayment_day"),
        ({"repayment_day": 15, "first_due_on": dt.date(2027, 2, 16)}, "first_due_on"),
        ({"first_period": "actual_365"}, "first_period"),
    ],
)
def test_impossible_dates_are_refused_naming_the_field(changes, field):
    """Issue 11 item 7."""
    with pytest.raises(ValidationFailed) as excinfo:
        schedule(**changes)
    assert list(excinfo.value.fields) == [field]


# --- Through the API and the plans -------------------------------------------------------------------------------


@pytest.fixture
def post(post_quote):
    return post_quote


LOAN = {"principal_amount": "60000.00", "annual_rate": "0.068", "term_months": 6, "method": "equal_instalment"}


@pytest.mark.django_db
def test_a_quote_takes_the_planned_disbursement_date_issue_11_item_7(post):
    """Issue 11 item 7 (and the acceptance check "a month-end start keeps its repayment day")."""
    body = post({**LOAN, "start_on": "2027-01-31"}).json()
    assert body["start_on"] == "2027-01-31"
    assert [r["due_on"] for r in body["instalments"]][:3] == ["2027-02-28", "2027-03-31", "2027-04-30"]
    default = post(LOAN).json()  # the business date, 2027-03-15
    assert (default["start_on"], default["instalments"][0]["due_on"]) == ("2027-03-15", "2027-04-15")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"start_on": "2032-03-16"}, "start_on"),  # more than five years ahead
        ({"start_on": "2027-02-31"}, "start_on"),
        ({"start_on": "2027-04-30", "first_due_on": "2027-04-30"}, "first_due_on"),
    ],
)
def test_a_bad_start_date_names_the_field(post, body, field):
    """Issue 11 item 7: 4xx with the field, never a 500."""
    response = post({**LOAN, **body})
    assert response.status_code == 422, response.content
    assert field in response.json()["fields"]


@pytest.mark.django_db
def test_a_products_repayment_day_and_first_period_apply_to_quotes_issue_11_item_7(post):
    """Issue 11 item 7: a product with the 15th as repayment day and actual/360 for the broken first period."""
    product = Product.objects.get(code="UC-RETAIL")
    product.pk = None
    product.code, product.repayment_day, product.first_period = "UC-DAY15", 15, "actual_360"
    product.save()
    quote = {**LOAN, "product": "UC-DAY15", "principal_amount": "60000.00", "term_months": 12, "start_on": "2027-03-31"}
    body = post({**quote, "annual_rate": "0.072"}).json()
    assert [r["due_on"] for r in body["instalments"]][:2] == ["2027-04-15", "2027-05-15"]
    assert body["instalments"][0]["interest_amount"] == "180.00"  # 60,000 × 7.2 % × 15 / 360
    assert body["instalments"][1]["interest_amount"] != "180.00"
    refused = post({**quote, "annual_rate": "0.072", "first_due_on": "2027-04-30"})
    assert refused.status_code == 422
    assert "first_due_on" in refused.json()["fields"]


@pytest.mark.django_db
def test_a_plan_made_on_a_month_end_keeps_the_repayment_day_issue_11_item_7(draft, business_on):
    """Issue 11 item 7: a plan prepared on 2027-05-31 is due 06-30, 07-31, 08-31 (not 06-30, 07-30, 08-30)."""
    set_business_date(on=dt.date(2027, 5, 31))
    plan = draft()
    assert plan.start_on == dt.date(2027, 5, 31)
    assert plan.first_due_on == dt.date(2027, 6, 30)
    assert [line.due_on for line in schedule_of(plan).instalments][:3] == [
        dt.date(2027, 6, 30),
        dt.date(2027, 7, 31),
        dt.date(2027, 8, 31),
    ]
