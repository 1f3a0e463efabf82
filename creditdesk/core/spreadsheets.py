"""Spreadsheet cells for exports: the one place every exported value passes through (OWASP CSV injection).

A text cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is a formula to Excel, LibreOffice and
anything reading the file back as CSV: a customer named `=1+2`, or an unmask purpose holding a `HYPERLINK(…)`,
would run in the reader's spreadsheet. Such text gets a leading apostrophe, which spreadsheets show as text.
Numbers, dates and booleans are not text and pass unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.http import HttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """The value as an export may write it: text that a spreadsheet would run as a formula is neutralised."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    """One row of an export, every cell through `safe_cell`."""
    return [safe_cell(value) for value in values]


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    """An .xlsx download: attached, never cached (it holds personal information)."""
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
