"""Demo service plans (金融服务方案) on the demo's rated applications, at every step of the approval (PLAN-1…9).

Through the real services: a plan is prepared with the application's figures (the down payment raised to the
rating's minimum share where needed), then taken, in turn, to: approved, department review, risk review, final
decision, returned for revision and rejected. Only plans in the department head's scope go beyond the draft (he
reviews them first); high-risk applications are left without a plan. The risk review is `risk2`'s, because `risk`
rated the applications (审贷分离); the credit committee (贷审会) is `approver`, `approver2` and `approver3`, two of
three approving. Deterministic; the plans are skipped when plans exist.
"""

from __future__ import annotations

from decimal import ROUND_CEILING, Decimal
from typing import Any

from django.contrib.auth import get_user_model

from creditdesk.accounts.scoping import in_scope
from creditdesk.assessment.models import LoanApplication
from creditdesk.core.errors import DomainError, ValidationFailed
from creditdesk.lending import services
from creditdesk.lending.decisions import plan_decide
from creditdesk.lending.models import CreditCommittee, ServicePlan

COMMITTEE = "授信审批委员会"
COMMITTEE_MEMBERS = ("approver", "approver2", "approver3")
# The deciders of each stage: not `risk`, who rated the demo applications.
DECIDERS = {"department_head": "depthead", "risk_officer": "risk2", "approver": "approver"}
TARGETS = ("approved", "department_review", "risk_review", "final_decision", "returned", "rejected")
OPINIONS = {
    "department_review": "方案合理，资料完整（演示数据）",
    "risk_review": "还款能力与抵押物足以覆盖风险，风险可控（演示数据）",
    "final_decision": "同意按方案放款（演示数据）",
}


def _prepare(owner: Any, application: LoanApplication) -> ServicePlan:
    try:
        return services.plan_create(actor=owner, application=application, reason="演示方案")
    except ValidationFailed as err:
        if set(err.fields) != {"down_payment_amount"} or application.price_amount is None:
            raise
    # The rating asks for a higher down payment (ASSESS-2): raise it to the minimum share, in whole hundreds.
    share = Decimal(
        application.assessments.order_by("-id").values_list("measures", flat=True)[0]["min_down_payment_share"]
    )
    down = (application.price_amount * share / 100).to_integral_value(rounding=ROUND_CEILING) * 100
    return services.plan_create(
        actor=owner, application=application, down_payment_amount=down, reason="演示方案：首付按评级要求"
    )


def _advance(plan: ServicePlan, target: str, staff: dict[str, Any]) -> str:
    owner = plan.prepared_by
    services.plan_submit(actor=owner, plan=plan, comment="请审批（演示数据）")
    while plan.status == "pending_approval" and plan.current_stage != target:
        stage = plan.current_stage
        decider = staff[plan.route["roles"][stage]]
        if target in ("returned", "rejected") and stage == "risk_review":
            outcome = "return" if target == "returned" else "reject"
            opinion = (
                "首付比例偏低，请调整后再报（演示数据）" if target == "returned" else "负债偏高，风险不可控（演示数据）"
            )
            plan_decide(actor=decider, plan=plan, outcome=outcome, opinion=opinion)
            break
        if stage == "final_decision" and plan.route["committee"]:
            break  # a committee plan waits for its members' votes
        plan_decide(actor=decider, plan=plan, outcome="approve", opinion=OPINIONS[stage])
    return plan.status if plan.status != "pending_approval" else plan.current_stage


def _committee(stdout: Any) -> None:
    members = get_user_model().objects.filter(username__in=COMMITTEE_MEMBERS)
    if CreditCommittee.objects.filter(name=COMMITTEE).exists() or len(members) < 2:
        return
    committee = CreditCommittee.objects.create(name=COMMITTEE, quorum=2)
    committee.members.set(members)
    stdout.write(f"Credit committee {COMMITTEE}: {', '.join(sorted(m.username for m in members))}, 2 approvals.")


def seed(*, stdout: Any) -> None:
    _committee(stdout)
    if ServicePlan.objects.exists():
        stdout.write("Service plans exist already; demo plans not seeded.")
        return
    by_name = {user.username: user for user in get_user_model().objects.filter(username__in=DECIDERS.values())}
    staff = {role: by_name[name] for role, name in DECIDERS.items() if name in by_name}
    head = staff.get("department_head")
    reviewable = set(in_scope(LoanApplication.objects.all(), head).values_list("pk", flat=True)) if head else set()
    applications = (
        LoanApplication.objects.filter(status="rated")
        .exclude(risk_level="high")
        .select_related("customer", "customer__owner", "created_by")
        .order_by("pk")
    )
    made: dict[str, int] = {}
    turn = 0
    for application in applications:
        try:
            plan = _prepare(application.created_by, application)
            target = "draft"
            if application.pk in reviewable and len(staff) == 3:
                target = TARGETS[turn % len(TARGETS)]
                turn += 1
            reached = target if target == "draft" else _advance(plan, target, staff)
        except DomainError as err:
            stdout.write(f"  demo plan for {application.reference} stopped: {err.message}")
            continue
        made[reached] = made.get(reached, 0) + 1
    summary = ", ".join(f"{state} {count}" for state, count in sorted(made.items()))
    stdout.write(f"Demo service plans: {summary}.")
