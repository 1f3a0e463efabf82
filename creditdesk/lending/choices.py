"""Choices of the lending app."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from creditdesk.core import event_labels


class RiskLevel(models.TextChoices):
    """Risk rating (风险评级), ASSESS-1."""

    LOW = "low", _("Low risk")
    MEDIUM = "medium", _("Medium risk")
    HIGH = "high", _("High risk")


class FirstPeriodBasis(models.TextChoices):
    """How a broken first period's interest is counted (首期计息方式): the values of `schedule.FirstPeriod`."""

    FULL_MONTH = "full_month", _("A full month (首期按整月计息)")
    ACTUAL_360 = "actual_360", _("Actual days / 360 (首期按实际天数计息)")


class FeeKind(models.TextChoices):
    """One-off fees (一次性费用), issue 11 item 6: the values of `fees.FeeKind`."""

    SERVICE = "service_fee", _("Service fee")
    GPS = "gps_fee", _("GPS fee")
    REGISTRATION = "registration_fee", _("Mortgage registration fee")


class FeeDue(models.TextChoices):
    """When one-off fees fall due (费用收取时点): the values of `fees.FeeDue`."""

    ON_DISBURSEMENT = "on_disbursement", _("On the disbursement date")
    WITH_FIRST_INSTALMENT = "with_first_instalment", _("With the first instalment")


class LprTenor(models.TextChoices):
    """Loan prime rate tenors (贷款市场报价利率期限), DOMAIN.md §5."""

    ONE_YEAR = "1y", _("1-year LPR")
    FIVE_YEAR = "5y", _("5-year-and-over LPR")


class PlanStatus(models.TextChoices):
    """Service plan (服务方案) states; the transitions are in `ServicePlan`, the moves in `services.py`."""

    DRAFT = "draft", _("Draft")
    PENDING_APPROVAL = "pending_approval", _("Pending approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    RETURNED = "returned", _("Returned for revision")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ExceptionState(models.TextChoices):
    """States of an exception request (例外审批申请): decided with the plan by the credit committee."""

    PENDING = "pending", _("Waiting for the credit committee")
    APPROVED = "approved", _("Exception approved")
    REJECTED = "rejected", _("Exception refused")
    RETURNED = "returned", _("Returned with the plan")
    WITHDRAWN = "withdrawn", _("Withdrawn with the plan")


class ApprovalStage(models.TextChoices):
    """Approval stages (审批环节), PLAN-7: the values of `approval.STAGES`."""

    DEPARTMENT_REVIEW = "department_review", _("Department review")
    RISK_REVIEW = "risk_review", _("Risk review")
    FINAL_DECISION = "final_decision", _("Final decision")


class DecisionOutcome(models.TextChoices):
    """What an approver decides (审批结论): the values of `approval.OUTCOMES`."""

    APPROVE = "approve", _("Approve")
    REJECT = "reject", _("Reject")
    RETURN = "return", _("Return for revision")


class GuaranteeKind(models.TextChoices):
    """Guarantee (担保方式), PLAN-6."""

    VEHICLE_MORTGAGE = "vehicle_mortgage", _("Vehicle mortgage (车辆抵押)")
    GUARANTOR = "guarantor", _("Third-party guarantor (第三方保证)")


class RegistrationStatus(models.TextChoices):
    """Registration of a vehicle mortgage with the vehicle registry (抵押登记状态)."""

    PENDING = "pending", _("Registration pending")
    REGISTERED = "registered", _("Registered")
    RELEASED = "released", _("Released")


# What the audit events of a plan mean, for timelines (the plan's and the customer's).
EVENT_LABELS = {
    "plan.created": _("Prepared"),
    "plan.revised": _("Revised"),
    "plan.submitted": _("Submitted for approval"),
    "plan.stage_entered": _("Stage entered; its role is told"),
    "plan.decided": _("Decision recorded"),
    "plan.approved": _("Approved"),
    "plan.rejected": _("Rejected"),
    "plan.returned": _("Returned for revision"),
    "plan.withdrawn": _("Withdrawn"),
    "plan.exception_requested": _("Exception requested"),
    "plan.exception_approved": _("Exception approved by the credit committee"),
    "plan.exception_rejected": _("Exception refused"),
    "plan.exception_returned": _("Exception returned with the plan"),
    "plan.exception_withdrawn": _("Exception withdrawn with the plan"),
}
event_labels.register(EVENT_LABELS, areas={"plan": _("Service plans")})
