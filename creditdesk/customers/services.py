"""Writes of the customers app: customers and their credit-report authorizations."""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Case, CharField, Exists, F, OuterRef, Q, Value, When
from django.utils.translation import gettext as _
from django_fsm import TransitionNotAllowed

from creditdesk.accounts.permissions import Perm, has_perm
from creditdesk.accounts.scoping import in_scope, require_perm
from creditdesk.core.audit import record_event
from creditdesk.core.crypto import blind_index
from creditdesk.core.dates import business_date
from creditdesk.core.errors import Conflict, InvalidTransition, PermissionDenied, ValidationFailed
from creditdesk.core.identifiers import InvalidIdentifier, parse_credit_code, parse_mobile, parse_resident_id
from creditdesk.customers.choices import (
    AuthorizationScope,
    Channel,
    CreditStatus,
    CustomerKind,
    DocumentType,
    Grade,
    Impact,
    LeadStatus,
)
from creditdesk.customers.documents import document_store
from creditdesk.customers.models import (
    Campaign,
    CreditAuthorization,
    Customer,
    CustomerDocument,
    ExternalGuarantee,
    FinancialStatement,
    GradeChange,
    Lead,
    MajorEvent,
    MarketingEvent,
    Partner,
)

# Fields a caller may set besides the identifiers, which go through their own parsing below.
INDIVIDUAL_FIELDS = (
    "occupation",
    "employer",
    "employment_years",
    "monthly_income_amount",
    "marital_status",
    "housing",
    "dependants",
    "existing_debt_amount",
    "savings_band",
    "purchase_purpose",
    "budget_amount",
)
COMPANY_FIELDS = (
    "legal_representative",
    "registered_capital_amount",
    "established_on",
    "business_scope",
    "industry_division",
    "employees",
    "market_share",
    "industry_position",
    "main_products",
    "sales_channels",
    "key_suppliers",
    "key_customers",
    "external_rating",
    "credit_record_notes",
)
COMMON_FIELDS = ("name", "address", "channel", "partner", "campaign", "event")
AMOUNT_FIELDS = ("monthly_income_amount", "existing_debt_amount", "budget_amount", "registered_capital_amount")


def _require_edit(actor: Any, record: Customer | Lead | None = None) -> None:
    """Refuse a change unless the actor may edit, and `record` lies in the scope of the roles that let them."""
    require_perm(actor, Perm.CUSTOMER_EDIT, _("Your role may not change customer information."), on=record)


def _identifier(field: str, parse: Any, raw: str, **kwargs: Any) -> Any:
    try:
        return parse(raw, **kwargs)
    except InvalidIdentifier as err:
        raise ValidationFailed.on(field, err.message, code=f"invalid_{field}") from None


def _check_values(values: dict[str, Any], today: dt.date) -> None:
    errors: dict[str, list[str]] = {}
    for field in AMOUNT_FIELDS:
        amount = values.get(field)
        if amount is not None and Decimal(amount) < 0:
            errors[field] = [_("The amount cannot be negative.")]
    established = values.get("established_on")
    if established is not None and established > today:
        errors["established_on"] = [_("The date cannot be after the business date.")]
    if values.get("industry_division") is not None and not 1 <= int(values["industry_division"]) <= 97:
        errors["industry_division"] = [_("GB/T 4754 divisions run from 01 to 97.")]
    if "name" in values and not str(values["name"]).strip():
        errors["name"] = [_("Enter the name.")]
    if errors:
        raise ValidationFailed(_("Some fields are not valid."), fields=errors)


def _apply_identifiers(customer: Customer | Lead, values: dict[str, Any], today: dt.date) -> None:
    """Parse, normalise and index the identifiers present in `values`; derive gender and birth date from the ID."""
    if "id_number" in values:
        resident = _identifier("id_number", parse_resident_id, values["id_number"] or "", today=today)
        for derived, given in (("gender", values.get("gender")), ("birth_on", values.get("birth_on"))):
            actual = resident.sex if derived == "gender" else resident.birth_on
            if given not in (None, "") and given != actual:
                raise ValidationFailed.on(derived, _("This does not match the ID number."), code="inconsistent_with_id")
        customer.id_number = resident.number
        customer.id_number_index = blind_index("id_number", resident.number)
        if isinstance(customer, Customer):
            customer.gender, customer.birth_on = resident.sex, resident.birth_on
    if "mobile" in values:
        raw = values["mobile"] or ""
        mobile = _identifier("mobile", parse_mobile, raw) if raw else ""
        customer.mobile, customer.mobile_index = mobile, blind_index("mobile", mobile) if mobile else ""
    if "credit_code" in values:
        code = _identifier("credit_code", parse_credit_code, values["credit_code"] or "").code
        customer.credit_code, customer.credit_code_index = code, blind_index("credit_code", code)
    if values.get("legal_representative_id_number") and isinstance(customer, Customer):
        resident = _identifier(
            "legal_representative_id_number", parse_resident_id, values["legal_representative_id_number"], today=today
        )
        customer.legal_representative_id_number = resident.number


def _refuse_duplicate(customer: Customer, actor: Any) -> None:
    """ACQ-2: the same ID number or credit code is the same customer. Within the actor's scope the answer names
    the existing customer; outside it, only that the identifier is registered, so the refusal reveals no id, name
    or owner (issue 10 item 6): the actor may ask for access through `customer_access_request`."""
    for field in ("id_number_index", "credit_code_index"):
        value = getattr(customer, field)
        if not value:
            continue
        others = Customer.objects.filter(**{field: value}).exclude(pk=customer.pk)
        if not others.exists():
            continue
        name = field.removesuffix("_index")
        visible = in_scope(others, actor).values_list("pk", flat=True).first()
        if visible is not None:
            raise Conflict(
                _("A customer with this identifier exists already."),
                code="duplicate_customer",
                fields={name: [_("A customer with this identifier exists already.")]},
                details={"existing_id": visible},
            )
        message = _(
            "This identifier is already registered with a customer outside your scope. "
            "Request access or a transfer from its owner or head office."
        )
        raise Conflict(
            message,
            code="identifier_registered",
            fields={name: [message]},
            details={"access_request": True},
        )


def _save(customer: Customer, actor: Any) -> None:
    customer.full_clean(exclude=["owner", "org_unit"])
    try:
        with transaction.atomic():
            customer.save()
    except IntegrityError:
        # Two requests raced past the duplicate check: the unique index decides, the loser gets the 409.
        _refuse_duplicate(customer, actor)
        raise


@transaction.atomic
def customer_create(*, actor: Any, kind: str, owner: Any | None = None, **values: Any) -> Customer:
    """Register a customer (INFO-1, INFO-4); refuses invalid identifiers and duplicates (ACQ-2)."""
    _require_edit(actor)
    if kind not in CustomerKind.values:
        raise ValidationFailed.on("kind", _("Choose individual or company."))
    owner = owner or actor
    if owner.org_unit_id is None:
        raise ValidationFailed.on("owner", _("The responsible salesperson belongs to no org unit."))
    today = business_date()
    if kind == CustomerKind.INDIVIDUAL:
        if not values.get("id_number"):
            raise ValidationFailed.on("id_number", _("An individual customer needs an ID number."), code="required")
        if not values.get("mobile"):
            raise ValidationFailed.on("mobile", _("An individual customer needs a mobile number."), code="required")
        allowed: tuple[str, ...] = (*COMMON_FIELDS, *INDIVIDUAL_FIELDS, "id_number", "mobile", "gender", "birth_on")
    else:
        if not values.get("credit_code"):
            raise ValidationFailed.on(
                "credit_code", _("A company needs its unified social credit code."), code="required"
            )
        allowed = (*COMMON_FIELDS, *COMPANY_FIELDS, "credit_code", "mobile", "legal_representative_id_number")
    unknown = sorted(set(values) - set(allowed))
    if unknown:
        raise ValidationFailed(
            _("These fields do not apply to this kind of customer."),
            fields={f: [_("Not applicable.")] for f in unknown},
        )
    _check_values(values, today)
    customer = Customer(kind=kind, owner=owner, org_unit_id=owner.org_unit_id, info_verified_on=today)
    _apply_identifiers(customer, values, today)
    for field in (*COMMON_FIELDS, *INDIVIDUAL_FIELDS, *COMPANY_FIELDS):
        if field in values and values[field] is not None:
            setattr(customer, field, values[field])
    _refuse_duplicate(customer, actor)
    _save(customer, actor)
    record_event(actor=actor, subject=customer, event_type="customer.created", payload={"kind": kind})
    return customer


@transaction.atomic
def customer_update(*, actor: Any, customer: Customer, **values: Any) -> Customer:
    """Change a customer's information; identifiers are re-checked, the change is kept in the history (INFO-8)."""
    _require_edit(actor, customer)
    allowed = {*COMMON_FIELDS, "mobile"} | (
        {*INDIVIDUAL_FIELDS, "id_number"}
        if customer.is_individual
        else {*COMPANY_FIELDS, "credit_code", "legal_representative_id_number"}
    )
    unknown = sorted(set(values) - allowed)
    if unknown:
        raise ValidationFailed(
            _("These fields do not apply to this kind of customer."),
            fields={f: [_("Not applicable.")] for f in unknown},
        )
    today = business_date()
    _check_values(values, today)
    customer = Customer.objects.select_for_update().get(pk=customer.pk)
    _apply_identifiers(customer, values, today)
    changed = sorted(values)
    for field in (*COMMON_FIELDS, *INDIVIDUAL_FIELDS, *COMPANY_FIELDS):
        if field in values:
            setattr(customer, field, values[field] if values[field] is not None else _blank(customer, field))
    customer.info_verified_on = today
    _refuse_duplicate(customer, actor)
    _save(customer, actor)
    if not customer.is_individual and {"employees", "industry_division"} & set(values):
        size_class_refresh(customer=customer)
    record_event(actor=actor, subject=customer, event_type="customer.updated", payload={"fields": changed})
    return customer


def _blank(customer: Customer, field: str) -> Any:
    model_field = customer._meta.get_field(field)
    return None if model_field.null else ""


@transaction.atomic
def authorization_record(
    *,
    actor: Any,
    customer: Customer,
    signed_on: dt.date,
    expires_on: dt.date,
    purpose: str,
    document_reference: str,
    scope: str = AuthorizationScope.CREDIT_REPORT,
) -> CreditAuthorization:
    """Record a signed credit-report authorization (INFO-2; 征信业管理条例 Art. 18)."""
    _require_edit(actor, customer)
    errors: dict[str, list[str]] = {}
    if signed_on > business_date():
        errors["signed_on"] = [_("The date cannot be after the business date.")]
    if expires_on <= signed_on:
        errors["expires_on"] = [_("The authorization must expire after it is signed.")]
    if not purpose.strip():
        errors["purpose"] = [_("State the agreed purpose of the queries.")]
    if not document_reference.strip():
        errors["document_reference"] = [_("Give the reference of the signed document.")]
    if scope not in AuthorizationScope.values:
        errors["scope"] = [_("Choose the scope.")]
    if errors:
        raise ValidationFailed(_("Some fields are not valid."), fields=errors)
    authorization = CreditAuthorization(
        customer=customer,
        signed_on=signed_on,
        expires_on=expires_on,
        purpose=purpose.strip(),
        document_reference=document_reference.strip(),
        scope=scope,
        recorded_by=actor,
    )
    authorization.full_clean()
    authorization.save()
    record_event(
        actor=actor,
        subject=customer,
        event_type="customer.authorization_recorded",
        payload={"signed_on": signed_on, "expires_on": expires_on, "scope": scope},
    )
    return authorization


@transaction.atomic
def authorization_revoke(*, actor: Any, authorization: CreditAuthorization, on: dt.date | None = None) -> None:
    """The customer withdrew consent (PIPL Art. 15): no bureau query from that date."""
    _require_edit(actor, authorization.customer)
    authorization.revoked_on = on or business_date()
    authorization.save(update_fields=["revoked_on", "updated_at"])
    record_event(
        actor=actor,
        subject=authorization.customer,
        event_type="customer.authorization_revoked",
        payload={"revoked_on": authorization.revoked_on},
    )


# --- Acquisition (ACQ-1, ACQ-2) ----------------------------------------------------------------------


@transaction.atomic
def partner_save(*, actor: Any, partner: Partner | None = None, **values: Any) -> Partner:
    """Create or change a partner of the registry (used-car market, dealer, repair shop)."""
    _require_edit(actor)
    partner = partner or Partner(org_unit_id=actor.org_unit_id)
    if partner.org_unit_id is None:
        raise ValidationFailed.on("org_unit", _("You belong to no org unit."))
    signed, expires = values.get("agreement_signed_on"), values.get("agreement_expires_on")
    if signed and expires and expires <= signed:
        raise ValidationFailed.on("agreement_expires_on", _("The agreement must expire after it is signed."))
    for field, value in values.items():
        setattr(partner, field, value)
    partner.full_clean(exclude=["org_unit"])
    partner.save()
    record_event(actor=actor, subject=partner, event_type="partner.saved", payload={"fields": sorted(values)})
    return partner


def _attribution(values: dict[str, Any]) -> dict[str, Any]:
    """ACQ-2: a partner referral names its partner, an online lead its campaign, an event lead its event."""
    channel = values.get("channel") or Channel.OWN_SALES
    needed = {Channel.PARTNER: "partner", Channel.ONLINE: "campaign", Channel.OFFLINE: "event"}.get(channel)
    if needed and not values.get(needed):
        raise ValidationFailed.on(needed, _("Name the %(what)s this lead came from.") % {"what": needed})
    return {name: values.get(name) if name == needed else None for name in ("partner", "campaign", "event")}


@transaction.atomic
def lead_create(*, actor: Any, name: str, channel: str, owner: Any | None = None, **values: Any) -> Lead:
    """Record a lead with its channel and responsible salesperson; identifiers are checked if given."""
    _require_edit(actor)
    owner = owner or actor
    if owner.org_unit_id is None:
        raise ValidationFailed.on("owner", _("The responsible salesperson belongs to no org unit."))
    if channel not in Channel.values:
        raise ValidationFailed.on("channel", _("Choose the channel."))
    attribution = _attribution({**values, "channel": channel})
    lead = Lead(
        name=name.strip(),
        channel=channel,
        owner=owner,
        org_unit_id=owner.org_unit_id,
        kind=values.get("kind") or CustomerKind.INDIVIDUAL,
        notes=values.get("notes", ""),
        **attribution,
    )
    if not lead.name:
        raise ValidationFailed.on("name", _("Enter the name."))
    today = business_date()
    identifiers = {k: v for k, v in values.items() if k in ("id_number", "mobile", "credit_code") and v}
    _apply_identifiers(lead, identifiers, today)
    lead.full_clean(exclude=["owner", "org_unit", "status"])
    lead.save()
    record_event(actor=actor, subject=lead, event_type="lead.created", payload={"channel": channel})
    return lead


@transaction.atomic
def lead_advance(*, actor: Any, lead: Lead, to: str, reason: str = "") -> Lead:
    """Move a lead to contacted, qualified or lost (with a reason); conversion has its own service."""
    _require_edit(actor, lead)
    lead = Lead.objects.select_for_update().get(pk=lead.pk)
    moves: dict[str, Any] = {
        LeadStatus.CONTACTED: lead.contact,
        LeadStatus.QUALIFIED: lead.qualify,
        LeadStatus.LOST: lead.lose,
    }
    if to not in moves:
        raise ValidationFailed.on("to", _("Choose contacted, qualified or lost."))
    if to == LeadStatus.LOST and not reason.strip():
        raise ValidationFailed.on("reason", _("Say why the lead is lost."))
    previous = lead.status
    try:
        moves[to]()
    except TransitionNotAllowed:
        raise InvalidTransition(
            _("A %(state)s lead cannot become %(to)s.") % {"state": lead.get_status_display(), "to": to}
        ) from None
    lead.lost_reason = reason.strip() if to == LeadStatus.LOST else lead.lost_reason
    lead.save()
    record_event(
        actor=actor,
        subject=lead,
        event_type="lead.status_changed",
        payload={"from": previous, "to": to},
        comment=reason,
    )
    return lead


@transaction.atomic
def lead_convert(*, actor: Any, lead: Lead, **values: Any) -> Customer:
    """Turn a lead into a customer; an ID number or credit code already on file links to that customer (ACQ-2)."""
    _require_edit(actor, lead)
    lead = Lead.objects.select_for_update().get(pk=lead.pk)
    if lead.status in (LeadStatus.CONVERTED, LeadStatus.LOST):
        raise InvalidTransition(_("This lead is closed already."))
    # The identifier to match: the one entered now, else the one on the lead (blind_index normalises both).
    if lead.kind == CustomerKind.INDIVIDUAL:
        id_number = values.get("id_number") or lead.id_number
        existing = (
            Customer.objects.filter(id_number_index=blind_index("id_number", id_number)).first() if id_number else None
        )
    else:
        code = values.get("credit_code") or lead.credit_code
        existing = Customer.objects.filter(credit_code_index=blind_index("credit_code", code)).first() if code else None
    if existing is not None:
        customer, linked = existing, True
    else:
        identifiers = (
            {"id_number": lead.id_number} if lead.kind == CustomerKind.INDIVIDUAL else {"credit_code": lead.credit_code}
        )
        if lead.mobile:
            identifiers["mobile"] = lead.mobile
        customer = customer_create(
            actor=actor,
            kind=lead.kind,
            owner=lead.owner,
            name=lead.name,
            channel=lead.channel,
            partner=lead.partner,
            campaign=lead.campaign,
            event=lead.event,
            **{**{k: v for k, v in identifiers.items() if v}, **values},
        )
        linked = False
    lead.convert()
    lead.customer = customer
    lead.save()
    record_event(
        actor=actor,
        subject=lead,
        event_type="lead.converted",
        payload={"customer_id": customer.pk, "linked_to_existing": linked},
    )
    return customer


# --- Records: statements, guarantees, major events, documents (INFO-2, INFO-5, INFO-7, INFO-8) ------------

STATEMENT_AMOUNTS = (
    "current_assets_amount",
    "inventories_amount",
    "total_assets_amount",
    "current_liabilities_amount",
    "total_liabilities_amount",
    "equity_amount",
    "revenue_amount",
    "net_profit_amount",
    "operating_cash_flow_amount",
)
NEVER_NEGATIVE = {
    "current_assets_amount",
    "inventories_amount",
    "total_assets_amount",
    "current_liabilities_amount",
    "total_liabilities_amount",
    "revenue_amount",
}


@transaction.atomic
def statement_record(
    *, actor: Any, customer: Customer, period: str, period_end_on: dt.date, audited: bool = False, **amounts: Any
) -> FinancialStatement:
    """Record one period's statement figures of a company (INFO-5); one statement per period."""
    _require_edit(actor, customer)
    errors: dict[str, list[str]] = {}
    if customer.is_individual:
        raise ValidationFailed.on("customer", _("Financial statements are recorded for companies."))
    if period_end_on > business_date():
        errors["period_end_on"] = [_("The date cannot be after the business date.")]
    for name in NEVER_NEGATIVE:
        if amounts.get(name) is not None and Decimal(amounts[name]) < 0:
            errors[name] = [_("The amount cannot be negative.")]
    if errors:
        raise ValidationFailed(_("Some fields are not valid."), fields=errors)
    if FinancialStatement.objects.filter(customer=customer, period=period.strip()).exists():
        raise Conflict(
            _("This period is recorded already."), fields={"period": [_("This period is recorded already.")]}
        )
    statement = FinancialStatement(
        customer=customer,
        period=period.strip(),
        period_end_on=period_end_on,
        audited=audited,
        recorded_by=actor,
        **{k: v for k, v in amounts.items() if k in STATEMENT_AMOUNTS},
    )
    statement.full_clean(exclude=["recorded_by"])
    statement.save()
    size_class_refresh(customer=customer)
    record_event(actor=actor, subject=customer, event_type="customer.statement_recorded", payload={"period": period})
    return statement


def size_class_refresh(*, customer: Customer) -> str:
    """Recompute the size class (CLASS-2) from the industry, employees and the latest statement; '' if unknown."""
    from creditdesk.customers.industries import section_of
    from creditdesk.customers.sizing import size_class, size_industry_for_section

    latest = customer.statements.order_by("-period_end_on").first()
    result = ""
    if customer.industry_division and latest is not None:
        try:
            industry = size_industry_for_section(section_of(customer.industry_division), customer.industry_division)
            result = size_class(
                industry=industry,
                employees=customer.employees,
                revenue_10k=latest.revenue_amount / 10_000,
                assets_10k=latest.total_assets_amount / 10_000,
            )
        except (ValidationFailed, KeyError):
            result = ""  # a figure the row needs is missing: the class stays unknown until it is recorded
    Customer.objects.filter(pk=customer.pk).update(size_class=str(result))
    return str(result)


@transaction.atomic
def guarantee_record(
    *,
    actor: Any,
    customer: Customer,
    beneficiary: str,
    amount: Decimal,
    starts_on: dt.date,
    ends_on: dt.date | None = None,
    notes: str = "",
) -> ExternalGuarantee:
    """Record an external guarantee the company has given (INFO-7)."""
    _require_edit(actor, customer)
    errors: dict[str, list[str]] = {}
    if amount is None or Decimal(amount) <= 0:
        errors["amount"] = [_("The amount must be more than zero.")]
    if ends_on is not None and ends_on < starts_on:
        errors["ends_on"] = [_("The guarantee cannot end before it starts.")]
    if not beneficiary.strip():
        errors["beneficiary"] = [_("Name the guaranteed party.")]
    if errors:
        raise ValidationFailed(_("Some fields are not valid."), fields=errors)
    guarantee = ExternalGuarantee(
        customer=customer,
        beneficiary=beneficiary.strip(),
        amount=amount,
        starts_on=starts_on,
        ends_on=ends_on,
        notes=notes,
    )
    guarantee.full_clean()
    guarantee.save()
    record_event(
        actor=actor,
        subject=customer,
        event_type="customer.guarantee_recorded",
        payload={"beneficiary": guarantee.beneficiary, "amount": amount},
    )
    return guarantee


@transaction.atomic
def major_event_record(
    *,
    actor: Any,
    customer: Customer,
    event_type: str,
    occurred_on: dt.date,
    description: str,
    impact: str = "neutral",
    impact_assessment: str = "",
) -> MajorEvent:
    """Record a major event at once, with its impact (INFO-8); severe events put the customer on watch."""
    may = [perm for perm in (Perm.CUSTOMER_EDIT, Perm.CUSTOMER_GRADE) if has_perm(actor, perm)]
    if not may:
        raise PermissionDenied(_("Your role may not change customer information."))
    if not any(in_scope(Customer.objects.filter(pk=customer.pk), actor, perm=perm).exists() for perm in may):
        raise PermissionDenied(
            _("This record is outside the data scope of your role for this action."), code="out_of_scope"
        )
    errors: dict[str, list[str]] = {}
    if occurred_on > business_date():
        errors["occurred_on"] = [_("The date cannot be after the business date.")]
    if not description.strip():
        errors["description"] = [_("Describe what happened.")]
    if errors:
        raise ValidationFailed(_("Some fields are not valid."), fields=errors)
    event = MajorEvent(
        customer=customer,
        event_type=event_type,
        occurred_on=occurred_on,
        description=description.strip(),
        impact=impact,
        impact_assessment=impact_assessment,
        recorded_by=actor,
    )
    event.full_clean(exclude=["recorded_by"])
    event.save()
    record_event(
        actor=actor, subject=customer, event_type="customer.major_event", payload={"type": event_type, "impact": impact}
    )
    return event


MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# Allowed file types by their first bytes ("magic numbers"), not by the name a browser sends.
SIGNATURES = {"pdf": (b"%PDF-",), "jpg": (b"\xff\xd8\xff",), "jpeg": (b"\xff\xd8\xff",), "png": (b"\x89PNG\r\n\x1a\n",)}
CONTENT_TYPES = {"pdf": "application/pdf", "jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png"}


@transaction.atomic
def document_upload(
    *, actor: Any, customer: Customer, doc_type: str, upload: Any, period: str = ""
) -> CustomerDocument:
    """Store a typed document (PDF, JPEG or PNG, at most 10 MB) outside the web root (INFO-2, INFO-5)."""
    _require_edit(actor, customer)
    if doc_type not in DocumentType.values:
        raise ValidationFailed.on("doc_type", _("Choose the document type."))
    name = getattr(upload, "name", "") or ""
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix not in SIGNATURES:
        raise ValidationFailed.on("file", _("Upload a PDF, JPEG or PNG file."))
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationFailed.on("file", _("The file is larger than 10 MB."))
    head = upload.read(16)
    upload.seek(0)
    if not head.startswith(SIGNATURES[suffix]):
        raise ValidationFailed.on("file", _("The file's content does not match its type."))
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    document = CustomerDocument(
        customer=customer,
        doc_type=doc_type,
        original_name=name[:200],
        content_type=CONTENT_TYPES[suffix],
        size_bytes=upload.size,
        sha256=digest.hexdigest(),
        period=period,
        uploaded_by=actor,
    )
    # Encrypted, 0600 in a 0700 directory (issue #10 item 8).
    document_store(document, name=name, pieces=upload.chunks())
    # If the row cannot be written the stored file is removed, so nothing is half-written.
    try:
        document.save()
    except Exception:
        document.file.delete(save=False)
        raise
    record_event(
        actor=actor,
        subject=customer,
        event_type="customer.document_uploaded",
        payload={"type": doc_type, "name": document.shown_name, "size": document.size_bytes},
    )
    return document


# --- Grading (CLASS-3, CLASS-4) ------------------------------------------------------------------------


@transaction.atomic
def grade_set(*, actor: Any, customer: Customer, grade: str, reason: str, credit_status: str | None = None) -> Customer:
    """Change a customer's grade (and credit-status class) by hand, with the reason; the history keeps every change
    (CLASS-3, CLASS-4)."""
    require_perm(actor, Perm.CUSTOMER_GRADE, _("Your role may not change grades."), on=customer)
    if grade not in Grade.values:
        raise ValidationFailed.on("grade", _("Choose A, B, C or D."))
    if credit_status and credit_status not in CreditStatus.values:
        raise ValidationFailed.on("credit_status", _("Choose the credit-status class."))
    if not reason.strip():
        raise ValidationFailed.on("reason", _("Give the reason for the change."))
    customer = Customer.objects.select_for_update().get(pk=customer.pk)
    if credit_status and credit_status != customer.credit_status:
        previous_status, customer.credit_status = customer.credit_status, credit_status
        customer.save(update_fields=["credit_status", "updated_at"])
        record_event(
            actor=actor,
            subject=customer,
            event_type="customer.credit_status_changed",
            payload={"from": previous_status, "to": credit_status},
            comment=reason,
        )
        if customer.grade == grade:
            return customer
    if customer.grade == grade:
        raise ValidationFailed.on("grade", _("The customer has this grade already."))
    GradeChange.objects.create(
        customer=customer,
        changed_on=business_date(),
        from_grade=customer.grade,
        to_grade=grade,
        reason=reason.strip(),
        actor=actor,
    )
    previous, customer.grade = customer.grade, grade
    customer.save(update_fields=["grade", "updated_at"])
    record_event(
        actor=actor,
        subject=customer,
        event_type="customer.grade_changed",
        payload={"from": previous, "to": grade},
        comment=reason,
    )
    return customer


SEVERE_LOOKBACK_DAYS = 365


@transaction.atomic
def grades_recompute(*, on: dt.date | None = None) -> int:
    """Regrade the whole book set-based (CLASS-3/4): the grade follows the credit-status class, and a severe major
    event in the last year caps it at C. Returns how many grades changed; each change is kept in the history.
    """
    on = on or business_date()
    severe = MajorEvent.objects.filter(
        customer=OuterRef("pk"), impact=Impact.SEVERE, occurred_on__gt=on - dt.timedelta(days=SEVERE_LOOKBACK_DAYS)
    )
    by_status = Case(
        When(credit_status=CreditStatus.QUALITY, then=Value(Grade.A)),
        When(credit_status=CreditStatus.WATCH, then=Value(Grade.C)),
        When(credit_status=CreditStatus.NON_PERFORMING, then=Value(Grade.D)),
        default=Value(Grade.B),
    )
    target = Case(
        When(Q(has_severe=True) & Q(status_grade__in=[Grade.A, Grade.B]), then=Value(Grade.C)),
        default=F("status_grade"),
        output_field=CharField(),
    )
    changing = (
        Customer.objects.annotate(status_grade=by_status, has_severe=Exists(severe))
        .annotate(target=target)
        .exclude(grade=F("target"))
    )
    rows = list(changing.values_list("pk", "grade", "target"))
    if not rows:
        return 0
    GradeChange.objects.bulk_create(
        [
            GradeChange(
                customer_id=pk,
                changed_on=on,
                from_grade=old,
                to_grade=new,
                reason="regrade: credit status and major events",
            )
            for pk, old, new in rows
        ],
        batch_size=2000,
    )
    ids_by_grade: dict[str, list[int]] = {}
    for pk, _old, new in rows:
        ids_by_grade.setdefault(new, []).append(pk)
    for grade, ids in ids_by_grade.items():
        for start in range(0, len(ids), 2000):
            Customer.objects.filter(pk__in=ids[start : start + 2000]).update(grade=grade)
    record_event(
        actor=None, subject=None, event_type="customers.regraded", payload={"changed": len(rows)}, business_on=on
    )
    return len(rows)


@transaction.atomic
def campaign_save(*, actor: Any, campaign: Campaign | None = None, **values: Any) -> Campaign:
    """Create or change an online campaign of the registry (ACQ-1)."""
    _require_edit(actor)
    campaign = campaign or Campaign()
    if values.get("ended_on") and values.get("started_on") and values["ended_on"] < values["started_on"]:
        raise ValidationFailed.on("ended_on", _("The campaign cannot end before it starts."))
    for field, value in values.items():
        setattr(campaign, field, value)
    campaign.full_clean()
    campaign.save()
    record_event(actor=actor, subject=campaign, event_type="campaign.saved", payload={"fields": sorted(values)})
    return campaign


@transaction.atomic
def marketing_event_save(*, actor: Any, event: MarketingEvent | None = None, **values: Any) -> MarketingEvent:
    """Create or change an offline event of the registry (ACQ-1)."""
    _require_edit(actor)
    event = event or MarketingEvent()
    for field, value in values.items():
        setattr(event, field, value)
    event.full_clean()
    event.save()
    record_event(actor=actor, subject=event, event_type="marketing_event.saved", payload={"fields": sorted(values)})
    return event


@transaction.atomic
def customer_access_request(*, actor: Any, reason: str, id_number: str = "", credit_code: str = "") -> None:
    """Ask the owner of a customer outside the actor's scope (and head office) for access or a transfer, after a
    registration was refused as a duplicate (issue 10 item 6). The request lands on the customer's timeline and on
    the owner's home queue. The answer is the same whether or not the identifier is registered, or already in the
    actor's scope, so this is no cheaper way to learn who is a customer than registering them."""
    _require_edit(actor)
    reason = (reason or "").strip()
    if len(reason) < 4:
        raise ValidationFailed.on("reason", _("State why you need access (at least 4 characters)."))
    today = business_date()
    if bool(id_number) == bool(credit_code):
        raise ValidationFailed.on("id_number", _("Give the ID number or the credit code that was refused."))
    if id_number:
        index = (
            "id_number_index",
            blind_index("id_number", _identifier("id_number", parse_resident_id, id_number, today=today).number),
        )
    else:
        index = (
            "credit_code_index",
            blind_index("credit_code", _identifier("credit_code", parse_credit_code, credit_code).code),
        )
    others = Customer.objects.filter(**{index[0]: index[1]})
    customer = others.exclude(pk__in=in_scope(others, actor).values("pk")).first()
    if customer is not None:
        record_event(
            actor=actor,
            subject=customer,
            event_type="customer.access_requested",
            payload={"requested_by": actor.pk},
            comment=reason,
        )
