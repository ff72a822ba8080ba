"""Rules-engine events → violation rows and alarms in the platform's one alarm list.

An opened event (no end yet) creates its violation and raises its alarm; the event that closes it
records the end (and an overspeed's peak) and clears the alarm, which stays in the list until
acknowledged. Entering a forbidden zone opens a violation that leaving it closes; a zone passed
between two sparse fixes opens and closes at once. Other zones' entries and exits are not
violations. Runs inside the caller's transaction (``positions_store``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from django.utils.translation import gettext as _

from chempark.core import alarm_feed
from chempark.core.alarm_feed import AlarmKind, FeedSeverity
from chempark.fencing.engine import Event
from chempark.tracking.models import Fence, FenceKind, Terminal, Violation, ViolationKind

SOURCE = "tracking"

_KINDS = {
    "overspeed": (ViolationKind.OVERSPEED, AlarmKind.OVERSPEED, FeedSeverity.MAJOR),
    "deviation": (ViolationKind.DEVIATION, AlarmKind.DEVIATION, FeedSeverity.MAJOR),
    "stopped": (ViolationKind.ILLEGAL_PARKING, AlarmKind.ILLEGAL_PARKING, FeedSeverity.MINOR),
    "parking_full": (ViolationKind.LOT_FULL, AlarmKind.LOT_FULL, FeedSeverity.WARNING),
    "forbidden": (ViolationKind.FORBIDDEN_ZONE, AlarmKind.FORBIDDEN_ZONE, FeedSeverity.CRITICAL),
}


def _at(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, tz=UTC)


def _ref(kind: str, event: Event) -> str:
    who = f"f{event.fence}" if kind == "parking_full" else f"t{event.vehicle}"
    where = f":{event.fence}" if kind == "forbidden" else ""
    return f"{kind}:{who}{where}:{int(event.start * 1000)}"


def apply(events: Iterable[Event], terminals: dict[int, Terminal]) -> None:
    # in time order (an entry before the exit at the same moment): the engine lists events by
    # kind, and a vehicle entering a zone twice in one batch must see enter, exit, enter, exit
    events = sorted(events, key=lambda e: (e.start, e.kind == "exit"))
    fence_ids = {e.fence for e in events if e.fence is not None}
    fences = {f.pk: f for f in Fence.objects.filter(pk__in=fence_ids)} if fence_ids else {}
    for event in events:
        fence = fences.get(event.fence) if event.fence is not None else None
        if event.kind in ("enter", "exit"):
            if fence is None or fence.kind != FenceKind.FORBIDDEN:
                continue
            _forbidden(event, fence, terminals.get(event.vehicle))
            continue
        if event.kind in _KINDS:
            terminal = terminals.get(event.vehicle) if event.kind != "parking_full" else None
            _run(event.kind, event, terminal, fence)


def _open(kind: str, event: Event, terminal: Terminal | None, fence: Fence | None) -> Violation:
    violation_kind, alarm_kind, severity = _KINDS[kind]
    ref = _ref(kind, event)
    existing = Violation.objects.filter(ref=ref).first()
    if existing is not None:
        return existing
    vehicle = terminal.vehicle if terminal is not None else None
    subject = vehicle.plate if vehicle else (fence.name if fence else (terminal.number if terminal else ""))
    alarm = alarm_feed.raise_alarm(
        source=SOURCE,
        kind=alarm_kind,
        severity=severity,
        enterprise_id=None,
        title=subject,
        detail=_describe(violation_kind, event, fence),
        lon=event.lon,
        lat=event.lat,
        ref=ref,
        at=_at(event.start),
        value=event.peak_kmh,
    )
    return Violation.objects.create(
        kind=violation_kind,
        terminal=terminal,
        vehicle=vehicle,
        fence=fence,
        started_at=_at(event.start),
        lon=event.lon,
        lat=event.lat,
        peak_kmh=event.peak_kmh,
        limit_kmh=event.limit_kmh,
        alarm_id=alarm,
        ref=ref,
    )


def _close(kind: str, violation: Violation, end: float, peak: float | None) -> None:
    violation.ended_at = _at(end)
    violation.peak_kmh = peak if peak is not None else violation.peak_kmh
    violation.save(update_fields=["ended_at", "peak_kmh"])
    alarm_feed.clear_alarm(source=SOURCE, kind=_KINDS[kind][1], ref=violation.ref, at=violation.ended_at)


def _run(kind: str, event: Event, terminal: Terminal | None, fence: Fence | None) -> None:
    violation = _open(kind, event, terminal, fence)
    if event.end is not None:
        _close(kind, violation, event.end, event.peak_kmh)


def _forbidden(event: Event, fence: Fence, terminal: Terminal | None) -> None:
    if event.kind == "enter":
        _open("forbidden", event, terminal, fence)
        return
    violation = (
        Violation.objects.filter(kind=ViolationKind.FORBIDDEN_ZONE, terminal=terminal, fence=fence, ended_at=None)
        .order_by("-started_at")
        .first()
    )
    if violation is not None:
        _close("forbidden", violation, event.start, None)


def _describe(kind: ViolationKind, event: Event, fence: Fence | None) -> str:
    if kind == ViolationKind.OVERSPEED:
        return _("超速：%(peak).0f km/h，限速 %(limit).0f km/h") % {
            "peak": event.peak_kmh or 0,
            "limit": event.limit_kmh or 0,
        }
    if kind == ViolationKind.DEVIATION:
        return _("偏离指定路线（或在通行时段外行驶）")
    if kind == ViolationKind.ILLEGAL_PARKING:
        return _("在停车场和装卸区外停车")
    if kind == ViolationKind.LOT_FULL:
        return _("停车场“%(name)s”车辆超过车位数 %(capacity)s") % {
            "name": fence.name if fence else "",
            "capacity": fence.capacity if fence else "",
        }
    suffix = _("（两次定位之间穿越）") if event.crossed else ""
    return _("驶入禁行区“%(name)s”") % {"name": fence.name if fence else ""} + suffix
