from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from creditdesk.accounts.choices import LegalBasis
from creditdesk.accounts.models import User
from creditdesk.core.forms import NameField, TextField


class LoginForm(AuthenticationForm):
    """The sign-in form; its messages stay vague on purpose, so usernames cannot be probed."""

    error_messages = {
        "invalid_login": _("Wrong username or password."),
        "inactive": _("This account is disabled."),
    }


class DisclosureRequestForm(forms.Form):
    """A disclosure request (SEC-6); the data set's fields are offered as checkboxes."""

    dataset = forms.ChoiceField(label=_("Data set"))
    record_ids = TextField(
        label=_("Record numbers"), help_text=_("Numbers of the records to disclose, separated by commas.")
    )
    # Not called `fields`: that name is the form's own field registry.
    data_fields = forms.MultipleChoiceField(label=_("Fields"), widget=forms.CheckboxSelectMultiple)
    recipient = NameField(label=_("Recipient"), max_length=200)
    purpose = TextField(label=_("Purpose"), widget=forms.Textarea(attrs={"rows": 3}))
    legal_basis = forms.ChoiceField(label=_("Legal basis"), choices=LegalBasis.choices)
    consent_reference = TextField(label=_("Consent reference"), max_length=100, required=False)

    def __init__(self, *args: Any, datasets: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        dataset_field: Any = self.fields["dataset"]
        dataset_field.choices = [(code, d.label) for code, d in datasets.items()]
        fields_field: Any = self.fields["data_fields"]
        fields_field.choices = [
            (code, f"{d.label} · {label}") if len(datasets) > 1 else (code, label)
            for d in datasets.values()
            for code, label in d.fields.items()
        ]

    def clean_record_ids(self) -> list[int]:
        raw = self.cleaned_data["record_ids"].replace("，", ",")
        try:
            return [int(part) for part in raw.split(",") if part.strip()]
        except ValueError:
            raise forms.ValidationError(_("Enter record numbers separated by commas.")) from None


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("reject", _("Reject"))], widget=forms.HiddenInput)
    comment = TextField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class AgreementForm(forms.Form):
    staff = forms.ModelChoiceField(label=_("Staff member"), queryset=User.objects.none())
    signed_on = forms.DateField(label=_("Signed on"), widget=forms.DateInput(attrs={"type": "date"}))
    expires_on = forms.DateField(label=_("Expires on"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    reference = TextField(label=_("Document reference"), max_length=100, required=False)

    def __init__(self, *args: Any, staff: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = staff  # type: ignore[attr-defined]


class TrainingForm(forms.Form):
    title = TextField(label=_("Title"), max_length=200)
    held_on = forms.DateField(label=_("Held on"), widget=forms.DateInput(attrs={"type": "date"}))
    trainer = NameField(label=_("Trainer"), max_length=100, required=False)
    attendees = forms.ModelMultipleChoiceField(label=_("Attendees"), queryset=User.objects.none(), required=False)

    def __init__(self, *args: Any, staff: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = staff  # type: ignore[attr-defined]
