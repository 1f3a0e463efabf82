"""Choices of the contracts app: contract states, review stages and outcomes, key terms, signers."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from creditdesk.core import event_labels


class ContractStatus(models.TextChoices):
    """Loan contract (借款合同) states; the transitions are in `Contract`, the moves in `services.py`/`reviews.py`."""

    DRAFT = "draft", _("Draft")
    BUSINESS_REVIEW = "business_review", _("Awaiting business review")
    RISK_REVIEW = "risk_review", _("Awaiting risk review")
    LEGAL_REVIEW = "legal_review", _("Awaiting legal review")
    READY_TO_SIGN = "ready_to_sign", _("Ready to sign")
    SIGNED = "signed", _("Signed")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")


# A contract that still holds its plan and its vehicle: everything but the two ends that release them.
LIVE_STATUSES = (
    ContractStatus.DRAFT,
    ContractStatus.BUSINESS_REVIEW,
    ContractStatus.RISK_REVIEW,
    ContractStatus.LEGAL_REVIEW,
    ContractStatus.READY_TO_SIGN,
    ContractStatus.SIGNED,
)
REVIEW_STATUSES = (ContractStatus.BUSINESS_REVIEW, ContractStatus.RISK_REVIEW, ContractStatus.LEGAL_REVIEW)


class ReviewStage(models.TextChoices):
    """Contract review stages (合同审查环节), CON-2: the same values as the statuses that wait for them."""

    BUSINESS_REVIEW = "business_review", _("Business review")
    RISK_REVIEW = "risk_review", _("Risk review of the risk clauses")
    LEGAL_REVIEW = "legal_review", _("Legal review")


class ReviewOutcome(models.TextChoices):
    """What a contract reviewer decides (审查结论)."""

    APPROVE = "approve", _("Approve")
    REJECT = "reject", _("Reject")


class KeyTerm(models.TextChoices):
    """The key terms explained to the customer before signing (重要条款告知), CON-3."""

    RATE = "rate", _("Contract rate")
    APR = "apr", _("Annualised rate (APR)")
    FEES = "fees", _("Fees")
    PENALTY = "penalty", _("Penalty interest")
    EARLY_SETTLEMENT = "early_settlement", _("Early settlement")
    COLLECTION = "collection", _("Collection")
    DATA_USE = "data_use", _("Use of personal information")


class SignerRole(models.TextChoices):
    """Who signs a contract (签约方)."""

    BORROWER = "borrower", _("Borrower")
    CO_BORROWER = "co_borrower", _("Co-borrower")
    GUARANTOR = "guarantor", _("Guarantor")


# What the audit events of a contract mean, for timelines (the contract's and the customer's).
EVENT_LABELS = {
    "contract.created": _("Contract generated"),
    "contract.submitted": _("Contract submitted for review"),
    "contract.reviewed": _("Contract review recorded"),
    "contract.ready_to_sign": _("Contract ready to sign"),
    "contract.rejected": _("Contract rejected"),
    "contract.cancelled": _("Contract cancelled"),
    "contract.key_terms_explained": _("Key terms explained to the customer"),
    "contract.signed": _("Contract signed by every party"),
    "contract.mortgage_registered": _("Mortgage registered"),
    "contract.mortgage_released": _("Mortgage released"),
}
event_labels.register(EVENT_LABELS, areas={"contract": _("Contracts")})
