"""Excel exports of the accounts app (openpyxl)."""

from __future__ import annotations

from collections.abc import Iterable
from io import BytesIO
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from creditdesk.accounts.display import subject_name
from creditdesk.accounts.models import AccessLogEntry
from creditdesk.core.spreadsheets import safe_row


def access_log_workbook(entries: Iterable[AccessLogEntry], *, viewer: Any) -> tuple[bytes, int]:
    """The access log as an .xlsx file, names shown as `viewer` may see them; returns the bytes and the row count."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = _("Access log")
    headers = [
        _("Time"),
        _("Staff member"),
        _("Action"),
        _("Record"),
        _("Field"),
        _("Purpose"),
        _("Records"),
        _("Client address"),
    ]
    sheet.append(safe_row(headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    count = 0
    for entry in entries:
        sheet.append(
            safe_row(
                [
                    timezone.localtime(entry.occurred_at).strftime("%Y-%m-%d %H:%M:%S"),
                    str(entry.actor),
                    entry.get_action_display(),
                    subject_name(viewer, entry.subject_type, entry.subject_repr),
                    entry.field,
                    entry.purpose,
                    entry.record_count,
                    entry.client_address or "",
                ]
            )
        )
        count += 1
    for column, width in zip("ABCDEFGH", (20, 14, 12, 30, 14, 40, 8, 16), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), count
