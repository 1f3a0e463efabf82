"""Strict text, pure (no Django): the check behind the API's and the forms' name and text types.

Text is normalised to NFC and trimmed; it may hold no control, format (bidi overrides and isolates, zero-width),
private-use or unassigned characters; long text may hold newlines and tabs.
"""

from __future__ import annotations

import unicodedata

# Unicode categories refused in any text: Cc control, Cf format (RLO, isolates, zero-width), Co private use,
# Cs surrogates, Cn unassigned.
REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Co", "Cs", "Cn"})
MULTILINE_ALLOWED = frozenset("\n\t")


def clean_text(value: str, *, multiline: bool = False) -> str:
    """The text in NFC, trimmed; refuses invisible and control characters (newlines and tabs in `multiline`)."""
    if multiline:  # browsers send a textarea's line ends as CRLF
        value = value.replace("\r\n", "\n")
    text = unicodedata.normalize("NFC", value).strip()
    allowed = MULTILINE_ALLOWED if multiline else frozenset()
    for char in text:
        if char not in allowed and unicodedata.category(char) in REFUSED_CATEGORIES:
            raise ValueError(f"The text may not contain the invisible or control character U+{ord(char):04X}.")
    return text


def clean_name(value: str) -> str:
    """A one-line text that cannot be empty once trimmed (a name of only spaces names no one)."""
    text = clean_text(value)
    if not text:
        raise ValueError("Enter a name.")
    return text
