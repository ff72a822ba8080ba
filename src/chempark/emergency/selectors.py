"""Reads of the emergency module, with visibility applied in one place.

Simulation runs: the bureau, the duty officer and experts (``simulation.run``) see every run; an
enterprise user sees only the runs made by its own enterprise's users. QRA studies are the
bureau's (``qra.run``). A row outside the actor's view is "not found".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from django.db.models import QuerySet

from chempark.consequence import accident
from chempark.core.actors import Actor
from chempark.core.selectors import one_visible, visible_to
from chempark.emergency.models import PopulatedArea, QraStudy, SimulationRun
from chempark.monitoring import selectors as monitoring
from chempark.monitoring.ingest.payload import ms_to_datetime
from chempark.monitoring.models import Point, PointKind
from chempark.park.models import Tank
from chempark.park.selectors import registry_visible


def simulation_runs(actor: Actor, *, kind: str | None = None) -> QuerySet[SimulationRun]:
    actor.require("simulation.run")
    queryset = visible_to(actor, SimulationRun.objects.all())
    if kind:
        queryset = queryset.filter(kind=kind)
    return queryset


def simulation_run_get(actor: Actor, pk: int) -> SimulationRun:
    return one_visible(simulation_runs(actor), pk, "模拟记录")


def qra_studies(actor: Actor) -> QuerySet[QraStudy]:
    actor.require("qra.run")
    return QraStudy.objects.select_related("park")


def qra_study_get(actor: Actor, pk: int, *, for_update: bool = False) -> QraStudy:
    return one_visible(qra_studies(actor), pk, "风险评价", for_update=for_update)


def at_park_altitude(actor: Actor, met: accident.WeatherInput, park_id: int | None = None) -> accident.WeatherInput:
    """The weather at the altitude of the park (``park_id``, else the first park: one per
    deployment), so that the models take the air pressure of the standard atmosphere there.

    The altitude is the only source: no monitoring point kind measures the air pressure (the
    ``pressure`` points are process transmitters), and the day-to-day swing of a few hPa matters
    far less than the 20 % a park at 2 000 m loses to its altitude."""
    parks = registry_visible(actor, "park").order_by("id")
    park = (parks.filter(pk=park_id) if park_id is not None else parks).first()
    return replace(met, altitude_m=float(park.altitude_m) if park is not None else 0.0)


def populated_areas(actor: Actor) -> QuerySet[PopulatedArea]:
    """The population layer (villages, residential areas): public geography of the park's
    surroundings, read by everyone who reads the registry."""
    actor.require("registry.read")
    return PopulatedArea.objects.all()


def populated_area_get(actor: Actor, pk: int, *, for_update: bool = False) -> PopulatedArea:
    return one_visible(populated_areas(actor), pk, "人口区域", for_update=for_update)


@dataclass(frozen=True)
class MeasuredCondition:
    """A tank's storage pressure or temperature read from a monitoring point, in SI units."""

    value: float  # Pa absolute, or K
    point: str
    at: datetime | None


@dataclass(frozen=True)
class TankConditions:
    pressure: MeasuredCondition | None
    temperature: MeasuredCondition | None


ATMOSPHERE_PA = 101_325.0
PRESSURE_TO_PA = {"MPa": 1e6, "kPa": 1e3, "Pa": 1.0, "bar": 1e5}


def _as_si(point: Point) -> float | None:
    """A pressure point's reading (gauge, as process transmitters read) as absolute Pa; a
    temperature point's (°C or K) as K; None when its unit is not one of those."""
    value = float(point.latest.value or 0.0)  # the caller skips points without a value
    uom = point.unit_of_measure.strip()
    if point.kind == PointKind.PRESSURE:
        factor = PRESSURE_TO_PA.get(uom)
        return None if factor is None else value * factor + ATMOSPHERE_PA
    if uom in ("°C", "℃", "C"):
        return value + 273.15
    return value if uom == "K" else None


def tank_conditions(actor: Actor, tank: Tank) -> TankConditions:
    """The tank's storage pressure and temperature from the latest online reading of its own
    pressure and temperature points, else of its unit's (points naming no tank)."""
    return tanks_conditions(actor, [tank])[tank.pk]


def tanks_conditions(actor: Actor, tanks: Iterable[Tank]) -> dict[int, TankConditions]:
    """``tank_conditions`` of many tanks with one query (the simulation page's tank picker)."""
    tanks = list(tanks)
    if not actor.can("monitoring.read"):
        return {tank.pk: TankConditions(None, None) for tank in tanks}
    points = (
        monitoring.points_visible(actor)
        .filter(
            unit_id__in={tank.unit_id for tank in tanks},
            enabled=True,
            kind__in=(PointKind.PRESSURE, PointKind.TEMPERATURE),
        )
        .select_related("latest")
        .order_by("tank_id", "code")
    )
    by_unit: dict[int, list[Any]] = {}
    for point in points:
        by_unit.setdefault(point.unit_id, []).append(point)
    return {tank.pk: _conditions_of(tank, by_unit.get(tank.unit_id, [])) for tank in tanks}


def _conditions_of(tank: Tank, unit_points: list[Any]) -> TankConditions:
    found: dict[str, MeasuredCondition] = {}
    own_first = sorted((p for p in unit_points if p.tank_id in (tank.pk, None)), key=lambda p: p.tank_id is None)
    for point in own_first:
        latest = getattr(point, "latest", None)
        if point.kind in found or latest is None or latest.value is None or not latest.online:
            continue
        value = _as_si(point)
        if value is not None:
            found[point.kind] = MeasuredCondition(
                value, point.code, ms_to_datetime(latest.ts_ms) if latest.ts_ms else None
            )
    return TankConditions(found.get(PointKind.PRESSURE), found.get(PointKind.TEMPERATURE))
