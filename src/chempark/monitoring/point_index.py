"""The in-memory index of monitoring points that the ingest path looks codes up in.

Parsing a batch looks up every reading's point code, and evaluating it needs the point's alarm
configuration; one query per batch for that would cost more than the parsing. The index holds, for
every enabled point, its :class:`PointRef` and :class:`PointConfig`, plus every enterprise's USCC
(the MQTT topic names the sender by USCC). It is rebuilt when a point service in this process says
points changed. A change made by another process (the web process editing a point while the
ingest worker runs) is noticed by a cheap signature of the two tables — row count, highest id and
latest ``updated_at`` of points and of enterprises — checked every ``CHEMPARK_POINT_INDEX_TTL_S``
seconds (default 5); the index is rebuilt only when it changed, and not sooner than
``REBUILD_FACTOR`` times its last rebuild took after the previous one (a registry of 440,000 points
takes seconds to read, and a rebuild blocks the batch that starts it). ``updated_at`` is when a row
was saved, not when its transaction committed: an edit that commits after a later one may leave the
signature unchanged, so the index is also rebuilt once it is older than ``MAX_AGE_S`` (5 min).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from chempark import config
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
_signature: tuple[Any, ...] | None = None
_loaded_at = 0.0
_checked_at = 0.0
_build_s = 0.0

_CONFIG_FIELDS = (
    "range_min",
    "range_max",
    "hh",
    "hh_severity",
    "h",
    "h_severity",
    "l",
    "l_severity",
    "ll",
    "ll_severity",
    "on_delay_s",
    "deadband",
    "stale_timeout_s",
)
#: A rebuild comes at most this many times its own duration after the last one, so that with a
#: large registry under a stream of edits the worker spends at most a third of its time rebuilding.
REBUILD_FACTOR = 3
#: The backstop for an edit the signature cannot see (see the module docstring).
MAX_AGE_S = 300.0


def _config(values: tuple[Any, ...]) -> PointConfig:
    range_min, range_max, hh, hh_sev, h, h_sev, l, l_sev, ll, ll_sev, on_delay_s, deadband, stale = values  # noqa: E741
    return PointConfig(
        range_min=range_min,
        range_max=range_max,
        hh=_threshold(hh, hh_sev),
        h=_threshold(h, h_sev),
        l=_threshold(l, l_sev),
        ll=_threshold(ll, ll_sev),
        on_delay_s=on_delay_s,
        deadband=deadband,
        stale_timeout_s=stale,
    )


def _load() -> PointIndex:
    """Rows as tuples (model instances for hundreds of thousands of points cost seconds), and one
    ``PointConfig`` per distinct set of limits (points of one kind mostly share theirs)."""
    from chempark.monitoring.models import Point
    from chempark.park.models import Enterprise

    configs: dict[tuple[Any, ...], PointConfig] = {}
    points = []
    rows = Point.objects.filter(enabled=True).values_list("id", "enterprise_id", "code", *_CONFIG_FIELDS)
    for row in list(rows):  # one fetch: a server-side cursor's round trips cost seconds at this size
        key = row[3:]
        config = configs.get(key)
        if config is None:
            config = configs[key] = _config(key)
        points.append(IndexedPoint(row[0], row[1], row[2], config))
    usccs = dict(Enterprise.objects.values_list("uscc", "id"))
    return PointIndex(points, usccs)


def _table_signature() -> tuple[Any, ...]:
    """What changes when a point or an enterprise is added, removed or edited (two index scans)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT count(*) FROM monitoring_point), (SELECT max(id) FROM monitoring_point), "
            "(SELECT max(updated_at) FROM monitoring_point), (SELECT count(*) FROM park_enterprise), "
            "(SELECT max(id) FROM park_enterprise), (SELECT max(updated_at) FROM park_enterprise)"
        )
        row = cursor.fetchone()
    return tuple(row) if row is not None else ()


def current() -> PointIndex:
    """The index; rebuilt after ``invalidate()``, and after a change elsewhere (see the module)."""
    global _index, _signature, _loaded_at, _checked_at, _build_s  # noqa: PLW0603 - one process-wide cache, guarded by the lock
    ttl = config.current().point_index_ttl_s
    with _lock:
        now = time.monotonic()
        due = now - _checked_at >= ttl and now - _loaded_at >= REBUILD_FACTOR * _build_s
        if _index is None or due:
            _checked_at = now
            signature = _table_signature()  # before the load: a change during it shows up next time
            if _index is None or signature != _signature or now - _loaded_at > MAX_AGE_S:
                _index = _load()
                _signature = signature
                _loaded_at = time.monotonic()
                _build_s = _loaded_at - now
        return _index


def invalidate() -> None:
    """Points or enterprises changed in this process: rebuild on the next lookup."""
    global _index  # noqa: PLW0603 - see current()
    with _lock:
        _index = None
