"""Request and response schemas of the customers API (`customers/api.py`)."""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from ninja import Field, Schema

from creditdesk.accounts.display import customer_name_for
from creditdesk.core.dates import business_date
from creditdesk.core.fields import Amount, IncomeAmount, PriceAmount
from creditdesk.core.masking import mask
from creditdesk.core.schema import Date, Id, LongText, Name, OneOf, StrictIn, StrictPatch, Text
from creditdesk.customers import selectors
from creditdesk.customers.choices import (
    AgreementStatus,
    Channel,
    EventType,
    Gender,
    Housing,
    Impact,
    MaritalStatus,
    PartnerKind,
    SavingsBand,
)


class CustomerIn(StrictIn):
    """A new customer: `kind` individual needs `id_number` and `mobile`; company needs `credit_code`."""

    kind: str = Field(pattern="^(individual|company)$")
    name: Name = Field(min_length=1, max_length=100)
    id_number: Text | None = Field(None, max_length=32)
    mobile: Text | None = Field(None, max_length=20)
    credit_code: Text | None = Field(None, max_length=32)
    address: Text | None = Field(None, max_length=300)
    channel: Annotated[str, OneOf(Channel)] | None = None
    gender: Annotated[str, OneOf(Gender)] | None = None
    birth_on: Date | None = None
    occupation: Text | None = Field(None, max_length=100)
    employer: Text | None = Field(None, max_length=200)
    employment_years: int | None = Field(None, ge=0, le=80)
    monthly_income_amount: IncomeAmount | None = None
    marital_status: Annotated[str, OneOf(MaritalStatus)] | None = None
    housing: Annotated[str, OneOf(Housing)] | None = None
    dependants: int | None = Field(None, ge=0, le=30)
    existing_debt_amount: PriceAmount | None = None
    savings_band: Annotated[str, OneOf(SavingsBand)] | None = None
    purchase_purpose: LongText | None = Field(None, max_length=200)
    budget_amount: PriceAmount | None = None
    legal_representative: Name | None = Field(None, max_length=100)
    legal_representative_id_number: Text | None = Field(None, max_length=32)
    registered_capital_amount: Amount | None = None
    established_on: Date | None = None
    business_scope: LongText | None = Field(None, max_length=2000)
    industry_division: int | None = Field(None, ge=1, le=97)
    employees: int | None = Field(None, ge=0)


class CustomerPatch(StrictPatch):
    name: Name | None = Field(None, min_length=1, max_length=100)
    mobile: Text | None = Field(None, max_length=20)
    address: Text | None = Field(None, max_length=300)
    occupation: Text | None = Field(None, max_length=100)
    employer: Text | None = Field(None, max_length=200)
    monthly_income_amount: IncomeAmount | None = None
    purchase_purpose: LongText | None = Field(None, max_length=200)
    budget_amount: PriceAmount | None = None
    registered_capital_amount: Amount | None = None
    employees: int | None = Field(None, ge=0)
    business_scope: LongText | None = Field(None, max_length=2000)


class CustomerOut(Schema):
    """A customer as lists and details show it: identifiers masked (PRIN-3), an individual's name masked for the
    governance roles (accounts/display.py)."""

    id: int
    kind: str
    name: str
    id_number: str
    mobile: str
    credit_code: str
    gender: str
    birth_on: dt.date | None
    grade: str
    credit_status: str
    channel: str
    owner: str
    org_unit: str
    created_at: dt.datetime

    @staticmethod
    def resolve_name(obj: Any, context: Any) -> str:
        return customer_name_for(context, obj)

    @staticmethod
    def resolve_id_number(obj: Any) -> str:
        return mask("id_number", obj.id_number)

    @staticmethod
    def resolve_mobile(obj: Any) -> str:
        return mask("mobile", obj.mobile)

    @staticmethod
    def resolve_credit_code(obj: Any) -> str:
        return mask("credit_code", obj.credit_code)

    @staticmethod
    def resolve_owner(obj: Any) -> str:
        return obj.owner.get_username()

    @staticmethod
    def resolve_org_unit(obj: Any) -> str:
        return obj.org_unit.code


class CustomerDetailOut(CustomerOut):
    address: str
    occupation: str
    employer: str
    monthly_income_amount: Decimal | None
    purchase_purpose: str
    budget_amount: Decimal | None
    legal_representative: str
    registered_capital_amount: Decimal | None
    established_on: dt.date | None
    industry_division: int | None
    employees: int | None
    authorization_in_force: bool

    @staticmethod
    def resolve_address(obj: Any) -> str:
        return mask("address", obj.address)

    @staticmethod
    def resolve_authorization_in_force(obj: Any) -> bool:
        return selectors.authorization_in_force(customer=obj, on=business_date()) is not None


class CustomerQuery(Schema):
    q: str = Field("", description="Name part, or an exact ID number, mobile or credit code.")
    id_number: str = Field("", description="Exact ID number (blind-index look-up).")
    mobile: str = Field("", description="Exact mobile number (blind-index look-up).")
    credit_code: str = Field("", description="Exact unified social credit code (blind-index look-up).")
    kind: str = ""
    grade: str = ""
    channel: str = ""
    owner: str = Field("", description="Username of the responsible salesperson.")
    branch: str = Field("", description="Org-unit code; includes the units below it.")


class SentOut(Schema):
    status: str


class AccessRequestIn(StrictIn):
    id_number: Text = Field("", max_length=32, description="the refused ID number, or")
    credit_code: Text = Field("", max_length=32, description="the refused unified social credit code")
    reason: LongText = Field(min_length=1, max_length=500)


class AccessRequestOut(Schema):
    id: int
    business_on: dt.date
    customer_id: int = Field(alias="subject_id")
    customer_name: str = Field(alias="subject_repr")
    requested_by: str = Field(alias="actor_repr")
    reason: str = Field(alias="comment")


class AuthorizationIn(StrictIn):
    signed_on: Date
    expires_on: Date
    purpose: LongText = Field(min_length=1, max_length=200)
    document_reference: Text = Field(min_length=1, max_length=100)
    scope: LongText = "credit_report"


class AuthorizationOut(Schema):
    id: int
    signed_on: dt.date
    expires_on: dt.date
    scope: str
    purpose: str
    document_reference: str
    revoked_on: dt.date | None


class LeadIn(StrictIn):
    name: Name = Field(min_length=1, max_length=100)
    kind: str = Field("individual", pattern="^(individual|company)$")
    channel: Annotated[str, OneOf(Channel)]
    mobile: Text | None = Field(None, max_length=20)
    id_number: Text | None = Field(None, max_length=32)
    credit_code: Text | None = Field(None, max_length=32)
    partner_id: Id | None = None
    campaign_id: Id | None = None
    event_id: Id | None = None
    notes: LongText = Field("", max_length=2000)


class LeadOut(Schema):
    id: int
    name: str
    kind: str
    status: str
    channel: str
    mobile: str
    partner: str | None
    owner: str
    customer_id: int | None
    lost_reason: str
    created_at: dt.datetime

    @staticmethod
    def resolve_name(obj: Any, context: Any) -> str:
        return customer_name_for(context, obj)

    @staticmethod
    def resolve_mobile(obj: Any) -> str:
        return mask("mobile", obj.mobile)

    @staticmethod
    def resolve_partner(obj: Any) -> str | None:
        return obj.partner.name if obj.partner else None

    @staticmethod
    def resolve_owner(obj: Any) -> str:
        return obj.owner.get_username()


class LeadQuery(Schema):
    status: str = ""
    channel: str = ""
    q: str = ""


class LeadMoveIn(StrictIn):
    to: str = Field(pattern="^(contacted|qualified|lost)$")
    reason: LongText = Field("", max_length=200)


class LeadConvertIn(StrictIn):
    id_number: Text | None = Field(None, max_length=32)
    credit_code: Text | None = Field(None, max_length=32)
    mobile: Text | None = Field(None, max_length=20)


class PartnerIn(StrictIn):
    name: Name = Field(min_length=1, max_length=200)
    kind: Annotated[str, OneOf(PartnerKind)]
    contact_name: Name = Field("", max_length=100)
    contact_phone: Text = Field("", max_length=32)
    address: Text = Field("", max_length=300)
    agreement_status: Annotated[str, OneOf(AgreementStatus)] = "none"
    agreement_signed_on: Date | None = None
    agreement_expires_on: Date | None = None
    is_active: bool = True


class PartnerPatch(StrictPatch):
    name: Name | None = Field(None, min_length=1, max_length=200)
    contact_name: Name | None = Field(None, max_length=100)
    contact_phone: Text | None = Field(None, max_length=32)
    address: Text | None = Field(None, max_length=300)
    agreement_status: Annotated[str, OneOf(AgreementStatus)] | None = None
    agreement_signed_on: Date | None = None
    agreement_expires_on: Date | None = None
    is_active: bool | None = None


class PartnerOut(Schema):
    id: int
    name: str
    kind: str
    contact_name: str
    contact_phone: str
    address: str
    agreement_status: str
    agreement_signed_on: dt.date | None
    agreement_expires_on: dt.date | None
    is_active: bool


class PartnerQuery(Schema):
    q: str = ""
    active: bool = False


class DocumentOut(Schema):
    id: int
    doc_type: str
    original_name: str
    content_type: str
    size_bytes: int
    sha256: str
    period: str
    created_at: dt.datetime

    @staticmethod
    def resolve_original_name(obj: Any) -> str:
        # Identifier-like digit runs masked: the name is metadata, shown without a purpose (item 8).
        return str(obj.shown_name)


class StatementIn(StrictIn):
    period: Text = Field(min_length=1, max_length=16)
    period_end_on: Date
    audited: bool = False
    current_assets_amount: Amount
    inventories_amount: Amount = Decimal("0.00")
    total_assets_amount: Amount
    current_liabilities_amount: Amount
    total_liabilities_amount: Amount
    equity_amount: Amount
    revenue_amount: Amount
    net_profit_amount: Amount
    operating_cash_flow_amount: Amount | None = None


class RatiosOut(Schema):
    current_ratio: Decimal | None
    quick_ratio: Decimal | None
    debt_to_asset: Decimal | None
    roe: Decimal | None
    net_margin: Decimal | None
    revenue_growth: Decimal | None
    operating_cash_flow_ratio: Decimal | None


class StatementOut(Schema):
    period: str
    period_end_on: dt.date
    audited: bool
    total_assets_amount: Decimal
    revenue_amount: Decimal
    net_profit_amount: Decimal
    ratios: RatiosOut


class MajorEventIn(StrictIn):
    event_type: Annotated[str, OneOf(EventType)]
    occurred_on: Date
    description: LongText = Field(min_length=1, max_length=4000)
    impact: Annotated[str, OneOf(Impact)] = "neutral"
    impact_assessment: LongText = Field("", max_length=4000)


class MajorEventOut(Schema):
    id: int
    event_type: str
    occurred_on: dt.date
    description: str
    impact: str
    impact_assessment: str


class TimelineOut(Schema):
    at: dt.datetime
    kind: str
    title: str
    detail: str


class GradeIn(StrictIn):
    grade: str = Field(pattern="^[ABCD]$")
    reason: LongText = Field(min_length=1, max_length=300)
