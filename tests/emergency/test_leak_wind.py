"""The leak-source estimate takes the park's measured wind when its wind points are fresh (speed and
direction both; the most recent of several), and the configured wind when they are stale, missing or
only half there; the layer says which it used."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import orjson
import pytest

from chempark.core import map_layers as layers
from chempark.core.actors import SYSTEM
from chempark.core.roles import Role
from chempark.emergency import leak_layer
from chempark.monitoring import point_index, selectors
from chempark.monitoring.config_services import point_create
from chempark.monitoring.models import PointLatest, Transport
from chempark.monitoring.services import IncomingMessage, ingest_messages
from tests.conftest import SmallPark
from tests.emergency.test_leak_source_layer import SOURCE_A, detectors, distance_m, ingest, sources

STALE_S = 300.0


@pytest.fixture(autouse=True)
def _configured_wind(configure: Any) -> Iterator[None]:
    # the detectors' readings are the plume of a wind from 90° at 3 m/s; configure another wind, so
    # that a fit landing on the source shows the measured wind was used
    configure(default_wind_from_deg=200.0, default_wind_speed_m_s=6.0, default_stability="D")
    point_index.invalidate()
    yield
    point_index.invalidate()


def wind_point(park: SmallPark, code: str, kind: str) -> Any:
    """A wind point on enterprise B's site: the mast serves the whole park."""
    span = 60.0 if kind == "wind_speed" else 360.0
    return point_create(
        actor=SYSTEM,
        values={
            "enterprise": park.enterprise_b.pk,
            "unit": park.unit_b.pk,
            "code": code,
            "name": f"气象站 {code}",
            "kind": kind,
            "unit_of_measure": "m/s" if kind == "wind_speed" else "°",
            "range_min": 0.0,
            "range_max": span,
            "stale_timeout_s": STALE_S,
            "lon": 118.21,
            "lat": 39.21,
        },
    )


def report(park: SmallPark, readings: list[tuple[str, float, float]]) -> None:
    """(code, value, age in seconds) readings of enterprise B's points."""
    point_index.invalidate()
    now = int(time.time() * 1000)
    raw = orjson.dumps({"readings": [{"point": c, "ts": now - int(age * 1000), "value": v} for c, v, age in readings]})
    outcome = ingest_messages(
        actor=SYSTEM, messages=[IncomingMessage(raw, park.enterprise_b.pk)], transport=Transport.HTTP
    )
    assert outcome[0].accepted == len(readings)


def estimate(park: SmallPark, role: Role = Role.DISPATCHER) -> dict[str, Any]:
    if not park.enterprise_a.monitoring_points.exists():
        ingest(park.enterprise_a, detectors(park.enterprise_a, park.unit_a, park.tank_a, SOURCE_A, "GA"))
    layer = layers.get("leak_source")
    assert layer is not None
    [source] = sources(layer.build(park.actor(role)))
    return source


def test_fresh_measured_wind_is_used_and_named(park: SmallPark) -> None:
    wind_point(park, "WS-01", "wind_speed")
    wind_point(park, "WD-01", "wind_direction")
    report(park, [("WS-01", 3.0, 20), ("WD-01", 90.0, 10)])
    source = estimate(park)
    assert distance_m(*source["geometry"]["coordinates"], SOURCE_A) < 10.0
    wind = source["properties"]["wind"]
    assert wind["source"] == "measured" and (wind["from_deg"], wind["speed_m_s"]) == (90.0, 3.0)
    assert (wind["speed_point"], wind["direction_point"], wind["stability"]) == ("WS-01", "WD-01", "D")
    popup = source["properties"]["popup"]
    assert "实测风况" in popup and "WS-01" in popup and "WD-01" in popup and "假定" not in popup
    assert "wind_speed_m_s=3&amp;wind_from_deg=90&amp;" in popup  # the 事故模拟 link carries it too
    # an enterprise user's estimate uses the park's mast too, though it stands on another enterprise's site
    assert estimate(park, Role.ENTERPRISE)["properties"]["wind"]["source"] == "measured"


@pytest.mark.parametrize(
    "ages",
    [
        {"WS-01": 20, "WD-01": STALE_S + 60},  # direction stale
        {"WS-01": STALE_S + 60, "WD-01": 20},  # speed stale
        {"WS-01": 20},  # no direction point reports
        {},  # no wind readings at all
    ],
)
def test_configured_wind_when_measured_is_stale_or_incomplete(park: SmallPark, ages: dict[str, float]) -> None:
    wind_point(park, "WS-01", "wind_speed")
    wind_point(park, "WD-01", "wind_direction")
    values = {"WS-01": 3.0, "WD-01": 90.0}
    if ages:
        report(park, [(code, values[code], age) for code, age in ages.items()])
    wind = estimate(park)["properties"]["wind"]
    assert wind == {"source": "configured", "speed_m_s": 6.0, "from_deg": 200.0, "stability": "D"}


def test_configured_wind_without_wind_points(park: SmallPark) -> None:
    source = estimate(park)
    assert source["properties"]["wind"]["source"] == "configured"
    assert "配置的假定风况" in source["properties"]["popup"]


def test_the_most_recent_of_several_points_and_only_enabled_plausible_ones(park: SmallPark) -> None:
    wind_point(park, "WS-01", "wind_speed")
    wind_point(park, "WS-02", "wind_speed")
    wind_point(park, "WD-01", "wind_direction")
    north = wind_point(park, "WD-02", "wind_direction")
    report(park, [("WS-01", 2.0, 100), ("WS-02", 5.0, 30), ("WD-01", 90.0, 60), ("WD-02", 10.0, 5)])
    now_ms = int(time.time() * 1000)
    actor = park.actor(Role.DISPATCHER)
    wind = selectors.wind_now(actor, park_id=park.park.pk, now_ms=now_ms)
    assert wind is not None and (wind.speed.code, wind.direction.code) == ("WS-02", "WD-02")
    assert (wind.speed_m_s, wind.from_deg) == (5.0, 10.0)
    type(north).objects.filter(pk=north.pk).update(enabled=False)
    wind = selectors.wind_now(actor, park_id=park.park.pk, now_ms=now_ms)
    assert wind is not None and wind.direction.code == "WD-01"
    # a value no wind can have is an instrument fault, not weather: the older good reading stands in
    PointLatest.objects.filter(point__code="WS-02").update(value=-3.0)
    wind = selectors.wind_now(actor, park_id=park.park.pk, now_ms=now_ms)
    assert wind is not None and wind.speed.code == "WS-01"
    assert selectors.wind_now(actor, park_id=park.park.pk + 1, now_ms=now_ms) is None  # another park's masts


def test_calm_is_raised_to_the_model_floor(park: SmallPark) -> None:
    wind_point(park, "WS-01", "wind_speed")
    wind_point(park, "WD-01", "wind_direction")
    report(park, [("WS-01", 0.4, 20), ("WD-01", 360.0, 10)])
    used = leak_layer.wind_for_park(park.actor(Role.DISPATCHER), park.park.pk)
    assert used.measured is not None and used.raised_to_floor
    assert (used.met.wind_speed_m_s, used.met.wind_from_deg) == (1.0, 0.0)
    assert used.as_properties()["measured_speed_m_s"] == 0.4
