"""Writes of the contract reviews (合同审查), CON-2: business review → risk review of the risk clauses → legal review.

Each stage belongs to one role (`STAGE_ROLES`); an approval moves the contract to the next stage (after the legal
review: ready to sign), a rejection ends it (rejected: the plan may get a new contract, drafted again from its
figures). Segregation of duties: nobody reviews one contract twice, and neither the plan's salesperson nor
whoever generated the contract reviews it. The same shape as the plan decisions: `{outcome, opinion}`.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from creditdesk.accounts.choices import Role
from creditdesk.accounts.permissions import Perm
from creditdesk.accounts.scoping import require_perm
from creditdesk.contracts.choices import REVIEW_STATUSES, ContractStatus, ReviewOutcome, ReviewStage
from creditdesk.contracts.models import Contract, ContractReview
from creditdesk.contracts.services import audit, locked
from creditdesk.core.dates import business_date
from creditdesk.core.errors import Conflict, DomainError, PermissionDenied, ValidationFailed

STAGE_ROLES = {
    ReviewStage.BUSINESS_REVIEW: Role.DEPARTMENT_HEAD,
    ReviewStage.RISK_REVIEW: Role.RISK_OFFICER,
    ReviewStage.LEGAL_REVIEW: Role.LEGAL,
}


def _not_in_review(contract: Contract) -> Conflict:
    return Conflict(
        _("The contract is %(status)s: it is not waiting for a review.") % {"status": contract.get_status_display()},
        code="contract_not_in_review",
        details={"status": contract.status},
    )


def authors(contract: Contract) -> set[int]:
    """Who may not review: the plan's salesperson (who prepared it) and whoever generated the contract."""
    return {pk for pk in (contract.plan.prepared_by_id, contract.created_by_id) if pk is not None}


def _check(actor: Any, contract: Contract, outcome: str, opinion: str) -> None:
    if contract.status not in REVIEW_STATUSES:
        raise _not_in_review(contract)
    if STAGE_ROLES[ReviewStage(contract.status)] not in actor.role_codes:
        raise PermissionDenied(
            _("The %(stage)s is not your role's.") % {"stage": ReviewStage(contract.status).label}, code="wrong_role"
        )
    if actor.pk in authors(contract):
        raise PermissionDenied(
            _("You prepared the plan or generated the contract: someone else reviews it."),
            code="segregation_of_duties",
        )
    if contract.reviews.filter(reviewer=actor).exists():
        raise PermissionDenied(_("You have reviewed this contract already."), code="segregation_of_duties")
    errors = {}
    if outcome not in ReviewOutcome.values:
        errors["outcome"] = _("Choose approve or reject.")
    if not opinion.strip():
        errors["opinion"] = _("Give your opinion.")
    if errors:
        raise ValidationFailed(_("Some fields are not valid."), fields=errors)


def review_refusal(*, actor: Any, contract: Contract) -> DomainError | None:
    """Why `actor` may not review `contract` now, or None when they may: the page offers the form only then."""
    try:
        require_perm(
            actor, Perm.CONTRACT_REVIEW, _("Your role may not review contracts."), on=contract, code="wrong_role"
        )
        _check(actor, contract, ReviewOutcome.APPROVE, "-")
    except DomainError as err:
        return err
    return None


NEXT = {
    ContractStatus.BUSINESS_REVIEW: ("pass_business_review", ""),
    ContractStatus.RISK_REVIEW: ("pass_risk_review", ""),
    ContractStatus.LEGAL_REVIEW: ("pass_legal_review", "contract.ready_to_sign"),
}


def contract_decide(*, actor: Any, contract: Contract, outcome: str, opinion: str) -> ContractReview:
    """Record `actor`'s review (approve or reject, with an opinion) at the contract's current stage.

    403 `wrong_role` or `segregation_of_duties`; 409 `contract_not_in_review`; 422 for an unknown outcome or an
    empty opinion.
    """
    require_perm(actor, Perm.CONTRACT_REVIEW, _("Your role may not review contracts."), on=contract, code="wrong_role")
    today = business_date()
    with transaction.atomic():
        current = locked(contract)
        _check(actor, current, outcome, opinion)
        stage = ReviewStage(current.status)
        try:
            with transaction.atomic():
                review = ContractReview.objects.create(
                    contract=current,
                    stage=stage,
                    reviewer=actor,
                    outcome=outcome,
                    opinion=opinion.strip(),
                    reviewed_on=today,
                )
        except IntegrityError:
            raise Conflict(_("This review is recorded already."), code="review_already_recorded") from None
        audit(actor, current, "contract.reviewed", opinion.strip(), stage=str(stage), outcome=outcome)
        if outcome == ReviewOutcome.REJECT:
            current.reject()
            current.concluded_on = today
            audit(actor, current, "contract.rejected", stage=str(stage))
        else:
            method, event = NEXT[ContractStatus(current.status)]
            getattr(current, method)()
            if event:
                audit(actor, current, event)
        current.save()
    contract.refresh_from_db()
    return review
