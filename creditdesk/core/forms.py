"""Form helpers: a domain error shown beside its fields, the strict text fields, whole numbers from queries."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from creditdesk.core.errors import DomainError
from creditdesk.core.values import clean_text


def form_errors(form: Any, err: DomainError, *, renamed: Mapping[str, str] | None = None) -> None:
    """Add the error's field messages to the form; `renamed` maps service field names to form field names."""
    for name, messages in (err.fields or {"__all__": [err.message]}).items():
        target = (renamed or {}).get(name, name)
        for message in messages:
            form.add_error(target if target in form.fields else None, message)


def int_param(raw: str | None) -> int | None:
    """A whole number from a query parameter (`?customer=12`), or None when it is missing or not a number."""
    try:
        return int(raw) if raw else None
    except ValueError:
        return None


class TextField(forms.CharField):
    """Text with the API's hygiene (ARCHITECTURE rule 10): NFC, trimmed, no control or invisible characters;
    a textarea may hold newlines and tabs."""

    def to_python(self, value: Any) -> Any:
        text = super().to_python(value)
        try:
            return clean_text(text, multiline=isinstance(self.widget, forms.Textarea)) if text else text
        except ValueError:
            raise ValidationError(
                _("The text may not contain invisible, control or private-use characters."), code="invisible"
            ) from None


class NameField(TextField):
    """A name (of a person, company, partner…): one line of text with the API's hygiene."""
