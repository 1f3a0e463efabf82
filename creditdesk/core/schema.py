"""Strict API input (ARCHITECTURE rule 10): the one base class of every input schema and the value types it uses.

`StrictIn` forbids unknown fields; `StrictPatch` also refuses an explicit null on a field that cannot be empty.
The types coerce nothing surprising: a date is an ISO string (never an integer count of seconds), an id is a
positive integer the database can hold, a choice is one of its documented values, and text is cleaned by
`creditdesk.core.values` (NFC, trimmed, no invisible or control characters). Amounts are in `core.fields`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Annotated, Any, ClassVar

from ninja import Schema
from pydantic import BeforeValidator, ConfigDict, Field, GetCoreSchemaHandler, ValidationInfo, field_validator
from pydantic_core import core_schema

from creditdesk.core.values import MULTILINE_ALLOWED, clean_name, clean_text, refused_ranges

ID_MAX = 2**63 - 1  # a BigAutoField on both databases
COUNT_MAX = 2**31 - 1
SURROGATES = (0xD800, 0xDFFF)
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _text(multiline: bool) -> Any:
    def check(value: Any) -> Any:
        return clean_text(value, multiline=multiline) if isinstance(value, str) else value

    return BeforeValidator(check)


def _name(value: Any) -> Any:
    return clean_name(value) if isinstance(value, str) else value


def _iso_date(value: Any) -> Any:
    if isinstance(value, dt.date) or (isinstance(value, str) and ISO_DATE.fullmatch(value)):
        return value
    raise ValueError("Enter the date as YYYY-MM-DD.")


def _class_member(code: int) -> str:
    # \\uXXXX in the BMP reads the same in ECMA-262 and Python; astral characters are written as themselves.
    return f"\\u{code:04x}" if code <= 0xFFFF else chr(code)


def _refused_class(allowed: str = "") -> str:
    """The characters the server refuses in text (`core.values`) but `allowed`, as the body of a regex class."""
    ranges: list[tuple[int, int]] = []
    # Surrogates cannot be written in a pattern (validators refuse it) nor sent as text: JSON encodes characters.
    skipped = sorted({ord(char) for char in allowed} | set(range(SURROGATES[0], SURROGATES[1] + 1)))
    for low, high in refused_ranges():
        for code in (code for code in skipped if low <= code <= high):
            if low < code:
                ranges.append((low, code - 1))
            low = code + 1
        if low <= high:
            ranges.append((low, high))
    return "".join(
        _class_member(low) if low == high else f"{_class_member(low)}-{_class_member(high)}" for low, high in ranges
    )


# What the document tells clients of the text hygiene: exactly the characters the server refuses, so a text the
# document allows is never refused (and the reverse).
_REFUSED = _refused_class()
_REFUSED_IN_LONG_TEXT = _refused_class(allowed="".join(MULTILINE_ALLOWED))


def _documented(pattern: str) -> Any:
    return Field(json_schema_extra={"pattern": pattern})


# A name (of a person, company, partner, product…): one line, not empty once trimmed.
Name = Annotated[str, BeforeValidator(_name), _documented(f"^\\s*[^\\s{_REFUSED}][^{_REFUSED}]*$")]
# Any other one-line text: references, phone numbers, codes, short reasons.
Text = Annotated[str, _text(False), _documented(f"^[^{_REFUSED}]*$")]
# Free text over several lines (notes, descriptions, comments): newlines and tabs allowed.
LongText = Annotated[str, _text(True), _documented(f"^[^{_REFUSED_IN_LONG_TEXT}]*$")]
Date = Annotated[dt.date, BeforeValidator(_iso_date)]
Id = Annotated[int, Field(ge=1, le=ID_MAX)]
Count = Annotated[int, Field(ge=0, le=COUNT_MAX)]


@dataclass(frozen=True)
class OneOf:
    """`Annotated[str, OneOf(Channel)]`: one of the values of a choices class (or of strings), documented as enum."""

    choices: Any

    def values(self) -> list[str]:
        source: Iterable[str] = getattr(self.choices, "values", self.choices)
        return [str(value) for value in source]

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.literal_schema(self.values())


class StrictIn(Schema):
    """The base of every input schema: an unknown field is an error naming it, not silently dropped."""

    model_config = ConfigDict(extra="forbid")


class StrictPatch(StrictIn):
    """A partial update: absent fields stay as they are; null is refused unless the field is in `nullable`."""

    nullable: ClassVar[frozenset[str]] = frozenset()

    @classmethod
    def __get_pydantic_json_schema__(cls, core: Any, handler: Any) -> dict[str, Any]:
        # The document says what the server takes: null only where `nullable` allows it.
        schema: dict[str, Any] = handler(core)
        target = handler.resolve_ref_schema(schema)
        for name, prop in target.get("properties", {}).items():
            options = prop.get("anyOf")
            if name in cls.nullable or not options:
                continue
            kept = [option for option in options if option.get("type") != "null"]
            prop.pop("anyOf")
            prop.pop("default", None)
            prop.update(kept[0] if len(kept) == 1 else {"anyOf": kept})
        return schema

    @field_validator("*", mode="before")
    @classmethod
    def _refuse_null(cls, value: Any, info: ValidationInfo) -> Any:
        if value is None and info.field_name not in cls.nullable:
            raise ValueError("This field cannot be emptied; leave it out to keep it.")
        return value


class PurposeIn(StrictIn):
    """Why a private file is opened (issue #10 item 8): the purpose is written to the access log."""

    purpose: LongText = Field(min_length=1, max_length=500, description="Why you need the document; it is logged.")
