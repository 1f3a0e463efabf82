"""Forms of the loans app: a repayment, an early settlement, a reversal request and its decision.

Money-moving forms carry an idempotency key made when the form is shown, so a double click or a resubmitted page
replays the first posting instead of making a second one."""

from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from creditdesk.core.forms import TextField
from creditdesk.loans.choices import Channel, ReversalOutcome


def new_key() -> str:
    return uuid.uuid4().hex


class _Keyed(forms.Form):
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=100)


class RepaymentForm(_Keyed):
    amount = forms.DecimalField(
        label=_("Amount (yuan)"),
        max_digits=14,
        decimal_places=2,
        min_value=0,
        error_messages={"max_decimal_places": _("Amounts are in whole fen (two decimals at most).")},
    )
    paid_on = forms.DateField(label=_("Received on"), widget=forms.DateInput(attrs={"type": "date"}))
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    reference = TextField(label=_("Reference"), required=False, max_length=100)


class SettlementForm(_Keyed):
    on = forms.DateField(label=_("Settlement date"), widget=forms.DateInput(attrs={"type": "date"}))
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    reference = TextField(label=_("Reference"), required=False, max_length=100)
    confirm = forms.BooleanField(
        label=_("The borrower paid the quoted amount; settle the loan now."),
        error_messages={"required": _("Tick the box to confirm the settlement.")},
    )


class QuoteForm(forms.Form):
    on = forms.DateField(label=_("Quote for"), widget=forms.DateInput(attrs={"type": "date"}))


class ReversalRequestForm(forms.Form):
    reason = TextField(label=_("Why is it reversed?"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class ReversalDecisionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Decision"), choices=ReversalOutcome.choices, widget=forms.RadioSelect)
    opinion = TextField(label=_("Opinion"), required=False, max_length=2000)
