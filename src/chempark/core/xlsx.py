"""Lists exported as Excel workbooks: one sheet, Chinese headings frozen at the top, a Chinese file name.

Pages that offer 「导出 Excel」 for what they show (the audit trail, the inspector's overdue list) build
their rows and hand them here, so every export opens the same way in the bureau's spreadsheet.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import quote

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def table_workbook(title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """A workbook of one sheet: bold headings in the frozen first row, then ``rows``."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title[:31]
    sheet.append(list(headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = [len(str(h)) * 2 + 2 for h in headers]
    for row in rows:
        values = list(row)
        sheet.append(values)
        for index, value in enumerate(values[: len(widths)]):
            widths[index] = min(60, max(widths[index], len(str(value)) + 2))
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    """An attachment named ``filename`` (Chinese allowed: RFC 6266 ``filename*``, with an ASCII
    fallback for old clients)."""
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f"attachment; filename=\"export.xlsx\"; filename*=UTF-8''{quote(filename)}"
    return response
