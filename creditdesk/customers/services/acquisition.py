"""Writes of acquisition (ACQ-1, ACQ-2): partners, leads and their conversion, campaigns and marketing events."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django_fsm import TransitionNotAllowed

from creditdesk.core.audit import record_event
from creditdesk.core.crypto import blind_index
from creditdesk.core.dates import business_date
from creditdesk.core.errors import InvalidTransition, ValidationFailed
from creditdesk.customers.choices import (
    Channel,
    CustomerKind,
    LeadStatus,
)
from creditdesk.customers.models import (
    Campaign,
    Customer,
    Lead,
    MarketingEvent,
    Partner,
)
from creditdesk.customers.services.customers import (
    _apply_identifiers,
    _require_edit,
    customer_create,
)


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
