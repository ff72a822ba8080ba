"""The daily duty report (值班日报) as a Word document: the day's shifts, alarms, commitments and
handovers. python-docx writes text runs, never markup, so user values need no escaping."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter

from django.utils import timezone
from django.utils.translation import gettext as _
from docx import Document
from docx.document import Document as DocxDocument

from chempark.command import duty_selectors
from chempark.core.actors import Actor
from chempark.hazards import selectors as hazard_selectors
from chempark.monitoring import selectors as monitoring_selectors
from chempark.monitoring.models import Severity

MAJOR = (Severity.CRITICAL, Severity.MAJOR)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    return start, start + dt.timedelta(days=1)


def _table(doc: DocxDocument, header: list[str], rows: list[list[str]]) -> None:
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
    for row in rows:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = text


def _hm(moment: dt.datetime | None) -> str:
    return timezone.localtime(moment).strftime("%m-%d %H:%M") if moment else "—"


def duty_report_docx(actor: Actor, day: dt.date) -> bytes:
    actor.require("command.read")
    start, end = _day_bounds(day)
    doc = Document()
    doc.add_heading(_("值班日报（%(day)s）") % {"day": day.isoformat()}, level=1)

    doc.add_heading(_("值班安排"), level=2)
    shifts = list(duty_selectors.shifts(actor, since=start, until=end))
    _table(
        doc,
        [_("时间"), _("带班领导"), _("值班员"), _("值班电话")],
        [
            [
                f"{_hm(s.starts_at)} — {_hm(s.ends_at)}",
                s.leader.first_name or s.leader.username,
                "、".join(o.first_name or o.username for o in s.officers.all()),
                s.phone,
            ]
            for s in shifts
        ],
    )

    doc.add_heading(_("报警情况"), level=2)
    alarms = monitoring_selectors.alarms_visible(actor).filter(raised_at__gte=start, raised_at__lt=end)
    by_severity = Counter(alarms.values_list("severity", flat=True))
    doc.add_paragraph(
        _("全天报警 %(n)d 条：") % {"n": sum(by_severity.values())}
        + "，".join(f"{s.label} {by_severity.get(s.value, 0)}" for s in Severity)
    )
    major = alarms.filter(severity__in=MAJOR).select_related("enterprise", "point", "camera").order_by("raised_at")
    _table(
        doc,
        [_("时间"), _("企业"), _("点位"), _("类型"), _("程度"), _("状态")],
        [
            [
                _hm(a.raised_at),
                str(a.enterprise),
                str(a.point or a.camera or ""),
                a.get_alarm_type_display(),
                a.get_severity_display(),
                a.get_status_display(),
            ]
            for a in major[:200]
        ],
    )

    doc.add_heading(_("安全承诺"), level=2)
    missing = list(hazard_selectors.commitments_missing(actor, day).values_list("name", flat=True))
    submitted = hazard_selectors.commitments(actor, date=day).count()
    doc.add_paragraph(_("已报 %(n)d 家；未报 %(m)d 家") % {"n": submitted, "m": len(missing)})
    if missing:
        doc.add_paragraph("、".join(missing))

    doc.add_heading(_("交接班"), level=2)
    for record in (
        duty_selectors.handovers(actor).filter(created_at__gte=start, created_at__lt=end).order_by("created_at")
    ):
        doc.add_paragraph(
            _("%(time)s 交班人 %(out)s（%(signed)s），接班人 %(in)s（%(accepted)s），状态：%(status)s")
            % {
                "time": _hm(record.created_at),
                "out": record.outgoing.first_name or record.outgoing.username,
                "signed": _hm(record.handed_over_at),
                "in": (record.incoming.first_name or record.incoming.username) if record.incoming else "—",
                "accepted": _hm(record.accepted_at),
                "status": record.get_status_display(),
            }
        )
        for item in record.open_items:
            doc.add_paragraph(f"{item.get('group', '')}：{item.get('title', '')}", style="List Bullet")
        if record.notes:
            doc.add_paragraph(_("交班说明：%(notes)s") % {"notes": record.notes})
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
