"""Forms of the vehicles app: they parse types; the services check the rules and name the fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from creditdesk.core.fields import PriceAmountField
from creditdesk.core.forms import NameField, TextField
from creditdesk.vehicles.choices import ValuationMethod
from creditdesk.vehicles.services import CONDITION_REPORT_TYPES, MAX_CONDITION_REPORT_BYTES

DATE = forms.DateInput(attrs={"type": "date"})


class VehicleForm(forms.Form):
    brand = NameField(label=_("Brand"), max_length=50)
    model_name = NameField(label=_("Model"), max_length=100)
    vin = TextField(label=_("VIN"), max_length=32, help_text=_("17 characters, on the registration certificate."))
    imported = forms.BooleanField(
        label=_("Imported car"),
        required=False,
        help_text=_("Imported cars may have a VIN without a check digit; it is accepted and flagged."),
    )
    engine_number = TextField(label=_("Engine number"), max_length=32)
    plate_number = TextField(label=_("Plate number"), max_length=16, required=False)
    first_registered_on = forms.DateField(label=_("First registration date"), widget=DATE)
    purchased_on = forms.DateField(label=_("Purchase date"), required=False, widget=DATE)
    mileage_km = forms.IntegerField(label=_("Mileage (km)"))
    original_price_amount = PriceAmountField(
        label=_("New-car guide price (yuan)"),
        required=False,
        help_text=_("The base of the 54321 current-value estimate."),
    )
    registration_certificate = forms.BooleanField(label=_("Registration certificate on file"), required=False)
    invoice = forms.BooleanField(label=_("Purchase invoice on file"), required=False)
    insurance = forms.BooleanField(label=_("Insurance policy on file"), required=False)
    has_major_accident = forms.BooleanField(label=_("Major accident"), required=False)
    accident_notes = TextField(
        label=_("Accident history"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, required=False
    )


def changed_values(form: forms.Form, initial: dict[str, Any] | None = None) -> dict[str, Any]:
    """Values for the service: on create every filled field; on edit the fields whose value changed."""
    values = dict(form.cleaned_data)
    if initial is None:
        return {k: v for k, v in values.items() if v not in (None, "")}
    return {k: v for k, v in values.items() if v != initial.get(k)}


class ValuationForm(forms.Form):
    valued_on = forms.DateField(label=_("Valued on"), widget=DATE)
    method = forms.ChoiceField(label=_("Method"), choices=ValuationMethod.choices)
    value_amount = PriceAmountField(label=_("Value (yuan)"))
    appraiser = TextField(label=_("Appraiser"), max_length=100, required=False)
    notes = TextField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=False)


class ConditionReportForm(forms.Form):
    condition_report = forms.FileField(
        label=_("Condition report"),
        widget=forms.FileInput(attrs={"accept": ",".join(sorted(CONDITION_REPORT_TYPES))}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["condition_report"].help_text = gettext("PDF, JPEG or PNG, at most %(limit)d MB.") % {
            "limit": MAX_CONDITION_REPORT_BYTES // (1024 * 1024)
        }
