"""Enumerations of the loans app (issue 13 item 4): one module every app imports for loan codes."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from creditdesk.core import event_labels


class LoanStatus(models.TextChoices):
    """Loan account states (贷款状态)."""

    ACTIVE = "active", _("Active")
    SETTLED = "settled", _("Settled")
    TERMINATED = "terminated", _("Terminated")
    WRITTEN_OFF = "written_off", _("Written off")


class InstalmentStatus(models.TextChoices):
    """Instalment states (期次状态); a partial payment shows in the paid amounts, not in the status."""

    NOT_DUE = "not_due", _("Not due")
    DUE = "due", _("Due")
    OVERDUE = "overdue", _("Overdue")
    PAID = "paid", _("Paid")


class TransactionKind(models.TextChoices):
    """Kinds of ledger transaction (交易类型), ARCHITECTURE rule 4."""

    DISBURSEMENT = "disbursement", _("Disbursement")
    REPAYMENT = "repayment", _("Repayment")
    FEE_CHARGE = "fee_charge", _("Fee charge")
    PENALTY_ACCRUAL = "penalty_accrual", _("Penalty accrual")
    WAIVER = "waiver", _("Waiver")
    REVERSAL = "reversal", _("Reversal")
    WRITE_OFF = "write_off", _("Write-off")


class Component(models.TextChoices):
    """What an amount of an instalment is for (还款分项); collection fees are never one (issue 13 item 4)."""

    FEE = "fee", _("Fees")
    PENALTY = "penalty", _("Penalty interest")
    INTEREST = "interest", _("Interest")
    PRINCIPAL = "principal", _("Principal")


class Channel(models.TextChoices):
    """How money came in or went out (资金渠道)."""

    BANK_TRANSFER = "bank_transfer", _("Bank transfer")
    DIRECT_DEBIT = "direct_debit", _("Direct debit")
    COUNTER = "counter", _("Counter payment")
    ONLINE = "online", _("Online payment")
    INTERNAL = "internal", _("Internal posting")


class AllocationMode(models.TextChoices):
    """How a repayment walks the matured instalments (冲账方式)."""

    BY_INSTALMENT = "by_instalment", _("Instalment by instalment (逐期)")
    BY_COMPONENT = "by_component", _("Component across instalments (横向)")


class OverpaymentRule(models.TextChoices):
    """What happens to money beyond everything the loan owes (溢缴款处理)."""

    CREDIT_BALANCE = "credit_balance", _("Keep as a credit balance")
    REFUSE = "refuse", _("Refuse the payment")


class AccountKind(models.TextChoices):
    """Kinds of ledger account (科目类别)."""

    ASSET = "asset", _("Asset")
    LIABILITY = "liability", _("Liability")
    INCOME = "income", _("Income")


class AccountRole(models.TextChoices):
    """What the postings use an account for; the code and name of each are configurable (会计科目用途)."""

    BANK = "bank", _("Bank")
    LOANS_RECEIVABLE = "loans_receivable", _("Loans receivable")
    INTEREST_RECEIVABLE = "interest_receivable", _("Interest receivable")
    INTEREST_INCOME = "interest_income", _("Interest income")
    VAT_PAYABLE = "vat_payable", _("VAT payable")
    FEE_INCOME = "fee_income", _("Fee income")
    PENALTY_INCOME = "penalty_income", _("Penalty income")
    SUSPENSE = "suspense", _("Suspense")


class ReversalState(models.TextChoices):
    """States of a reversal request (冲正申请状态): maker-checker."""

    PENDING = "pending", _("Waiting for a second finance user")
    APPROVED = "approved", _("Approved and reversed")
    REJECTED = "rejected", _("Rejected")


class ReversalOutcome(models.TextChoices):
    """The checker's decision on a reversal request (复核结论)."""

    APPROVE = "approve", _("Approve the reversal")
    REJECT = "reject", _("Reject the reversal")


class Classification(models.TextChoices):
    """Five-category loan classification (五级分类); filled by end of day, `normal` until then."""

    NORMAL = "normal", _("Normal")
    SPECIAL_MENTION = "special_mention", _("Special mention")
    SUBSTANDARD = "substandard", _("Substandard")
    DOUBTFUL = "doubtful", _("Doubtful")
    LOSS = "loss", _("Loss")


EVENT_LABELS = {
    "loan.opened": _("Loan opened and disbursed"),
    "loan.repayment_posted": _("Repayment posted"),
    "loan.reversal_requested": _("Reversal requested"),
    "loan.reversal_approved": _("Reversal approved"),
    "loan.reversal_rejected": _("Reversal rejected"),
    "loan.settled": _("Loan settled"),
}
event_labels.register(EVENT_LABELS, areas={"loan": _("Loans")})
