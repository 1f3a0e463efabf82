"""API schemas of loan accounts (贷款账户): the loan, its schedule with what is paid, transactions with their
allocations and journal lines, repayments, reversals (maker-checker) and the settlement quote."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from ninja import Field, Schema

from creditdesk.accounts.display import customer_name_for
from creditdesk.core.fields import RATE_DESCRIPTION, PriceAmount
from creditdesk.core.schema import Date, Id, LongText, OneOf, StrictIn, Text
from creditdesk.loans.choices import Channel, LoanStatus, ReversalOutcome
from creditdesk.loans.models import Loan


class LoanQuery(Schema):
    status: Annotated[str, OneOf(["", *LoanStatus.values])] = Field("", description="One status.")
    customer_id: Id | None = None
    search: Text = Field("", max_length=100, description="Part of the loan number, contract number or name.")


class LoanOut(Schema):
    id: int
    number: str
    customer_id: int
    customer_name: str
    contract_id: int | None = Field(description="The contract of the loan's plan.")
    contract_number: str | None
    plan_id: int
    product_code: str
    status: str = Field(description="active, settled, terminated or written_off")
    principal_amount: Decimal
    outstanding_principal_amount: Decimal
    annual_rate: Decimal = Field(description=RATE_DESCRIPTION)
    term_months: int
    method: str
    start_on: dt.date = Field(description="The disbursement date.")
    first_due_on: dt.date
    settled_on: dt.date | None
    days_past_due: int = Field(description="Filled by end of day; 0 until then.")
    classification: str = Field(description="Five-category class, filled by end of day; normal until then.")

    @staticmethod
    def resolve_customer_name(obj: Loan, context: Any) -> str:
        return customer_name_for(context, obj.customer)

    @staticmethod
    def resolve_product_code(obj: Loan) -> str:
        return str(obj.product.code)

    @staticmethod
    def resolve_contract_id(obj: Any) -> int | None:
        return getattr(obj, "contract_id", None)

    @staticmethod
    def resolve_contract_number(obj: Any) -> str | None:
        return getattr(obj, "contract_number", None)


class LoanDetailOut(LoanOut):
    paid_interest_amount: Decimal
    paid_fee_amount: Decimal
    paid_penalty_amount: Decimal
    credit_balance_amount: Decimal = Field(description="Money received beyond what was owed, kept for the borrower.")


class ScheduleLineOut(Schema):
    """The quote's instalment fields plus what is paid on each component; a partial payment shows in the paid
    amounts, not in the status."""

    period: int
    due_on: dt.date
    opening_balance_amount: Decimal
    principal_amount: Decimal
    interest_amount: Decimal
    fee_amount: Decimal
    penalty_amount: Decimal
    total_amount: Decimal
    closing_balance_amount: Decimal
    paid_principal_amount: Decimal
    paid_interest_amount: Decimal
    paid_fee_amount: Decimal
    paid_penalty_amount: Decimal
    status: str = Field(description="not_due, due, overdue or paid")


class AllocationOut(Schema):
    period: int | None = Field(description="The instalment; null for a loan-level charge (early-settlement fee).")
    component: str = Field(description="fee, penalty, interest or principal")
    amount: Decimal

    @staticmethod
    def resolve_period(obj: Any) -> int | None:
        return obj.instalment.period if obj.instalment_id else None


class JournalLineOut(Schema):
    account_code: str
    account_name: str
    account_role: str
    debit_amount: Decimal
    credit_amount: Decimal

    @staticmethod
    def resolve_account_code(obj: Any) -> str:
        return str(obj.account.code)

    @staticmethod
    def resolve_account_name(obj: Any) -> str:
        return str(obj.account.name)

    @staticmethod
    def resolve_account_role(obj: Any) -> str:
        return str(obj.account.role)


class TransactionOut(Schema):
    id: int
    loan_id: int
    kind: str = Field(description="disbursement, repayment, reversal, …")
    amount: Decimal = Field(description="Signed: a reversal carries the negative of what it reverses.")
    unallocated_amount: Decimal = Field(description="The part kept as a credit balance.")
    value_on: dt.date
    posted_on: dt.date = Field(description="The business date it was posted on.")
    channel: str
    reference: str
    settles_loan: bool
    reverses_id: int | None
    reversed: bool = Field(description="A later reversal points back to this transaction.")
    created_by: str
    allocations: list[AllocationOut]
    journal_lines: list[JournalLineOut]

    @staticmethod
    def resolve_created_by(obj: Any) -> str:
        return str(obj.created_by)

    @staticmethod
    def resolve_reversed(obj: Any) -> bool:
        return hasattr(obj, "reversed_by")

    @staticmethod
    def resolve_allocations(obj: Any) -> list[Any]:
        return list(obj.allocations.all())

    @staticmethod
    def resolve_journal_lines(obj: Any) -> list[Any]:
        return list(obj.journal_lines.all())


class RepaymentIn(StrictIn):
    amount: PriceAmount = Field(description="Yuan to the fen, more than zero.")
    paid_on: Date = Field(
        description="The day the money arrived: not before disbursement, not after the business date."
    )
    channel: Annotated[str, OneOf(Channel)] = Field(description="bank_transfer, direct_debit, counter, online, …")
    reference: Text = Field("", max_length=100, description="The bank's or the payer's reference.")


class SettlementIn(StrictIn):
    on: Date = Field(description="The settlement date: not before disbursement, not after the business date.")
    channel: Annotated[str, OneOf(Channel)] = Channel.BANK_TRANSFER
    reference: Text = Field("", max_length=100)


class ReversalIn(StrictIn):
    reason: LongText = Field(max_length=2000, description="Why the transaction is reversed (required).")


class ReversalDecisionIn(StrictIn):
    outcome: Annotated[str, OneOf(ReversalOutcome)] = Field(description="approve or reject")
    opinion: LongText = Field("", max_length=2000)


class ReversalOut(Schema):
    id: int
    transaction_id: int
    reason: str
    state: str = Field(description="pending, approved or rejected")
    requested_by: str
    requested_on: dt.date
    decided_by: str | None
    decided_on: dt.date | None
    reversal_id: int | None = Field(description="The reversing transaction, once approved.")

    @staticmethod
    def resolve_requested_by(obj: Any) -> str:
        return str(obj.requested_by)

    @staticmethod
    def resolve_decided_by(obj: Any) -> str | None:
        return str(obj.decided_by) if obj.decided_by_id else None


class SettlementQuoteOut(Schema):
    """What settles the loan on `on` (Civil Code Art. 677): interest only for the days actually used."""

    on: dt.date
    principal_amount: Decimal
    interest_amount: Decimal = Field(description="Matured unpaid interest plus the current period's for the days used.")
    accrued_interest_amount: Decimal = Field(description="Of which the current period's, for `days_used`.")
    days_used: int
    fee_amount: Decimal
    penalty_amount: Decimal
    early_settlement_fee_amount: Decimal
    total_amount: Decimal
