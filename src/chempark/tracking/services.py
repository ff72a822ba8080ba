"""Writes of the tracking module: terminals registering and authenticating, positions stored and
checked against the rules (violations raised as alarms), fences edited by the bureau."""

from __future__ import annotations

import functools
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import psycopg
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from chempark.accounts import audit
from chempark.accounts.models import AuditAction
from chempark.core.actors import SYSTEM, Actor
from chempark.core.model_writes import save_model, validate_model
from chempark.core.selectors import one_visible
from chempark.fencing.engine import Rejected
from chempark.jt808.codec import terminal_key
from chempark.jt808.messages import REGISTERED, TERMINAL_UNKNOWN
from chempark.monitoring.ingest.payload import datetime_to_ms
from chempark.tracking import violations
from chempark.tracking.models import Fence, Position, Terminal
from chempark.tracking.runtime import FENCES_VERSION_SQL, current_engine
from chempark.tracking.schemas import FenceValues, PositionItem
from chempark.vehicles.models import Reservation, ReservationStatus, Vehicle


@dataclass(frozen=True)
class PositionIn:
    """One fix as it arrives (JT/T 808 or HTTP), before the filter."""

    terminal: str  # number without BCD padding
    ts_ms: int
    lon: float
    lat: float
    speed_kmh: float
    heading: int = 0
    altitude_m: int = 0
    alarm_flags: int = 0
    status_flags: int = 0
    mileage_km: float | None = None
    valid: bool = True


@dataclass(frozen=True)
class StoreOutcome:
    stored: int  # rows offered to the table (a row already there is kept once)
    rejected: dict[str, int]  # filter reason → count, positions not stored
    unknown_terminals: tuple[str, ...]
    events: int


# --- terminals ---------------------------------------------------------------------------------


def _vehicle_for(number: str) -> Vehicle | None:
    """The vehicle whose terminal phone is ``number`` once BCD padding is ignored."""
    candidates = Vehicle.objects.filter(terminal_phone__endswith=number)
    return next((v for v in candidates if v.terminal_phone and terminal_key(v.terminal_phone) == number), None)


def terminal_register(number: str) -> tuple[int, str]:
    """JT/T 808 0x0100: a terminal of a registered vehicle gets a fresh auth code (0x8100 result 0);
    an unknown one result 4. Re-registering (a terminal reset) replaces the code."""
    number = terminal_key(number)
    vehicle = _vehicle_for(number)
    if vehicle is None:
        return TERMINAL_UNKNOWN, ""
    code = secrets.token_hex(8)
    with transaction.atomic():
        terminal, created = Terminal.objects.select_for_update().get_or_create(number=number)
        before = None if created else audit.snapshot(terminal)
        Terminal.objects.filter(vehicle=vehicle).exclude(pk=terminal.pk).update(vehicle=None)
        terminal.vehicle = vehicle
        terminal.auth_code = code
        terminal.registered_at = timezone.now()
        terminal.save()
        after = audit.snapshot(terminal) | {"auth_code": "***"}
        if before is not None:
            before["auth_code"] = "***"
        audit.record(
            actor=SYSTEM,
            action=AuditAction.CREATE if created else AuditAction.UPDATE,
            object_type="tracking.terminal",
            object_id=terminal.pk,
            before=before,
            after=after,
            object_label=f"{vehicle.plate} {number}",
        )
    return REGISTERED, code


def terminal_authenticate(number: str, auth_code: str) -> bool:
    terminal = Terminal.objects.filter(number=terminal_key(number)).only("auth_code", "vehicle_id").first()
    return bool(
        terminal
        and terminal.vehicle_id
        and terminal.auth_code
        and secrets.compare_digest(terminal.auth_code, auth_code)
    )


# --- positions ---------------------------------------------------------------------------------


@dataclass
class _Known:
    """What a batch needs of a terminal: read as plain values, not model instances (a batch names
    thousands of terminals)."""

    pk: int
    vehicle_id: int
    last_ms: int | None
    last_lon: float | None
    last_lat: float | None


def positions_store(fixes: Sequence[PositionIn]) -> StoreOutcome:
    """Store fixes once each and run the rules over them, in one transaction (one statement on
    PostgreSQL when the batch raises no event).

    Positions the filter calls invalid or jumps are not stored; late ones (older than the vehicle's
    last fix: a blind-area back-fill) are stored but do not drive the rules, which look forward only.
    """
    numbers = {f.terminal for f in fixes}
    rows_of, version, route_rows = _reads(numbers)
    terminals = {number: _Known(pk, vehicle, ms, lon, lat) for number, pk, vehicle, ms, lon, lat in rows_of}
    known = [f for f in fixes if f.terminal in terminals]
    unknown = tuple(sorted(numbers - terminals.keys()))
    if not known:
        return StoreOutcome(0, {}, unknown, 0)
    now_ms = datetime_to_ms(timezone.now())
    engine = current_engine(version)
    for terminal in terminals.values():
        # Seeded from the stored last fix when the engine has none, or an older one: another
        # process (``chempark jt808 --processes``, the web process for HTTP) stored the
        # terminal's newer fixes while its connection was there.
        if terminal.last_ms is None:
            continue
        held = engine.last_time(terminal.pk)
        if held is None or round(held * 1000) < terminal.last_ms:
            engine.restore(terminal.pk, terminal.last_ms / 1000, terminal.last_lon or 0.0, terminal.last_lat or 0.0)
    engine.set_routes(todays_routes({t.vehicle_id: t.pk for t in terminals.values()}, route_rows))
    pks = [terminals[f.terminal].pk for f in known]
    result = engine.process(
        pks,
        [f.ts_ms / 1000 for f in known],
        [f.lon for f in known],
        [f.lat for f in known],
        [f.speed_kmh for f in known],
        [f.valid for f in known],
    )
    rejected: dict[str, int] = {}
    rows = []
    for pk, fix, reason in zip(pks, known, result.rejected.tolist(), strict=True):
        if reason in (Rejected.INVALID_FIX, Rejected.JUMP):
            name = Rejected(int(reason)).name.lower()
            rejected[name] = rejected.get(name, 0) + 1
            continue
        rows.append((pk, fix))
    changed = _newest(terminals, known, result.rejected.tolist())
    if connection.vendor == "postgresql" and not result.events:
        # One statement is its own transaction (or a part of the caller's): no BEGIN and COMMIT
        # round trips for the usual batch, which raises no event; it is durable when it returns.
        _write_pg(rows, changed, now_ms)
        return StoreOutcome(len(rows), rejected, unknown, 0)
    with transaction.atomic():  # positions and the violations they raise, together
        if connection.vendor == "postgresql":
            _write_pg(rows, changed, now_ms)
        else:
            _insert(rows, now_ms)
            _update_last(changed)
        if result.events:
            involved = {e.vehicle for e in result.events}
            rows_for = Terminal.objects.filter(pk__in=involved).select_related("vehicle")
            violations.apply(result.events, {t.pk: t for t in rows_for})
    return StoreOutcome(len(rows), rejected, unknown, len(result.events))


def _todays_route_rows(day: date | None = None) -> QuerySet[Reservation, tuple[int, int]]:
    return Reservation.objects.filter(
        date=day or timezone.localdate(),
        status__in=(ReservationStatus.APPROVED, ReservationStatus.USED),
        routes__isnull=False,
    ).values_list("vehicle_id", "routes")


def _terminal_rows() -> QuerySet[Terminal, tuple[Any, ...]]:
    return (
        Terminal.objects.filter(vehicle__isnull=False)
        .order_by()
        .values_list("number", "pk", "vehicle_id", "last_ms", "last_lon", "last_lat")
    )


@functools.lru_cache(maxsize=2)
def _read_statements(day: date) -> tuple[str, list[Any], str, list[Any]]:
    """The reads' SQL and parameters, compiled by the ORM once a day instead of every batch (the
    compiling was a fifth of a small batch's time)."""
    terminals_sql, terminals_params = _terminal_rows().query.sql_with_params()
    routes_sql, routes_params = _todays_route_rows(day).order_by().query.sql_with_params()
    # the ORM's terminal statement, narrowed by one array parameter instead of one per terminal
    return (
        f"{terminals_sql} AND number = ANY(%s)",
        list(terminals_params),
        routes_sql,
        [str(p) if isinstance(p, str) else p for p in routes_params],  # choices as plain text
    )


def _reads(numbers: set[str]) -> tuple[list[tuple[Any, ...]], tuple[Any, ...] | None, list[tuple[Any, ...]] | None]:
    """What a batch reads before it writes: its terminals (as plain values), the fences' version and
    today's reservation routes. On PostgreSQL the three go in one pipeline, one round trip (they
    were three, each a wait for the database that every location of the batch waited through)."""
    if connection.vendor != "postgresql":
        return list(_terminal_rows().filter(number__in=numbers)), None, None
    terminals_sql, terminals_params, routes_sql, routes_params = _read_statements(timezone.localdate())
    connection.ensure_connection()
    raw: Any = connection.connection
    with connection.wrap_database_errors, raw.pipeline():
        by_number, fences, routes = (psycopg.Cursor(raw) for _ in range(3))
        with by_number, fences, routes:
            by_number.execute(terminals_sql, [*terminals_params, list(numbers)])
            fences.execute(FENCES_VERSION_SQL)
            routes.execute(routes_sql, routes_params)
            return by_number.fetchall(), fences.fetchone(), routes.fetchall()


def todays_routes(terminal_of: dict[int, int], rows: Iterable[tuple[Any, ...]] | None = None) -> dict[int, list[int]]:
    """Each terminal's designated routes today (``terminal_of``: vehicle id → terminal id): the
    corridors its vehicle's approved (or used) reservation for today names; an empty list (no
    reservation, or one naming no route) leaves the vehicle to every corridor. One query per batch
    over today's reservations (a park's day holds hundreds), so an approval counts at once; ``rows``
    when the caller read them already (:func:`_reads`)."""
    routes: dict[int, list[int]] = {pk: [] for pk in terminal_of.values()}
    for vehicle_id, fence_id in _todays_route_rows() if rows is None else rows:
        if vehicle_id in terminal_of:
            routes[terminal_of[vehicle_id]].append(fence_id)
    return routes


_POSITION_COLUMNS = (
    "terminal_id, ts_ms, lon, lat, speed_kmh, heading, altitude_m, alarm_flags, status_flags, mileage_km, received_ms"
)
_WRITE = f"""
WITH fix AS (
    SELECT * FROM unnest(%b::bigint[], %b::bigint[], %b::float8[], %b::float8[], %b::float8[], %b::int[],
                         %b::int[], %b::bigint[], %b::bigint[], %b::float8[])
        AS f(terminal_id, ts_ms, lon, lat, speed_kmh, heading, altitude_m, alarm_flags, status_flags, mileage_km)
), stored AS (
    INSERT INTO tracking_position ({_POSITION_COLUMNS})
    SELECT fix.*, %b::bigint FROM fix ORDER BY terminal_id, ts_ms ON CONFLICT DO NOTHING
)
UPDATE tracking_terminal AS t
SET last_ms = v.ms, last_lon = v.lon, last_lat = v.lat, last_speed_kmh = v.speed, last_heading = v.heading
FROM unnest(%b::bigint[], %b::bigint[], %b::float8[], %b::float8[], %b::float8[], %b::int[])
    AS v(id, ms, lon, lat, speed, heading)
WHERE t.id = v.id AND (t.last_ms IS NULL OR t.last_ms < v.ms)
"""  # noqa: S608 - constant column names, values bound


def _write_pg(rows: Sequence[tuple[int, PositionIn]], changed: Sequence[tuple[int, PositionIn]], now_ms: int) -> None:
    """Store positions and move the live positions forward in one statement, one round trip.

    The positions go in with ``ON CONFLICT DO NOTHING`` (the key is terminal + device time: a row
    already there is kept, as a terminal resends what it was not answered); each terminal's row
    takes its newest fix unless it has a newer one. The columns travel as binary arrays, which
    ``unnest`` turns back into rows. This replaced ``COPY`` into temporary tables (eight round
    trips a batch: at 2,000 fixes/s in batches of tens, the round trips, not the rows, were the
    cost, and they are what a terminal waits for before its answer).
    """
    if not rows and not changed:
        return
    fixes = [f for _, f in rows]
    latest = [f for _, f in changed]
    params = [
        [pk for pk, _ in rows],
        [f.ts_ms for f in fixes],
        [float(f.lon) for f in fixes],
        [float(f.lat) for f in fixes],
        [float(f.speed_kmh) for f in fixes],
        [f.heading % 360 for f in fixes],
        [f.altitude_m for f in fixes],
        [f.alarm_flags for f in fixes],
        [f.status_flags for f in fixes],
        [None if f.mileage_km is None else float(f.mileage_km) for f in fixes],
        now_ms,
        [pk for pk, _ in changed],
        [f.ts_ms for f in latest],
        [float(f.lon) for f in latest],
        [float(f.lat) for f in latest],
        [float(f.speed_kmh) for f in latest],
        [f.heading % 360 for f in latest],
    ]
    connection.ensure_connection()
    raw: Any = connection.connection
    with connection.wrap_database_errors, psycopg.Cursor(raw) as cursor:
        cursor.execute(_WRITE, params)


def _insert(rows: Sequence[tuple[int, PositionIn]], now_ms: int) -> None:
    """Store positions, a row already there kept as it is (the key is terminal + device time)."""
    if rows:
        Position.objects.bulk_create(
            [_row(pk, fix, now_ms) for pk, fix in rows], ignore_conflicts=True, batch_size=2000
        )


def _row(terminal_id: int, fix: PositionIn, now_ms: int) -> Position:
    return Position(
        terminal_id=terminal_id,
        ts_ms=fix.ts_ms,
        lon=fix.lon,
        lat=fix.lat,
        speed_kmh=fix.speed_kmh,
        heading=fix.heading % 360,
        altitude_m=fix.altitude_m,
        alarm_flags=fix.alarm_flags,
        status_flags=fix.status_flags,
        mileage_km=fix.mileage_km,
        received_ms=now_ms,
    )


def _newest(
    terminals: dict[str, _Known], fixes: Sequence[PositionIn], rejected: Sequence[int]
) -> list[tuple[int, PositionIn]]:
    """Each terminal's newest accepted fix, where it is newer than the live position stored."""
    newest: dict[str, PositionIn] = {}
    for fix, reason in zip(fixes, rejected, strict=True):
        if reason == Rejected.ACCEPTED and (fix.terminal not in newest or fix.ts_ms > newest[fix.terminal].ts_ms):
            newest[fix.terminal] = fix
    return [
        (terminals[number].pk, fix)
        for number, fix in newest.items()
        if terminals[number].last_ms is None or (terminals[number].last_ms or 0) < fix.ts_ms
    ]


def _update_last(changed: Sequence[tuple[int, PositionIn]]) -> None:
    """Each terminal's newest accepted fix becomes its live position (the embedded database)."""
    for pk, fix in changed:
        Terminal.objects.filter(pk=pk).update(
            last_ms=fix.ts_ms,
            last_lon=fix.lon,
            last_lat=fix.lat,
            last_speed_kmh=fix.speed_kmh,
            last_heading=fix.heading % 360,
        )


def positions_ingest(*, actor: Actor, items: Sequence[PositionItem]) -> StoreOutcome:
    """Positions pushed over HTTP by another platform, named by terminal number or by plate."""
    actor.require("ingest.write")
    plates = {item.plate for item in items if item.plate}
    by_plate: dict[str, str] = {}
    if plates:
        with transaction.atomic():
            for vehicle in Vehicle.objects.filter(plate__in=plates).select_related("terminal"):
                by_plate[vehicle.plate] = _terminal_for(vehicle).number
    fixes = [
        PositionIn(
            terminal=terminal_key(item.terminal) if item.terminal else by_plate.get(item.plate or "", f"?{item.plate}"),
            ts_ms=item.time_ms,
            lon=float(item.lon),
            lat=float(item.lat),
            speed_kmh=float(item.speed_kmh),
            heading=item.heading,
            altitude_m=item.altitude_m,
            mileage_km=None if item.mileage_km is None else float(item.mileage_km),
            valid=item.valid,
        )
        for item in items
    ]
    outcome = positions_store(fixes)
    return replace(outcome, unknown_terminals=tuple(n.removeprefix("?") for n in outcome.unknown_terminals))


def _terminal_for(vehicle: Vehicle) -> Terminal:
    """The vehicle's terminal row, made for a vehicle whose positions only ever come over HTTP."""
    existing = Terminal.objects.filter(vehicle=vehicle).first()
    if existing is not None:
        return existing
    number = terminal_key(vehicle.terminal_phone) if vehicle.terminal_phone else f"v{vehicle.pk}"
    terminal, _ = Terminal.objects.get_or_create(number=number, defaults={"vehicle": vehicle})
    return terminal


# --- fences ------------------------------------------------------------------------------------


def _require_configure(actor: Actor) -> None:
    actor.require("tracking.configure")


def fence_create(*, actor: Actor, values: FenceValues) -> Fence:
    _require_configure(actor)
    with transaction.atomic():
        fence = Fence(**values.model_fields_values())
        validate_model(fence)
        save_model(fence, conflict_message="围栏名称已存在")
        audit.record(
            actor=actor,
            action=AuditAction.CREATE,
            object_type="tracking.fence",
            object_id=fence.pk,
            after=audit.snapshot(fence),
        )
    return fence


def fence_update(*, actor: Actor, fence_id: int, values: FenceValues) -> Fence:
    _require_configure(actor)
    with transaction.atomic():
        fence = one_visible(Fence.objects.all(), fence_id, "围栏", for_update=True)
        before = audit.snapshot(fence)
        for name, value in values.model_fields_values().items():
            setattr(fence, name, value)
        validate_model(fence)
        save_model(fence, conflict_message="围栏名称已存在")
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            object_type="tracking.fence",
            object_id=fence.pk,
            before=before,
            after=audit.snapshot(fence),
        )
    return fence


def fence_delete(*, actor: Actor, fence_id: int) -> None:
    _require_configure(actor)
    with transaction.atomic():
        fence = one_visible(Fence.objects.all(), fence_id, "围栏", for_update=True)
        before = audit.snapshot(fence)
        fence.delete()
        audit.record(
            actor=actor, action=AuditAction.DELETE, object_type="tracking.fence", object_id=fence_id, before=before
        )
