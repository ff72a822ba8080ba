"""Reads of the tracking module. Tracking is park-level data (vehicles belong to carriers, not to
an enterprise) read by the bureau's staff only, so every read checks ``tracking.read`` here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from chempark.core.actors import Actor
from chempark.core.errors import ErrorCode, InvalidInput
from chempark.core.selectors import one_visible
from chempark.monitoring.ingest.payload import datetime_to_ms
from chempark.tracking.models import Fence, Position, Terminal, Violation
from chempark.vehicles.models import Reservation, ReservationStatus
from chempark.vehicles.selectors import reservations_visible

ONLINE_S = 600  # a vehicle silent this long is offline (Traccar's status.timeout default)
MOVING_KMH = 3.0
MAX_TRACK_DAYS = 7
MAX_TRACK_POINTS = 20_000


def _read(actor: Actor) -> None:
    actor.require("tracking.read")


def fences(actor: Actor) -> QuerySet[Fence]:
    _read(actor)
    return Fence.objects.all()


def fence_get(actor: Actor, fence_id: int) -> Fence:
    return one_visible(fences(actor), fence_id, "围栏")


def terminals(actor: Actor) -> QuerySet[Terminal]:
    _read(actor)
    return Terminal.objects.select_related("vehicle", "vehicle__carrier").order_by("number")


def terminal_get(actor: Actor, terminal_id: int) -> Terminal:
    return one_visible(terminals(actor), terminal_id, "终端")


@dataclass(frozen=True)
class LiveState:
    code: str  # moving, stopped, offline, violation
    label: str


def live_state(terminal: Terminal, open_violation: bool, now: datetime | None = None) -> LiveState:
    now_ms = datetime_to_ms(now or timezone.now())
    if terminal.last_ms is None or now_ms - terminal.last_ms > ONLINE_S * 1000:
        return LiveState("offline", _("离线"))
    if open_violation:
        return LiveState("violation", _("违规中"))
    if (terminal.last_speed_kmh or 0) >= MOVING_KMH:
        return LiveState("moving", _("行驶"))
    return LiveState("stopped", _("停车"))


def open_violation_terminals(actor: Actor) -> set[int]:
    _read(actor)
    return set(Violation.objects.filter(ended_at=None, terminal__isnull=False).values_list("terminal_id", flat=True))


def track(actor: Actor, terminal_id: int, start: datetime, end: datetime) -> list[Position]:
    """A terminal's fixes in [start, end], oldest first; at most 7 days and 20,000 fixes."""
    terminal = terminal_get(actor, terminal_id)
    if end <= start or end - start > timedelta(days=MAX_TRACK_DAYS):
        raise InvalidInput(
            f"时间范围须为正且不超过 {MAX_TRACK_DAYS} 天。",
            code=ErrorCode.INVALID_RANGE,
            details={"end": ["时间范围无效"]},
        )
    return list(
        Position.objects.filter(
            terminal=terminal, ts_ms__gte=datetime_to_ms(start), ts_ms__lte=datetime_to_ms(end)
        ).order_by("ts_ms")[:MAX_TRACK_POINTS]
    )


def violations(
    actor: Actor, *, kind: str = "", terminal_id: int | None = None, open_only: bool = False
) -> QuerySet[Violation]:
    _read(actor)
    rows = Violation.objects.select_related("vehicle", "vehicle__carrier", "terminal", "fence")
    if kind:
        rows = rows.filter(kind=kind)
    if terminal_id is not None:
        rows = rows.filter(terminal_id=terminal_id)
    if open_only:
        rows = rows.filter(ended_at=None)
    return rows


def violation_get(actor: Actor, violation_id: int) -> Violation:
    return one_visible(violations(actor), violation_id, "违规记录")


def todays_reservations(actor: Actor, vehicle_ids: list[int]) -> dict[int, Reservation]:
    """Each vehicle's reservation for today (approved, or used by its entry), for the map's popup;
    none for a role that may not read reservations."""
    if not actor.can("vehicle.read"):
        return {}
    rows = (
        reservations_visible(actor)
        .filter(vehicle_id__in=vehicle_ids, date=timezone.localdate(),
                status__in=(ReservationStatus.APPROVED, ReservationStatus.USED))
        .select_related("enterprise", "driver", "escort", "chemical")
        .order_by("requested_at")
    )  # fmt: skip
    return {row.vehicle_id: row for row in rows}
