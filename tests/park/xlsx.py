"""Workbooks built as raw zip parts: fast enough for 100,000 rows, and able to carry what no honest
spreadsheet program writes (a zip bomb)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Sequence
from typing import Any
from xml.sax.saxutils import escape

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
)


def _cell(value: Any) -> str:
    if isinstance(value, int | float):
        return f"<c><v>{value}</v></c>"
    return f'<c t="inlineStr"><is><t>{escape(str(value))}</t></is></c>'


def package(title: str, sheet_xml: Iterable[bytes], extra: dict[str, bytes] | None = None) -> bytes:
    """An xlsx with one sheet whose XML comes in chunks (so a large sheet is never one string)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{RELS}"><Relationship Id="rId1" '
            f'Type="{DOC_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{MAIN}" xmlns:r="{DOC_RELS}"><sheets>'
            f'<sheet name="{escape(title)}" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{RELS}"><Relationship Id="rId1" '
            f'Type="{DOC_RELS}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        )
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            for chunk in sheet_xml:
                sheet.write(chunk)
        for name, data in (extra or {}).items():
            with archive.open(name, "w") as part:
                part.write(data)
    return buffer.getvalue()


def workbook(title: str, rows: Sequence[Sequence[Any]]) -> bytes:
    """One sheet of ``rows`` (the first is the header), with its dimension declared as Excel does."""

    def chunks() -> Iterable[bytes]:
        yield (
            f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}">'
            f'<dimension ref="A1:E{len(rows)}"/><sheetData>'
        ).encode()
        for start in range(0, len(rows), 5000):
            yield "".join(
                f'<row r="{n}">{"".join(_cell(v) for v in row)}</row>'
                for n, row in enumerate(rows[start : start + 5000], start=start + 1)
            ).encode()
        yield b"</sheetData></worksheet>"

    return package(title, chunks())
