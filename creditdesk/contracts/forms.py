"""Forms of the contracts app."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from creditdesk.contracts.choices import KeyTerm, ReviewOutcome
from creditdesk.core.forms import TextField


class ReviewForm(forms.Form):
    """A contract review (合同审查意见) with its opinion, confirmed by the reviewer before it is recorded (CON-2)."""

    outcome = forms.ChoiceField(label=_("Decision"), choices=ReviewOutcome.choices, widget=forms.RadioSelect)
    opinion = TextField(label=_("Opinion"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    confirm = forms.BooleanField(
        label=_("I confirm this review; it cannot be changed afterwards."),
        error_messages={"required": _("Tick the box to confirm the review.")},
    )


class KeyTermsForm(forms.Form):
    items = forms.MultipleChoiceField(
        label=_("Key terms explained to the customer"), choices=KeyTerm.choices, widget=forms.CheckboxSelectMultiple
    )


class SignForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Every party has read the contract and signs it now through the e-signature service."),
        error_messages={"required": _("Tick the box to confirm the signing.")},
    )


class CommentForm(forms.Form):
    comment = TextField(label=_("Comment"), required=False, max_length=2000)


class MortgageRegistrationForm(forms.Form):
    registration_number = TextField(label=_("Registration number"), max_length=64)
    registered_on = forms.DateField(label=_("Registered on"), widget=forms.DateInput(attrs={"type": "date"}))
    evidence = forms.FileField(label=_("Registration evidence (PDF, JPEG or PNG)"))
