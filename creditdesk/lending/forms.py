"""Forms of the lending app."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from creditdesk.customers.choices import Grade
from creditdesk.lending.choices import RiskLevel
from creditdesk.lending.schedule import Method


class QuoteForm(forms.Form):
    product = forms.ChoiceField(label=_("Product"), required=False)
    price_amount = forms.DecimalField(label=_("Vehicle price (yuan)"), max_digits=18, decimal_places=2, required=False)
    down_payment_amount = forms.DecimalField(
        label=_("Down payment (yuan)"), max_digits=18, decimal_places=2, required=False
    )
    principal_amount = forms.DecimalField(
        label=_("Or the loan amount (yuan)"), max_digits=18, decimal_places=2, required=False
    )
    term_months = forms.IntegerField(label=_("Term (months)"), min_value=1, max_value=360, initial=36)
    method = forms.ChoiceField(
        label=_("Repayment method"),
        choices=[
            (Method.EQUAL_INSTALMENT, _("Equal instalment (等额本息)")),
            (Method.EQUAL_PRINCIPAL, _("Equal principal (等额本金)")),
            (Method.INTEREST_FIRST, _("Interest first (先息后本)")),
        ],
    )
    annual_rate = forms.DecimalField(
        label=_("Annual rate (e.g. 0.06; empty = priced)"), max_digits=9, decimal_places=6, required=False
    )
    risk_level = forms.ChoiceField(label=_("Risk level"), choices=[("", "—"), *RiskLevel.choices], required=False)
    grade = forms.ChoiceField(label=_("Customer grade"), choices=Grade.choices, initial=Grade.B, required=False)

    def __init__(self, *args: Any, products: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["product"]
        field.choices = [("", _("No product (arithmetic only)")), *[(p.code, f"{p.code} {p.name}") for p in products]]
