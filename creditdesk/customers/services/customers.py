"""Writes of the customers app: customers, their identifiers and credit-report authorizations, access requests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from creditdesk.accounts.permissions import Perm
from creditdesk.accounts.scoping import in_scope, require_perm
from creditdesk.core.audit import record_event
from creditdesk.core.crypto import blind_index
from creditdesk.core.dates import business_date
from creditdesk.core.errors import Conflict, ValidationFailed
from creditdesk.core.identifiers import InvalidIdentifier, parse_credit_code, parse_mobile, parse_resident_id
from creditdesk.customers.choices import (
    AuthorizationScope,
    CustomerKind,
)
from creditdesk.customers.models import (
    CreditAuthorization,
    Customer,
    Lead,
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
