"""No deduction from principal (issue 11 item 6; Civil Code Art. 670, 九民纪要 §51): the whole principal is paid
to the payee, every one-off fee is a separate charge with its own due date, shown as such, and counted in the APR."""

import datetime as dt
from decimal import Decimal

import pytest

from creditdesk.lending.apr import schedule_apr
from creditdesk.lending.fees import Fee, FeeDue, FeeKind, one_off_fees
from creditdesk.lending.models import Product
from creditdesk.lending.schedule import Method, build_schedule

D = Decimal
START = dt.date(2027, 3, 15)
RETAIL = {
    "product": "UC-RETAIL",
    "price_amount": "150000.00",
    "down_payment_amount": "45000.00",
    "term_months": 36,
    "method": "equal_instalment",
    "risk_level": "low",
    "grade": "A",
}


def test_one_off_fees_are_separate_charges_on_the_disbursement_date_issue_11_item_6():
    """Issue 11 item 6: 1 % service fee of 105,000.00, GPS 800.00, registration 300.00, each its own charge."""
    fees = one_off_fees(
        principal_amount=D("105000.00"),
        service_fee_rate=D("0.01"),
        gps_fee_amount=D("800.00"),
        registration_fee_amount=D("300.00"),
        start_on=START,
        first_due_on=dt.date(2027, 4, 15),
    )
    assert fees == (
        Fee(FeeKind.SERVICE, D("1050.00"), 0, START),
        Fee(FeeKind.GPS, D("800.00"), 0, START),
        Fee(FeeKind.REGISTRATION, D("300.00"), 0, START),
    )
    later = one_off_fees(
        principal_amount=D("105000.00"),
        service_fee_rate=D("0.01"),
        due=FeeDue.WITH_FIRST_INSTALMENT,
        start_on=START,
        first_due_on=dt.date(2027, 4, 15),
    )
    assert later == (Fee(FeeKind.SERVICE, D("1050.00"), 1, dt.date(2027, 4, 15)),)


def test_the_apr_counts_every_one_off_fee_issue_11_item_6():
    """Issue 11 item 6 / PBoC 〔2021〕No.3: GPS and registration fees raise the APR like the service fee does."""
    loan = build_schedule(
        principal_amount=D("105000.00"),
        annual_rate=D("0.055"),
        term_months=36,
        method=Method.EQUAL_INSTALMENT,
        start_on=START,
    )
    service = [Fee(FeeKind.SERVICE, D("1050.00"), 0, START)]
    every = [*service, Fee(FeeKind.GPS, D("800.00"), 0, START), Fee(FeeKind.REGISTRATION, D("300.00"), 0, START)]
    assert schedule_apr(loan).nominal_rate < schedule_apr(loan, fees=service).nominal_rate
    assert schedule_apr(loan, fees=service).nominal_rate < schedule_apr(loan, fees=every).nominal_rate


# --- Quotes, plans, the API and the pages ---------------------------------------------------------------------


@pytest.fixture
def post(post_quote):
    return post_quote


@pytest.fixture
def headers(alice_headers):
    return alice_headers


@pytest.fixture
def fee_product(db):
    """UC-RETAIL with a GPS fee and a registration fee as well, as product UC-FEES."""

    def make(**changes):
        product = Product.objects.get(code="UC-RETAIL")
        product.pk = None
        product.code, product.gps_fee_amount, product.registration_fee_amount = "UC-FEES", D("800.00"), D("300.00")
        for name, value in changes.items():
            setattr(product, name, value)
        product.save()
        return product

    return make


@pytest.mark.django_db
def test_a_quote_pays_out_the_whole_principal_and_lists_the_fee_issue_11_item_6(post):
    """Issue 11 item 6: net payout = principal; the 1 % service fee is a separate charge due on the start date.
    The APR is what it was (a fee due on the disbursement date is the same cash flow as one deducted)."""
    body = post(RETAIL).json()
    assert body["principal_amount"] == body["net_payout_amount"] == "105000.00"
    assert body["fees"] == [{"kind": "service_fee", "amount": "1050.00", "due_on": "2027-03-15"}]
    assert body["upfront_fee_amount"] == "1050.00"
    assert body["instalments"][0]["fee_amount"] == "0.00"  # not folded into an instalment
    assert D(body["apr"]["nominal_rate"]) > D(body["annual_rate"])


@pytest.mark.django_db
def test_a_quote_counts_gps_and_registration_fees_in_the_apr_issue_11_item_6(post, fee_product):
    """Issue 11 item 6: every fee the borrower pays for the loan is in the APR, each listed with its due date."""
    fee_product()
    plain = post(RETAIL).json()
    body = post({**RETAIL, "product": "UC-FEES"}).json()
    assert [(f["kind"], f["amount"]) for f in body["fees"]] == [
        ("service_fee", "1050.00"),
        ("gps_fee", "800.00"),
        ("registration_fee", "300.00"),
    ]
    assert body["upfront_fee_amount"] == "2150.00"
    assert body["net_payout_amount"] == "105000.00"
    assert D(body["apr"]["nominal_rate"]) > D(plain["apr"]["nominal_rate"])


@pytest.mark.django_db
def test_fees_due_with_the_first_instalment_are_dated_and_cost_less_issue_11_item_6(post, fee_product):
    """Issue 11 item 6: the fee's own due date counts: paid a month later, the same fees cost a little less."""
    fee_product(code="UC-LATER", fees_due="with_first_instalment")
    fee_product()
    now = post({**RETAIL, "product": "UC-FEES"}).json()
    later = post({**RETAIL, "product": "UC-LATER"}).json()
    assert {f["due_on"] for f in later["fees"]} == {later["instalments"][0]["due_on"]} == {"2027-04-15"}
    assert D(later["apr"]["nominal_rate"]) < D(now["apr"]["nominal_rate"])


@pytest.mark.django_db
def test_a_plan_pays_out_the_principal_and_keeps_its_fees_issue_11_item_6(draft, client, headers, business_on):
    """Issue 11 item 6: the plan stores the fee as a charge, the API and the page show net payout = principal."""
    plan = draft()
    assert plan.net_payout_amount == plan.principal_amount == D("105000.00")
    assert plan.fees == [{"kind": "service_fee", "amount": "1050.00", "period": 0, "due_on": "2027-03-15"}]
    assert plan.revisions.get().values["fees"] == plan.fees

    body = client.get(f"/api/v1/plans/{plan.pk}", **headers).json()
    assert body["net_payout_amount"] == "105000.00"
    assert body["fees"] == [{"kind": "service_fee", "amount": "1050.00", "due_on": "2027-03-15"}]

    client.force_login(plan.prepared_by)
    html = client.get(f"/lending/plans/{plan.pk}/").content.decode()
    assert 'data-testid="net-payout"' in html
    assert html.count('data-testid="fee-row"') == 1
    assert "2027-03-15" in html


@pytest.mark.django_db
def test_the_calculator_shows_the_fee_as_a_separate_charge_issue_11_item_6(client, persona, business_on):
    """Issue 11 item 6: the quote page lists the service fee as its own row, dated the disbursement date."""
    client.force_login(persona("alice"))
    html = client.post("/lending/quote/", {**RETAIL, "term_months": "36"}, HTTP_HX_REQUEST="true").content.decode()
    assert 'data-testid="net-payout"' in html
    assert html.count('data-testid="fee-row"') == 1
    assert html.count("<tr") == 1 + 1 + 36  # header, the fee, 36 instalments
