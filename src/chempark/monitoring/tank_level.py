"""The live level on a tank's registry page: the latest reading of the tank's level point, when it
was read, its unit, how full the tank is, and a plain marker when the value can no longer be trusted
(the point offline, or no reading within its offline timeout) — what an inspector or a dispatcher
asks first about a tank, without opening the point.

How full: a level measured in % is the percentage itself; a level in length units (m, mm) is read
against the point's measuring range (range_min = empty, range_max = full), which for the park's
level gauges is the tank's height; the volume it stands for (of the tank's nominal volume) is given
as an estimate for an upright tank, since a sphere or a horizontal tank is not linear in level.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from chempark.core.actors import Actor
from chempark.monitoring.ingest.payload import ms_to_datetime
from chempark.monitoring.models import PointKind
from chempark.monitoring.selectors import points_visible

PERCENT_UNITS = {"%", "％"}


def fill_fraction(value: float, unit_of_measure: str, range_min: float, range_max: float) -> float | None:
    """How full the tank is (0–1, clipped), or None when the range cannot tell."""
    if unit_of_measure.strip() in PERCENT_UNITS:
        fraction = value / 100.0
    elif range_max > range_min:
        fraction = (value - range_min) / (range_max - range_min)
    else:
        return None
    return min(1.0, max(0.0, fraction))


def tank_level_panel(actor: Actor, tank: Any) -> dict[str, Any] | None:
    """The panel's context, one entry per enabled level point of the tank; None when it has none."""
    points = points_visible(actor).filter(tank_id=tank.pk, kind=PointKind.LEVEL, enabled=True).order_by("code")
    now = timezone.now()
    rows = []
    for point in points:
        latest = getattr(point, "latest", None)
        row: dict[str, Any] = {"point": point, "url": reverse("monitoring:point-detail", args=[point.pk])}
        if latest is None or latest.ts_ms is None or latest.value is None:
            row.update(value=None, stale=True)
            rows.append(row)
            continue
        read_at = ms_to_datetime(latest.ts_ms)
        fraction = fill_fraction(latest.value, point.unit_of_measure, point.range_min, point.range_max)
        volume = tank.volume_m3
        row.update(
            value=latest.value,
            read_at=read_at,
            percent=None if fraction is None else fraction * 100.0,
            volume_m3=None if fraction is None or volume is None else float(volume) * fraction,
            offline=not latest.online,
            stale=not latest.online or (now - read_at).total_seconds() > point.stale_timeout_s,
        )
        rows.append(row)
    return {"levels": rows} if rows else None
