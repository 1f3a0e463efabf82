"""Request and response schemas of the accounts API (`accounts/api.py`): tokens, the signed-in user, staff, logs."""

import datetime as dt
from typing import Annotated, Any

from ninja import Field, Schema

from creditdesk.accounts.choices import LegalBasis
from creditdesk.accounts.display import api_viewer, subject_name
from creditdesk.core.masking import mask
from creditdesk.core.schema import Date, Id, LongText, Name, OneOf, StrictIn, Text


class TokenIn(StrictIn):
    username: str = Field(min_length=1, max_length=150)
    password: str = Field(min_length=1, max_length=256)
    otp_token: str | None = Field(None, max_length=8, description="TOTP code, for users with two-factor sign-in.")


class TokenOut(Schema):
    token: str
    expires_at: dt.datetime


class OrgUnitOut(Schema):
    id: int
    code: str
    name: str
    kind: str


class RoleOut(Schema):
    code: str
    label: str


class MeOut(Schema):
    id: int
    username: str
    full_name: str
    email: str
    roles: list[str]
    role_labels: list[RoleOut]
    org_unit: OrgUnitOut | None
    business_date: dt.date


class AccessLogOut(Schema):
    id: int
    occurred_at: dt.datetime
    actor: str
    action: str
    subject_type: str
    subject_id: str
    subject: str
    field: str
    purpose: str
    record_count: int
    client_address: str | None

    @staticmethod
    def resolve_actor(obj: Any) -> str:
        return obj.actor.get_username()

    @staticmethod
    def resolve_subject_type(obj: Any) -> str:
        return obj.subject_type.model if obj.subject_type else ""

    @staticmethod
    def resolve_subject(obj: Any, context: Any) -> str:
        return subject_name(api_viewer(context), obj.subject_type, obj.subject_repr)


class AccessLogQuery(Schema):
    actor: str = ""
    action: str = ""
    subject: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None


class AuditEventOut(Schema):
    id: int
    occurred_at: dt.datetime
    business_on: dt.date
    actor: str
    event_type: str
    subject_type: str
    subject_id: str
    subject: str
    payload: dict[str, Any]
    comment: str

    @staticmethod
    def resolve_actor(obj: Any) -> str:
        return obj.actor_repr

    @staticmethod
    def resolve_subject_type(obj: Any) -> str:
        return obj.subject_type.model if obj.subject_type else ""

    @staticmethod
    def resolve_subject(obj: Any, context: Any) -> str:
        return subject_name(api_viewer(context), obj.subject_type, obj.subject_repr)


class AuditQuery(Schema):
    event_type: str = ""
    actor: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None


class StaffOut(Schema):
    id: int
    username: str
    full_name: str
    org_unit: OrgUnitOut | None
    roles: list[str]
    mobile: str = Field(description="Masked; unmask with POST /staff/{id}/unmask.")

    @staticmethod
    def resolve_roles(obj: Any) -> list[str]:
        return obj.role_codes

    @staticmethod
    def resolve_mobile(obj: Any) -> str:
        return mask("mobile", obj.mobile)


class StaffQuery(Schema):
    q: str = Field("", description="Part of a username or name.")


class UnmaskIn(StrictIn):
    field: Text = Field(min_length=1, max_length=64)
    purpose: LongText = Field(min_length=1, max_length=500, description="Why you need the value; it is logged.")


class UnmaskOut(Schema):
    field: str
    value: str


class DisclosureIn(StrictIn):
    dataset: Text = Field(min_length=1, max_length=40)
    record_ids: list[Id] = Field(min_length=1, max_length=5000)
    fields: list[str] = Field(min_length=1, max_length=50)
    recipient: Name = Field(min_length=1, max_length=200)
    purpose: LongText = Field(min_length=1, max_length=2000)
    legal_basis: Annotated[str, OneOf(LegalBasis)]
    consent_reference: Text = Field("", max_length=100)


class DisclosureOut(Schema):
    id: int
    state: str
    requester: str
    dataset: str
    record_ids: list[int]
    fields: list[str]
    recipient: str
    purpose: str
    legal_basis: str
    consent_reference: str
    created_at: dt.datetime
    decided_by: str | None
    decided_at: dt.datetime | None
    decision_comment: str
    export_count: int

    @staticmethod
    def resolve_requester(obj: Any) -> str:
        return obj.requester.get_username()

    @staticmethod
    def resolve_decided_by(obj: Any) -> str | None:
        return obj.decided_by.get_username() if obj.decided_by else None


class DisclosureQuery(Schema):
    state: str = ""


class DisclosureDecisionIn(StrictIn):
    decision: str = Field(pattern="^(approve|reject)$")
    comment: LongText = Field(min_length=1, max_length=2000)


class AgreementIn(StrictIn):
    staff_id: Id
    signed_on: Date
    expires_on: Date | None = None
    reference: Text = Field("", max_length=100)


class AgreementOut(Schema):
    id: int
    staff: str
    signed_on: dt.date
    expires_on: dt.date | None
    reference: str

    @staticmethod
    def resolve_staff(obj: Any) -> str:
        return obj.staff.get_username()


class StaffBriefOut(Schema):
    id: int
    username: str
    full_name: str
