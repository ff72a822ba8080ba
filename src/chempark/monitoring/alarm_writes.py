"""Turning the alarm engine's events into rows, live pushes and warning levels.

Shared by the ingest service, the acknowledge service and the scheduled jobs, all of which run it
inside their own transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.urls import reverse
from django.utils import timezone

from chempark.config import current
from chempark.hazards.selectors import enterprise_major_hazard_levels
from chempark.monitoring import alarm_model as am
from chempark.monitoring.ingest.payload import ms_to_datetime
from chempark.monitoring.models import Alarm, AlarmHandling, AlarmStatus, EnterpriseWarning, HandlingKind, LiveEvent
from chempark.monitoring.point_index import PointIndex
from chempark.monitoring.warning_level import DEFAULT_RULES, ActiveAlarm, WarningRuleTable, assess_warning

ACTIVE = (AlarmStatus.ACTIVE_UNACK, AlarmStatus.ACTIVE_ACK)


def live(kind: str, enterprise_id: int | None, data: dict[str, Any], *, now: datetime | None = None) -> None:
    """Queue one live event (sent to browsers by the stream once the transaction commits)."""
    LiveEvent.objects.create(created_at=now or timezone.now(), kind=kind, enterprise_id=enterprise_id, data=data)


def alarm_live_data(alarm: Alarm) -> dict[str, Any]:
    point = alarm.point
    camera = alarm.camera
    source = point.name if point is not None else (camera.name if camera is not None else alarm.subject)
    return {
        "id": alarm.pk,
        "type": alarm.alarm_type,
        "type_label": str(alarm.get_alarm_type_display()),
        "level": alarm.level,
        "severity": alarm.severity,
        "severity_label": str(alarm.get_severity_display()),
        "status": alarm.status,
        "status_label": str(alarm.get_status_display()),
        "source": source,
        "enterprise_id": alarm.enterprise_id,
        "enterprise": "" if alarm.enterprise is None else alarm.enterprise.name,
        "raised_at": timezone.localtime(alarm.raised_at).strftime("%Y-%m-%d %H:%M:%S"),
        "url": reverse("monitoring:alarm-detail", args=[alarm.pk]),
    }


def _push_alarm(alarm: Alarm, change: str = "") -> None:
    """Push the alarm's row; ``change`` ("raised", "worsened") marks what the duty officer is told at once."""
    data = alarm_live_data(alarm)
    if change:
        data["change"] = change
    live("alarm", alarm.enterprise_id, data)


def apply_point_events(
    *, index: PointIndex, point_id: int, state: am.AlarmState, events: Iterable[am.Event], touched: set[int]
) -> None:
    """Write the events of one point (``state`` is the state after them); note enterprises touched."""
    indexed = index.points.get(point_id)
    if indexed is None:
        return
    enterprise_id = indexed.enterprise_id
    for event in events:
        if isinstance(event, am.AlarmRaised):
            alarm = Alarm.objects.create(
                enterprise_id=enterprise_id,
                point_id=point_id,
                alarm_type=event.alarm_type.value,
                level="" if event.level is None else event.level.value,
                severity=event.severity.value,
                status=AlarmStatus.ACTIVE_UNACK,
                raised_ms=event.ts_ms,
                raised_at=ms_to_datetime(event.ts_ms),
                value=event.value,
                peak_value=event.value,
                flapping=event.flapping,
            )
            _push_alarm(alarm, "raised")
            touched.add(enterprise_id)
        elif isinstance(event, am.AlarmUpdated):
            current = state.alarm(event.alarm_type)
            if current is None:
                continue
            rows = Alarm.objects.filter(
                point_id=point_id, alarm_type=event.alarm_type.value, raised_ms=current.raised_ms
            )
            rows.update(
                level="" if event.level is None else event.level.value,
                severity=event.severity.value,
                peak_value=event.peak_value,
                flapping=event.flapping,
            )
            if event.worsened:
                for alarm in rows.select_related("enterprise", "point", "camera"):
                    _push_alarm(alarm, "worsened")
            touched.add(enterprise_id)
        elif isinstance(event, am.AlarmCleared):
            rows = Alarm.objects.filter(point_id=point_id, alarm_type=event.alarm_type.value, raised_ms=event.raised_ms)
            rows.update(status=event.status.value, cleared_at=ms_to_datetime(event.ts_ms))
            for alarm in rows.select_related("enterprise", "point", "camera"):
                _push_alarm(alarm)
            touched.add(enterprise_id)
        elif isinstance(event, am.AlarmEscalated | am.AlarmReminder):
            _notice(point_id, event)
            touched.add(enterprise_id)
        elif isinstance(event, am.PointOffline | am.PointBackOnline):
            live("point", enterprise_id, {"point": point_id, "online": isinstance(event, am.PointBackOnline)})


def _notice(point_id: int, event: am.AlarmEscalated | am.AlarmReminder) -> None:
    alarm = (
        Alarm.objects.select_related("enterprise", "point", "camera")
        .filter(point_id=point_id, alarm_type=event.alarm_type.value, raised_ms=event.raised_ms)
        .first()
    )
    if alarm is not None:
        escalate_row(alarm, ms_to_datetime(event.ts_ms), reminder=isinstance(event, am.AlarmReminder))


def escalate_row(alarm: Alarm, at: datetime, *, reminder: bool) -> None:
    """Record an escalation (or a reminder) on the alarm and tell the duty officer."""
    if reminder:
        alarm.reminders += 1
        text = f"第 {alarm.reminders} 次提醒：报警仍未确认"
    else:
        alarm.escalated_at = at
        text = "超过确认时限未确认，已升级至园区值班"
    alarm.save(update_fields=["reminders", "escalated_at"])
    AlarmHandling.objects.create(
        alarm=alarm, kind=HandlingKind.REMINDER if reminder else HandlingKind.ESCALATED, at=at, text=text
    )
    data = alarm_live_data(alarm) | {"reminder": alarm.reminders if reminder else 0}
    live("escalated", alarm.enterprise_id, data, now=at)


_rules_cache: tuple[str, WarningRuleTable] | None = None


def warning_rules() -> WarningRuleTable:
    """The warning rule table: ``CHEMPARK_WARNING_RULES_FILE`` (JSON list of rules) or the default."""
    global _rules_cache  # noqa: PLW0603 - parsed once per path
    path = current().warning_rules_file
    if not path:
        return DEFAULT_RULES
    if _rules_cache is None or _rules_cache[0] != path:
        import orjson

        with open(path, "rb") as handle:
            _rules_cache = (path, WarningRuleTable.from_dicts(orjson.loads(handle.read())))
    return _rules_cache[1]


def refresh_warning_after_regrade(enterprise_id: int) -> None:
    """The enterprise's major hazard level changed (see ``hazards.listeners``): its warning may too."""
    refresh_warnings([enterprise_id], timezone.now())


def refresh_warnings(enterprise_ids: Iterable[int], now: datetime) -> None:
    """Recompute the warning level of enterprises whose alarms or major hazards changed; push a change."""
    ids = sorted(set(enterprise_ids))
    if not ids:
        return
    alarms: dict[int, list[ActiveAlarm]] = {i: [] for i in ids}
    rows = Alarm.objects.filter(enterprise_id__in=ids, status__in=ACTIVE, point__isnull=False)
    for enterprise_id, alarm_type, severity, status in rows.values_list(
        "enterprise_id", "alarm_type", "severity", "status"
    ):
        alarms[enterprise_id].append(
            ActiveAlarm(am.AlarmType(alarm_type), am.Severity(severity), status == AlarmStatus.ACTIVE_ACK)
        )
    hazard = enterprise_major_hazard_levels(ids)
    existing = {w.enterprise_id: w for w in EnterpriseWarning.objects.filter(enterprise_id__in=ids)}
    rules = warning_rules()
    for enterprise_id in ids:
        assessment = assess_warning(alarms[enterprise_id], hazard.get(enterprise_id), rules)
        level = assessment.level.value
        rule = "" if assessment.rule is None else assessment.rule.description
        row = existing.get(enterprise_id)
        # no row reads as the baseline, so an enterprise that never had a warning gets no row
        shown = (row.level, row.rule) if row is not None else (rules.baseline.value, "")
        if (level, rule) == shown:
            continue
        EnterpriseWarning.objects.update_or_create(
            enterprise_id=enterprise_id, defaults={"level": level, "rule": rule, "updated_at": now}
        )
        live("warning", enterprise_id, {"enterprise_id": enterprise_id, "level": level, "rule": rule}, now=now)
