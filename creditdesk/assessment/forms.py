"""Forms of the assessment app: they parse types; the services check the rules and name the fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from creditdesk.assessment import catalogue
from creditdesk.assessment.choices import BankAccountReading, RepaymentMethod
from creditdesk.core.dates import business_date
from creditdesk.core.fields import PriceAmountField
from creditdesk.core.forms import NameField, TextField
from creditdesk.customers.models import Customer
from creditdesk.customers.picker import CustomerPicker

LEVEL_CHOICES = [("low", _("Low risk")), ("medium", _("Medium risk")), ("high", _("High risk"))]


class ApplicationForm(forms.Form):
    product_code = forms.ChoiceField(label=_("Product"))
    vehicle = forms.ChoiceField(label=_("Vehicle"), required=False)
    price_amount = PriceAmountField(label=_("Vehicle price (yuan)"), required=False)
    down_payment_amount = PriceAmountField(label=_("Down payment (yuan)"), required=False)
    requested_amount = PriceAmountField(
        label=_("Requested amount (yuan)"),
        required=False,
        help_text=_("For a car loan leave it empty: the price less the down payment."),
    )
    term_months = forms.IntegerField(label=_("Term (months)"), min_value=1, max_value=360)
    repayment_method = forms.ChoiceField(label=_("Repayment method"), choices=RepaymentMethod.choices)
    purpose = TextField(label=_("Loan purpose"), max_length=200)
    bank_account = forms.ChoiceField(
        label=_("Bank statement"),
        choices=[("", _("Not recorded")), *BankAccountReading.choices],
        required=False,
        help_text=_("How the last six months of the bank statement read; an input of the internal score."),
    )
    guarantor = forms.IntegerField(
        label=_("Guarantor"),
        required=False,
        widget=CustomerPicker(),
        help_text=_("Optional: search by name, ID number or mobile; the guarantor needs a consent in force."),
    )
    guarantor_relationship = NameField(label=_("Guarantor's relationship"), max_length=100, required=False)

    def __init__(self, *args: Any, customer: Customer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        products = [p for p in catalogue.products_on(business_date()) if p.customer_kind == customer.kind]
        product_field = self.fields["product_code"]
        vehicle_field = self.fields["vehicle"]
        assert isinstance(product_field, forms.ChoiceField)
        assert isinstance(vehicle_field, forms.ChoiceField)
        product_field.choices = [(p.code, p.name) for p in products]
        vehicles = customer.vehicles.order_by("-id")
        vehicle_field.choices = [("", _("No vehicle"))] + [(str(v.pk), str(v)) for v in vehicles]
        if not customer.is_individual:
            for name in ("vehicle", "price_amount", "down_payment_amount"):
                self.fields[name].widget = forms.HiddenInput()


class ReturnForm(forms.Form):
    reasons = TextField(label=_("What must be completed"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000)


class AssessForm(forms.Form):
    identity_verified = forms.BooleanField(
        label=_("Identity and full civil capacity verified in person"), required=False
    )
    income_verified = forms.BooleanField(label=_("Income checked against the income documents"), required=False)
    verification_notes = TextField(
        label=_("Verification notes"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000, required=False
    )


class RatingForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("confirmed", _("Confirm the rating")), ("overridden", _("Override it"))]
    )
    level = forms.ChoiceField(label=_("New rating"), choices=[("", "—"), *LEVEL_CHOICES], required=False)
    reason = TextField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        required=False,
        help_text=_("Required for an override."),
    )


class CommentForm(forms.Form):
    comment = TextField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=False)
