"""Co-borrowers (共同借款人), issue 11 item 9: added while the application is a draft, each under their own consent;
each has their own bureau query; their income and debt service count in debt-to-income as the policy says."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.utils import translation

from creditdesk.assessment import bureau, co_borrowers
from creditdesk.assessment import services as assessment
from creditdesk.assessment.models import AdmissionPolicyVersion, ApplicationCoBorrower, CreditQuery
from creditdesk.assessment.tests.factories import car_loan, make_car, make_company, make_individual
from creditdesk.core.audit import events_for
from creditdesk.core.errors import Conflict, InvalidTransition, NotFound, ValidationFailed
from creditdesk.customers.models import CreditAuthorization

D = Decimal
VERIFIED = {"identity_verified": True, "income_verified": True, "verification_notes": "身份证原件核对，收入与流水一致"}


class DebtsBureau:
    """A clean report for everyone, with the monthly debt service of each identifier as given."""

    def __init__(self, debts=None):
        self.debts = debts or {}
        self.queried = []

    def query(self, q: bureau.BureauQuery) -> bureau.BureauReport:
        bureau.check_query(q)
        self.queried.append((q.identifier, q.consent_reference))
        return bureau.BureauReport(
            score=720,
            delinquencies_24m=0,
            defaults=0,
            fraud_flag=False,
            current_debt_amount=D("0.00"),
            monthly_debt_service_amount=self.debts.get(q.identifier, D("0.00")),
            inquiries_6m=1,
            bad_records=(),
            raw={},
        )


@pytest.fixture(autouse=True)
def english():
    """Messages are checked in English (pages and the API set the cookie)."""
    with translation.override("en"):
        yield


@pytest.fixture
def alice(persona):
    return persona("alice")


@pytest.fixture
def carol(persona):
    return persona("carol")


@pytest.fixture
def application(alice, business_on):
    """A draft used-car application of an applicant earning 5,000.00 a month: alone, the instalment is too much."""
    customer = make_individual(alice, name="王五", monthly_income_amount=D("5000.00"))
    return assessment.application_create(
        actor=alice, customer=customer, vehicle=make_car(customer, alice), **car_loan()
    )


@pytest.fixture
def spouse(alice):
    return make_individual(alice, name="赵六", monthly_income_amount=D("5000.00"))


def dti_of(result):
    rule = next(r for r in result.admission["results"] if r["code"] == "ADM-2.debt_to_income")
    return rule["outcome"], rule["compared"]


def assess(application, carol, adapter):
    assessment.application_submit(actor=application.created_by, application=application)
    assessment.review_start(actor=carol, application=application)
    return assessment.assessment_run(actor=carol, application=application, adapter=adapter, **VERIFIED)


def test_a_co_borrower_is_added_with_their_own_consent(application, spouse, alice):
    row = co_borrowers.co_borrower_add(actor=alice, application=application, customer=spouse, relationship="配偶")
    assert (row.co_borrower, row.relationship) == (spouse, "配偶")
    assert row.consent == CreditAuthorization.objects.get(customer=spouse)
    assert events_for(application).filter(event_type="application.co_borrower_added").exists()
    with pytest.raises(Conflict) as caught:
        co_borrowers.co_borrower_add(actor=alice, application=application, customer=spouse, relationship="配偶")
    assert caught.value.code == "co_borrower_exists"


def test_a_co_borrower_without_consent_is_refused_on_the_field(application, alice):
    stranger = make_individual(alice, name="钱七", consent=False)
    with pytest.raises(ValidationFailed) as caught:
        co_borrowers.co_borrower_add(actor=alice, application=application, customer=stranger, relationship="配偶")
    assert list(caught.value.fields) == ["customer_id"]
    assert "consent" in caught.value.fields["customer_id"][0]


@pytest.mark.parametrize("who", ["applicant", "company", "guarantor"])
def test_the_applicant_a_company_or_a_guarantor_is_not_a_co_borrower(application, alice, who):
    if who == "applicant":
        customer = application.customer
    elif who == "company":
        customer = make_company(alice)
    else:
        customer = make_individual(alice, name="孙八")
        assessment.application_update(actor=alice, application=application, guarantors=[(customer, "父亲")])
    with pytest.raises(ValidationFailed) as caught:
        co_borrowers.co_borrower_add(actor=alice, application=application, customer=customer, relationship="配偶")
    assert list(caught.value.fields) == ["customer_id"]


def test_the_relationship_is_required(application, spouse, alice):
    with pytest.raises(ValidationFailed) as caught:
        co_borrowers.co_borrower_add(actor=alice, application=application, customer=spouse, relationship=" ")
    assert list(caught.value.fields) == ["relationship"]


def test_co_borrowers_change_only_while_the_application_is_a_draft(application, spouse, alice):
    co_borrowers.co_borrower_add(actor=alice, application=application, customer=spouse, relationship="配偶")
    assessment.application_submit(actor=alice, application=application)
    with pytest.raises(InvalidTransition):
        co_borrowers.co_borrower_remove(actor=alice, application=application, customer_id=spouse.pk)
    other = make_individual(alice, name="李九")
    with pytest.raises(InvalidTransition):
        co_borrowers.co_borrower_add(actor=alice, application=application, customer=other, relationship="兄弟")


def test_a_co_borrower_is_removed_from_a_draft(application, spouse, alice):
    co_borrowers.co_borrower_add(actor=alice, application=application, customer=spouse, relationship="配偶")
    co_borrowers.co_borrower_remove(actor=alice, application=application, customer_id=spouse.pk)
    assert not ApplicationCoBorrower.objects.exists()
    with pytest.raises(NotFound):
        co_borrowers.co_borrower_remove(actor=alice, application=application, customer_id=spouse.pk)


def test_alone_the_applicant_fails_debt_to_income(application, carol):
    outcome, compared = dti_of(assess(application, carol, DebtsBureau()))
    assert (outcome, compared["monthly_income_amount"]) == ("fail", "5000.00")


def test_the_co_borrowers_income_counts_in_debt_to_income(application, spouse, alice, carol):
    co_borrowers.co_borrower_add(actor=alice, application=application, customer=spouse, relationship="配偶")
    adapter = DebtsBureau()
    result = assess(application, carol, adapter)
    outcome, compared = dti_of(result)
    assert (outcome, compared["monthly_income_amount"]) == ("pass", "10000.00")
    assert [x["name"] for x in result.bureau_facts["co_borrowers"]] == ["赵六"]


def test_the_co_borrowers_debt_service_counts_too(application, spouse, alice, carol):
    co_borrowers.co_borrower_add(actor=alice, application=application, customer=spouse, relationship="配偶")
    outcome, compared = dti_of(assess(application, carol, DebtsBureau({spouse.id_number: D("3000.00")})))
    assert (outcome, compared["monthly_debt_service_amount"]) == ("fail", "3000.00")


def test_the_policy_may_count_the_applicant_alone(application, spouse, alice, carol):
    AdmissionPolicyVersion.objects.create(
        version="adm-2027.2",
        effective_on=dt.date(2027, 1, 1),
        co_borrower_income_counts=False,
        approval_state="approved",
    )
    co_borrowers.co_borrower_add(actor=alice, application=application, customer=spouse, relationship="配偶")
    result = assess(application, carol, DebtsBureau())
    assert dti_of(result)[0] == "fail"
    assert result.bureau_facts["co_borrowers"][0]["query_outcome"] == "report"  # still queried and shown


def test_each_co_borrower_is_queried_under_their_own_consent(application, spouse, alice, carol):
    co_borrowers.co_borrower_add(actor=alice, application=application, customer=spouse, relationship="配偶")
    adapter = DebtsBureau()
    assess(application, carol, adapter)
    consent = CreditAuthorization.objects.get(customer=spouse)
    assert (spouse.id_number, f"{consent.pk}:{consent.document_reference}") in adapter.queried
    logs = CreditQuery.objects.filter(application=application).order_by("id")
    assert [log.customer for log in logs] == [application.customer, spouse]
    assert logs[1].authorization == consent
    application.refresh_from_db()
    assert application.bureau_status == "report"  # the applicant's


def test_a_lapsed_co_borrower_consent_stops_the_assessment(application, spouse, alice, carol, business_on):
    co_borrowers.co_borrower_add(actor=alice, application=application, customer=spouse, relationship="配偶")
    CreditAuthorization.objects.filter(customer=spouse).update(revoked_on=business_on)
    with pytest.raises(Conflict) as caught:
        assess(application, carol, DebtsBureau())
    assert (caught.value.code, caught.value.details) == ("consent_missing", {"co_borrower": spouse.pk})
    assert CreditQuery.objects.filter(customer=spouse, outcome="refused").exists()
    application.refresh_from_db()
    assert application.status == "in_review"


@pytest.fixture
def call(client, api_token, settings):
    tokens = {}

    def do(user, method, path, body=None):
        if user.pk not in tokens:
            tokens[user.pk] = api_token(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client.generic(
            method,
            path,
            data=json.dumps(body) if body is not None else "",
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {tokens[user.pk]}",
        )

    return do


def test_the_api_adds_lists_and_removes_co_borrowers(call, application, spouse, alice):
    url = f"/api/v1/applications/{application.pk}/co-borrowers"
    created = call(alice, "POST", url, {"customer_id": spouse.pk, "relationship": "配偶"})
    assert created.status_code == 201, created.content
    assert (created.json()["name"], created.json()["relationship"]) == ("赵六", "配偶")
    assert created.json()["consent_reference"] == f"AUTH-{spouse.pk}"
    assert [x["customer_id"] for x in call(alice, "GET", url).json()] == [spouse.pk]
    detail = call(alice, "GET", f"/api/v1/applications/{application.pk}").json()
    assert detail["co_borrowers"] == [{"customer_id": spouse.pk, "name": "赵六", "relationship": "配偶"}]
    assert call(alice, "DELETE", f"{url}/{spouse.pk}").status_code == 204
    assert call(alice, "GET", url).json() == []


def test_the_api_refuses_a_co_borrower_out_of_scope_or_without_consent(call, application, alice, persona):
    url = f"/api/v1/applications/{application.pk}/co-borrowers"
    other = persona("bob")
    elsewhere = make_individual(other, name="外人")
    refused = call(alice, "POST", url, {"customer_id": elsewhere.pk, "relationship": "配偶"})
    assert refused.status_code == 404  # out of scope: not found, on the field
    assert "customer_id" in refused.json()["fields"]
    stranger = make_individual(alice, name="钱七", consent=False)
    refused = call(alice, "POST", url, {"customer_id": stranger.pk, "relationship": "配偶"})
    assert (refused.status_code, list(refused.json()["fields"])) == (422, ["customer_id"])
    assert call(alice, "POST", url, {"customer_id": stranger.pk}).status_code == 422


def _page(client, settings, user):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_the_application_page_finds_adds_and_removes_a_co_borrower(client, settings, application, spouse, alice):
    page = _page(client, settings, alice)
    url = f"/applications/{application.pk}/"
    found = page.get(url, {"co_q": "赵六"}).content.decode()
    assert 'data-testid="co-borrower-candidates"' in found
    assert "赵六" in found
    missing = page.post(f"{url}co-borrowers/add/", {"customer_id": spouse.pk, "relationship": ""})
    assert missing.status_code == 422
    assert "Give the relationship to the applicant" in missing.content.decode()
    added = page.post(f"{url}co-borrowers/add/", {"customer_id": spouse.pk, "relationship": "配偶"})
    assert added.status_code == 302
    shown = page.get(url).content.decode()
    assert shown.count('data-testid="co-borrower-row"') == 1
    assert f"AUTH-{spouse.pk}" in shown
    assert page.post(f"{url}co-borrowers/{spouse.pk}/remove/").status_code == 302
    assert not ApplicationCoBorrower.objects.exists()


def test_the_search_keeps_to_the_callers_scope(client, settings, application, alice, persona):
    make_individual(persona("bob"), name="外人")
    page = _page(client, settings, alice).get(f"/applications/{application.pk}/", {"co_q": "外人"}).content.decode()
    assert "No customer found in your scope." in page


def test_the_decision_page_and_the_plan_show_the_co_borrowers(client, settings, application, spouse, alice, carol):
    from creditdesk.lending import services as lending
    from creditdesk.lending.tests.factories import rate_application

    co_borrowers.co_borrower_add(actor=alice, application=application, customer=spouse, relationship="配偶")
    rate_application(application, carol, level="low")
    page = _page(client, settings, carol).get(f"/applications/{application.pk}/decision/").content.decode()
    assert 'data-testid="co-borrowers"' in page
    assert "赵六" in page
    plan = lending.plan_create(actor=alice, application=application)
    page = _page(client, settings, alice).get(f"/lending/plans/{plan.pk}/").content.decode()
    assert 'data-testid="co-borrowers"' in page
    assert "赵六" in page


def test_the_plan_api_names_the_co_borrowers(call, application, spouse, alice, carol):
    from creditdesk.lending import services as lending
    from creditdesk.lending.tests.factories import rate_application

    co_borrowers.co_borrower_add(actor=alice, application=application, customer=spouse, relationship="配偶")
    rate_application(application, carol, level="low")
    plan = lending.plan_create(actor=alice, application=application)
    body = call(alice, "GET", f"/api/v1/plans/{plan.pk}").json()
    assert body["co_borrowers"] == [{"customer_id": spouse.pk, "name": "赵六", "relationship": "配偶"}]


def _plan_dti_failures(application, result):
    from creditdesk.assessment import recheck

    failed = recheck.plan_failures(
        application=application,
        assessment=result,
        principal_amount=D("105000.00"),
        price_amount=D("150000.00"),
        term_months=36,
        method="equal_instalment",
        annual_rate=D("0.089000"),
        on=result.business_on,
    )
    return [f for f in failed if f["code"] == "ADM-2.debt_to_income"]


def test_a_plan_re_runs_debt_to_income_with_the_co_borrowers(application, spouse, alice, carol):
    """The plan's admission re-check reads the household the assessment gathered, not the applicant alone."""
    co_borrowers.co_borrower_add(actor=alice, application=application, customer=spouse, relationship="配偶")
    result = assess(application, carol, DebtsBureau())
    assert dti_of(result)[0] == "pass"
    assert _plan_dti_failures(application, result) == []


def test_a_plan_re_run_counts_the_co_borrowers_debt_service_too(application, spouse, alice, carol):
    co_borrowers.co_borrower_add(actor=alice, application=application, customer=spouse, relationship="配偶")
    result = assess(application, carol, DebtsBureau({spouse.id_number: D("3000.00")}))
    [plan_rule] = [f for f in _plan_dti_failures(application, result) if f["stage"] == "plan"]
    assert plan_rule["compared"]["monthly_income_amount"] == "10000.00"
    assert plan_rule["compared"]["monthly_debt_service_amount"] == "3000.00"
