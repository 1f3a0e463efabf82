"""API schemas of contracts (借款合同): lists, the detail with its frozen figures, reviews, key terms, signatures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from ninja import Field, Schema

from creditdesk.accounts.display import api_viewer, customer_name_for, person_name
from creditdesk.contracts.choices import ContractStatus, KeyTerm, ReviewOutcome
from creditdesk.contracts.models import Contract
from creditdesk.core.fields import RATE_DESCRIPTION
from creditdesk.core.schema import Date, Id, LongText, OneOf, StrictIn, Text


class ContractQuery(Schema):
    status: Annotated[str, OneOf(["", *ContractStatus.values])] = Field("", description="One status.")
    customer_id: Id | None = None
    search: Text = Field("", max_length=100, description="Part of the number or the borrower's name.")


class ContractOut(Schema):
    id: int
    number: str
    plan_id: int
    customer_id: int
    customer_name: str
    status: str
    stage: str = Field(description="The review stage the contract waits at, or empty.")
    text_version: str
    principal_amount: Decimal
    annual_rate: Decimal = Field(description=RATE_DESCRIPTION)
    apr_nominal_rate: Decimal = Field(description="APR (nominal, IRR method), as prominent as the contract rate.")
    term_months: int
    generated_on: dt.date
    signed_on: dt.date | None
    signed_pdf_sha256: str

    @staticmethod
    def resolve_customer_name(obj: Contract, context: Any) -> str:
        return customer_name_for(context, obj.customer)


class ReviewOut(Schema):
    id: int
    contract_id: int
    stage: str
    reviewer: str
    outcome: str
    opinion: str
    reviewed_on: dt.date
    reviewed_at: dt.datetime
    contract_status: str = Field(description="The contract's status after this review.")

    @staticmethod
    def resolve_reviewer(obj: Any) -> str:
        return str(obj.reviewer)

    @staticmethod
    def resolve_contract_status(obj: Any) -> str:
        return str(obj.contract.status)


class KeyTermOut(Schema):
    item: str
    explained_by: str
    explained_on: dt.date
    explained_at: dt.datetime

    @staticmethod
    def resolve_explained_by(obj: Any) -> str:
        return str(obj.explained_by)


class SignatureOut(Schema):
    role: str
    customer_id: int
    signer_name: str
    signed_at: dt.datetime
    signature_id: str
    adapter: str

    @staticmethod
    def resolve_customer_id(obj: Any) -> int:
        return int(obj.signer_id)

    @staticmethod
    def resolve_signer_name(obj: Any, context: Any) -> str:
        return person_name(api_viewer(context), obj.signer_name)


class MortgageOut(Schema):
    vehicle_id: int
    vin: str
    status: str
    registration_number: str
    registered_on: dt.date | None
    released_on: dt.date | None
    has_evidence: bool

    @staticmethod
    def resolve_has_evidence(obj: Any) -> bool:
        return bool(obj.evidence)


class ContractDetailOut(ContractOut):
    snapshot: dict[str, Any] = Field(description="The figures frozen at generation: parties, vehicle, fees, schedule.")
    reviews: list[ReviewOut]
    key_terms: list[KeyTermOut]
    missing_key_terms: list[str]
    signatures: list[SignatureOut]
    mortgage: MortgageOut | None

    @staticmethod
    def resolve_snapshot(obj: Contract, context: Any) -> dict[str, Any]:
        viewer = api_viewer(context)
        snap = dict(obj.snapshot)
        parties = dict(snap.get("parties", {}))

        def named(p: dict[str, Any]) -> dict[str, Any]:
            return {**p, "name": person_name(viewer, p.get("name"), person=p.get("kind") == "individual")}

        parties["borrower"] = named(parties["borrower"])
        parties["co_borrowers"] = [named(p) for p in parties.get("co_borrowers", [])]
        parties["guarantors"] = [named(p) for p in parties.get("guarantors", [])]
        snap["parties"] = parties
        return snap

    @staticmethod
    def resolve_reviews(obj: Contract) -> list[Any]:
        return list(obj.reviews.select_related("reviewer", "contract").order_by("id"))

    @staticmethod
    def resolve_key_terms(obj: Contract) -> list[Any]:
        return list(obj.key_terms.select_related("explained_by").order_by("id"))

    @staticmethod
    def resolve_missing_key_terms(obj: Contract) -> list[str]:
        done = {k.item for k in obj.key_terms.all()}
        return [item for item in KeyTerm.values if item not in done]

    @staticmethod
    def resolve_signatures(obj: Contract) -> list[Any]:
        return list(obj.signatures.order_by("id"))

    @staticmethod
    def resolve_mortgage(obj: Contract) -> Any:
        return getattr(obj, "mortgage", None)


class ContractDecisionIn(StrictIn):
    outcome: Annotated[str, OneOf(ReviewOutcome)] = Field(description="approve or reject")
    opinion: LongText = Field(max_length=4000, description="Required: every review gives its reasons.")


class KeyTermsIn(StrictIn):
    items: list[Annotated[str, OneOf(KeyTerm)]] = Field(
        min_length=1, max_length=7, description="The key terms explained to the customer now."
    )


class CancelIn(StrictIn):
    comment: LongText = Field(max_length=2000, description="Why the contract is cancelled (required).")


class CommentIn(StrictIn):
    comment: LongText = Field("", max_length=2000)


class ReleaseIn(StrictIn):
    released_on: Date | None = Field(None, description="Default: the business date.")
