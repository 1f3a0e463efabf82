"""A logging filter that masks identifiers in every log line (PRIN-3: no plaintext personal data in logs).

Whatever reaches a log — a request path with `?id_number=…`, an exception message quoting input — passes through
`MaskingFilter`, which masks anything shaped like a resident ID, a unified social credit code, a bank account or
a mainland mobile number with the rules of `core.masking`. Installed on the console handler in settings.LOGGING.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

from creditdesk.core.masking import mask

# Longest shapes first, so an 18-character ID is not read as a mobile number plus digits. Boundaries are "not an
# alphanumeric", so identifiers inside URLs (=…&) and JSON ("…") are found too.
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("id_number", re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")),
    ("credit_code", re.compile(r"(?<![0-9A-Za-z])[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}(?![0-9A-Za-z])")),
    ("bank_account", re.compile(r"(?<![0-9A-Za-z])\d{16,19}(?![0-9A-Za-z])")),
    ("mobile", re.compile(r"(?<![0-9A-Za-z])(?:\+?86)?1[3-9]\d{9}(?![0-9A-Za-z])")),
]


def _masker(kind: str) -> Callable[[re.Match[str]], str]:
    def replace(match: re.Match[str]) -> str:
        value = match.group(0)
        if kind == "mobile":
            value = value.removeprefix("+").removeprefix("86")
        return mask(kind, value)

    return replace


def mask_identifiers(text: str) -> str:
    """The text with every identifier-shaped run masked."""
    for kind, pattern in _PATTERNS:
        text = pattern.sub(_masker(kind), text)
    return text


class MaskingFilter(logging.Filter):
    """Rewrites each record's message with identifiers masked; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a record whose arguments do not fit its format: leave it to the handler
            return True
        masked = mask_identifiers(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True
