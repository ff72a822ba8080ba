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

from django.db.models import Count, F, Q
from django.db.models.functions import TruncMinute
from django.utils import timezone

from chempark.core.actors import Actor
from chempark.monitoring import point_counts, selectors
from chempark.monitoring.ingest.payload import datetime_to_ms
from chempark.monitoring.models import AlarmStatus, EnterpriseWarning, Rollup
from chempark.park.models import Enterprise

SLOT_MS = 300_000
SLOTS_PER_DAY = 86_400_000 // SLOT_MS + 1  # a day of 25 hours (a clock change) still fits
ONLINE_TARGET = 0.995


def _rate(part: int, whole: int) -> float | None:
    return None if whole == 0 else round(part / whole, 4)


COUNTERS = (
    "points",
    "connected",
    "online_now",
    "slots_in_time",
    "slots_expected",
    "alarms_today",
    "active_alarms",
    "unacked_alarms",
)


def indicators(actor: Actor, *, now: datetime | None = None) -> dict[str, Any]:
    """Every figure is counted by the database per enterprise: the point counts are kept by triggers
    (``point_counts``), the rest are grouped queries over today's rows; only the alarms acknowledged
    today come back row by row. A point registered today is expected from the 5-minute slot it was
    registered in."""
    now = now or timezone.now()
    day_start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    day_start_ms, now_ms = datetime_to_ms(day_start), datetime_to_ms(now)
    points = selectors.points_visible(actor).filter(enabled=True).order_by()
    per: dict[int, dict[str, Any]] = defaultdict(lambda: dict.fromkeys(COUNTERS, 0) | {"ack_seconds": [], "name": ""})
    now_slot = (now_ms - day_start_ms) // SLOT_MS
    # points registered today: the slots from the one they were registered in (counted per minute
    # of registration, so a day of new points is a few thousand rows, not one per point)
    registered_today: dict[int, int] = defaultdict(int)
    for enterprise_id, minute, n in (
        points.filter(created_at__gte=day_start)
        .annotate(minute=TruncMinute("created_at"))
        .values("enterprise_id", "minute")
        .annotate(n=Count("pk"))
        .values_list("enterprise_id", "minute", "n")
    ):
        registered_slot = (datetime_to_ms(minute) - day_start_ms) // SLOT_MS
        per[enterprise_id]["slots_expected"] += n * max(1, now_slot - registered_slot + 1)
        registered_today[enterprise_id] += n
    # the point counts kept by the database's triggers (point_counts): one row per enterprise
    # instead of every point joined to its latest value
    if not actor.is_enterprise_scoped:
        scope: list[int] | None = None
    else:
        scope = [actor.enterprise_id] if actor.enterprise_id is not None else []
    for enterprise_id, counted in point_counts.counts(scope).items():
        if counted.points <= 0:
            continue
        counters = per[enterprise_id]
        counters.update(points=counted.points, connected=counted.connected, online_now=counted.online)
        counters["slots_expected"] += (counted.points - registered_today.get(enterprise_id, 0)) * (now_slot + 1)
    # slots with a reading: each (point, slot) of the day once
    for enterprise_id, n in (
        Rollup.objects.filter(point__in=points.values("pk"), minute_ms__gte=day_start_ms, minute_ms__lt=now_ms)
        .annotate(key=F("point_id") * SLOTS_PER_DAY + (F("minute_ms") - day_start_ms) / SLOT_MS)
        .values("point__enterprise_id")
        .annotate(n=Count("key", distinct=True))
        .values_list("point__enterprise_id", "n")
    ):
        counters = per[enterprise_id]
        counters["slots_in_time"] = min(n, counters["slots_expected"])
    # the monitoring system's own alarms: a vehicle's or an access area's belong to other indicators
    alarms = selectors.alarms_visible(actor).filter(source="").order_by()
    active = (AlarmStatus.ACTIVE_UNACK, AlarmStatus.ACTIVE_ACK)
    for row in (
        alarms.filter(Q(raised_at__gte=day_start) | Q(status__in=active))
        .values("enterprise_id")
        .annotate(
            n_today=Count("pk", filter=Q(raised_at__gte=day_start)),
            n_active=Count("pk", filter=Q(status__in=active)),
            n_unacked=Count("pk", filter=Q(status=AlarmStatus.ACTIVE_UNACK)),
        )
    ):
        counters = per[row["enterprise_id"]]
        counters.update(alarms_today=row["n_today"], active_alarms=row["n_active"], unacked_alarms=row["n_unacked"])
    for enterprise_id, raised_at, acked_at in alarms.filter(acked_at__gte=day_start).values_list(
        "enterprise_id", "raised_at", "acked_at"
    ):
        if acked_at is not None:
            per[enterprise_id]["ack_seconds"].append((acked_at - raised_at).total_seconds())
    # every warning row (one per enterprise, two columns): a thousand ids in an IN list cost more
    warnings = dict(EnterpriseWarning.objects.values_list("enterprise_id", "level"))
    named = Enterprise.objects.all() if scope is None else Enterprise.objects.filter(pk__in=list(per))
    names = dict(named.values_list("pk", "name")) if per else {}
    for enterprise_id, row in per.items():
        row["name"] = names.get(enterprise_id, "")
    enterprises = []
    total: dict[str, Any] = defaultdict(int)
    all_ack: list[float] = []
    for enterprise_id, row in sorted(per.items(), key=lambda item: item[1]["name"]):
        ack = row.pop("ack_seconds")
        all_ack.extend(ack)
        for key in COUNTERS:
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
