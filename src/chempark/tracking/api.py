"""REST endpoints of vehicle tracking: position ingest (machines), live vehicles, tracks, violations
and fences."""

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from chempark.core.api import Page, actor_of
from chempark.core.bounds import DateTime
from chempark.tracking import selectors, services
from chempark.tracking.models import Fence, Terminal, Violation, ViolationKind
from chempark.tracking.schemas import (
    FenceOut,
    FenceValues,
    PositionsIn,
    StoreOut,
    TrackPointOut,
    VehicleOut,
    ViolationOut,
)

router = Router(tags=["tracking"])


def fence_out(row: Fence) -> dict[str, Any]:
    return {
        "id": row.pk,
        "name": row.name,
        "kind": row.kind,
        "kind_label": row.get_kind_display(),
        "geometry": row.geometry,
        "width_m": row.width_m,
        "speed_limit_kmh": row.speed_limit_kmh,
        "capacity": row.capacity,
        "windows": row.windows or [],
    }


def vehicle_out(row: Terminal, open_violation: bool) -> dict[str, Any]:
    state = selectors.live_state(row, open_violation)
    vehicle = row.vehicle
    return {
        "terminal": row.number,
        "plate": vehicle.plate if vehicle else None,
        "carrier": vehicle.carrier.name if vehicle else None,
        "time": None if row.last_ms is None else datetime.fromtimestamp(row.last_ms / 1000).astimezone().isoformat(),
        "lon": row.last_lon,
        "lat": row.last_lat,
        "speed_kmh": row.last_speed_kmh,
        "heading": row.last_heading,
        "state": state.code,
        "state_label": state.label,
    }


def violation_out(row: Violation) -> dict[str, Any]:
    return {
        "id": row.pk,
        "kind": row.kind,
        "kind_label": row.get_kind_display(),
        "plate": row.vehicle.plate if row.vehicle else None,
        "terminal": row.terminal.number if row.terminal else None,
        "fence": row.fence.name if row.fence else None,
        "started_at": row.started_at.isoformat(),
        "ended_at": row.ended_at.isoformat() if row.ended_at else None,
        "lon": row.lon,
        "lat": row.lat,
        "peak_kmh": row.peak_kmh,
        "limit_kmh": row.limit_kmh,
        "alarm": row.alarm_id,
    }


@router.post("/ingest/positions", response=StoreOut, operation_id="ingest_positions")
def ingest_positions(request: HttpRequest, payload: PositionsIn) -> dict[str, Any]:
    """Positions from another platform (JT/T 809 gateway, a carrier's system). Each is stored once
    (terminal + time); invalid fixes and jumps are counted in ``rejected``, unknown vehicles listed."""
    actor = actor_of(request, machines=True)
    outcome = services.positions_ingest(actor=actor, items=payload.positions)
    return {
        "stored": outcome.stored,
        "rejected": outcome.rejected,
        "unknown": list(outcome.unknown_terminals),
        "events": outcome.events,
    }


@router.get("/tracking/vehicles", response=list[VehicleOut], operation_id="tracking_vehicles")
def live_vehicles(request: HttpRequest) -> list[dict[str, Any]]:
    actor = actor_of(request)
    open_terminals = selectors.open_violation_terminals(actor)
    return [vehicle_out(row, row.pk in open_terminals) for row in selectors.terminals(actor)]


class TrackQuery(Schema):
    start: DateTime
    end: DateTime


@router.get("/tracking/terminals/{id:pk}/track", response=list[TrackPointOut], operation_id="tracking_track")
def terminal_track(request: HttpRequest, pk: int, query: Query[TrackQuery]) -> list[dict[str, Any]]:
    actor = actor_of(request)
    return [
        {"time_ms": p.ts_ms, "lon": p.lon, "lat": p.lat, "speed_kmh": p.speed_kmh, "heading": p.heading}
        for p in selectors.track(actor, pk, query.start, query.end)
    ]


class ViolationQuery(Schema):
    kind: ViolationKind | None = None
    open: bool = False


@router.get("/tracking/violations", response=list[ViolationOut], operation_id="tracking_violations")
@paginate(Page)
def violation_list(request: HttpRequest, query: Query[ViolationQuery]) -> Any:
    actor = actor_of(request)
    rows = selectors.violations(actor, kind=query.kind.value if query.kind else "", open_only=query.open)
    return [violation_out(row) for row in rows]


@router.get("/tracking/violations/{id:pk}", response=ViolationOut, operation_id="tracking_violation")
def violation_detail(request: HttpRequest, pk: int) -> dict[str, Any]:
    return violation_out(selectors.violation_get(actor_of(request), pk))


@router.get("/tracking/fences", response=list[FenceOut], operation_id="tracking_fences")
def fence_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [fence_out(row) for row in selectors.fences(actor_of(request))]


@router.post("/tracking/fences", response={201: FenceOut}, operation_id="tracking_fence_create")
def fence_create(request: HttpRequest, payload: FenceValues) -> Status[dict[str, Any]]:
    row = services.fence_create(actor=actor_of(request), values=payload)
    return Status(201, fence_out(row))


@router.get("/tracking/fences/{id:pk}", response=FenceOut, operation_id="tracking_fence")
def fence_detail(request: HttpRequest, pk: int) -> dict[str, Any]:
    return fence_out(selectors.fence_get(actor_of(request), pk))


@router.put("/tracking/fences/{id:pk}", response=FenceOut, operation_id="tracking_fence_update")
def fence_update(request: HttpRequest, pk: int, payload: FenceValues) -> dict[str, Any]:
    return fence_out(services.fence_update(actor=actor_of(request), fence_id=pk, values=payload))


@router.delete("/tracking/fences/{id:pk}", response={204: None}, operation_id="tracking_fence_delete")
def fence_delete(request: HttpRequest, pk: int) -> Status[None]:
    services.fence_delete(actor=actor_of(request), fence_id=pk)
    return Status(204, None)
