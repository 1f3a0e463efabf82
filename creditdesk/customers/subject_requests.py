"""Writes of the data-subject request register (PIPL Art. 44–47, SEC-7): intake, identity check, completion or
refusal, consent withdrawal, the copy of a customer's information, and the anonymisation job.

Customer service and sales take requests in; the information administrator verifies and handles them. Every step
is one transaction with its audit event. Dates come from the business date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from io import BytesIO
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import TransitionNotAllowed
from openpyxl import Workbook

from creditdesk.accounts.permissions import Perm
from creditdesk.accounts.scoping import require_perm
from creditdesk.accounts.services import access_log_record
from creditdesk.core.audit import record_event
from creditdesk.core.dates import business_date
from creditdesk.core.errors import InvalidTransition, ValidationFailed
from creditdesk.core.spreadsheets import safe_row
from creditdesk.customers import retention
from creditdesk.customers.anonymisation import anonymise
from creditdesk.customers.choices import SubjectRequestChannel, SubjectRequestKind, SubjectRequestStatus
from creditdesk.customers.models import CreditAuthorization, Customer, SubjectRequest

# Later apps tell whether a customer's relationship with the lender still runs (an application, a loan): each
# provider answers None (nothing of theirs), "ongoing", or the date their part of the relationship ended.
RelationshipProvider = Callable[[Customer], "dt.date | str | None"]
RELATIONSHIP_PROVIDERS: list[RelationshipProvider] = []


def register_relationship(provider: RelationshipProvider) -> RelationshipProvider:
    if provider not in RELATIONSHIP_PROVIDERS:
        RELATIONSHIP_PROVIDERS.append(provider)
    return provider


def relationship_facts(customer: Customer) -> retention.CustomerFacts:
    """When the customer's relationship ended (None while any provider says it goes on) for the retention rules."""
    ended = customer.updated_at.date()
    for provider in RELATIONSHIP_PROVIDERS:
        answer = provider(customer)
        if answer == "ongoing":
            return retention.CustomerFacts(relationship_ended_on=None)
        if isinstance(answer, dt.date):
            ended = max(ended, answer)
    return retention.CustomerFacts(relationship_ended_on=ended)


def _move(request: SubjectRequest, step: str) -> None:
    try:
        getattr(request, step)()
    except TransitionNotAllowed:
        raise InvalidTransition(
            _("The request is %(status)s: this step is not possible now.") % {"status": request.get_status_display()},
            details={"status": request.status},
        ) from None


def _locked(request: SubjectRequest) -> SubjectRequest:
    return SubjectRequest.objects.select_for_update(of=("self",)).select_related("customer").get(pk=request.pk)


def _audit(actor: Any, request: SubjectRequest, event: str, comment: str = "") -> None:
    record_event(
        actor=actor,
        subject=request.customer,
        event_type=f"subject_request.{event}",
        payload={"request": request.pk, "kind": request.kind, "status": request.status},
        comment=comment,
    )


@transaction.atomic
def subject_request_receive(
    *, actor: Any, customer: Customer, kind: str, channel: str, details: str = ""
) -> SubjectRequest:
    """Register a request as received; the reply is due after SUBJECT_REQUEST_REPLY_DAYS calendar days."""
    require_perm(actor, Perm.SUBJECT_REQUEST_INTAKE, _("Your role may not take in such requests."), on=customer)
    errors: dict[str, list[str]] = {}
    if kind not in SubjectRequestKind.values:
        errors["kind"] = [_("Choose what the customer asks for.")]
    if channel not in SubjectRequestChannel.values:
        errors["channel"] = [_("Choose how the request came in.")]
    if errors:
        raise ValidationFailed(_("Some fields are not valid."), fields=errors)
    today = business_date()
    request = SubjectRequest.objects.create(
        customer=customer,
        kind=kind,
        channel=channel,
        details=(details or "").strip(),
        received_on=today,
        due_on=today + dt.timedelta(days=settings.SUBJECT_REQUEST_REPLY_DAYS),
        received_by=actor,
    )
    _audit(actor, request, "received", request.details)
    return request


def _begin(actor: Any, request: SubjectRequest, step: str, text: tuple[str, str, str]) -> tuple[SubjectRequest, str]:
    """What every handling step starts with: the information administrator's role, the text it records (`text`:
    field, value, message when shorter than 4 characters), the row locked and moved by the state machine."""
    require_perm(actor, Perm.SUBJECT_REQUEST_HANDLE, _("Only the information administrator handles requests."))
    field, value, message = text
    value = (value or "").strip()
    if len(value) < 4:
        raise ValidationFailed.on(field, message)
    current = _locked(request)
    _move(current, step)
    return current, value


def _finish(actor: Any, current: SubjectRequest, text: str) -> SubjectRequest:
    """What every handling step ends with: the save and the audit event named after the new status."""
    current.save()
    _audit(actor, current, current.status, text)
    return current


@transaction.atomic
def subject_request_verify(*, actor: Any, request: SubjectRequest, evidence: str) -> SubjectRequest:
    """Record that (and how) the customer's identity was verified before anything is disclosed or changed."""
    message = _("Say how the identity was verified (at least 4 characters).")
    current, evidence = _begin(actor, request, "verify", ("evidence", evidence, message))
    current.identity_checked_by, current.identity_evidence = actor, evidence
    return _finish(actor, current, evidence)


def _withdraw_consent(actor: Any, customer: Customer, today: dt.date) -> int:
    """Revoke every credit-report authorization still in force: no new bureau query from today. Contractual and
    legal processing goes on (PIPL Art. 13): reminders, collection and credit reporting of existing loans."""
    revoked = CreditAuthorization.objects.filter(customer=customer, revoked_on__isnull=True, expires_on__gte=today)
    count = revoked.update(revoked_on=today)
    record_event(
        actor=actor,
        subject=customer,
        event_type="customer.authorization_revoked",
        payload={"revoked_on": today, "count": count, "by": "subject_request"},
    )
    return count


@transaction.atomic
def subject_request_complete(*, actor: Any, request: SubjectRequest, outcome: str) -> SubjectRequest:
    """Close a verified request with what was provided, corrected or deleted.

    Withdrawal revokes the consents in force; deletion schedules the anonymisation for the day the longest legal
    retention period ends (`retention.anonymise_on`), and stops every processing but storage until then."""
    message = _("Record what was provided, corrected or deleted.")
    current, outcome = _begin(actor, request, "complete", ("outcome", outcome, message))
    today = business_date()
    customer = current.customer
    if current.kind in (SubjectRequestKind.WITHDRAW_CONSENT, SubjectRequestKind.DELETION):
        _withdraw_consent(actor, customer, today)
    if current.kind == SubjectRequestKind.DELETION:
        due = retention.anonymise_on(relationship_facts(customer))
        if due is None:
            raise ValidationFailed.on(
                "outcome", _("The customer's relationship with us goes on: refuse the deletion and say why.")
            )
        current.anonymise_on = max(due, today)
    current.handled_by, current.outcome, current.closed_on = actor, outcome, today
    return _finish(actor, current, outcome)


@transaction.atomic
def subject_request_refuse(*, actor: Any, request: SubjectRequest, reason: str) -> SubjectRequest:
    """Refuse a request, with the reason the customer is told (PIPL Art. 50)."""
    message = _("A refusal needs its reason (at least 4 characters).")
    current, reason = _begin(actor, request, "refuse", ("reason", reason, message))
    current.handled_by, current.refusal_reason, current.closed_on = actor, reason, business_date()
    return _finish(actor, current, reason)


COPY_FIELDS = (  # labels translated when the copy is made
    ("name", gettext_lazy("Name")),
    ("id_number", gettext_lazy("ID number")),
    ("mobile", gettext_lazy("Mobile")),
    ("address", gettext_lazy("Address")),
    ("occupation", gettext_lazy("Occupation")),
    ("employer", gettext_lazy("Employer")),
    ("monthly_income_amount", gettext_lazy("Monthly income (yuan)")),
    ("credit_code", gettext_lazy("Unified social credit code")),
)


@transaction.atomic
def subject_request_copy(*, actor: Any, request: SubjectRequest, client_address: str | None = None) -> bytes:
    """The customer's personal information as an .xlsx copy for a verified access request (PIPL Art. 45), logged
    in the access log as an export."""
    require_perm(actor, Perm.SUBJECT_REQUEST_HANDLE, _("Only the information administrator handles requests."))
    if request.kind != SubjectRequestKind.ACCESS or request.status != SubjectRequestStatus.VERIFIED:
        raise InvalidTransition(_("A copy is made for a verified access request only."))
    customer = request.customer
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = str(_("Personal information"))
    sheet.append(safe_row([_("Field"), _("Value")]))
    for field, label in COPY_FIELDS:
        value = getattr(customer, field, None)
        sheet.append(safe_row([str(label), "" if value is None else str(value)]))
    for consent in CreditAuthorization.objects.filter(customer=customer).order_by("signed_on"):
        sheet.append(safe_row([str(_("Credit-report authorization")), f"{consent.signed_on} – {consent.expires_on}"]))
    buffer = BytesIO()
    workbook.save(buffer)
    access_log_record(
        actor=actor,
        action="export",
        subject=customer,
        purpose=_("Copy for the customer's access request #%(id)s") % {"id": request.pk},
        record_count=1,
        client_address=client_address,
    )
    return buffer.getvalue()


def anonymise_due(*, on: dt.date) -> int:
    """Anonymise the customers whose deletion request's retention has run out by `on` (`anonymisation.anonymise`:
    live rows, their history, the logs about them, the files). Returns how many customers changed."""
    due = SubjectRequest.objects.filter(
        kind=SubjectRequestKind.DELETION, status=SubjectRequestStatus.COMPLETED, anonymise_on__lte=on
    )
    return anonymise(customers=Customer.objects.filter(pk__in=due.values("customer_id")))
