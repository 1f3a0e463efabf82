"""Writes of the assessment app: applications and their transitions, data review, bureau queries, assessments.

One transaction per call; every transition checks the role and the state, writes an audit event with the actor
and comment, and leaves nothing half-written. Two things are kept even when the call then fails, because the
law or the reviewer needs them: the data review that stopped an assessment, and the log row of a credit query
that was refused or failed (征信业管理条例: every query is recorded).
"""

from __future__ import annotations

import dataclasses
import json
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from creditdesk.accounts.permissions import Perm
from creditdesk.accounts.scoping import require_perm
from creditdesk.assessment import bureau, catalogue, checklist, co_borrowers, engine, rules, selectors
from creditdesk.assessment.choices import ApplicationStatus, QueryOutcome, RatingDecision
from creditdesk.assessment.models import (
    ApplicationGuarantor,
    Assessment,
    CreditQuery,
    DataReview,
    LoanApplication,
)
from creditdesk.core.audit import record_event
from creditdesk.core.dates import business_date
from creditdesk.core.errors import (
    Conflict,
    InvalidTransition,
    ServiceUnavailable,
    ValidationFailed,
)
from creditdesk.core.months import add_months
from creditdesk.customers.models import Customer
from creditdesk.customers.selectors import authorization_in_force
from creditdesk.vehicles.models import Vehicle
from creditdesk.vehicles.selectors import latest_valuation
from creditdesk.vehicles.valuation import vehicle_age_months

BUREAU_ADAPTER = "simulator"
QUERY_PURPOSE = "loan_approval"
LEVELS = ("low", "medium", "high")
APPLICATION_FIELDS = (
    "vehicle",
    "product_code",
    "price_amount",
    "down_payment_amount",
    "requested_amount",
    "term_months",
    "repayment_method",
    "purpose",
    "bank_account",
)


def _wrong_state(application: LoanApplication, action: str) -> InvalidTransition:
    return InvalidTransition(
        _("The application is %(status)s: it cannot be %(action)s now.")
        % {"status": application.get_status_display(), "action": action},
        details={"status": application.status},
    )


def _locked(application: LoanApplication) -> LoanApplication:
    """The application re-read under a row lock, so two concurrent transitions cannot both pass the state check."""
    return (
        LoanApplication.objects.select_for_update(of=("self",))
        .select_related("customer", "vehicle")
        .get(pk=application.pk)
    )


def _audit(actor: Any, application: LoanApplication, event: str, comment: str = "", **payload: Any) -> None:
    record_event(actor=actor, subject=application, event_type=event, payload=payload, comment=comment)


# --- applications ----------------------------------------------------------------------------------------------


def _validate(customer: Customer, values: dict[str, Any]) -> dict[str, Any]:
    """Field rules of an application; every broken rule is reported at once, by field name."""
    errors: dict[str, list[str]] = {}
    today = business_date()
    product = catalogue.product_on(values.get("product_code") or "", today)
    if product is None:
        errors["product_code"] = [_("No such product in force.")]
    elif product.customer_kind != customer.kind:
        errors["product_code"] = [_("This product is not offered to this kind of customer.")]
    vehicle = values.get("vehicle")
    if vehicle is not None and vehicle.customer_id != customer.pk:
        errors["vehicle"] = [_("The vehicle belongs to another customer.")]
    if product is not None and product.vehicle_loan and vehicle is None:
        errors["vehicle"] = [_("A car loan needs the vehicle.")]
    price, down = values.get("price_amount"), values.get("down_payment_amount")
    if price is not None and price <= 0:
        errors["price_amount"] = [_("The price must be greater than zero.")]
    if down is not None and down < 0:
        errors["down_payment_amount"] = [_("The down payment cannot be negative.")]
    if price is not None and down is not None and price > 0 and down >= 0:
        if down >= price:
            errors["down_payment_amount"] = [_("The down payment must be less than the price.")]
        elif values.get("requested_amount") is None:
            values["requested_amount"] = price - down
    if product is not None and product.vehicle_loan and (price is None or down is None):
        for name in ("price_amount", "down_payment_amount"):
            if values.get(name) is None:
                errors.setdefault(name, [_("A car loan needs the price and the down payment.")])
    amount = values.get("requested_amount")
    if amount is None:
        errors["requested_amount"] = [_("This field is required.")]
    elif amount <= 0:
        errors["requested_amount"] = [_("The amount must be greater than zero.")]
    elif price is not None and down is not None and "down_payment_amount" not in errors and amount != price - down:
        errors["requested_amount"] = [_("The amount must be the price less the down payment.")]
    elif product is not None and not product.min_amount <= amount <= product.max_amount:
        errors["requested_amount"] = [
            _("The product lends from %(min)s to %(max)s yuan.")
            % {"min": product.min_amount, "max": product.max_amount}
        ]
    term = values.get("term_months")
    if term is None or term <= 0:
        errors["term_months"] = [_("The term must be a whole number of months, at least one.")]
    elif product is not None and term not in product.allowed_terms:
        errors["term_months"] = [
            _("The product allows terms of %(terms)s months.") % {"terms": ", ".join(map(str, product.allowed_terms))}
        ]
    if product is not None and values.get("repayment_method") not in product.allowed_methods:
        errors["repayment_method"] = [_("The product does not offer this repayment method.")]
    if not (values.get("purpose") or "").strip():
        errors["purpose"] = [_("This field is required.")]
    if errors:
        raise ValidationFailed(_("Some fields are not valid."), fields=errors)
    return values


def _set_guarantors(application: LoanApplication, guarantors: list[tuple[Customer, str]]) -> None:
    errors: list[str] = []
    seen: set[int] = set()
    for guarantor, relationship in guarantors:
        if guarantor.pk == application.customer_id:
            errors.append(_("The applicant cannot guarantee their own loan."))
        elif guarantor.pk in seen:
            errors.append(_("%(name)s is listed twice.") % {"name": guarantor.name})
        elif not relationship.strip():
            errors.append(_("Give the relationship of %(name)s to the applicant.") % {"name": guarantor.name})
        seen.add(guarantor.pk)
    if errors:
        raise ValidationFailed(_("Some guarantors are not valid."), fields={"guarantors": errors})
    application.guarantors.all().delete()
    ApplicationGuarantor.objects.bulk_create(
        ApplicationGuarantor(application=application, guarantor=g, relationship=r.strip()) for g, r in guarantors
    )


def application_create(
    *, actor: Any, customer: Customer, guarantors: list[tuple[Customer, str]] | None = None, **values: Any
) -> LoanApplication:
    """A new draft application of `customer` (in the actor's scope: the caller looked it up with scoping)."""
    require_perm(actor, Perm.APPLICATION_EDIT, _("Your role may not prepare applications."), on=customer)
    unknown = sorted(set(values) - set(APPLICATION_FIELDS))
    if unknown:
        raise ValidationFailed(
            _("Some fields are not valid."), fields={name: [_("Not applicable.")] for name in unknown}
        )
    values.setdefault("repayment_method", "equal_instalment")
    values = _validate(customer, dict(values))
    with transaction.atomic():
        application = LoanApplication.objects.create(customer=customer, created_by=actor, **values)
        _set_guarantors(application, guarantors or [])
        _audit(actor, application, "application.created", amount=str(application.requested_amount))
    return application


def application_update(
    *, actor: Any, application: LoanApplication, guarantors: list[tuple[Customer, str]] | None = None, **changes: Any
) -> LoanApplication:
    """Change a draft or returned application; `guarantors`, when given, replaces the list."""
    require_perm(actor, Perm.APPLICATION_EDIT, _("Your role may not prepare applications."), on=application)
    unknown = sorted(set(changes) - set(APPLICATION_FIELDS))
    if unknown:
        raise ValidationFailed(
            _("Some fields are not valid."), fields={name: [_("Not applicable.")] for name in unknown}
        )
    with transaction.atomic():
        locked = _locked(application)
        if not locked.is_editable:
            raise _wrong_state(locked, _("changed"))
        values = {name: getattr(locked, name) for name in APPLICATION_FIELDS}
        if "price_amount" in changes or "down_payment_amount" in changes:
            values["requested_amount"] = None  # derived again from the new price and down payment
        values.update(changes)
        values = _validate(locked.customer, values)
        changed = sorted(name for name in APPLICATION_FIELDS if values[name] != getattr(locked, name))
        for name in APPLICATION_FIELDS:
            setattr(locked, name, values[name])
        locked.save()
        if guarantors is not None:
            _set_guarantors(locked, guarantors)
            changed.append("guarantors")
        _audit(actor, locked, "application.changed", fields=changed)
    application.refresh_from_db()
    return application


def application_submit(*, actor: Any, application: LoanApplication, comment: str = "") -> LoanApplication:
    """Send a draft (or a completed returned application) to risk; the checklist is run and kept for the reviewer."""
    require_perm(actor, Perm.APPLICATION_EDIT, _("Your role may not submit applications."), on=application)
    with transaction.atomic():
        locked = _locked(application)
        if locked.status not in (ApplicationStatus.DRAFT, ApplicationStatus.RETURNED):
            raise _wrong_state(locked, _("submitted"))
        today = business_date()
        _review(locked, actor=actor, today=today)
        locked.submit()
        locked.submitted_on = today
        locked.save()
        _audit(actor, locked, "application.submitted", comment)
    application.refresh_from_db()
    return application


def application_withdraw(*, actor: Any, application: LoanApplication, comment: str) -> LoanApplication:
    require_perm(actor, Perm.APPLICATION_EDIT, _("Your role may not withdraw applications."), on=application)
    if not comment.strip():
        raise ValidationFailed.on("comment", _("Say why the application is withdrawn."))
    with transaction.atomic():
        locked = _locked(application)
        if locked.status not in (ApplicationStatus.DRAFT, ApplicationStatus.RETURNED, ApplicationStatus.SUBMITTED):
            raise _wrong_state(locked, _("withdrawn"))
        locked.withdraw()
        locked.save()
        _audit(actor, locked, "application.withdrawn", comment)
    application.refresh_from_db()
    return application


# --- data review -----------------------------------------------------------------------------------------------


def _review(application: LoanApplication, *, actor: Any, today: Any) -> DataReview:
    items = checklist.run_checklist(application, today=today)
    return DataReview.objects.create(
        application=application,
        business_on=today,
        reviewed_by=actor,
        items=items,
        passed=checklist.passed(items),
    )


def review_start(*, actor: Any, application: LoanApplication) -> LoanApplication:
    """A risk officer takes a submitted application into data review; the checklist is run afresh."""
    require_perm(actor, Perm.APPLICATION_REVIEW, _("Only a risk officer reviews applications."), on=application)
    with transaction.atomic():
        locked = _locked(application)
        if locked.status != ApplicationStatus.SUBMITTED:
            raise _wrong_state(locked, _("taken into review"))
        review = _review(locked, actor=actor, today=business_date())
        locked.start_review()
        locked.reviewer = actor
        locked.save()
        _audit(actor, locked, "application.review_started", passed=review.passed)
    application.refresh_from_db()
    return application


def application_return(*, actor: Any, application: LoanApplication, reasons: str) -> LoanApplication:
    """Send the application back to sales for completion, with the reasons (the failed checklist items)."""
    require_perm(actor, Perm.APPLICATION_REVIEW, _("Only a risk officer returns applications."), on=application)
    if not reasons.strip():
        raise ValidationFailed.on("reasons", _("Say what the salesperson must complete."))
    with transaction.atomic():
        locked = _locked(application)
        if locked.status not in (ApplicationStatus.SUBMITTED, ApplicationStatus.IN_REVIEW):
            raise _wrong_state(locked, _("returned"))
        locked.return_for_completion()
        locked.return_reasons = reasons.strip()
        locked.save()
        _audit(actor, locked, "application.returned", reasons.strip())
    application.refresh_from_db()
    return application


# --- credit bureau ---------------------------------------------------------------------------------------------


def _report_json(report: bureau.BureauReport) -> str:
    data = dataclasses.asdict(report)
    data["bad_records"] = [
        {"kind": r.kind, "ended_on": r.ended_on.isoformat() if r.ended_on else None} for r in report.bad_records
    ]
    return json.dumps(data, default=str, ensure_ascii=False, sort_keys=True)


def _bureau_facts(report: bureau.BureauReport | None, outcome: str) -> dict[str, Any]:
    if report is None:
        return {"outcome": outcome}
    return {
        "outcome": outcome,
        "score": report.score,
        "delinquencies_24m": report.delinquencies_24m,
        "defaults": report.defaults,
        "fraud_flag": report.fraud_flag,
        "current_debt_amount": str(report.current_debt_amount),
        "monthly_debt_service_amount": str(report.monthly_debt_service_amount),
        "inquiries_6m": report.inquiries_6m,
        "bad_records": [
            {"kind": r.kind, "ended_on": r.ended_on.isoformat() if r.ended_on else ""} for r in report.bad_records
        ],
    }


_FAILURES: dict[type[bureau.BureauError], str] = {
    bureau.BureauTimeout: QueryOutcome.TIMEOUT,
    bureau.BureauUnavailable: QueryOutcome.UNAVAILABLE,
    bureau.BureauNoFile: QueryOutcome.NO_FILE,
    bureau.BureauRefused: QueryOutcome.REFUSED,
}


def query_bureau(
    *, actor: Any, application: LoanApplication, adapter: bureau.BureauAdapter, subject: Customer | None = None
) -> tuple[CreditQuery, bureau.BureauReport | None]:
    """Query the applicant's credit report (or a co-borrower's: `subject`) under their own consent in force; every
    attempt is logged.

    No consent in force → a refused log row and `Conflict("consent_missing")`; the bureau timing out or failing →
    a log row with that outcome and `ServiceUnavailable`; no credit file → a log row and no report. The log row is
    committed in all cases (call this outside any transaction that would roll back). The application's bureau
    status is the applicant's.
    """
    customer = subject or application.customer
    today = business_date()
    consent = authorization_in_force(customer=customer, on=today)
    log = CreditQuery(
        customer=customer,
        application=application,
        authorization=consent,
        consent_reference=consent.document_reference if consent else "",
        purpose=QUERY_PURPOSE,
        adapter=BUREAU_ADAPTER if isinstance(adapter, bureau.SimulatedBureau) else type(adapter).__name__,
        queried_by=actor,
        business_on=today,
    )
    report: bureau.BureauReport | None = None
    try:
        if consent is None:
            raise bureau.BureauRefused(_("No credit-report authorization is in force for this customer."))
        report = adapter.query(
            bureau.BureauQuery(
                subject_kind=customer.kind,
                identifier=customer.id_number if customer.is_individual else customer.credit_code,
                consent_reference=f"{consent.pk}:{consent.document_reference}",
                purpose=QUERY_PURPOSE,
                queried_on=today,
            )
        )
        log.outcome = QueryOutcome.REPORT
        log.report = _report_json(report)
    except bureau.BureauError as err:
        log.outcome = _FAILURES.get(type(err), QueryOutcome.UNAVAILABLE)
        log.message = str(err)[:300]
    with transaction.atomic():
        log.save()
        if subject is None:
            LoanApplication.objects.filter(pk=application.pk).update(bureau_status=log.outcome)
            application.bureau_status = log.outcome
        record_event(
            actor=actor,
            subject=application,
            event_type="application.credit_query",
            payload={"outcome": log.outcome, "purpose": QUERY_PURPOSE, "consent": log.consent_reference}
            | ({"co_borrower": customer.pk} if subject is not None else {}),
        )
    if log.outcome == QueryOutcome.REFUSED and subject is not None:
        raise Conflict(
            _(
                "The credit report of the co-borrower %(name)s cannot be queried: no valid authorization of theirs "
                "is in force."
            )
            % {"name": customer.name},
            code="consent_missing",
            details={"co_borrower": customer.pk},
        )
    if log.outcome == QueryOutcome.REFUSED:
        raise Conflict(
            _("The credit report cannot be queried: no valid credit-report authorization is in force."),
            code="consent_missing",
        )
    if log.outcome in (QueryOutcome.TIMEOUT, QueryOutcome.UNAVAILABLE):
        raise ServiceUnavailable(
            _("The credit bureau did not answer; the application stays in review. Try again later."),
            code=f"bureau_{log.outcome}",
        )
    return log, report


# --- assessment ------------------------------------------------------------------------------------------------


def _facts_and_profile(
    application: LoanApplication, *, stress_rate: Decimal
) -> tuple[rules.ApplicantFacts, engine.Profile]:
    today = business_date()
    customer = application.customer
    maturity = add_months(today, application.term_months)
    vehicle: Vehicle | None = application.vehicle
    valuation = latest_valuation(vehicle) if vehicle is not None else None
    facts = rules.ApplicantFacts(
        assessed_on=today,
        natural_person=customer.is_individual,
        vehicle_loan=vehicle is not None,
        age_years=customer.age_on(today),
        age_years_at_maturity=customer.age_on(maturity),
        full_civil_capacity=True if application.identity_verified else None,
        monthly_income_amount=customer.monthly_income_amount,
        new_instalment_amount=engine.estimated_instalment(
            application.requested_amount, stress_rate, application.term_months, application.repayment_method
        ),
        documents_complete=vehicle.documents_complete if vehicle else None,
        has_major_accident=vehicle.has_major_accident if vehicle else None,
        vehicle_age_months_at_maturity=vehicle_age_months(vehicle.first_registered_on, maturity) if vehicle else None,
        mileage_km=vehicle.mileage_km if vehicle else None,
        valuation_amount=valuation.value_amount if valuation else None,
        price_amount=application.price_amount,
        loan_amount=application.requested_amount,
        term_months=application.term_months,
    )
    profile = engine.Profile(
        down_payment_amount=application.down_payment_amount,
        employment_years=customer.employment_years,
        housing=customer.housing or None,
        vehicle_first_registered_on=vehicle.first_registered_on if vehicle else None,
    )
    return facts, profile


def assessment_run(
    *,
    actor: Any,
    application: LoanApplication,
    identity_verified: bool,
    income_verified: bool,
    verification_notes: str,
    adapter: bureau.BureauAdapter | None = None,
) -> Assessment:
    """Assess an application in data review (ASSESS-1): checklist, credit report, rules, scorecard, rating.

    The checklist must pass and the risk officer's manual verification be recorded. A failed checklist, missing
    consent or a bureau failure leaves the application in review with the reason (409 / 503), the review and
    the query log kept. Success moves it to "scored": the automated rating awaits a person's decision.
    """
    require_perm(actor, Perm.APPLICATION_REVIEW, _("Only a risk officer assesses applications."), on=application)
    errors: dict[str, list[str]] = {}
    if not verification_notes.strip():
        errors["verification_notes"] = [_("Record what you verified and how.")]
    if not identity_verified:
        errors["identity_verified"] = [_("Verify the applicant's identity before the assessment.")]
    if application.customer.is_individual and not income_verified:
        errors["income_verified"] = [_("Check the income against the income documents before the assessment.")]
    if errors:
        raise ValidationFailed(_("The manual verification is incomplete."), fields=errors)
    if application.status != ApplicationStatus.IN_REVIEW:
        raise _wrong_state(application, _("assessed"))
    today = business_date()
    with transaction.atomic():
        locked = _locked(application)
        if locked.status != ApplicationStatus.IN_REVIEW:
            raise _wrong_state(locked, _("assessed"))
        review = _review(locked, actor=actor, today=today)
        locked.identity_verified = identity_verified
        locked.income_verified = income_verified
        locked.verification_notes = verification_notes.strip()
        locked.save(update_fields=["identity_verified", "income_verified", "verification_notes", "updated_at"])
    if not review.passed:
        raise Conflict(
            _("The data review found problems: return the application for completion or fix the data."),
            code="review_failed",
            details={"failures": review.failures},
        )
    adapter = adapter or bureau.get_adapter(BUREAU_ADAPTER)
    query, report = query_bureau(actor=actor, application=locked, adapter=adapter)
    household = co_borrowers.household(
        application=locked, query=lambda c: query_bureau(actor=actor, application=locked, adapter=adapter, subject=c)
    )
    facts, profile = _facts_and_profile(locked, stress_rate=selectors.stress_rate_on(today))
    if report is None:  # no credit file (白户): no known debts, no score
        facts = dataclasses.replace(facts, monthly_debt_service_amount=Decimal(0), bad_records=())
    # The co-borrowers' income and debt service, as the policy says (the rules read the sums: issue 11 item 9).
    facts, rules_report = co_borrowers.with_household(
        facts, report, household, counts=selectors.co_borrower_income_counts_on(today)
    )
    admission_policy = selectors.admission_policy_on(today)
    rating_policy = selectors.rating_policy_on(today)
    card = selectors.scorecard_on(today)
    outcome = engine.run(
        admission_policy=admission_policy,
        rating_policy=rating_policy,
        card=card,
        facts=facts,
        profile=profile,
        report=rules_report,
    )
    with transaction.atomic():
        locked = _locked(application)
        if locked.status != ApplicationStatus.IN_REVIEW:
            raise _wrong_state(locked, _("assessed"))
        assessment = Assessment.objects.create(
            application=locked,
            business_on=today,
            assessed_by=actor,
            credit_query=query,
            admission_policy_version=admission_policy.version,
            admitted=outcome.decision.admitted,
            admission={**outcome.decision.as_dict(), "policy": rules.policy_as_dict(admission_policy)},
            scorecard_version=card.name,
            internal_score=outcome.score.score,
            probability_of_default=None,  # an expert scorecard has no measured PD until it is fitted on outcomes
            scorecard=outcome.score.as_dict(card),
            bureau_facts=_bureau_facts(report, query.outcome)
            | ({"co_borrowers": household.as_list()} if household.members else {}),
            rating_policy_version=rating_policy.version,
            automated_level=outcome.rating.level,
            rating=outcome.rating.as_dict(),
        )
        locked.score()
        locked.save()
        _audit(
            actor,
            locked,
            "application.scored",
            admitted=outcome.decision.admitted,
            score=outcome.score.score,
            automated_level=outcome.rating.level,
        )
    application.refresh_from_db()
    return assessment


def rating_decide(
    *, actor: Any, application: LoanApplication, decision: str, reason: str = "", level: str = ""
) -> Assessment:
    """A risk officer confirms the automated rating or overrides it with a written reason (PIPL Art. 24).

    The final level's measures (ASSESS-2) are recorded as the constraints of the service plan.
    """
    require_perm(actor, Perm.APPLICATION_REVIEW, _("Only a risk officer confirms ratings."), on=application)
    errors: dict[str, list[str]] = {}
    if decision not in (RatingDecision.CONFIRMED, RatingDecision.OVERRIDDEN):
        errors["decision"] = [_("Choose confirmed or overridden.")]
    if decision == RatingDecision.OVERRIDDEN:
        if level not in LEVELS:
            errors["level"] = [_("Choose the rating: low, medium or high.")]
        if not reason.strip():
            errors["reason"] = [_("An override needs a written reason.")]
    if errors:
        raise ValidationFailed(_("The decision is incomplete."), fields=errors)
    with transaction.atomic():
        locked = _locked(application)
        if locked.status != ApplicationStatus.SCORED:
            raise _wrong_state(locked, _("rated"))
        assessment = (
            Assessment.objects.select_for_update().filter(application=locked).order_by("-assessed_at", "-id")[0]
        )
        final = assessment.automated_level if decision == RatingDecision.CONFIRMED else level
        if decision == RatingDecision.OVERRIDDEN and final == assessment.automated_level:
            raise ValidationFailed.on("level", _("An override must change the rating; confirm it instead."))
        policy = selectors.rating_policy_on(business_date())
        assessment.decision = decision
        assessment.final_level = final
        assessment.measures = policy.measures_for(final).as_dict()
        assessment.decided_by = actor
        assessment.decided_at = timezone.now()
        assessment.decision_reason = reason.strip()
        assessment.save()
        locked.rate()
        locked.risk_level = final
        locked.rated_on = business_date()
        locked.save()
        _audit(
            actor,
            locked,
            f"application.rating_{decision}",
            reason.strip(),
            automated_level=assessment.automated_level,
            final_level=final,
        )
    application.refresh_from_db()
    return assessment
