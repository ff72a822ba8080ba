"""The major-hazard reminders sent through the notifications (``chempark.core.notices``): duty checks
overdue, safety assessments due (or overdue, or never done), today's commitment missing after the
deadline. Each is a read of the module's selectors as the platform; the notifier decides who
receives them (the enterprise's users, the bureau's by subscription) and sends each once a day."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chempark.core.actors import SYSTEM
from chempark.core.alarm_feed import FeedSeverity
from chempark.core.notices import EventType, Reminder
from chempark.hazards import selectors
from chempark.hazards.tasks import missing_commitments

GROUP = _("重大危险源")
DUTY_CHECK_OVERDUE, ASSESSMENT_DUE, COMMITMENT_MISSING = "hazard.duty_check", "hazard.assessment", "hazard.commitment"
EVENT_TYPES = (
    EventType(
        DUTY_CHECK_OVERDUE,
        _("包保责任人履职检查逾期"),
        GROUP,
        200,
        "hazard.read",
        default_roles=frozenset({"enterprise"}),
        note=_("每天提醒一次，直至补做检查"),
    ),
    EventType(
        ASSESSMENT_DUE,
        _("安全评估到期"),
        GROUP,
        210,
        "hazard.read",
        default_roles=frozenset({"enterprise"}),
        note=_("到期前 90 天起每天提醒；逾期或从未评估为“重要”"),
    ),
    EventType(
        COMMITMENT_MISSING,
        _("安全承诺未按时提交"),
        GROUP,
        220,
        "hazard.read",
        default_roles=frozenset({"enterprise"}),
        note=_("截止时间后仍未提交当日承诺"),
    ),
)


def due(now: dt.datetime) -> list[Reminder]:
    """The module's reminders at ``now``."""
    today = timezone.localtime(now).date()
    items = []
    for row in selectors.overdue_duty_checks(SYSTEM, today):
        guarantor = row.guarantor
        hazard = guarantor.hazard
        items.append(
            Reminder(
                DUTY_CHECK_OVERDUE,
                f"guarantor:{guarantor.pk}",
                FeedSeverity.MAJOR,
                hazard.enterprise_id,
                f"【履职检查逾期】{hazard.enterprise.name} {hazard}",
                f"{guarantor.get_role_display()} {guarantor.name} 应于 {row.due_on.isoformat()} 前完成履职检查，"
                f"已逾期 {row.days_overdue} 天。",
                reverse("hazards:detail", args=[hazard.pk]),
            )
        )
    for hazard in selectors.safety_assessments_due(SYSTEM, today).select_related("enterprise"):
        due_on = hazard.next_safety_assessment_due
        late = due_on is None or due_on < today
        when = "从未记录安全评估" if due_on is None else f"安全评估应于 {due_on.isoformat()} 前完成"
        items.append(
            Reminder(
                ASSESSMENT_DUE,
                f"hazard:{hazard.pk}",
                FeedSeverity.MAJOR if late else FeedSeverity.MINOR,
                hazard.enterprise_id,
                f"【安全评估{'逾期' if late else '到期'}】{hazard.enterprise.name} {hazard}",
                f"{when}（每三年至少一次）。",
                reverse("hazards:detail", args=[hazard.pk]),
            )
        )
    for enterprise in missing_commitments(now):
        items.append(
            Reminder(
                COMMITMENT_MISSING,
                f"enterprise:{enterprise.pk}",
                FeedSeverity.MAJOR,
                enterprise.pk,
                f"【安全承诺未提交】{enterprise.name}",
                f"{today.isoformat()} 的安全承诺截止时间已过，仍未提交。",
                reverse("hazards:commitments"),
            )
        )
    return items
