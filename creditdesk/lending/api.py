"""API of the lending app: `/quotes` (schedule and APR preview, no side effects) here, `/plans` in `plans_api`."""

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema

from creditdesk.accounts.auth import api_auth
from creditdesk.accounts.permissions import Perm
from creditdesk.core.api import ERRORS
from creditdesk.core.dates import business_date
from creditdesk.core.fields import RATE_DESCRIPTION, PriceAmount, Rate
from creditdesk.core.schema import Date, StrictIn, Text
from creditdesk.lending.plans_api import router as plans_router
from creditdesk.lending.quotes import quote
from creditdesk.lending.schemas import INSTALMENT_AMOUNTS, AprOut, FeeOut, InstalmentOut

router = Router()
quotes_router = Router(tags=["quotes"])


class QuoteIn(StrictIn):
    product: Text | None = Field(None, max_length=32, description="Product code; optional (arithmetic only without).")
    principal_amount: PriceAmount | None = None
    price_amount: PriceAmount | None = None
    down_payment_amount: PriceAmount | None = None
    term_months: int = Field(ge=1, le=360)
    method: str = Field(pattern="^(equal_instalment|equal_principal|interest_first)$")
    annual_rate: Rate | None = Field(
        None, description=f"{RATE_DESCRIPTION} Null: priced from the product, the risk level and the grade."
    )
    risk_level: str | None = Field(None, pattern="^(low|medium|high)$")
    grade: str | None = Field(None, pattern="^[ABCD]$", description="Customer grade for pricing (default B).")
    start_on: Date | None = Field(
        None,
        description="Planned disbursement date (放款日), within 60 months of the business date; default the business "
        "date. The due dates fall on its day of month (or the product's fixed repayment day), clamped to each "
        "month's end.",
    )
    first_due_on: Date | None = Field(
        None,
        description="Optional first due date, after start_on and within 12 months of it; default one month after "
        "start_on. A broken first period counts as a full month unless the product counts actual days / 360.",
    )


class QuoteOut(Schema):
    product: str
    start_on: dt.date
    principal_amount: Decimal
    net_payout_amount: Decimal = Field(description="Paid to the payee: the whole principal, nothing deducted.")
    annual_rate: Decimal = Field(description=RATE_DESCRIPTION)
    upfront_fee_amount: Decimal = Field(description="Total of the one-off fees (`fees`), each charged separately.")
    fees: list[FeeOut]
    instalments: list[InstalmentOut]
    total_principal_amount: Decimal
    total_interest_amount: Decimal
    total_fee_amount: Decimal
    apr: AprOut


@quotes_router.post(
    "/quotes",
    auth=api_auth(Perm.QUOTE_CREATE),
    response={200: QuoteOut, **ERRORS},
    summary="Repayment schedule and APR preview (no side effects)",
)
def create_quote(request: HttpRequest, payload: QuoteIn) -> Any:
    """PLAN-5/PLAN-8: equal instalment, equal principal or interest first, each line to the fen, with the
    annualised rate by the IRR method (nominal = monthly IRR × 12, effective = compounded). The whole principal is
    paid out (`net_payout_amount`); the product's one-off fees are separate charges with their due dates (`fees`),
    counted in the APR where they fall."""
    result = quote(business_on=business_date(), **payload.dict())
    schedule = result.schedule
    body = {
        "product": result.product_code,
        "start_on": result.start_on.isoformat(),
        "principal_amount": str(result.principal_amount),
        "annual_rate": str(result.annual_rate),
        "net_payout_amount": str(result.net_payout_amount),
        "upfront_fee_amount": str(result.upfront_fee_amount),
        "fees": [{"kind": str(f.kind), "amount": str(f.amount), "due_on": f.due_on.isoformat()} for f in result.fees],
        "instalments": [
            {
                "period": line.period,
                "due_on": line.due_on.isoformat(),
                **{name: str(getattr(line, name)) for name in INSTALMENT_AMOUNTS},
            }
            for line in schedule.instalments
        ],
        "total_principal_amount": str(schedule.total_principal_amount),
        "total_interest_amount": str(schedule.total_interest_amount),
        "total_fee_amount": str(schedule.total_fee_amount),
        "apr": {"nominal_rate": str(result.apr.nominal_rate), "effective_rate": str(result.apr.effective_rate)},
    }
    # Serialised here rather than by the schema: a 36-line schedule through pydantic costs more than computing it.
    # The shape is QuoteOut's (declared above for the OpenAPI document; the contract tests validate it).
    return HttpResponse(json.dumps(body), content_type="application/json")


router.add_router("/", quotes_router)
router.add_router("/", plans_router)
