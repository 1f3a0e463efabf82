"""Form helpers: a domain error shown beside its fields, the strict text fields, whole numbers from queries, rates
typed in percent."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from decimal import Decimal
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


class PercentField(forms.CharField):
    """A rate a person types in percent ("6", "5.5", "5.5%", "5.5 %", full-width "５.５％") and the services take as
    a fraction, exactly (5.5 → Decimal("0.055")). A fraction given as the initial value is shown in percent again
    (0.055 → "5.5"). Percent with four decimals at most (the fraction keeps six), at least 0 and below 100."""

    PERCENT_PLACES = 4
    default_error_messages = {
        "invalid": _("Type the rate in percent, for example 6 or 5.5."),
        "range": _("The rate must be at least 0 % and below 100 %."),
        "signed_range": _("The rate must be above −100 % and below 100 %."),
        "places": _("The rate may have at most %(places)s decimals in percent."),
    }

    def __init__(self, *, signed: bool = False, **kwargs: Any) -> None:
        self.signed = signed  # a spread or an adjustment may be below zero (−0.25 %), never beyond ±100 %
        attrs = {"inputmode": "decimal", "autocomplete": "off", "class": "percent"}
        kwargs.setdefault("widget", forms.TextInput(attrs=attrs))
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        text = unicodedata.normalize("NFKC", str(value or "")).strip().removesuffix("%").strip()
        if not text:
            return None
        sign = "[-−]?" if self.signed else ""
        if not re.fullmatch(sign + r"([0-9]+(\.[0-9]*)?|\.[0-9]+)", text):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        percent = Decimal(text.replace("−", "-"))
        if not (-Decimal(100) < percent if self.signed else Decimal(0) <= percent) or not percent < Decimal(100):
            code = "signed_range" if self.signed else "range"
            raise ValidationError(self.error_messages[code], code=code)
        if -percent.as_tuple().exponent > self.PERCENT_PLACES:  # type: ignore[operator]
            raise ValidationError(self.error_messages["places"], code="places", params={"places": self.PERCENT_PLACES})
        return percent.scaleb(-2)

    def validate(self, value: Any) -> None:
        if value is None and self.required:
            raise ValidationError(self.error_messages["required"], code="required")

    def run_validators(self, value: Any) -> None:  # the CharField's length validators apply to the text only
        return None

    def bound_data(self, data: Any, initial: Any) -> Any:
        return _Typed(data) if isinstance(data, str) else data

    def prepare_value(self, value: Any) -> Any:
        """The initial value (a fraction: a Decimal, or a model default such as "0.500000") in percent; what the
        person typed as they typed it."""
        if value in (None, "") or isinstance(value, _Typed):
            return value
        try:
            return percent_text(Decimal(str(value)))
        except ArithmeticError:
            return value

    def has_changed(self, initial: Any, data: Any) -> bool:
        try:
            typed = self.to_python(data)
        except ValidationError:
            return True
        before = None if initial in (None, "") else Decimal(str(initial))
        return typed != before


class _Typed(str):
    """Text a person typed into a percent field (shown back as typed, never read as a fraction)."""


def percent_text(fraction: Decimal) -> str:
    """A fraction as the percent a person would type: 0.055 → "5.5", 0.06 → "6", 0.0725 → "7.25"."""
    return format(fraction.scaleb(2).normalize(), "f")
