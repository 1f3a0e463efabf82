"""Forms of the customers app: they parse types; the services check the rules and name the fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from creditdesk.core.fields import AmountField, IncomeAmountField, PriceAmountField
from creditdesk.core.forms import NameField, TextField
from creditdesk.core.masking import mask
from creditdesk.customers.choices import (
    AuthorizationScope,
    Channel,
    CreditStatus,
    DocumentType,
    EventType,
    Grade,
    Housing,
    Impact,
    MaritalStatus,
    SavingsBand,
)
from creditdesk.customers.models import Campaign, MarketingEvent, Partner

DATE = forms.DateInput(attrs={"type": "date"})


class IndividualForm(forms.Form):
    name = NameField(label=_("Full name"), max_length=100)
    id_number = TextField(label=_("ID number"), max_length=32)
    mobile = TextField(label=_("Mobile"), max_length=20)
    address = TextField(label=_("Address"), max_length=300, required=False)
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices, initial=Channel.OWN_SALES)
    occupation = TextField(label=_("Occupation"), max_length=100, required=False)
    employer = TextField(label=_("Employer"), max_length=200, required=False)
    employment_years = forms.IntegerField(label=_("Years with employer"), min_value=0, max_value=80, required=False)
    monthly_income_amount = IncomeAmountField(label=_("Monthly income (yuan)"), required=False)
    marital_status = forms.ChoiceField(
        label=_("Marital status"), choices=[("", "—"), *MaritalStatus.choices], required=False
    )
    housing = forms.ChoiceField(label=_("Housing"), choices=[("", "—"), *Housing.choices], required=False)
    dependants = forms.IntegerField(label=_("Dependants"), min_value=0, max_value=30, required=False)
    existing_debt_amount = PriceAmountField(label=_("Existing debts (yuan)"), required=False)
    savings_band = forms.ChoiceField(label=_("Savings"), choices=[("", "—"), *SavingsBand.choices], required=False)
    purchase_purpose = TextField(label=_("Purchase purpose"), max_length=200, required=False)
    budget_amount = PriceAmountField(label=_("Purchase budget (yuan)"), required=False)


class CompanyForm(forms.Form):
    name = NameField(label=_("Company name"), max_length=100)
    credit_code = TextField(label=_("Unified social credit code"), max_length=32)
    mobile = TextField(label=_("Contact mobile"), max_length=20, required=False)
    address = TextField(label=_("Registered address"), max_length=300, required=False)
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices, initial=Channel.OWN_SALES)
    legal_representative = NameField(label=_("Legal representative"), max_length=100, required=False)
    legal_representative_id_number = TextField(
        label=_("Legal representative's ID number"), max_length=32, required=False
    )
    registered_capital_amount = AmountField(label=_("Registered capital (yuan)"), required=False)
    established_on = forms.DateField(label=_("Established on"), required=False, widget=DATE)
    industry_division = forms.IntegerField(
        label=_("Industry division (GB/T 4754, 01–97)"), min_value=1, max_value=97, required=False
    )
    employees = forms.IntegerField(label=_("Employees"), min_value=0, required=False)
    business_scope = TextField(label=_("Business scope"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    main_products = TextField(
        label=_("Main products and services"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    market_share = TextField(label=_("Market share"), max_length=100, required=False)
    industry_position = TextField(label=_("Industry position"), max_length=200, required=False)
    sales_channels = TextField(label=_("Sales channels"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    key_suppliers = TextField(label=_("Key suppliers"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    key_customers = TextField(label=_("Key customers"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    external_rating = TextField(label=_("External rating"), max_length=32, required=False)
    credit_record_notes = TextField(
        label=_("Credit record notes"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


def changed_values(form: forms.Form, *, editing: bool) -> dict[str, Any]:
    """Values for the service: on create every filled field; on edit every field (blank clears it)."""
    values = dict(form.cleaned_data)
    if not editing:
        return {k: v for k, v in values.items() if v not in (None, "")}
    return values


class AuthorizationForm(forms.Form):
    signed_on = forms.DateField(label=_("Signed on"), widget=DATE)
    expires_on = forms.DateField(label=_("Expires on"), widget=DATE)
    scope = forms.ChoiceField(label=_("Scope"), choices=AuthorizationScope.choices)
    purpose = TextField(label=_("Purpose"), max_length=200)
    document_reference = TextField(label=_("Signed document reference"), max_length=100)


class LeadForm(forms.Form):
    name = NameField(label=_("Name"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=[("individual", _("Individual")), ("company", _("Company"))])
    mobile = TextField(label=_("Mobile"), max_length=20, required=False)
    id_number = TextField(label=_("ID number"), max_length=32, required=False)
    credit_code = TextField(label=_("Unified social credit code"), max_length=32, required=False)
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    partner = forms.ModelChoiceField(
        label=_("Partner"), queryset=Partner.objects.filter(is_active=True), required=False
    )
    campaign = forms.ModelChoiceField(label=_("Campaign"), queryset=Campaign.objects.all(), required=False)
    event = forms.ModelChoiceField(label=_("Offline event"), queryset=MarketingEvent.objects.all(), required=False)
    notes = TextField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class PartnerForm(forms.ModelForm):
    class Meta:
        model = Partner
        fields = [
            "name",
            "kind",
            "contact_name",
            "contact_phone",
            "address",
            "agreement_status",
            "agreement_signed_on",
            "agreement_expires_on",
            "is_active",
        ]
        widgets = {"agreement_signed_on": DATE, "agreement_expires_on": DATE}
        field_classes = {"name": NameField, "contact_name": NameField, "contact_phone": TextField, "address": TextField}


class DocumentForm(forms.Form):
    doc_type = forms.ChoiceField(label=_("Document type"), choices=DocumentType.choices)
    file = forms.FileField(label=_("File (PDF, JPEG or PNG, at most 10 MB)"))
    period = TextField(label=_("Period"), max_length=16, required=False)


class StatementForm(forms.Form):
    period = TextField(label=_("Period"), max_length=16, help_text=_("e.g. 2026, 2026-06 or 2026Q2"))
    period_end_on = forms.DateField(label=_("Period end"), widget=DATE)
    audited = forms.BooleanField(label=_("Audited"), required=False)
    current_assets_amount = AmountField(label=_("Current assets"))
    inventories_amount = AmountField(label=_("Inventories"), initial=0)
    total_assets_amount = AmountField(label=_("Total assets"))
    current_liabilities_amount = AmountField(label=_("Current liabilities"))
    total_liabilities_amount = AmountField(label=_("Total liabilities"))
    equity_amount = AmountField(label=_("Owners' equity"))
    revenue_amount = AmountField(label=_("Operating revenue"))
    net_profit_amount = AmountField(label=_("Net profit"))
    operating_cash_flow_amount = AmountField(label=_("Operating cash flow"), required=False)


class GuaranteeForm(forms.Form):
    beneficiary = NameField(label=_("Guaranteed party"), max_length=200)
    amount = AmountField(label=_("Amount (yuan)"))
    starts_on = forms.DateField(label=_("Starts on"), widget=DATE)
    ends_on = forms.DateField(label=_("Ends on"), widget=DATE, required=False)
    notes = TextField(label=_("Notes"), max_length=300, required=False)


class MajorEventForm(forms.Form):
    event_type = forms.ChoiceField(label=_("Event type"), choices=EventType.choices)
    occurred_on = forms.DateField(label=_("Occurred on"), widget=DATE)
    description = TextField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}))
    impact = forms.ChoiceField(label=_("Impact"), choices=Impact.choices, initial=Impact.NEUTRAL)
    impact_assessment = TextField(
        label=_("Impact assessment"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class GradeForm(forms.Form):
    grade = forms.ChoiceField(label=_("New grade"), choices=Grade.choices)
    credit_status = forms.ChoiceField(
        label=_("Credit status"), choices=[("", "—"), *CreditStatus.choices], required=False
    )
    reason = TextField(label=_("Reason"), max_length=300)


class CampaignForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = ["name", "source", "started_on", "ended_on"]
        widgets = {"started_on": DATE, "ended_on": DATE}
        field_classes = {"name": NameField}


class MarketingEventForm(forms.ModelForm):
    class Meta:
        model = MarketingEvent
        fields = ["name", "kind", "held_on", "location"]
        widgets = {"held_on": DATE}
        field_classes = {"name": NameField, "location": TextField}


def hide_sensitive(form: forms.Form, record: Any) -> None:
    """An edit form never carries a sensitive value in clear (issue 10 item 2, PRIN-3): each sensitive field starts
    empty, shows the masked value beside it, and replaces the value only when something is typed. Seeing the value
    itself is the logged unmask on the detail page."""
    for name, kind in getattr(record, "SENSITIVE_FIELDS", {}).items():
        field = form.fields.get(name)
        if field is None:
            continue
        field.required = False
        field.widget.attrs["autocomplete"] = "off"
        field.help_text = _("Now: %(masked)s. Type a new value to replace it; leave it empty to keep it.") % {
            "masked": mask(kind, getattr(record, name, "")) or "—"
        }


def kept_sensitive(values: dict[str, Any], record: Any) -> dict[str, Any]:
    """The edit's values without the sensitive fields left empty (those keep their stored value)."""
    sensitive = getattr(record, "SENSITIVE_FIELDS", {})
    return {k: v for k, v in values.items() if not (k in sensitive and v in (None, ""))}
