"""The incident's closing report (事件处置总结报告), as DOCX (python-docx) and PDF (reportlab): the
facts, the response level, the zone and people, the dispatched units, the timeline and the summary.

The PDF builds every paragraph and cell through :func:`chempark.emergency.reports.text_paragraph`,
which escapes it: a user value such as ``<img src="/etc/passwd"/>`` prints as text.
"""

from __future__ import annotations

import io
from typing import Any

from django.utils import timezone
from docx import Document
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer, Table, TableStyle

from chempark.emergency.reports import cjk_font, text_paragraph
from chempark.incidents import selectors, zone
from chempark.incidents.models import Incident

PRINT_GRID = colors.HexColor("#999999")  # the printed report keeps its own colours


def _when(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else "—"


def report_facts(incident: Incident) -> list[tuple[str, str]]:
    chemicals = "、".join(c.name_zh for c in incident.chemicals.all()) or "—"
    return [
        ("事件名称", incident.title),
        ("事件类型", incident.get_kind_display()),
        ("报警来源", incident.get_source_display()),
        ("接警时间", _when(incident.reported_at)),
        ("结案时间", _when(incident.closed_at)),
        ("事发企业", incident.enterprise.name if incident.enterprise else "—"),
        ("事发单元", str(incident.unit) if incident.unit else "—"),
        ("位置", f"{incident.lon:.6f}, {incident.lat:.6f}"),
        ("涉及化学品", chemicals),
        ("伤亡", f"死亡 {incident.deaths} 人，受伤 {incident.injured} 人"),
        ("建议响应级别", incident.get_suggested_level_display()),
        ("确定响应级别", incident.get_level_display() if incident.level else "—"),
        ("威胁区内人数", str(zone.people_in_zone(incident.zone))),
    ]


def _dispatch_rows(incident: Incident) -> list[list[str]]:
    return [
        [
            d.resource.name,
            d.resource.get_kind_display(),
            _when(d.dispatched_at),
            d.get_state_display(),
            f"{d.eta_min:g}" if d.eta_min is not None else "—",
        ]
        for d in incident.dispatches.select_related("resource")
    ]


def _timeline_rows(incident: Incident) -> list[list[str]]:
    return [[_when(e.at), e.actor, e.text] for e in selectors.timeline(incident)]


DISPATCH_HEAD = ["调派对象", "类别", "调派时间", "状态", "预计到达(分钟)"]
TIMELINE_HEAD = ["时间", "操作人", "内容"]


def incident_report_docx(incident: Incident) -> bytes:
    document = Document()
    document.add_heading(f"事件处置总结报告：{incident.title}", level=1)
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in report_facts(incident):
        cells = table.add_row().cells
        cells[0].text, cells[1].text = label, value
    for title, head, rows in (
        ("调派记录", DISPATCH_HEAD, _dispatch_rows(incident)),
        ("处置时间线", TIMELINE_HEAD, _timeline_rows(incident)),
    ):
        document.add_heading(title, level=2)
        grid = document.add_table(rows=1, cols=len(head))
        grid.style = "Table Grid"
        for cell, text in zip(grid.rows[0].cells, head, strict=True):
            cell.text = text
        for row in rows:
            for cell, text in zip(grid.add_row().cells, row, strict=True):
                cell.text = text
    document.add_heading("处置总结", level=2)
    document.add_paragraph(incident.summary or "—")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _grid(rows: list[list[str]], style: ParagraphStyle, widths: list[float]) -> Table:
    table = Table([[text_paragraph(cell, style) for cell in row] for row in rows], colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, PRINT_GRID), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


def incident_report_pdf(incident: Incident) -> bytes:
    font = cjk_font()
    title = ParagraphStyle("title", fontName=font, fontSize=16, leading=22, alignment=1, spaceAfter=8)
    h2 = ParagraphStyle("h2", fontName=font, fontSize=12, leading=16, spaceBefore=8, spaceAfter=4)
    body = ParagraphStyle("body", fontName=font, fontSize=9, leading=13)
    story: list[Any] = [text_paragraph(f"事件处置总结报告：{incident.title}", title)]
    story.append(_grid([[label, value] for label, value in report_facts(incident)], body, [35 * mm, 140 * mm]))
    story += [
        text_paragraph("调派记录", h2),
        _grid([DISPATCH_HEAD, *_dispatch_rows(incident)], body, [50 * mm, 25 * mm, 35 * mm, 30 * mm, 35 * mm]),
    ]
    story += [
        text_paragraph("处置时间线", h2),
        _grid([TIMELINE_HEAD, *_timeline_rows(incident)], body, [32 * mm, 28 * mm, 115 * mm]),
    ]
    story += [text_paragraph("处置总结", h2), text_paragraph(incident.summary or "—", body), Spacer(1, 6 * mm)]
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, title=f"事件处置总结报告 {incident.pk}").build(story)
    return buffer.getvalue()
