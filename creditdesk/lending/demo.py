"""Demo service plans (金融服务方案) on the demo's rated applications, at every step of the approval (PLAN-1…9).

Through the real services: a plan is prepared with the application's figures (the down payment raised to the
rating's minimum share where needed), then taken, in turn, to: approved, department review, risk review, final
decision, returned for revision and rejected. Only plans in the department head's scope go beyond the draft (he
reviews them first); high-risk applications are left without a plan. An application whose assessment failed a hard
rule (a risk officer overrode its rating) gets a plan with an exception request that waits for the credit committee
(issue 11 item 1); where its car's market estimate is far below the price, an appraiser appraises it again first.
The risk review is `risk2`'s, because `risk` rated the applications (审贷分离); the credit committee (贷审会) is
`approver`, `approver2` and `approver3`, two of three approving. Deterministic; the plans are skipped when plans
exist.
"""

from __future__ import annotations

from decimal import ROUND_CEILING, Decimal
from typing import Any

from django.contrib.auth import get_user_model

from creditdesk.accounts.configuration import config_propose
from creditdesk.accounts.scoping import in_scope
from creditdesk.assessment.models import LoanApplication
from creditdesk.core.dates import business_date
from creditdesk.core.errors import DomainError, ValidationFailed
from creditdesk.core.months import add_months
from creditdesk.lending import services
from creditdesk.lending.decisions import plan_decide
from creditdesk.lending.models import CreditCommittee, LprRate, ServicePlan
from creditdesk.vehicles.services import valuation_record

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


EXCEPTION_REASON = "车辆经评估师复评，客户代发工资收入稳定；申请对评估未通过的准入规则例外审批（演示数据）"


def _reappraise(owner: Any, application: LoanApplication) -> None:
    """The car is appraised again by an appraiser (评估师复评) when the market estimate is far below the price."""
    assert application.vehicle is not None
    assert application.price_amount is not None
    valuation_record(
        actor=owner,
        vehicle=application.vehicle,
        valued_on=business_date(),
        method="appraiser",
        value_amount=(application.price_amount * Decimal("0.90")).quantize(Decimal("100")),
        appraiser="王志刚（二手车鉴定评估师）",
        notes="实车复评：车况良好，配置高于同款平均（演示数据）",
    )


def _prepare(owner: Any, application: LoanApplication) -> ServicePlan:
    """A plan on the application's figures; where the assessment failed a rule, with an exception request."""
    failed = not application.assessments.order_by("-id")[0].admitted
    extra: dict[str, Any] = {"exception_requested": True, "exception_reason": EXCEPTION_REASON} if failed else {}
    try:
        return services.plan_create(actor=owner, application=application, reason="演示方案", **extra)
    except ValidationFailed as err:
        if set(err.fields) != {"down_payment_amount"} or application.price_amount is None:
            raise
    if failed and application.vehicle is not None:
        _reappraise(owner, application)  # the LTV is measured on the lower of price and appraisal (issue 11)
    # The rating asks for a higher down payment (ASSESS-2): raise it to the minimum share, in whole hundreds.
    share = Decimal(
        application.assessments.order_by("-id").values_list("measures", flat=True)[0]["min_down_payment_share"]
    )
    down = (application.price_amount * share / 100).to_integral_value(rounding=ROUND_CEILING) * 100
    return services.plan_create(
        actor=owner, application=application, down_payment_amount=down, reason="演示方案：首付按评级要求", **extra
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


def _lpr_proposal(stdout: Any) -> None:
    """A configuration change waiting for a checker (maker-checker): the administrator proposes next month's
    1-year LPR, 10 basis points lower; a risk officer or the information administrator decides on it."""
    admin = get_user_model().objects.filter(username="admin").first()
    if admin is None or LprRate.objects.pending().exists():
        return
    today = business_date()
    current = LprRate.objects.in_force(today).filter(tenor="1y").first()
    if current is None:
        return
    config_propose(
        obj=LprRate(tenor="1y", effective_on=add_months(today, 1), rate=current.rate - Decimal("0.001")), actor=admin
    )
    stdout.write("Demo configuration change awaiting approval: next month's 1-year LPR (risk or infoadmin decides).")


def _committee(stdout: Any) -> None:
    members = get_user_model().objects.filter(username__in=COMMITTEE_MEMBERS)
    if CreditCommittee.objects.filter(name=COMMITTEE).exists() or len(members) < 2:
        return
    committee = CreditCommittee.objects.create(name=COMMITTEE, quorum=2)
    committee.members.set(members)
    stdout.write(f"Credit committee {COMMITTEE}: {', '.join(sorted(m.username for m in members))}, 2 approvals.")


def seed(*, stdout: Any) -> None:
    _lpr_proposal(stdout)
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
            if plan.exception_requested and len(staff) == 3:
                # The exception request is submitted and waits for the credit committee (issue 11 item 1); outside
                # the demo department head's scope (the Beijing team has none) it waits at the department review.
                target = "final_decision" if application.pk in reviewable else "department_review"
            reached = target if target == "draft" else _advance(plan, target, staff)
        except DomainError as err:
            stdout.write(f"  demo plan for {application.reference} stopped: {err.message}")
            continue
        made[reached] = made.get(reached, 0) + 1
    summary = ", ".join(f"{state} {count}" for state, count in sorted(made.items()))
    stdout.write(f"Demo service plans: {summary}.")
