"""Choices of the assessment app."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from creditdesk.core import event_labels


class ApplicationStatus(models.TextChoices):
    """Loan application (贷款申请) states; the transitions are in `LoanApplication`."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    IN_REVIEW = "in_review", _("In data review")
    RETURNED = "returned", _("Returned for completion")
    SCORED = "scored", _("Scored, awaiting confirmation")
    RATED = "rated", _("Rated")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class RepaymentMethod(models.TextChoices):
    """Repayment methods (还款方式), the codes of `lending.schedule`."""

    EQUAL_INSTALMENT = "equal_instalment", _("Equal instalments (等额本息)")
    EQUAL_PRINCIPAL = "equal_principal", _("Equal principal (等额本金)")
    INTEREST_FIRST = "interest_first", _("Interest first, principal at the end (先息后本)")


class BankAccountReading(models.TextChoices):
    """The bank statement (银行流水) as the salesperson reads it: an input of the scorecard."""

    SALARY = "salary", _("Salary paid in regularly or a healthy balance")
    LOW_BALANCE = "low_balance", _("Low balance")
    OVERDRAWN = "overdrawn", _("Overdrawn")


class QueryOutcome(models.TextChoices):
    """What became of a credit-bureau query (征信查询结果)."""

    REPORT = "report", _("Report received")
    NO_FILE = "no_file", _("No credit file")
    TIMEOUT = "timeout", _("Timed out")
    UNAVAILABLE = "unavailable", _("Bureau unavailable")
    REFUSED = "refused", _("Refused: no valid consent")


class RatingDecision(models.TextChoices):
    """The risk officer's decision on an automated rating (PIPL Art. 24: a person decides)."""

    PENDING = "pending", _("Awaiting confirmation")
    CONFIRMED = "confirmed", _("Confirmed")
    OVERRIDDEN = "overridden", _("Overridden")


# What the audit events of an application mean, for timelines (the application's and the customer's).
EVENT_LABELS = {
    "application.created": _("Prepared"),
    "application.changed": _("Changed"),
    "application.submitted": _("Submitted to risk"),
    "application.withdrawn": _("Withdrawn"),
    "application.review_started": _("Data review started"),
    "application.returned": _("Returned for completion"),
    "application.credit_query": _("Credit report queried"),
    "application.scored": _("Assessed"),
    "application.rating_confirmed": _("Rating confirmed"),
    "application.rating_overridden": _("Rating overridden"),
    "application.co_borrower_added": _("Co-borrower added"),
    "application.co_borrower_removed": _("Co-borrower removed"),
}
event_labels.register(EVENT_LABELS, areas={"application": _("Loan applications")})


class CapScope(models.TextChoices):
    """What a regulatory cap (监管上限) applies to: a loan product's kind of lending."""

    USED_CAR_RETAIL = "used_car_retail", _("Used-car retail loans")
    CORPORATE = "corporate", _("Corporate loans")
