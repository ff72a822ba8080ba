"""The in-memory index of monitoring points that the ingest path looks codes up in.

Parsing a batch looks up every reading's point code, and evaluating it needs the point's alarm
configuration; one query per batch for that would cost more than the parsing. The index holds, for
every enabled point, its :class:`PointRef` and :class:`PointConfig`, plus every enterprise's USCC
(the MQTT topic names the sender by USCC). It is rebuilt when a point service in this process says
points changed, and at most ``CHEMPARK_POINT_INDEX_TTL_S`` seconds (default 5) after a change made
by another process.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from chempark.config import env_int
from chempark.monitoring.alarm_rules import PointConfig, Severity, Threshold
from chempark.monitoring.ingest.payload import PointRef

if TYPE_CHECKING:
    from chempark.monitoring.models import Point


@dataclass(frozen=True, slots=True)
class IndexedPoint:
    point_id: int
    enterprise_id: int
    code: str
    config: PointConfig
    hazard_level: int | None


def _threshold(value: float | None, severity: str) -> Threshold | None:
    return None if value is None else Threshold(value, Severity(severity))


def config_of(point: Point) -> PointConfig:
    """The engine's configuration of a ``Point`` row (raises ``ValueError`` if its limits clash)."""
    return PointConfig(
        range_min=point.range_min,
        range_max=point.range_max,
        hh=_threshold(point.hh, point.hh_severity),
        h=_threshold(point.h, point.h_severity),
        l=_threshold(point.l, point.l_severity),
        ll=_threshold(point.ll, point.ll_severity),
        on_delay_s=point.on_delay_s,
        deadband=point.deadband,
        stale_timeout_s=point.stale_timeout_s,
    )


class PointIndex:
    def __init__(self, points: list[IndexedPoint], usccs: dict[str, int]) -> None:
        self.points = {p.point_id: p for p in points}
        self.usccs = usccs
        self.by_enterprise: dict[int, dict[str, PointRef]] = {}
        self.any_enterprise: dict[str, PointRef] = {}
        for p in points:
            ref = PointRef(p.point_id, p.enterprise_id)
            self.by_enterprise.setdefault(p.enterprise_id, {})[p.code] = ref
            self.any_enterprise.setdefault(p.code, ref)

    def lookup_for(self, enterprise_id: int) -> Callable[[str], PointRef | None]:
        """Own points first; a code only another enterprise has comes back as that one's ref."""
        own = self.by_enterprise.get(enterprise_id, {})
        others = self.any_enterprise

        def lookup(code: str) -> PointRef | None:
            ref = own.get(code)
            return ref if ref is not None else others.get(code)

        return lookup


_lock = threading.Lock()
_index: PointIndex | None = None
_loaded_at = 0.0


def _load() -> PointIndex:
    from chempark.monitoring.models import Point
    from chempark.park.models import Enterprise

    points = [
        IndexedPoint(p.pk, p.enterprise_id, p.code, config_of(p), p.hazard_level)
        for p in Point.objects.filter(enabled=True).only(
            "id", "enterprise_id", "code", "range_min", "range_max", "hh", "h", "l", "ll", "hh_severity",
            "h_severity", "l_severity", "ll_severity", "on_delay_s", "deadband", "stale_timeout_s", "hazard_level")
    ]
    usccs = dict(Enterprise.objects.values_list("uscc", "id"))
    return PointIndex(points, usccs)


def current() -> PointIndex:
    global _index, _loaded_at  # noqa: PLW0603 - one process-wide cache, guarded by the lock
    ttl = env_int("POINT_INDEX_TTL_S", 5, minimum=0)
    with _lock:
        if _index is None or time.monotonic() - _loaded_at > ttl:
            _index = _load()
            _loaded_at = time.monotonic()
        return _index


def invalidate() -> None:
    """Points or enterprises changed in this process: rebuild on the next lookup."""
    global _index  # noqa: PLW0603 - see current()
    with _lock:
        _index = None
