"""The monthly report: per carrier, its vehicles' trips, stops and violations, as an xlsx workbook."""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _
from openpyxl import Workbook

from chempark.core.actors import Actor
from chempark.fencing.trips import trips_and_stops
from chempark.monitoring.ingest.payload import datetime_to_ms
from chempark.tracking import selectors
from chempark.tracking.models import Position, ViolationKind

BEIJING_MONTH_FORMAT = "%Y-%m"
BEIJING = ZoneInfo("Asia/Shanghai")


@dataclass
class CarrierMonth:
    carrier: str
    vehicles: set[str] = field(default_factory=set)
    trips: int = 0
    distance_km: float = 0.0
    stops: int = 0
    violations: Counter[str] = field(default_factory=Counter)


def month_bounds(month: str) -> tuple[datetime, datetime]:
    """``YYYY-MM`` → its first instant and the next month's, in Beijing time."""
    start = datetime.strptime(month, BEIJING_MONTH_FORMAT).replace(tzinfo=BEIJING)
    end = start.replace(year=start.year + 1, month=1) if start.month == 12 else start.replace(month=start.month + 1)
    return start, end


def carrier_month(actor: Actor, month: str) -> list[CarrierMonth]:
    start, end = month_bounds(month)
    rows: dict[str, CarrierMonth] = {}
    for terminal in selectors.terminals(actor).exclude(vehicle=None):
        assert terminal.vehicle is not None
        carrier = terminal.vehicle.carrier.name
        entry = rows.setdefault(carrier, CarrierMonth(carrier))
        fixes = list(
            Position.objects.filter(terminal=terminal, ts_ms__gte=datetime_to_ms(start), ts_ms__lt=datetime_to_ms(end))
            .order_by("ts_ms")
            .values_list("ts_ms", "lon", "lat", "speed_kmh")
        )
        if fixes:
            entry.vehicles.add(terminal.vehicle.plate)
            columns = list(zip(*fixes, strict=True))
            trips, stops = trips_and_stops([ms / 1000 for ms in columns[0]], columns[1], columns[2], columns[3])
            entry.trips += len(trips)
            entry.distance_km += sum(trip.distance_m for trip in trips) / 1000
            entry.stops += len(stops)
    for violation in (
        selectors.violations(actor).filter(started_at__gte=start, started_at__lt=end).exclude(vehicle=None)
    ):
        assert violation.vehicle is not None
        carrier = violation.vehicle.carrier.name
        rows.setdefault(carrier, CarrierMonth(carrier)).violations[violation.kind] += 1
    return sorted(rows.values(), key=lambda row: row.carrier)


def workbook(actor: Actor, month: str) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("%(month)s 车辆运行月报") % {"month": month}
    kinds = list(ViolationKind)
    sheet.append(
        [
            _("承运企业"),
            _("车辆数"),
            _("行程数"),
            _("行驶里程（km）"),
            _("停车次数"),
            *[str(kind.label) for kind in kinds],
            _("违规合计"),
        ]
    )
    for row in carrier_month(actor, month):
        counts = [row.violations.get(kind.value, 0) for kind in kinds]
        sheet.append(
            [row.carrier, len(row.vehicles), row.trips, round(row.distance_km, 1), row.stops, *counts, sum(counts)]
        )
    sheet.append([])
    sheet.append([_("生成时间"), datetime.now(UTC).astimezone().strftime("%Y-%m-%d %H:%M")])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
