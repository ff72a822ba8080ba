"""Indicators of the monitoring system, per enterprise and for the park, and a point's trend.

* **接入率 (connection rate)**: points that have ever sent a reading / enabled points.
* **在线率 (online rate), per day**: the day is cut into 5-minute slots; a point is "in time" in a
  slot when at least one of its readings falls in it. The rate is the share of (point, slot) pairs
  in time among those elapsed since the later of midnight and the point's registration (target
  ≥ 99.5 %). It is computed from the per-minute rollups, so it costs one grouped query.
* **在线 (online now)**: points without an active offline alarm.
* **Alarm counts** of the day, active and unacknowledged alarms, and the mean **time to
  acknowledge** of the alarms acknowledged that day.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, F
from django.utils import timezone

from chempark.core.actors import Actor
from chempark.monitoring import selectors
from chempark.monitoring.ingest.payload import datetime_to_ms
from chempark.monitoring.models import AlarmStatus, EnterpriseWarning, Rollup

SLOT_MS = 300_000
ONLINE_TARGET = 0.995


def _rate(part: int, whole: int) -> float | None:
    return None if whole == 0 else round(part / whole, 4)


def indicators(actor: Actor, *, now: datetime | None = None) -> dict[str, Any]:
    now = now or timezone.now()
    day_start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    day_start_ms, now_ms = datetime_to_ms(day_start), datetime_to_ms(now)
    points = list(selectors.points_visible(actor).filter(enabled=True))
    slots = dict(
        Rollup.objects.filter(point_id__in=[p.pk for p in points], minute_ms__gte=day_start_ms)
        .annotate(slot=F("minute_ms") / SLOT_MS)
        .values("point_id")
        .annotate(n=Count("slot", distinct=True))
        .values_list("point_id", "n")
    )
    per: dict[int, dict[str, Any]] = defaultdict(
        lambda: {
            "points": 0,
            "connected": 0,
            "online_now": 0,
            "slots_in_time": 0,
            "slots_expected": 0,
            "alarms_today": 0,
            "active_alarms": 0,
            "unacked_alarms": 0,
            "ack_seconds": [],
            "name": "",
        }
    )
    for point in points:
        row = per[point.enterprise_id]
        row["name"] = point.enterprise.name
        row["points"] += 1
        latest = getattr(point, "latest", None)
        if latest is not None and latest.ts_ms is not None:
            row["connected"] += 1
        if latest is not None and latest.online:
            row["online_now"] += 1
        start_ms = max(day_start_ms, datetime_to_ms(point.created_at))
        expected = max(1, -(-(now_ms - start_ms) // SLOT_MS))
        row["slots_expected"] += expected
        row["slots_in_time"] += min(expected, slots.get(point.pk, 0))
    # the monitoring system's own alarms: a vehicle's or an access area's belong to other indicators
    alarms = selectors.alarms_visible(actor).filter(source="")
    for enterprise_id in alarms.filter(raised_at__gte=day_start).values_list("enterprise_id", flat=True):
        per[enterprise_id]["alarms_today"] += 1
    for enterprise_id, status in alarms.filter(
        status__in=(AlarmStatus.ACTIVE_UNACK, AlarmStatus.ACTIVE_ACK)
    ).values_list("enterprise_id", "status"):
        per[enterprise_id]["active_alarms"] += 1
        per[enterprise_id]["unacked_alarms"] += status == AlarmStatus.ACTIVE_UNACK
    for enterprise_id, raised_at, acked_at in alarms.filter(acked_at__gte=day_start).values_list(
        "enterprise_id", "raised_at", "acked_at"
    ):
        if acked_at is not None:
            per[enterprise_id]["ack_seconds"].append((acked_at - raised_at).total_seconds())
    warnings = dict(EnterpriseWarning.objects.filter(enterprise_id__in=list(per)).values_list("enterprise_id", "level"))
    enterprises = []
    total: dict[str, Any] = defaultdict(int)
    all_ack: list[float] = []
    for enterprise_id, row in sorted(per.items(), key=lambda item: item[1]["name"]):
        ack = row.pop("ack_seconds")
        all_ack.extend(ack)
        for key in (
            "points",
            "connected",
            "online_now",
            "slots_in_time",
            "slots_expected",
            "alarms_today",
            "active_alarms",
            "unacked_alarms",
        ):
            total[key] += row[key]
        enterprises.append(
            _summary(row, ack)
            | {"id": enterprise_id, "name": row["name"], "warning_level": warnings.get(enterprise_id, "blue")}
        )
    return {
        "day": day_start.date().isoformat(),
        "online_target": ONLINE_TARGET,
        "park": _summary(dict(total), all_ack),
        "enterprises": enterprises,
    }


def _summary(row: dict[str, Any], ack_seconds: list[float]) -> dict[str, Any]:
    return {
        "points": row.get("points", 0),
        "connected": row.get("connected", 0),
        "connection_rate": _rate(row.get("connected", 0), row.get("points", 0)),
        "online_now": row.get("online_now", 0),
        "online_rate_today": _rate(row.get("slots_in_time", 0), row.get("slots_expected", 0)),
        "alarms_today": row.get("alarms_today", 0),
        "active_alarms": row.get("active_alarms", 0),
        "unacked_alarms": row.get("unacked_alarms", 0),
        "mean_ack_s": round(sum(ack_seconds) / len(ack_seconds), 1) if ack_seconds else None,
    }


def trend(actor: Actor, point_id: int, *, since_ms: int, until_ms: int) -> dict[str, Any]:
    point, rows = selectors.rollups_of(actor, point_id, since_ms=since_ms, until_ms=until_ms)
    return {
        "point": point.pk,
        "unit_of_measure": point.unit_of_measure,
        "limits": {
            "ll": point.ll,
            "l": point.l,
            "h": point.h,
            "hh": point.hh,
            "range_min": point.range_min,
            "range_max": point.range_max,
        },
        "series": [
            {"minute_ms": r.minute_ms, "min": r.min_value, "max": r.max_value, "mean": r.mean_value, "count": r.count}
            for r in rows
        ],
    }


def default_window(now: datetime | None = None, hours: int = 6) -> tuple[int, int]:
    now = now or timezone.now()
    return datetime_to_ms(now - timedelta(hours=hours)), datetime_to_ms(now) + 60_000
