"""One-off fees (一次性费用) of a loan: separate charges, never deducted from the principal (issue 11 item 6).

Pure: no ORM, no clock. Civil Code Art. 670 forbids deducting interest from the principal in advance, and courts
treat a fee taken off the payout as disguised interest, reducing the principal to what was actually paid (《全国法院
民商事审判工作会议纪要》(九民纪要) §51). So the whole principal is paid to the payee (for a car loan the dealer or
seller) and every one-off fee the borrower pays for the loan — the service fee (a share of the principal), the GPS
fee, the mortgage registration fee — is its own charge with a due date (by default the disbursement date) and its
own receipt. The annualised rate counts each fee on its due date (`lending.apr.schedule_apr`, PBoC 〔2021〕No.3):
the borrower receives the principal at t0 and pays the fees due then, so a fee due on the disbursement date costs
what a deducted fee did; a fee due with the first instalment counts one month later.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from creditdesk.core.money import ZERO, quantize


class FeeKind(StrEnum):
    """What a one-off fee is for (费用项目); the labels are `choices.FEE_LABELS`."""

    SERVICE = "service_fee"  # 服务费: a share of the principal
    GPS = "gps_fee"  # GPS 安装及服务费
    REGISTRATION = "registration_fee"  # 抵押登记费


class FeeDue(StrEnum):
    """When the one-off fees fall due (费用收取时点)."""

    ON_DISBURSEMENT = "on_disbursement"  # 放款日
    WITH_FIRST_INSTALMENT = "with_first_instalment"  # 随首期还款


@dataclass(frozen=True)
class Fee:
    """One one-off charge: `period` 0 is the disbursement date, k the due date of instalment k."""

    kind: FeeKind
    amount: Decimal
    period: int
    due_on: dt.date

    def as_dict(self) -> dict[str, str | int]:
        """JSON for a plan: strings for money and dates."""
        return {"kind": str(self.kind), "amount": str(self.amount), "period": self.period, "due_on": str(self.due_on)}


def one_off_fees(
    *,
    principal_amount: Decimal,
    service_fee_rate: Decimal,
    gps_fee_amount: Decimal = ZERO,
    registration_fee_amount: Decimal = ZERO,
    due: FeeDue = FeeDue.ON_DISBURSEMENT,
    start_on: dt.date,
    first_due_on: dt.date,
) -> tuple[Fee, ...]:
    """The product's one-off fees for a loan, each due on the disbursement date or with the first instalment;
    fees of nothing are left out. The service fee is the share of the principal rounded half up to the fen."""
    period, due_on = (0, start_on) if FeeDue(due) == FeeDue.ON_DISBURSEMENT else (1, first_due_on)
    amounts = (
        (FeeKind.SERVICE, quantize(principal_amount * service_fee_rate)),
        (FeeKind.GPS, gps_fee_amount),
        (FeeKind.REGISTRATION, registration_fee_amount),
    )
    return tuple(Fee(kind, amount, period, due_on) for kind, amount in amounts if amount > ZERO)


def product_fees(product: Any, *, principal: Decimal, start_on: dt.date, first_due_on: dt.date) -> tuple[Fee, ...]:
    """The product's one-off fees on a loan: separate charges on their due dates (issue 11 item 6)."""
    return one_off_fees(
        principal_amount=principal,
        service_fee_rate=product.upfront_fee_rate,
        gps_fee_amount=product.gps_fee_amount,
        registration_fee_amount=product.registration_fee_amount,
        due=FeeDue(product.fees_due),
        start_on=start_on,
        first_due_on=first_due_on,
    )


def total(fees: tuple[Fee, ...] | list[Fee]) -> Decimal:
    return sum((fee.amount for fee in fees), ZERO)
