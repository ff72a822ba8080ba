"""The demo's weather mast: one wind speed and one wind direction point, fed by the simulator with
a plausible wind, which the leak-source estimate then reads as the park's measured wind."""

from __future__ import annotations

from datetime import timedelta
from itertools import islice
from typing import Any

import orjson
from django.utils import timezone

from chempark.core.actors import SYSTEM
from chempark.core.roles import Role
from chempark.monitoring import selectors
from chempark.monitoring.demo import load_demo_monitoring, simulated_messages
from chempark.monitoring.ingest.payload import datetime_to_ms
from chempark.monitoring.models import Point, PointKind, Transport
from chempark.monitoring.services import IncomingMessage, ingest_messages


def test_demo_has_a_weather_mast_the_leak_estimate_uses(park: Any) -> None:
    load_demo_monitoring()
    wind = {p.kind: p for p in Point.objects.filter(kind__in=(PointKind.WIND_SPEED, PointKind.WIND_DIRECTION))}
    assert set(wind) == {PointKind.WIND_SPEED, PointKind.WIND_DIRECTION}
    speed, direction = wind[PointKind.WIND_SPEED], wind[PointKind.WIND_DIRECTION]
    assert (speed.code, speed.unit_of_measure, speed.range_min, speed.range_max) == ("WS-01", "m/s", 0.0, 60.0)
    assert (direction.code, direction.unit_of_measure, direction.range_max) == ("WD-01", "°", 360.0)
    assert speed.unit_id == direction.unit_id and speed.h is None and speed.hh is None

    start = timezone.now() - timedelta(minutes=30)
    values: dict[str, list[float]] = {"WS-01": [], "WD-01": []}
    for _moment, messages in islice(simulated_messages(start, 60.0, seed=7), 30):
        ingest_messages(
            actor=SYSTEM, messages=[IncomingMessage(raw, e) for e, raw in messages.items()], transport=Transport.DEMO
        )
        for reading in orjson.loads(messages[speed.enterprise_id])["readings"]:
            if reading["point"] in values:
                values[reading["point"]].append(reading["value"])
    assert len(values["WS-01"]) >= 25 and all(0.0 <= v <= 15.0 for v in values["WS-01"])
    assert len(values["WD-01"]) >= 25 and all(0.0 <= v <= 360.0 for v in values["WD-01"])
    measured = selectors.wind_now(
        park.actor(Role.DISPATCHER), park_id=park.park.pk, now_ms=datetime_to_ms(timezone.now())
    )
    assert measured is not None and (measured.speed.code, measured.direction.code) == ("WS-01", "WD-01")
