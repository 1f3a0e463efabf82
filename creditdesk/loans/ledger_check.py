"""The ledger invariant (issue 13 item 6), set-based: a handful of aggregate queries over the whole book, no per-loan
loop. Every stored balance must equal what the allocation rows imply, and every transaction's journal debits must
equal its credits."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import DecimalField, ExpressionWrapper, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Abs, Coalesce
from django.db.models.lookups import GreaterThan

from creditdesk.loans.models import COMPONENT_PAID, LOAN_PAID, Allocation, Instalment, JournalLine, Loan, Transaction

MONEY = DecimalField(max_digits=18, decimal_places=2)


def _allocated(outer: str, **filters: object) -> Coalesce:
    rows = Allocation.objects.filter(**{outer: OuterRef("pk")}, **filters).order_by().values(outer)
    return Coalesce(Subquery(rows.annotate(s=Sum("amount")).values("s")[:1], output_field=MONEY), Value(Decimal("0")))


HALF_FEN = Decimal("0.005")


def _differs(difference: Any) -> Q:
    """More than half a fen apart: SQLite computes decimal sums in binary floating point, so exact equality of two
    sums can fail by 1e-11 on a consistent book; a real difference is at least one fen."""
    return Q(GreaterThan(Abs(ExpressionWrapper(difference, output_field=MONEY)), Value(HALF_FEN)))


def differences() -> list[str]:
    """Every difference found, one line each; empty when the book is consistent."""
    found: list[str] = []
    loans = Loan.objects.annotate(
        alloc_principal=_allocated("transaction__loan", component="principal"),
        **{f"alloc_{c}": _allocated("transaction__loan", component=c) for c in LOAN_PAID},
        unallocated=Coalesce(
            Subquery(
                Transaction.objects.filter(loan=OuterRef("pk"))
                .order_by()
                .values("loan")
                .annotate(s=Sum("unallocated_amount"))
                .values("s")[:1],
                output_field=MONEY,
            ),
            Value(Decimal("0")),
        ),
    )
    wrong = _differs(F("outstanding_principal_amount") + F("alloc_principal") - F("principal_amount"))
    wrong |= _differs(F("credit_balance_amount") - F("unallocated"))
    for component, field in LOAN_PAID.items():
        wrong |= _differs(F(field) - F(f"alloc_{component}"))
    for number, pk in loans.filter(wrong).values_list("number", "pk"):
        found.append(f"loan {number} (id {pk}): stored balances differ from its allocations")
    instalments = Instalment.objects.annotate(
        **{f"alloc_{c}": _allocated("instalment", component=c) for c in COMPONENT_PAID}
    )
    wrong = Q(pk__in=[])
    for component, field in COMPONENT_PAID.items():
        wrong |= _differs(F(field) - F(f"alloc_{component}"))
    for loan_id, period in instalments.filter(wrong).values_list("loan_id", "period"):
        found.append(f"loan id {loan_id} instalment {period}: paid amounts differ from its allocations")
    unbalanced = (
        JournalLine.objects.order_by()
        .values("transaction")
        .annotate(d=Sum("debit_amount"), c=Sum("credit_amount"))
        .filter(_differs(F("d") - F("c")))
        .values_list("transaction", flat=True)
    )
    for tx in unbalanced:
        found.append(f"transaction {tx}: journal debits differ from credits")
    return found
