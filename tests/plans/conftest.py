"""Fixtures of the plans tests: documents made on the spot, and a plan of each enterprise."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.utils import timezone
from docx import Document
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from chempark.core.actors import SYSTEM
from chempark.plans import services
from tests.conftest import SmallPark

AREA = {
    "type": "Polygon",
    "coordinates": [[[118.17, 39.18], [118.24, 39.18], [118.24, 39.23], [118.17, 39.23], [118.17, 39.18]]],
}


def pdf(text: str) -> bytes:
    """A one-page PDF with ``text`` in a Chinese font (reportlab's built-in CID font)."""
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.setFont("STSong-Light", 12)
    page.drawString(72, 720, text)
    page.save()
    return buffer.getvalue()


PDF = pdf("应急预案")


def docx(*paragraphs: str) -> bytes:
    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def days_ago(days: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=days)


def warning_values(**changes: Any) -> dict[str, Any]:
    return {
        "event": "液氯泄漏",
        "headline": "东区液氯泄漏，请就地避险",
        "description": "东区储罐泄漏",
        "instruction": "关闭门窗，留在室内。",
        "response_type": "Shelter",
        "urgency": "Immediate",
        "severity": "Severe",
        "certainty": "Observed",
        "area_desc": "东区及下风向 1 公里",
        "area": AREA,
        **changes,
    }


@pytest.fixture
def plans(park: SmallPark) -> dict[str, Any]:
    """A published comprehensive plan of each enterprise, linked to chlorine; a bureau plan."""
    out: dict[str, Any] = {}
    for key, enterprise in (("own", park.enterprise_a), ("foreign", park.enterprise_b)):
        out[key] = services.plan_create(
            actor=SYSTEM,
            kind="comprehensive",
            title=f"{enterprise.name}综合应急预案",
            enterprise=enterprise.pk,
            published_on=days_ago(10),
            incident_types=["leak"],
            chemicals=[park.chlorine.pk],
        )
    out["bureau"] = services.plan_create(actor=SYSTEM, kind="specific", title="园区危险化学品专项应急预案")
    return out
