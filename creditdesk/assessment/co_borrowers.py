"""Co-borrowers (共同借款人) of a loan application, issue 11 item 9: added and removed while the application is a
draft (or returned for completion), each with their own credit-report consent; at the assessment each has their own
bureau query, and the admission policy says whether their income and debt service count in debt-to-income.

The sums are made here, where the applicant's facts are assembled: the pure rules read one monthly income and one
monthly debt service, whoever earns or owes them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from creditdesk.accounts.permissions import Perm
from creditdesk.accounts.scoping import require_perm
from creditdesk.assessment import bureau, rules
from creditdesk.assessment.models import ApplicationCoBorrower, LoanApplication
from creditdesk.core.audit import record_event
from creditdesk.core.dates import business_date
from creditdesk.core.errors import Conflict, InvalidTransition, NotFound, ValidationFailed
from creditdesk.customers.models import Customer
from creditdesk.customers.selectors import authorization_in_force

ZERO = Decimal("0.00")


def _editable(application: LoanApplication) -> LoanApplication:
    locked = LoanApplication.objects.select_for_update(of=("self",)).select_related("customer").get(pk=application.pk)
    if not locked.is_editable:
        raise InvalidTransition(
            _("The application is %(status)s: its co-borrowers can be changed only while it is a draft.")
            % {"status": locked.get_status_display()},
            details={"status": locked.status},
        )
    return locked


def co_borrower_add(
    *, actor: Any, application: LoanApplication, customer: Customer, relationship: str
) -> ApplicationCoBorrower:
    """Add `customer` (in the actor's scope: the caller looked them up with scoping) as a co-borrower.

    422 on `customer_id` when they are the applicant, a company, a guarantor of the same application or have no
    credit-report consent in force; on `relationship` when it is empty; 409 when they are listed already or the
    application is no longer a draft.
    """
    require_perm(actor, Perm.APPLICATION_EDIT, _("Your role may not prepare applications."), on=application)
    today = business_date()
    with transaction.atomic():
        locked = _editable(application)
        errors: dict[str, list[str]] = {}
        consent = authorization_in_force(customer=customer, on=today)
        if customer.pk == locked.customer_id:
            errors["customer_id"] = [_("The applicant cannot be their own co-borrower.")]
        elif not customer.is_individual:
            errors["customer_id"] = [_("A co-borrower is a person, not a company.")]
        elif locked.guarantors.filter(guarantor=customer).exists():
            errors["customer_id"] = [_("%(name)s guarantees this application already.") % {"name": customer.name}]
        elif consent is None:
            errors["customer_id"] = [
                _("%(name)s has no credit-report authorization in force: record their own consent first.")
                % {"name": customer.name}
            ]
        if not relationship.strip():
            errors["relationship"] = [_("Give the relationship to the applicant, e.g. spouse.")]
        if errors:
            raise ValidationFailed(_("The co-borrower cannot be added."), fields=errors)
        assert consent is not None
        try:
            with transaction.atomic():
                row = ApplicationCoBorrower.objects.create(
                    application=locked,
                    co_borrower=customer,
                    relationship=relationship.strip(),
                    consent=consent,
                    added_by=actor,
                )
        except IntegrityError:
            raise Conflict(
                _("%(name)s is a co-borrower already.") % {"name": customer.name}, code="co_borrower_exists"
            ) from None
        record_event(
            actor=actor,
            subject=locked,
            event_type="application.co_borrower_added",
            payload={"co_borrower": customer.pk, "relationship": row.relationship, "consent": consent.pk},
        )
    return row


def co_borrower_remove(*, actor: Any, application: LoanApplication, customer_id: int) -> None:
    """Take a co-borrower off a draft application (404 when they are not on it)."""
    require_perm(actor, Perm.APPLICATION_EDIT, _("Your role may not prepare applications."), on=application)
    with transaction.atomic():
        locked = _editable(application)
        deleted, _rows = ApplicationCoBorrower.objects.filter(application=locked, co_borrower_id=customer_id).delete()
        if not deleted:
            raise NotFound(_("This customer is not a co-borrower of the application."))
        record_event(
            actor=actor,
            subject=locked,
            event_type="application.co_borrower_removed",
            payload={"co_borrower": customer_id},
        )


# --- the household at the assessment -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CoBorrowerFacts:
    """One co-borrower's figures at the assessment: their declared income and their own report's debt service."""

    customer_id: int
    name: str
    relationship: str
    monthly_income_amount: Decimal
    monthly_debt_service_amount: Decimal
    query_outcome: str
    bureau_score: int | None


@dataclass(frozen=True)
class Household:
    """The co-borrowers of one application as assessed."""

    members: tuple[CoBorrowerFacts, ...]

    @property
    def income(self) -> Decimal:
        return sum((m.monthly_income_amount for m in self.members), ZERO)

    @property
    def debt_service(self) -> Decimal:
        return sum((m.monthly_debt_service_amount for m in self.members), ZERO)

    @classmethod
    def from_list(cls, rows: list[dict[str, Any]]) -> Household:
        """The household kept with an assessment's credit-report facts (`as_list`), read back."""
        return cls(
            tuple(
                CoBorrowerFacts(
                    customer_id=row["customer_id"],
                    name=row.get("name", ""),
                    relationship=row.get("relationship", ""),
                    monthly_income_amount=Decimal(row.get("monthly_income_amount") or 0),
                    monthly_debt_service_amount=Decimal(row.get("monthly_debt_service_amount") or 0),
                    query_outcome=row.get("query_outcome", ""),
                    bureau_score=row.get("bureau_score"),
                )
                for row in rows
            )
        )

    def as_list(self) -> list[dict[str, object]]:
        """JSON-ready, kept with the assessment's credit-report facts."""
        return [
            {
                "customer_id": m.customer_id,
                "name": m.name,
                "relationship": m.relationship,
                "monthly_income_amount": str(m.monthly_income_amount),
                "monthly_debt_service_amount": str(m.monthly_debt_service_amount),
                "query_outcome": m.query_outcome,
                "bureau_score": m.bureau_score,
            }
            for m in self.members
        ]


Query = Callable[[Customer], tuple[Any, bureau.BureauReport | None]]


def household(*, application: LoanApplication, query: Query) -> Household:
    """Query each co-borrower's credit report under their own consent (`query`, which logs every attempt and
    raises on a missing consent or a bureau failure) and gather their figures; no credit file: no known debts."""
    members = []
    for row in application.co_borrowers.select_related("co_borrower").order_by("id"):
        customer = row.co_borrower
        log, report = query(customer)
        members.append(
            CoBorrowerFacts(
                customer_id=customer.pk,
                name=customer.name,
                relationship=row.relationship,
                monthly_income_amount=customer.monthly_income_amount or ZERO,
                monthly_debt_service_amount=report.monthly_debt_service_amount if report else ZERO,
                query_outcome=log.outcome,
                bureau_score=report.score if report else None,
            )
        )
    return Household(tuple(members))


def with_household(
    facts: rules.ApplicantFacts, report: bureau.BureauReport | None, household: Household, *, counts: bool
) -> tuple[rules.ApplicantFacts, bureau.BureauReport | None]:
    """The facts and the report the rules read: with the co-borrowers' income and debt service added when the
    policy counts them (`counts`), else the applicant's alone. The applicant's own report is kept as it is."""
    if not counts or not household.members:
        return facts, report
    income = (facts.monthly_income_amount or ZERO) + household.income
    facts = dataclasses.replace(facts, monthly_income_amount=income)
    if report is None:
        debt = (facts.monthly_debt_service_amount or ZERO) + household.debt_service
        return dataclasses.replace(facts, monthly_debt_service_amount=debt), None
    debt = report.monthly_debt_service_amount + household.debt_service
    return facts, dataclasses.replace(report, monthly_debt_service_amount=debt)
