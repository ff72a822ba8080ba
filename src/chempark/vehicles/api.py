"""REST endpoints of the vehicles module: the plain registries (generated from ``registry.ENTITIES``),
reservations and their workflow, vehicles in the park, gate and badge events (machine tokens),
headcounts and rosters."""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.orm import create_schema
from ninja.pagination import paginate
from pydantic import create_model

from chempark.core.api import Page, actor_of
from chempark.park.api import query_name
from chempark.park.schemas import input_schema
from chempark.vehicles import access, gates, selectors, services
from chempark.vehicles.registry import ENTITIES, Entity
from chempark.vehicles.schemas import (
    AccessAnswerOut,
    AccessEventIn,
    GateAnswerOut,
    GateEventIn,
    GateEventOut,
    HeadcountOut,
    ReservationFilters,
    ReservationIn,
    ReservationOut,
    RosterOut,
    TransitionIn,
    VisitOut,
)

router = Router(tags=["vehicles"])


def _register(entity: Entity) -> None:
    spec, kind, path = entity.spec, entity.key, entity.path
    name = spec.model.__name__
    out = create_schema(spec.model, name=f"{name}Out", fields=["id", *spec.fields])
    create, patch = input_schema(spec, partial=False), input_schema(spec, partial=True)
    filters = create_model(
        f"{name}Filters",
        __base__=Schema,
        q=(str, ""),
        sort=(str, ""),
        **{query_name(f): (str | None, None) for f in spec.filter_fields},  # type: ignore[call-overload]  # field definitions built from the spec
    )

    @router.get(f"/{path}", response=list[out], operation_id=f"list_{kind}", summary=f"List {path}")  # type: ignore[valid-type]  # the schema class is built at run time from the spec, so mypy cannot use it as a type
    @paginate(Page)
    def list_rows(request: HttpRequest, params: Query[filters]) -> Any:  # type: ignore[valid-type]  # built at run time from the spec
        data = params.dict()  # type: ignore[attr-defined]  # built at run time, its pydantic methods are invisible to mypy
        chosen = {f: data[query_name(f)] for f in spec.filter_fields if data.get(query_name(f)) is not None}
        return selectors.entities_search(actor_of(request), kind, query=data["q"], filters=chosen, sort=data["sort"])

    @router.get(f"/{path}/{{id:pk}}", response=out, operation_id=f"get_{kind}", summary=f"Read one {kind}")
    def get_row(request: HttpRequest, pk: int) -> Any:
        return selectors.entity_get(actor_of(request), kind, pk)

    @router.post(f"/{path}", response={201: out}, operation_id=f"create_{kind}", summary=f"Create a {kind}")
    def create_row(request: HttpRequest, payload: create) -> Any:  # type: ignore[valid-type]  # built at run time from the spec
        values = payload.model_dump(exclude_unset=True)  # type: ignore[attr-defined]  # built at run time
        return Status(201, services.entity_create(actor=actor_of(request), kind=kind, values=values))

    @router.patch(f"/{path}/{{id:pk}}", response=out, operation_id=f"update_{kind}", summary=f"Update a {kind}")
    def update_row(request: HttpRequest, pk: int, payload: patch) -> Any:  # type: ignore[valid-type]  # built at run time from the spec
        values = payload.model_dump(exclude_unset=True)  # type: ignore[attr-defined]  # built at run time
        return services.entity_update(actor=actor_of(request), kind=kind, pk=pk, values=values)

    @router.delete(
        f"/{path}/{{id:pk}}", response={204: None}, operation_id=f"delete_{kind}", summary=f"Delete a {kind}"
    )
    def delete_row(request: HttpRequest, pk: int) -> Any:
        services.entity_delete(actor=actor_of(request), kind=kind, pk=pk)
        return Status(204, None)


for _entity in ENTITIES.values():
    _register(_entity)


@router.get("/reservations", response=list[ReservationOut], operation_id="list_reservations")
@paginate(Page)
def list_reservations(request: HttpRequest, filters: Query[ReservationFilters]) -> Any:
    return selectors.reservations_search(actor_of(request), status=filters.status, day=filters.date, query=filters.q)


@router.post("/reservations", response={201: ReservationOut}, operation_id="create_reservation")
def create_reservation(request: HttpRequest, payload: ReservationIn) -> Any:
    """An enterprise asks for a vehicle's entry on one day; refused with ``papers_expired``,
    ``blacklisted``, ``cargo_not_licensed``, ``crew_mismatch`` or ``already_reserved`` and the reason."""
    return Status(201, services.reservation_create(actor=actor_of(request), values=payload.dict()))


@router.get("/reservations/{id:pk}", response=ReservationOut, operation_id="get_reservation")
def get_reservation(request: HttpRequest, pk: int) -> Any:
    return selectors.reservation_get(actor_of(request), pk)


@router.post("/reservations/{id:pk}/transition", response=ReservationOut, operation_id="transition_reservation")
def transition_reservation(request: HttpRequest, pk: int, payload: TransitionIn) -> Any:
    """approve / refuse (reason) by the bureau, cancel (reason) by the enterprise or the bureau; a
    step the status does not allow answers 409 ``transition_not_allowed`` with ``details.allowed``."""
    return services.reservation_transition(
        actor=actor_of(request), reservation_id=pk, action=payload.action, reason=payload.reason
    )


@router.get("/in-park", response=list[VisitOut], operation_id="vehicles_in_park")
def vehicles_in_park(request: HttpRequest) -> Any:
    """Vehicles inside the park now (entered, not yet out), longest there first."""
    return list(selectors.vehicles_in_park(actor_of(request)))


@router.get("/gate-events", response=list[GateEventOut], operation_id="list_gate_events")
@paginate(Page)
def list_gate_events(request: HttpRequest) -> Any:
    return selectors.gate_events(actor_of(request))


@router.get("/headcounts", response=list[HeadcountOut], operation_id="access_headcounts")
def headcounts(request: HttpRequest) -> Any:
    """People inside each access area now against its limit."""
    return [
        {
            "area": h.area.pk,
            "name": h.area.name,
            "enterprise": h.area.enterprise_id,
            "inside": h.inside,
            "limit": h.area.headcount_limit,
            "over_limit": h.over_limit,
        }
        for h in selectors.headcounts(actor_of(request))
    ]


@router.get("/access-areas/{id:pk}/roster", response=list[RosterOut], operation_id="access_roster")
def roster(request: HttpRequest, pk: int) -> Any:
    """Who is inside the area now: the evacuation roll call."""
    _area, people = selectors.roster(actor_of(request), pk)
    return [
        {
            "worker": p.worker_id,
            "name": p.worker.name,
            "badge": p.worker.badge,
            "post": p.worker.post,
            "entered_at": p.entered_at,
        }
        for p in people
    ]


ingest_router = Router(tags=["ingest"])


@ingest_router.post("/ingest/gate-events", response=GateAnswerOut, operation_id="ingest_gate_event")
def ingest_gate_event(request: HttpRequest, payload: GateEventIn) -> Any:
    """A park gate read a plate (machine token): the answer says allow or deny and why. The same
    read (plate, gate, direction, time) sent again is stored once and answered as the first time."""
    actor = actor_of(request, machines=True)
    photo = None if payload.photo is None else gates.decode_photo(payload.photo)
    outcome = gates.gate_event_ingest(
        actor=actor,
        gate_code=payload.gate,
        plate=payload.plate,
        direction=payload.direction,
        at=payload.time,
        photo=photo,
    )
    event = outcome.event
    return {
        "decision": event.decision,
        "reason": event.reason or None,
        "message": event.message,
        "event": event.pk,
        "duplicate": outcome.duplicate,
        "reservation": event.reservation_id,
        "visit": None if outcome.visit is None else outcome.visit.pk,
    }


@ingest_router.post("/ingest/access-events", response=AccessAnswerOut, operation_id="ingest_access_event")
def ingest_access_event(request: HttpRequest, payload: AccessEventIn) -> Any:
    """A badge read at an enterprise door (machine token of that enterprise): allow or deny and why."""
    outcome = access.access_event_ingest(
        actor=actor_of(request, machines=True),
        gate_code=payload.gate,
        badge=payload.badge,
        direction=payload.direction,
        at=payload.time,
    )
    event = outcome.event
    return {
        "decision": event.decision,
        "reason": event.reason or None,
        "message": event.message,
        "event": event.pk,
        "duplicate": outcome.duplicate,
        "inside": outcome.inside,
    }
