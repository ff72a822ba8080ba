"""Supervision's reminders sent through the notifications (``chempark.core.notices``): rectifications
due within ``REMINDER_DAYS``, overdue, or overdue and escalated (督办), and licences and certificates
at their 90- and 30-day reminder or expired yesterday — the same matters ``chempark
supervision-daily`` lists. Only reads; the notifier sends each once a day to the enterprise's users
and the bureau's staff who subscribe."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chempark.core.actors import SYSTEM
from chempark.core.alarm_feed import FeedSeverity
from chempark.core.notices import EventType, Reminder
from chempark.supervision import selectors
from chempark.supervision.models import DangerGrade, HiddenDanger

DANGER_DUE, DANGER_OVERDUE, DANGER_SUPERVISED = "danger.due", "danger.overdue", "danger.supervised"
LICENCE_EXPIRING = "licence.expiring"
GROUP, LICENCES = _("隐患排查治理"), _("许可与证书")
EVENT_TYPES = (
    EventType(
        DANGER_DUE,
        _("隐患整改期限临近"),
        GROUP,
        300,
        "danger.read",
        default_roles=frozenset({"enterprise"}),
        note=_("整改期限前 3 天起每天提醒"),
    ),
    EventType(
        DANGER_OVERDUE,
        _("隐患逾期未整改"),
        GROUP,
        310,
        "danger.read",
        default_roles=frozenset({"enterprise"}),
    ),
    EventType(
        DANGER_SUPERVISED,
        _("隐患督办"),
        GROUP,
        320,
        "danger.read",
        default_roles=frozenset({"enterprise", "inspector", "bureau_admin"}),
        note=_("逾期未整改已督办；重大隐患为“紧急”"),
    ),
    EventType(
        LICENCE_EXPIRING,
        _("许可证、证书到期"),
        LICENCES,
        400,
        "licence.read",
        default_roles=frozenset({"enterprise"}),
        note=_("到期前 90 天、30 天及过期次日各提醒"),
    ),
)


def due(now: dt.datetime) -> list[Reminder]:
    """The module's reminders at ``now``."""
    today = timezone.localtime(now).date()
    visible = selectors.dangers_visible(SYSTEM)
    items = []
    for danger in selectors.due_soon(visible, today).order_by("deadline", "id"):
        assert danger.deadline is not None  # due_soon filters on it
        items.append(
            _danger(danger, DANGER_DUE, FeedSeverity.MINOR, "整改期限临近", f"整改期限 {danger.deadline.isoformat()}")
        )
    for danger in selectors.overdue_dangers(visible, today).order_by("deadline", "id"):
        assert danger.deadline is not None  # overdue_dangers filters on it
        late = f"整改期限 {danger.deadline.isoformat()}，已逾期 {(today - danger.deadline).days} 天"
        if danger.escalated_at is None:
            items.append(_danger(danger, DANGER_OVERDUE, FeedSeverity.MAJOR, "隐患逾期未整改", late))
        else:
            severity = FeedSeverity.CRITICAL if danger.grade == DangerGrade.MAJOR else FeedSeverity.MAJOR
            items.append(_danger(danger, DANGER_SUPERVISED, severity, "隐患督办", f"{late}，已督办"))
    for item in selectors.expiring(SYSTEM, today):
        if item.days_left not in selectors.REMINDER_THRESHOLDS_DAYS and item.days_left != -1:
            continue
        row = item.row
        expired = item.days_left < 0
        severity = (
            FeedSeverity.MAJOR if expired else FeedSeverity.MINOR if item.days_left <= 30 else FeedSeverity.WARNING
        )
        state = "已过期" if expired else f"{item.days_left} 天后到期"
        items.append(
            Reminder(
                LICENCE_EXPIRING,
                f"{item.kind}:{row.pk}",
                severity,
                row.enterprise_id,
                f"【证照{'过期' if expired else '到期'}】{row.enterprise.name} {row}",
                f"有效期至 {row.expires_on.isoformat()}，{state}。",
                reverse("supervision:licences"),
            )
        )
    return items


def _danger(danger: HiddenDanger, code: str, severity: FeedSeverity, head: str, text: str) -> Reminder:
    return Reminder(
        code,
        f"danger:{danger.pk}",
        severity,
        danger.enterprise_id,
        f"【{head}】{danger.enterprise.name} {danger.description[:30]}",
        f"{danger.get_grade_display()}，整改负责人 {danger.owner or '未指定'}，{text}。",
        reverse("supervision:danger", args=[danger.pk]),
    )
