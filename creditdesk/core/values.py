"""Strict text, pure (no Django): the check behind the API's and the forms' name and text types.

Text is normalised to NFC and trimmed; it may hold no control, format (bidi overrides and isolates, zero-width),
private-use or surrogate characters; long text may hold newlines and tabs. Characters not yet assigned by the
Unicode version of this Python pass: a future version may assign them letters, and refusing them would make the
server disagree with its documented pattern for every client on another version.
"""

from __future__ import annotations

import unicodedata

# Unicode categories refused in any text: Cc control, Cf format (RLO, isolates, zero-width), Co private use,
# Cs surrogates.
REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Co", "Cs"})
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


def refused_ranges() -> list[tuple[int, int]]:
    """The code point ranges `clean_text` refuses, for the pattern the API documents (computed once at start-up)."""
    ranges: list[tuple[int, int]] = []
    start = None
    for code in range(0x110000):
        refused = unicodedata.category(chr(code)) in REFUSED_CATEGORIES
        if refused and start is None:
            start = code
        elif not refused and start is not None:
            ranges.append((start, code - 1))
            start = None
    if start is not None:
        ranges.append((start, 0x10FFFF))
    return ranges
