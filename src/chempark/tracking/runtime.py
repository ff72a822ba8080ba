"""The rules engine as the platform runs it: built from the fence table, rebuilt when fences change.

Each process that stores positions (the JT/T 808 server, the web process for HTTP ingest) keeps
one engine. Its per-vehicle state lives in memory; a vehicle seen for the first time by an engine
is seeded with its terminal's last stored fix, so a restart neither re-reads history nor takes a
vehicle's first fix after it for a jump or a zone entry.
"""

from __future__ import annotations

import threading
from typing import Any

from django.db.models import Count, Max

from chempark.common.projection import LocalProjection
from chempark.fencing.engine import Engine
from chempark.fencing.rules import Fence as EngineFence
from chempark.fencing.rules import FenceKind
from chempark.park.models import Park
from chempark.tracking.models import Fence

_lock = threading.Lock()
_cache: dict[str, Any] = {"version": None, "engine": None}


def _ring(geometry: dict[str, Any]) -> list[tuple[float, float]]:
    if geometry["type"] == "LineString":
        return [(float(p[0]), float(p[1])) for p in geometry["coordinates"]]
    return [(float(p[0]), float(p[1])) for p in geometry["coordinates"][0]]


def engine_fence(row: Fence) -> EngineFence:
    windows = tuple((int(start), int(end)) for start, end in row.windows or ())
    return EngineFence(
        id=row.pk,
        name=row.name,
        kind=FenceKind(row.kind),
        coordinates=_ring(row.geometry),
        width_m=row.width_m or 0.0,
        speed_limit_kmh=row.speed_limit_kmh,
        capacity=row.capacity,
        windows=windows,
    )


def _origin(fences: list[EngineFence]) -> LocalProjection:
    park = Park.objects.order_by("pk").first()
    points = _ring(park.boundary) if park and park.boundary else [p for f in fences for p in f.coordinates]
    if not points:
        return LocalProjection(0.0, 0.0)
    lons, lats = zip(*points, strict=True)
    return LocalProjection((min(lons) + max(lons)) / 2, (min(lats) + max(lats)) / 2)


def fences_version() -> tuple[Any, ...]:
    """What changes whenever a fence is added, edited or deleted: count, latest change, top id."""
    return tuple(Fence.objects.aggregate(n=Count("pk"), changed=Max("updated_at"), top=Max("pk")).values())


#: :func:`fences_version` as one SQL statement, for a caller that sends it with other reads at once
FENCES_VERSION_SQL = f"SELECT count(id), max(updated_at), max(id) FROM {Fence._meta.db_table}"  # noqa: S608 - constant


def current_engine(version: tuple[Any, ...] | None = None) -> Engine:
    """The engine for the fences as they are now (one query to notice a change, unless the caller
    read ``version`` itself, with :data:`FENCES_VERSION_SQL`)."""
    if version is None:
        version = fences_version()
    with _lock:
        if _cache["version"] != version or _cache["engine"] is None:
            fences = [engine_fence(row) for row in Fence.objects.all()]
            _cache["engine"] = Engine(fences, _origin(fences))
            _cache["version"] = version
        engine: Engine = _cache["engine"]
        return engine


def reset() -> None:
    """Forget the engine and its vehicles' state (tests)."""
    with _lock:
        _cache.update(version=None, engine=None)
