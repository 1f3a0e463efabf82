"""Exception requests (例外审批申请), issue 11 item 1: the only way past a failed hard rule.

A plan whose assessment failed a hard admission rule, or whose own re-check fails one (`assessment.recheck`), or
that is high risk where the rating declines high risk by default (ASSESS-2), cannot be submitted unless the
preparer requests an exception with a reason. On submission the request is recorded with exactly the rules the plan
fails and their figures; the plan then always goes to the credit committee (`services._route`), and the committee's
outcome decides the exception too. A rating override changes the level, never the failed rules. Regulatory caps
are never waived: a plan above one is refused outright (422) by `assessment.limits`.

Writes happen inside the caller's transaction, with their audit events.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from creditdesk.assessment.rating import HIGH, Measures
from creditdesk.core.errors import ValidationFailed
from creditdesk.lending.choices import ExceptionState
from creditdesk.lending.models import PlanException, ServicePlan

HIGH_RISK = "ASSESS-2.high_risk"


def rules_to_waive(plan: ServicePlan, measures: Measures) -> list[dict[str, Any]]:
    """The rules an exception on `plan` must cover: its failed rules, and high risk where it is declined."""
    waived = [dict(rule) for rule in plan.failed_rules or []]
    if plan.risk_level == HIGH and measures.declined_by_default:
        waived.append(
            {"code": HIGH_RISK, "stage": "assessment", "reason": "declined_by_default", "measured": HIGH, "limit": ""}
        )
    return waived


def required(waived: list[dict[str, Any]]) -> ValidationFailed:
    """The refusal of a submission that fails hard rules without an exception request."""
    message = _(
        "The plan fails hard rules: it can be submitted only with an exception request and its reason, "
        "which the credit committee decides."
    )
    return ValidationFailed(
        message,
        code="exception_required",
        fields={"exception_requested": [message]},
        details={"rules": [rule["code"] for rule in waived]},
    )


def propose(*, actor: Any, plan: ServicePlan, rules: list[dict[str, Any]], on: dt.date) -> PlanException:
    """Record the exception request of this revision (the rules it waives, the reason, the proposer)."""
    from creditdesk.lending.services import audit

    request = PlanException.objects.create(
        plan=plan, revision=plan.revision, rules=rules, reason=plan.exception_reason, proposed_by=actor, proposed_on=on
    )
    audit(
        actor,
        plan,
        "plan.exception_requested",
        plan.exception_reason,
        revision=plan.revision,
        rules=[rule["code"] for rule in rules],
    )
    return request


def conclude(*, actor: Any, plan: ServicePlan, outcome: str, opinion: str) -> PlanException | None:
    """The plan's round ended: its pending exception request takes the same outcome (None when it had none)."""
    from creditdesk.core.dates import business_date
    from creditdesk.lending.services import audit

    request = plan.exceptions.filter(state=ExceptionState.PENDING).first()
    if request is None:
        return None
    request.state = outcome
    request.decided_by = actor
    request.decided_on = business_date()
    request.decided_at = timezone.now()
    request.opinion = opinion
    request.save(update_fields=["state", "decided_by", "decided_on", "decided_at", "opinion"])
    audit(actor, plan, f"plan.exception_{outcome}", opinion, revision=request.revision)
    return request
