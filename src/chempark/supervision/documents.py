"""Enforcement documents (现场检查记录, 责令限期整改指令书, 行政处罚决定书) from the bureau's templates,
as DOCX (python-docx) and PDF (ReportLab).

A template is text with ``{field}`` placeholders. Every placeholder must name a field of the case
that has a value: a document is never issued with a blank where the law asks for a fact, so a
template naming an unknown field, or a field the case has not filled yet (the penalty before the
decision), is refused naming the field.
"""

from __future__ import annotations

import io
import string
from dataclasses import dataclass

from django.http import HttpResponse
from django.utils import timezone
from docx import Document
from docx.shared import Pt
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer

from chempark.core.errors import ErrorCode, InvalidInput
from chempark.emergency.reports import cjk_font, text_paragraph
from chempark.supervision.models import DocumentKind, DocumentTemplate, EnforcementCase, HiddenDanger


@dataclass(frozen=True)
class Rendered:
    title: str
    paragraphs: list[str]


def case_fields(case: EnforcementCase) -> dict[str, str]:
    """The values a template may name, as text; an unfilled value is the empty string."""
    enterprise = case.enterprise
    reached = {t.to_stage: t.on for t in case.transitions.all()}
    findings: list[HiddenDanger] = []
    inspection = case.inspection
    if inspection is not None:
        findings = list(inspection.findings.order_by("id"))
    deadlines = sorted({d.deadline for d in findings if d.deadline is not None})
    return {
        "case_number": case.number,
        "enterprise_name": enterprise.name,
        "uscc": enterprise.uscc,
        "address": enterprise.address,
        "legal_representative": enterprise.legal_representative,
        "violation_kind": case.get_violation_kind_display(),
        "violation": case.violation,
        "legal_basis": case.legal_basis,
        "penalty_yuan": f"{case.penalty_yuan:,.2f}" if case.penalty_yuan is not None else "",
        "filed_on": f"{case.filed_on:%Y年%m月%d日}",
        "decided_on": f"{reached['decided']:%Y年%m月%d日}" if "decided" in reached else "",
        "handler": case.handler,
        "inspected_on": f"{inspection.inspected_on:%Y年%m月%d日}" if inspection else "",
        "inspectors": inspection.inspectors if inspection else "",
        "findings": "\n".join(f"{i}. {d.description}" for i, d in enumerate(findings, 1)),
        "rectification_deadline": f"{deadlines[-1]:%Y年%m月%d日}" if deadlines else "",
        "today": f"{timezone.localdate():%Y年%m月%d日}",
    }


def placeholders(body: str) -> list[str]:
    """The field names a template's text uses, in order of appearance."""
    try:
        return [name for _text, name, _spec, _conv in string.Formatter().parse(body) if name is not None]
    except ValueError as exc:
        raise InvalidInput(
            f"模板格式有误：{exc}", details={"body": [str(exc)]}, code=ErrorCode.TEMPLATE_FIELD_MISSING
        ) from None


def render(template: DocumentTemplate, case: EnforcementCase) -> Rendered:
    """The template filled with the case's values; refuses a missing or empty field by name."""
    fields = case_fields(case)
    for name in placeholders(template.body):
        if name not in fields:
            raise InvalidInput(
                f"文书模板「{template.title}」引用了不存在的字段 {{{name}}}。",
                details={"field": name},
                code=ErrorCode.TEMPLATE_FIELD_MISSING,
            )
        if not fields[name].strip():
            raise InvalidInput(
                f"生成「{template.title}」缺少字段 {{{name}}} 的内容，请先在案件中填写。",
                details={"field": name},
                code=ErrorCode.TEMPLATE_FIELD_MISSING,
            )
    text = template.body.format_map(fields)
    return Rendered(template.title, list(text.splitlines()))


def as_docx(rendered: Rendered) -> bytes:
    document = Document()
    heading = document.add_heading(rendered.title, level=1)
    heading.alignment = 1
    for line in rendered.paragraphs:
        paragraph = document.add_paragraph(line)
        for run in paragraph.runs:
            run.font.size = Pt(12)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def as_pdf(rendered: Rendered) -> bytes:
    font = cjk_font()
    title = ParagraphStyle("title", fontName=font, fontSize=18, leading=26, alignment=1, spaceAfter=12)
    body = ParagraphStyle("body", fontName=font, fontSize=11, leading=18)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=25 * mm, rightMargin=25 * mm, title=rendered.title)
    story = [text_paragraph(rendered.title, title)]
    for line in rendered.paragraphs:
        story.append(text_paragraph(line, body) if line.strip() else Spacer(1, 6))
    doc.build(story)
    return buffer.getvalue()


def download(case: EnforcementCase, kind: str, fmt: str) -> HttpResponse:
    """The document ``kind`` of ``case`` as a download (for the API and the case page)."""
    if kind not in DocumentKind.values or fmt not in ("docx", "pdf"):
        raise InvalidInput("没有这种文书或格式。", details={"kind": DocumentKind.values, "fmt": ["docx", "pdf"]})
    template = DocumentTemplate.objects.filter(kind=kind).first()
    if template is None:
        raise InvalidInput("文书模板缺失。", details={"kind": kind})
    rendered = render(template, case)
    if fmt == "docx":
        body = as_docx(rendered)
        mime = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    else:
        body = as_pdf(rendered)
        mime = "application/pdf"
    response = HttpResponse(body, content_type=mime)
    response["Content-Disposition"] = f'attachment; filename="{case.pk}-{kind}.{fmt}"'
    return response
