"""Writes of contracts (借款合同), CON-1…CON-4: generate from an approved plan, submit for review, explain the key
terms, sign through the e-signature adapter, cancel, and register and release the vehicle mortgage.

One transaction per call, the contract's (or, on generation, the plan's) row locked first so two concurrent calls
cannot both pass the state check; every change writes an audit event in the same transaction. Reviews are in
`reviews.py`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from creditdesk.accounts.permissions import Perm
from creditdesk.accounts.scoping import require_perm
from creditdesk.contracts import esign, pdf
from creditdesk.contracts.choices import LIVE_STATUSES, ContractStatus, KeyTerm, SignerRole
from creditdesk.contracts.models import (
    CANCELLABLE,
    Contract,
    ContractSignature,
    KeyTermExplanation,
    MortgageRegistration,
)
from creditdesk.contracts.snapshot import TEXT_VERSION, plan_snapshot
from creditdesk.core.audit import record_event
from creditdesk.core.dates import business_date
from creditdesk.core.errors import Conflict, InvalidTransition, ValidationFailed
from creditdesk.core.values import clean_text
from creditdesk.customers.models import Customer
from creditdesk.lending.choices import GuaranteeKind, PlanStatus, RegistrationStatus
from creditdesk.lending.models import ServicePlan

NUMBER_PREFIX = "HT"
EVIDENCE_TYPES = {".pdf", ".jpg", ".jpeg", ".png"}
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024


def audit(actor: Any, contract: Contract, event: str, comment: str = "", **payload: Any) -> None:
    record_event(actor=actor, subject=contract, event_type=event, payload=payload, comment=comment)


def locked(contract: Contract) -> Contract:
    """The contract re-read under a row lock: a stale object (a double click, a second tab) sees the latest state."""
    return (
        Contract.objects.select_for_update(of=("self",))
        .select_related("plan", "customer", "plan__application")
        .get(pk=contract.pk)
    )


def wrong_state(contract: Contract, action: str, code: str = "invalid_transition") -> InvalidTransition:
    return InvalidTransition(
        _("The contract is %(status)s: it cannot be %(action)s now.")
        % {"status": contract.get_status_display(), "action": action},
        code=code,
        details={"status": contract.status},
    )


def next_number(on: dt.date) -> str:
    """The next contract number of the business date: HT, the date, and a five-digit sequence (HT2026120400001)."""
    prefix = f"{NUMBER_PREFIX}{on:%Y%m%d}"
    last = (
        Contract.objects.filter(number__startswith=prefix).order_by("-number").values_list("number", flat=True).first()
    )
    sequence = int(last[len(prefix) :]) + 1 if last else 1
    return f"{prefix}{sequence:05d}"


def live_contract_of(plan: ServicePlan) -> Contract | None:
    return Contract.objects.filter(plan=plan, status__in=LIVE_STATUSES).first()


def _vehicle_pledged(vin: str) -> bool:
    return MortgageRegistration.objects.filter(
        vin=vin,
        status__in=[RegistrationStatus.PENDING, RegistrationStatus.REGISTERED],
        contract__status__in=LIVE_STATUSES,
    ).exists()


def contract_generate(*, actor: Any, plan: ServicePlan) -> Contract:
    """Generate the contract of an approved plan (CON-1), with its mortgage registration when a vehicle secures it.

    Refusals: 403 without `contract.edit` on the plan's customer; 409 `plan_not_approved`, `contract_exists` (with
    the live contract's id) or `vehicle_pledged` (the VIN secures another live contract).
    """
    require_perm(actor, Perm.CONTRACT_EDIT, _("Your role may not generate contracts."), on=plan.application.customer)
    today = business_date()
    with transaction.atomic():
        current = (
            ServicePlan.objects.select_for_update(of=("self",))
            .select_related("application", "application__customer", "application__vehicle", "product")
            .get(pk=plan.pk)
        )
        if current.status != PlanStatus.APPROVED:
            raise Conflict(
                _("The plan is %(status)s: only an approved plan gets a contract.")
                % {"status": current.get_status_display()},
                code="plan_not_approved",
                details={"status": current.status},
            )
        existing = live_contract_of(current)
        if existing is not None:
            raise Conflict(
                _("The plan has a contract already: %(number)s.") % {"number": existing.number},
                code="contract_exists",
                details={"contract_id": existing.pk},
            )
        mortgage = current.guarantees.filter(kind=GuaranteeKind.VEHICLE_MORTGAGE).select_related("vehicle").first()
        vehicle = mortgage.vehicle if mortgage is not None else None
        if vehicle is not None and _vehicle_pledged(vehicle.vin):
            raise Conflict(
                _("The vehicle (VIN %(vin)s) secures another live contract.") % {"vin": vehicle.vin},
                code="vehicle_pledged",
                fields={"vehicle": [_("Pledged on another live contract.")]},
            )
        snapshot = plan_snapshot(current)
        try:
            with transaction.atomic():
                contract = Contract.objects.create(
                    number=next_number(today),
                    plan=current,
                    customer=current.application.customer,
                    text_version=TEXT_VERSION,
                    principal_amount=current.principal_amount,
                    annual_rate=current.annual_rate,
                    apr_nominal_rate=current.apr_nominal_rate,
                    term_months=current.term_months,
                    snapshot=snapshot,
                    generated_on=today,
                    created_by=actor,
                )
        except IntegrityError:
            # Another contract took the number (or the plan) at the same moment: nothing was written.
            raise Conflict(
                _("Another contract was generated at the same moment; try again."), code="conflict"
            ) from None
        if vehicle is not None:
            MortgageRegistration.objects.create(contract=contract, vehicle=vehicle, vin=vehicle.vin)
        audit(actor, contract, "contract.created", plan=current.pk, text_version=TEXT_VERSION)
    return contract


def contract_submit(*, actor: Any, contract: Contract, comment: str = "") -> Contract:
    """Send a draft contract to the business review (CON-2)."""
    require_perm(actor, Perm.CONTRACT_EDIT, _("Your role may not submit contracts."), on=contract)
    with transaction.atomic():
        current = locked(contract)
        if current.status != ContractStatus.DRAFT:
            raise wrong_state(current, _("submitted"))
        current.submit()
        current.save()
        audit(actor, current, "contract.submitted", comment.strip())
    contract.refresh_from_db()
    return contract


def contract_cancel(*, actor: Any, contract: Contract, comment: str) -> Contract:
    """Cancel a contract that is not signed yet (a comment is required): its plan may then get a new one."""
    require_perm(actor, Perm.CONTRACT_EDIT, _("Your role may not cancel contracts."), on=contract)
    if not comment.strip():
        raise ValidationFailed.on("comment", _("Say why the contract is cancelled."))
    with transaction.atomic():
        current = locked(contract)
        if current.status not in CANCELLABLE:
            raise wrong_state(current, _("cancelled"))
        current.cancel()
        current.concluded_on = business_date()
        current.save()
        audit(actor, current, "contract.cancelled", comment.strip())
    contract.refresh_from_db()
    return contract


def key_terms_explain(*, actor: Any, contract: Contract, items: list[str]) -> list[KeyTermExplanation]:
    """Tick key terms (重要条款) as explained to the customer, by `actor` on the business date (CON-3).

    Ticking an item again keeps the first record. 422 for an unknown item or none; 409 once the contract is
    signed, rejected or cancelled.
    """
    require_perm(actor, Perm.CONTRACT_EDIT, _("Your role may not record the key-terms explanation."), on=contract)
    unknown = [item for item in items if item not in KeyTerm.values]
    if unknown or not items:
        raise ValidationFailed.on("items", _("Choose key terms from the checklist."))
    today = business_date()
    with transaction.atomic():
        current = locked(contract)
        if current.status not in CANCELLABLE:
            raise wrong_state(current, _("changed"))
        done = set(current.key_terms.values_list("item", flat=True))
        new = [item for item in dict.fromkeys(items) if item not in done]
        KeyTermExplanation.objects.bulk_create(
            [KeyTermExplanation(contract=current, item=item, explained_by=actor, explained_on=today) for item in new]
        )
        if new:
            audit(actor, current, "contract.key_terms_explained", items=new)
    return list(contract.key_terms.order_by("id"))


def missing_key_terms(contract: Contract) -> list[str]:
    done = set(contract.key_terms.values_list("item", flat=True))
    return [item for item in KeyTerm.values if item not in done]


def signers_of(contract: Contract) -> list[esign.Signer]:
    """Every party who signs: the borrower, each co-borrower and each guarantor, as the snapshot names them."""
    parties = contract.parties
    rows = [(SignerRole.BORROWER, parties["borrower"])]
    rows += [(SignerRole.CO_BORROWER, p) for p in parties.get("co_borrowers", [])]
    rows += [(SignerRole.GUARANTOR, p) for p in parties.get("guarantors", [])]
    return [esign.Signer(role=str(role), customer_id=int(p["customer_id"]), name=str(p["name"])) for role, p in rows]


def contract_sign(*, actor: Any, contract: Contract, adapter: esign.ESignAdapter | None = None) -> Contract:
    """Sign the contract for every party through the e-signature adapter (CON-4).

    The PDF is rendered from the contract's text version, signed by the adapter, and kept with its SHA-256; one
    signature row per signer. 409 `contract_not_ready` unless the contract is ready to sign, 409
    `key_terms_incomplete` (listing the missing items) until all seven key terms were explained.
    """
    require_perm(actor, Perm.CONTRACT_EDIT, _("Your role may not sign contracts."), on=contract)
    adapter = adapter or esign.adapter()
    today = business_date()
    # The signature time is the business date at the time of day of the call (the date is the books', not the clock's).
    signed_at = dt.datetime.combine(today, timezone.now().astimezone(dt.UTC).time(), tzinfo=dt.UTC)
    with transaction.atomic():
        current = locked(contract)
        if current.status != ContractStatus.READY_TO_SIGN:
            raise wrong_state(current, _("signed"), code="contract_not_ready")
        missing = missing_key_terms(current)
        if missing:
            raise Conflict(
                _("Explain every key term to the customer before signing: %(items)s.")
                % {"items": "、".join(str(KeyTerm(item).label) for item in missing)},
                code="key_terms_incomplete",
                details={"missing": missing},
            )
        signers = signers_of(current)
        result = adapter.sign(
            document=pdf.render_contract(current), reference=current.number, signers=signers, signed_at=signed_at
        )
        customers = {c.pk: c for c in Customer.objects.filter(pk__in=[s.customer_id for s in signers])}
        ContractSignature.objects.bulk_create(
            [
                ContractSignature(
                    contract=current,
                    role=signer.role,
                    signer=customers[signer.customer_id],
                    signer_name=signer.name,
                    signed_at=signed_at,
                    signature_id=signature_id,
                    adapter=result.adapter,
                )
                for signer, signature_id in zip(signers, result.signature_ids, strict=True)
            ]
        )
        current.sign()
        current.signed_on = today
        current.signed_at = signed_at
        current.signed_pdf = result.signed_document
        current.signed_pdf_sha256 = hashlib.sha256(result.signed_document).hexdigest()
        current.save()
        audit(actor, current, "contract.signed", sha256=current.signed_pdf_sha256, signers=len(signers))
    contract.refresh_from_db()
    return contract


def _locked_mortgage(contract: Contract) -> MortgageRegistration:
    mortgage = MortgageRegistration.objects.select_for_update(of=("self",)).filter(contract=contract).first()
    if mortgage is None:
        raise Conflict(_("No vehicle secures this contract."), code="no_mortgage")
    return mortgage


REGISTRATION_NUMBER_MAX = 64


def mortgage_register(
    *, actor: Any, contract: Contract, registration_number: str, registered_on: dt.date, evidence: UploadedFile | None
) -> MortgageRegistration:
    """Record the mortgage as registered at the vehicle administration (车管所), with the evidence document.

    409 `contract_not_signed` before signing, `mortgage_not_pending` when it is registered or released already;
    422 for a missing number, a date after the business date or before signing, or a missing or unusable file.
    """
    require_perm(actor, Perm.CONTRACT_EDIT, _("Your role may not register mortgages."), on=contract)
    today = business_date()
    errors: dict[str, str] = {}
    try:
        registration_number = clean_text(registration_number)
    except ValueError:
        errors["registration_number"] = _("The registration number may not contain invisible or control characters.")
    else:
        if not registration_number:
            errors["registration_number"] = _("Enter the registration number.")
        elif len(registration_number) > REGISTRATION_NUMBER_MAX:
            errors["registration_number"] = _("The registration number is too long (64 characters at most).")
    if registered_on > today:
        errors["registered_on"] = _("The registration date cannot be after the business date.")
    if evidence is None or not evidence.size:
        errors["evidence"] = _("Attach the registration evidence (PDF or image).")
    elif evidence.size > EVIDENCE_MAX_BYTES or not str(evidence.name or "").lower().endswith(tuple(EVIDENCE_TYPES)):
        errors["evidence"] = _("The evidence must be a PDF, JPEG or PNG file of at most 10 MB.")
    if errors:
        raise ValidationFailed(_("Some fields are not valid."), fields=errors)
    with transaction.atomic():
        current = locked(contract)
        if current.status != ContractStatus.SIGNED:
            raise wrong_state(current, _("secured"), code="contract_not_signed")
        if current.signed_on is not None and registered_on < current.signed_on:
            raise ValidationFailed.on("registered_on", _("The registration date cannot be before the signing date."))
        mortgage = _locked_mortgage(current)
        if mortgage.status != RegistrationStatus.PENDING:
            raise Conflict(_("The mortgage is registered already."), code="mortgage_not_pending")
        mortgage.register()
        mortgage.registration_number = registration_number.strip()
        mortgage.registered_on = registered_on
        assert evidence is not None
        mortgage.evidence.save(evidence.name or "evidence.pdf", evidence, save=False)
        mortgage.save()
        audit(actor, current, "contract.mortgage_registered", registration_number=mortgage.registration_number)
    return mortgage


def mortgage_release(*, actor: Any, contract: Contract, released_on: dt.date | None = None) -> MortgageRegistration:
    """Release a registered mortgage (at settlement): the VIN may then secure another contract."""
    require_perm(actor, Perm.CONTRACT_EDIT, _("Your role may not release mortgages."), on=contract)
    today = business_date()
    released_on = released_on or today
    if released_on > today:
        raise ValidationFailed.on("released_on", _("The release date cannot be after the business date."))
    with transaction.atomic():
        current = locked(contract)
        mortgage = _locked_mortgage(current)
        if mortgage.status != RegistrationStatus.REGISTERED:
            raise Conflict(_("Only a registered mortgage can be released."), code="mortgage_not_registered")
        mortgage.release()
        mortgage.released_on = released_on
        mortgage.save()
        audit(actor, current, "contract.mortgage_released", released_on=released_on.isoformat())
    return mortgage


def lender_name() -> str:
    return str(settings.CREDITDESK_LENDER_NAME)
