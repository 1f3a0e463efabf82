"""Loans: loan accounts (贷款账户), their instalments, the immutable ledger and its double entry (issue 13 item 4).

Stored balances (the loan's outstanding principal and paid totals, each instalment's paid amounts) are a cache of
what the allocation rows imply; `services.py` keeps them in step in the same transaction and `creditdesk
check-ledger` proves it over the whole book.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from creditdesk.assessment.choices import RepaymentMethod
from creditdesk.core.model_fields import MoneyField, RateField
from creditdesk.core.models import BaseModel
from creditdesk.loans.choices import (
    AccountKind,
    AccountRole,
    AllocationMode,
    Channel,
    Classification,
    Component,
    InstalmentStatus,
    LoanStatus,
    OverpaymentRule,
    ReversalState,
    TransactionKind,
)

ZERO_MONEY = Decimal("0.00")


def _default_order() -> list[str]:
    return [Component.FEE, Component.PENALTY, Component.INTEREST, Component.PRINCIPAL]


class RepaymentRule(BaseModel):
    """Repayment rule of a product (还款冲账规则): allocation order and mode, overpayment, early-settlement fee.

    Keyed by the product's code (all its versions); a product without a row uses the defaults of DOMAIN.md §4:
    fees → penalty → interest → principal, matured instalments oldest first, instalment by instalment.
    """

    product_code = models.CharField(_("product code"), max_length=32, unique=True)
    allocation_order = models.JSONField(
        _("allocation order"),
        default=_default_order,
        help_text=_('The four components in order, e.g. ["fee", "penalty", "interest", "principal"].'),
    )
    allocation_mode = models.CharField(
        _("allocation mode"), max_length=16, choices=AllocationMode.choices, default=AllocationMode.BY_INSTALMENT
    )
    overpayment = models.CharField(
        _("overpayment"), max_length=16, choices=OverpaymentRule.choices, default=OverpaymentRule.CREDIT_BALANCE
    )
    early_settlement_fee_rate = RateField(
        _("early-settlement fee rate"), default=0, help_text=_("Share of the outstanding principal; 0 for none.")
    )

    class Meta:
        verbose_name = _("repayment rule")
        verbose_name_plural = _("repayment rules")
        ordering = ["product_code"]

    def __str__(self) -> str:
        return self.product_code

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        order = self.allocation_order
        if not isinstance(order, list) or sorted(map(str, order)) != sorted(Component.values):
            raise ValidationError({"allocation_order": _("Name each of fee, penalty, interest and principal once.")})


class Loan(FSMModelMixin, BaseModel):
    """Loan account (贷款账户): opened from an approved service plan with its whole principal paid out (Art. 670).

    The schedule's instalments are rows of `Instalment`; money moves only as `Transaction` rows. Status moves
    through `services.py` only: active → settled (and back if the settling payment is reversed).
    """

    number = models.CharField(_("loan number"), max_length=24, unique=True)
    customer = models.ForeignKey(
        "customers.Customer", verbose_name=_("customer"), on_delete=models.PROTECT, related_name="loans"
    )
    plan = models.OneToOneField(
        "lending.ServicePlan", verbose_name=_("service plan"), on_delete=models.PROTECT, related_name="loan"
    )
    product = models.ForeignKey(
        "lending.Product", verbose_name=_("product version"), on_delete=models.PROTECT, related_name="+"
    )
    status = FSMField(_("status"), max_length=16, choices=LoanStatus.choices, default=LoanStatus.ACTIVE, protected=True)
    principal_amount = MoneyField(_("principal"), editable=False)
    annual_rate = RateField(_("annual rate"), editable=False)
    term_months = models.PositiveSmallIntegerField(_("term (months)"), editable=False)
    method = models.CharField(_("repayment method"), max_length=24, choices=RepaymentMethod.choices, editable=False)
    start_on = models.DateField(_("disbursed on"), editable=False)
    first_due_on = models.DateField(_("first due date"), editable=False)
    settled_on = models.DateField(_("settled on"), null=True, blank=True, editable=False)
    # Stored balances: what the allocations imply (check-ledger).
    outstanding_principal_amount = MoneyField(_("outstanding principal"), editable=False)
    paid_interest_amount = MoneyField(_("interest received"), default=ZERO_MONEY, editable=False)
    paid_fee_amount = MoneyField(_("fees received"), default=ZERO_MONEY, editable=False)
    paid_penalty_amount = MoneyField(_("penalty received"), default=ZERO_MONEY, editable=False)
    credit_balance_amount = MoneyField(_("credit balance"), default=ZERO_MONEY, editable=False)
    # Filled by end of day (issue 13 with the EOD issue): until then 0 and normal.
    days_past_due = models.PositiveIntegerField(_("days past due"), default=0, editable=False)
    classification = models.CharField(
        _("classification"), max_length=16, choices=Classification.choices, default=Classification.NORMAL
    )

    SCOPE_OWNER = "customer__owner"
    SCOPE_ORG_UNIT = "customer__org_unit"

    class Meta:
        verbose_name = _("loan")
        verbose_name_plural = _("loans")
        ordering = ["-start_on", "-id"]
        indexes = [models.Index(fields=["status", "-start_on"], name="loans_loan_status_idx")]
        constraints = [
            models.CheckConstraint(condition=models.Q(principal_amount__gt=0), name="loans_loan_principal_positive"),
            models.CheckConstraint(
                condition=models.Q(outstanding_principal_amount__gte=0), name="loans_loan_outstanding_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(credit_balance_amount__gte=0), name="loans_loan_credit_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @transition(field=status, source=LoanStatus.ACTIVE, target=LoanStatus.SETTLED)
    def settle(self) -> None:
        pass

    @transition(field=status, source=LoanStatus.SETTLED, target=LoanStatus.ACTIVE)
    def reopen(self) -> None:
        """Only when the payment that settled the loan is reversed."""


class Instalment(BaseModel):
    """Instalment (还款计划期次): the schedule line as contracted and what has been paid on each component.

    Period 0, when present, holds the one-off fees due on the disbursement date (charged separately, never deducted
    from the payout: Civil Code Art. 670).
    """

    loan = models.ForeignKey(Loan, verbose_name=_("loan"), on_delete=models.CASCADE, related_name="instalments")
    period = models.PositiveSmallIntegerField(_("period"))
    due_on = models.DateField(_("due on"))
    opening_balance_amount = MoneyField(_("opening balance"), editable=False)
    principal_amount = MoneyField(_("principal due"), editable=False)
    interest_amount = MoneyField(_("interest due"), editable=False)
    fee_amount = MoneyField(_("fees due"), editable=False)
    penalty_amount = MoneyField(_("penalty due"), default=ZERO_MONEY, editable=False)
    total_amount = MoneyField(_("total due"), editable=False)
    closing_balance_amount = MoneyField(_("closing balance"), editable=False)
    paid_principal_amount = MoneyField(_("principal paid"), default=ZERO_MONEY, editable=False)
    paid_interest_amount = MoneyField(_("interest paid"), default=ZERO_MONEY, editable=False)
    paid_fee_amount = MoneyField(_("fees paid"), default=ZERO_MONEY, editable=False)
    paid_penalty_amount = MoneyField(_("penalty paid"), default=ZERO_MONEY, editable=False)
    status = models.CharField(
        _("status"), max_length=16, choices=InstalmentStatus.choices, default=InstalmentStatus.NOT_DUE
    )

    SCOPE_OWNER = "loan__customer__owner"
    SCOPE_ORG_UNIT = "loan__customer__org_unit"

    class Meta:
        verbose_name = _("instalment")
        verbose_name_plural = _("instalments")
        ordering = ["loan", "period"]
        constraints = [
            models.UniqueConstraint(fields=["loan", "period"], name="loans_instalment_period_once"),
            models.CheckConstraint(
                condition=models.Q(
                    paid_principal_amount__gte=0, paid_principal_amount__lte=models.F("principal_amount")
                )
                & models.Q(paid_interest_amount__gte=0, paid_interest_amount__lte=models.F("interest_amount"))
                & models.Q(paid_fee_amount__gte=0, paid_fee_amount__lte=models.F("fee_amount"))
                & models.Q(paid_penalty_amount__gte=0, paid_penalty_amount__lte=models.F("penalty_amount")),
                name="loans_instalment_paid_within_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.loan_id}#{self.period}"

    def due(self, component: str) -> Any:
        return getattr(self, COMPONENT_DUE[component])

    def paid(self, component: str) -> Any:
        return getattr(self, COMPONENT_PAID[component])

    @property
    def paid_amount(self) -> Any:
        return sum(self.paid(c) for c in Component.values)

    @property
    def unpaid_amount(self) -> Any:
        return sum(self.due(c) - self.paid(c) for c in Component.values)


COMPONENT_DUE: dict[str, str] = {
    Component.FEE: "fee_amount",
    Component.PENALTY: "penalty_amount",
    Component.INTEREST: "interest_amount",
    Component.PRINCIPAL: "principal_amount",
}
COMPONENT_PAID: dict[str, str] = {
    Component.FEE: "paid_fee_amount",
    Component.PENALTY: "paid_penalty_amount",
    Component.INTEREST: "paid_interest_amount",
    Component.PRINCIPAL: "paid_principal_amount",
}
LOAN_PAID: dict[str, str] = {
    Component.FEE: "paid_fee_amount",
    Component.PENALTY: "paid_penalty_amount",
    Component.INTEREST: "paid_interest_amount",
}


class ImmutableError(Exception):
    """A ledger row was to be changed or deleted: the ledger is append-only (corrections are reversals)."""


class AppendOnly(models.Model):
    """A row written once: saving an existing row or deleting one raises `ImmutableError`."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ImmutableError(f"{type(self).__name__} rows are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ImmutableError(f"{type(self).__name__} rows are never deleted")


class Transaction(AppendOnly):
    """Ledger transaction (账务交易): one money movement, immutable; a correction is a reversal pointing back.

    `amount` is signed (a reversal carries the negative of what it reverses); `unallocated_amount` is the part kept
    as a credit balance. The idempotency key is unique per loan; `request_hash` tells a replay from a reuse.
    """

    loan = models.ForeignKey(Loan, verbose_name=_("loan"), on_delete=models.PROTECT, related_name="transactions")
    kind = models.CharField(_("kind"), max_length=16, choices=TransactionKind.choices)
    amount = MoneyField(_("amount"))
    unallocated_amount = MoneyField(_("kept as credit balance"), default=ZERO_MONEY)
    value_on = models.DateField(_("value date"))
    posted_on = models.DateField(_("posted on (business date)"))
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    idempotency_key = models.CharField(_("idempotency key"), max_length=100, blank=True)
    request_hash = models.CharField(_("request hash"), max_length=64, blank=True)
    settles_loan = models.BooleanField(_("settles the loan"), default=False)
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("reverses"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversed_by",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    SCOPE_OWNER = "loan__customer__owner"
    SCOPE_ORG_UNIT = "loan__customer__org_unit"

    class Meta:
        verbose_name = _("transaction")
        verbose_name_plural = _("transactions")
        ordering = ["loan", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["loan", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="loans_transaction_key_once_per_loan",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.loan_id}/{self.pk} {self.kind} {self.amount}"


class Allocation(AppendOnly):
    """Allocation (冲账明细): the part of a transaction that went to one component of one instalment; signed, so a
    reversal writes the negatives. A loan-level charge (the early-settlement fee) has no instalment."""

    transaction = models.ForeignKey(
        Transaction, verbose_name=_("transaction"), on_delete=models.PROTECT, related_name="allocations"
    )
    instalment = models.ForeignKey(
        Instalment,
        verbose_name=_("instalment"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="allocations",
    )
    component = models.CharField(_("component"), max_length=16, choices=Component.choices)
    amount = MoneyField(_("amount"))

    class Meta:
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        ordering = ["transaction", "id"]
        constraints = [models.CheckConstraint(condition=~models.Q(amount=0), name="loans_allocation_not_zero")]

    def __str__(self) -> str:
        return f"{self.transaction_id} {self.component} {self.amount}"


class LedgerAccount(BaseModel):
    """Ledger account (会计科目) of the configurable chart; the postings find each by its `role`."""

    role = models.CharField(_("used for"), max_length=24, choices=AccountRole.choices, unique=True)
    code = models.CharField(_("code"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=AccountKind.choices)

    class Meta:
        verbose_name = _("ledger account")
        verbose_name_plural = _("chart of accounts")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class JournalLine(AppendOnly):
    """Journal line (会计分录行): one side of a transaction's double entry; debits equal credits per transaction."""

    transaction = models.ForeignKey(
        Transaction, verbose_name=_("transaction"), on_delete=models.PROTECT, related_name="journal_lines"
    )
    account = models.ForeignKey(LedgerAccount, verbose_name=_("account"), on_delete=models.PROTECT, related_name="+")
    debit_amount = MoneyField(_("debit"), default=ZERO_MONEY)
    credit_amount = MoneyField(_("credit"), default=ZERO_MONEY)

    class Meta:
        verbose_name = _("journal line")
        verbose_name_plural = _("journal lines")
        ordering = ["transaction", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(debit_amount__gt=0) & models.Q(credit_amount=0))
                | (models.Q(credit_amount__gt=0) & models.Q(debit_amount=0)),
                name="loans_journal_one_side",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.transaction_id} {self.account_id} {self.debit_amount}/{self.credit_amount}"


class ReversalRequest(BaseModel):
    """Reversal request (冲正申请): a finance user asks with a reason, a second, different one approves (maker-
    checker); the approval writes the reversing transaction."""

    transaction = models.ForeignKey(
        Transaction, verbose_name=_("transaction"), on_delete=models.PROTECT, related_name="reversal_requests"
    )
    reason = models.TextField(_("reason"))
    state = models.CharField(_("state"), max_length=16, choices=ReversalState.choices, default=ReversalState.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    requested_on = models.DateField(_("requested on"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    reversal = models.OneToOneField(
        Transaction,
        verbose_name=_("reversing transaction"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    SCOPE_OWNER = "transaction__loan__customer__owner"
    SCOPE_ORG_UNIT = "transaction__loan__customer__org_unit"

    class Meta:
        verbose_name = _("reversal request")
        verbose_name_plural = _("reversal requests")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["transaction"],
                condition=models.Q(state="pending"),
                name="loans_reversal_one_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.transaction_id} {self.state}"
