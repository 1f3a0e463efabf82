"""Showing a domain error in a Django form: each field's messages beside the field, the rest above the form."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from creditdesk.core.errors import DomainError


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
