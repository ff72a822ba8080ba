"""What the 大屏 shows, as one JSON document: the registered tiles, the warning levels, the 24-hour
alarm trend, the enterprises ranked by dynamic risk and the active alarms for the map. The page
draws it once and fetches it again on each live event, so it never reloads."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chempark.command import selectors
from chempark.core import screen_tiles
from chempark.core.actors import Actor
from chempark.monitoring import selectors as monitoring_selectors
from chempark.monitoring.models import AlarmStatus
from chempark.monitoring.warning_level import WarningLevel

TOP_ENTERPRISES = 10
MAP_ALARMS = 200
WARNING_LABELS = {
    WarningLevel.RED: gettext_lazy("红色"),
    WarningLevel.ORANGE: gettext_lazy("橙色"),
    WarningLevel.YELLOW: gettext_lazy("黄色"),
    WarningLevel.BLUE: gettext_lazy("蓝色"),
}


def _alarm(alarm: Any) -> dict[str, Any]:
    place = alarm.point or alarm.camera  # other modules' alarms (a vehicle, an area) carry their own place
    return {
        "id": alarm.pk,
        "enterprise": alarm.enterprise.name if alarm.enterprise_id else str(_("园区")),
        "point": str(place) if place is not None else alarm.subject,
        "type": alarm.get_alarm_type_display(),
        "severity": alarm.severity,
        "severity_label": alarm.get_severity_display(),
        "unacked": alarm.status == AlarmStatus.ACTIVE_UNACK,
        "raised_at": timezone.localtime(alarm.raised_at).strftime("%H:%M"),
        "lon": place.lon if place is not None else alarm.lon,
        "lat": place.lat if place is not None else alarm.lat,
    }


def screen_data(actor: Actor, now: dt.datetime | None = None) -> dict[str, Any]:
    actor.require("command.read")
    now = now or timezone.now()
    ranking = selectors.risk_ranking(actor, now)
    levels = selectors.warning_levels(actor)
    alarms = (
        monitoring_selectors.alarms_visible(actor)
        .filter(status__in=selectors.ACTIVE)
        .select_related("enterprise", "point", "camera")
        .order_by("-raised_at")[:MAP_ALARMS]
    )
    return {
        "generated_at": timezone.localtime(now).strftime("%Y-%m-%d %H:%M:%S"),
        "tiles": [
            {"name": tile.name, "title": str(tile.title), "figures": tile.build(actor, now)}
            for tile in screen_tiles.tiles_for(actor)
        ],
        "warning_levels": [
            {"level": level.value, "label": str(WARNING_LABELS[level]), "count": levels.get(level.value, 0)}
            for level in WarningLevel
        ],
        "trend": [
            {"hour": timezone.localtime(t).strftime("%H:00"), "count": n} for t, n in selectors.alarm_trend(actor, now)
        ],
        "ranking": [
            {
                "enterprise_id": row.enterprise_id,
                "name": row.name,
                "index": row.score.index,
                "families": {k: round(100 * v, 1) for k, v in row.score.families.items()},
            }
            for row in ranking[:TOP_ENTERPRISES]
        ],
        "alarms": [_alarm(alarm) for alarm in alarms],
    }
