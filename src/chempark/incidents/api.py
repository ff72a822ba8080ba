"""REST endpoints of emergency command: the resources ledger and its reminders, units' live positions,
the road network and routes, incidents (from a call, an alarm or a 事故模拟 run), their zone (also for a
reported release), timeline, decision support, public warnings, dispatch orders, closure and the
investigation record."""

from dataclasses import asdict
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from chempark.core.api import Page, actor_of
from chempark.core.bounds import RowId
from chempark.core.errors import ErrorCode, InvalidInput
from chempark.incidents import (
    decision,
    dispatch_flow,
    dispatch_services,
    ledger_services,
    selectors,
    services,
    warning_services,
    zone,
)
from chempark.incidents.models import Dispatch, Incident, Resource, RoadSegment
from chempark.incidents.schemas import (
    CloseIn,
    DispatchIn,
    DispatchOut,
    EventOut,
    IncidentIn,
    IncidentOut,
    IncidentPatch,
    IncidentWarningIn,
    IncidentWarningOut,
    InvestigationIn,
    InvestigationOut,
    NoteIn,
    PositionIn,
    PositionOut,
    ReleaseIn,
    ResourceIn,
    ResourceOut,
    RoadSegmentIn,
    RoadSegmentOut,
    RouteOut,
    WarningCancelIn,
)
from chempark.incidents.warning_providers import WarningRef

router = Router(tags=["incidents"])


def resource_out(r: Resource) -> dict[str, Any]:
    return {
        **{
            f: getattr(r, f)
            for f in ResourceOut.model_fields
            if f not in ("enterprise", "team", "warehouse", "chemicals", "quantity", "min_stock")
        },
        "enterprise": r.enterprise_id,
        "team": r.team_id,
        "warehouse": r.warehouse_id,
        "chemicals": sorted(c.pk for c in r.chemicals.all()),
        "quantity": None if r.quantity is None else f"{r.quantity.normalize():f}",
        "min_stock": None if r.min_stock is None else f"{r.min_stock.normalize():f}",
    }


def resource_values(payload: ResourceIn) -> tuple[dict[str, Any], list[int] | None]:
    """The fields to write (a PUT replaces the entry) and the expert's chemicals; without an owner
    an entry stays as it is, or is new: the bureau's, or an enterprise user's enterprise's."""
    data = payload.model_dump()
    if data["owner_kind"] is None:
        del data["owner_kind"]
    chemicals = data.pop("chemicals", None)
    return data, chemicals


def incident_out(i: Incident) -> dict[str, Any]:
    return {
        **{
            f: getattr(i, f)
            for f in (
                "id",
                "title",
                "kind",
                "source",
                "status",
                "reported_at",
                "lon",
                "lat",
                "deaths",
                "injured",
                "description",
                "suggested_level",
                "level",
                "closed_at",
                "summary",
            )
        },
        "enterprise": i.enterprise_id,
        "unit": i.unit_id,
        "alarm": i.alarm_id,
        "simulation": i.simulation_id,
        "chemicals": sorted(c.pk for c in i.chemicals.all()),
        "people_in_zone": zone.people_in_zone(i.zone),
    }


def dispatch_out(d: Dispatch) -> dict[str, Any]:
    return {
        "id": d.pk,
        "incident": d.incident_id,
        "resource": d.resource_id,
        "resource_name": d.resource.name,
        "state": d.state,
        "eta_min": d.eta_min,
        "dispatched_at": d.dispatched_at,
        "updated_at": d.updated_at,
        "allowed": [a.value for a in dispatch_flow.allowed_actions(dispatch_flow.State(d.state))],
    }


def segment_out(s: RoadSegment) -> dict[str, Any]:
    return {
        "id": s.pk,
        "name": s.name,
        "a": [s.a.lon, s.a.lat],
        "b": [s.b.lon, s.b.lat],
        "length_m": s.length_m,
        "speed_kmh": s.speed_kmh,
        "blocked": s.blocked,
        "blocked_reason": s.blocked_reason,
    }


class ResourceFilters(Schema):
    kind: str = ""
    q: str = ""


@router.get("/resources", response=list[ResourceOut], operation_id="resource_list")
@paginate(Page)
def resource_list(request: HttpRequest, filters: Query[ResourceFilters]) -> Any:
    return [
        resource_out(r)
        for r in selectors.resources(actor_of(request), kind=filters.kind, q=filters.q).prefetch_related("chemicals")
    ]


@router.post("/resources", response={201: ResourceOut}, operation_id="resource_create")
def resource_create(request: HttpRequest, payload: ResourceIn) -> Any:
    values, chemicals = resource_values(payload)
    return Status(
        201, resource_out(ledger_services.resource_save(actor=actor_of(request), values=values, chemical_ids=chemicals))
    )


@router.get("/resources/{pk}", response=ResourceOut, operation_id="resource_get")
def resource_get(request: HttpRequest, pk: RowId) -> Any:
    return resource_out(selectors.resource_get(actor_of(request), pk))


@router.put("/resources/{pk}", response=ResourceOut, operation_id="resource_update")
def resource_update(request: HttpRequest, pk: RowId, payload: ResourceIn) -> Any:
    values, chemicals = resource_values(payload)
    return resource_out(
        ledger_services.resource_save(actor=actor_of(request), values=values, chemical_ids=chemicals, pk=pk)
    )


@router.delete("/resources/{pk}", response={204: None}, operation_id="resource_delete")
def resource_delete(request: HttpRequest, pk: RowId) -> Any:
    ledger_services.resource_delete(actor=actor_of(request), pk=pk)
    return Status(204, None)


class RemindersOut(Schema):
    low_stock: list[ResourceOut]
    expiring: list[ResourceOut]


@router.put("/resources/{pk}/position", response=PositionOut, operation_id="resource_position")
def resource_position(request: HttpRequest, pk: RowId, payload: PositionIn) -> Any:
    """Where a team or a piece of equipment is now (GPS or radioed in); an older fix than the one kept
    is 409."""
    row = ledger_services.resource_position(actor=actor_of(request), pk=pk, **payload.model_dump())
    return {"resource": row.pk, "lon": row.gps_lon, "lat": row.gps_lat, "at": row.gps_at}


@router.get("/resource-reminders", response=RemindersOut, operation_id="resource_reminders")
def resource_reminders(request: HttpRequest) -> Any:
    actor = actor_of(request)
    return {
        "low_stock": [resource_out(r) for r in selectors.low_stock(actor)],
        "expiring": [resource_out(r) for r in selectors.expiring(actor)],
    }


@router.get("/roads", response=list[RoadSegmentOut], operation_id="road_list")
def road_list(request: HttpRequest) -> Any:
    return [segment_out(s) for s in selectors.road_segments(actor_of(request))]


@router.put("/roads/{pk}", response=RoadSegmentOut, operation_id="road_update")
def road_update(request: HttpRequest, pk: RowId, payload: RoadSegmentIn) -> Any:
    segment = ledger_services.road_segment_update(actor=actor_of(request), pk=pk, **payload.model_dump())
    return segment_out(selectors.road_segment_get(actor_of(request), segment.pk))


QueryLon = Annotated[float, Field(ge=-180, le=180, allow_inf_nan=False)]
QueryLat = Annotated[float, Field(ge=-90, le=90, allow_inf_nan=False)]


class RouteQuery(Schema):
    """Two points as query parameters (text, so numbers are parsed here, within lon/lat range)."""

    from_lon: QueryLon
    from_lat: QueryLat
    to_lon: QueryLon
    to_lat: QueryLat


@router.get("/route", response=RouteOut, operation_id="route")
def route(request: HttpRequest, q: Query[RouteQuery]) -> Any:
    """The fastest open route between two points; 422 ``unreachable`` when no open road joins them."""
    found = selectors.road_network(actor_of(request)).route((q.from_lon, q.from_lat), (q.to_lon, q.to_lat))
    if found is None:
        raise InvalidInput(
            "两点之间没有可通行的道路（路段封闭或不连通）。",
            code=ErrorCode.UNREACHABLE,
            details={"route": ["unreachable"]},
        )
    return {
        "length_m": found.length_m,
        "travel_s": found.travel_s,
        "eta_min": found.eta_min,
        "line": [list(p) for p in found.line],
    }


class IncidentFilters(Schema):
    status: str = ""
    q: str = ""


@router.get("/incidents", response=list[IncidentOut], operation_id="incident_list")
@paginate(Page)
def incident_list(request: HttpRequest, filters: Query[IncidentFilters]) -> Any:
    rows = selectors.incidents(actor_of(request), status=filters.status, q=filters.q).prefetch_related("chemicals")
    return [incident_out(i) for i in rows]


def incident_input(payload: IncidentIn) -> services.IncidentInput:
    data = payload.model_dump()
    return services.IncidentInput(
        title=data["title"],
        kind=data["kind"],
        lon=data["lon"],
        lat=data["lat"],
        enterprise_id=data["enterprise"],
        unit_id=data["unit"],
        chemical_ids=data["chemicals"],
        deaths=data["deaths"],
        injured=data["injured"],
        description=data["description"],
        reporter=data["reporter"],
        reporter_phone=data["reporter_phone"],
    )


@router.post("/incidents", response={201: IncidentOut}, operation_id="incident_create")
def incident_create(request: HttpRequest, payload: IncidentIn) -> Any:
    return Status(201, incident_out(services.incident_create(actor=actor_of(request), data=incident_input(payload))))


@router.post("/alarms/{pk}/incident", response={201: IncidentOut}, operation_id="incident_from_alarm")
def incident_from_alarm(request: HttpRequest, pk: RowId) -> Any:
    """The incident of an alarm: made at the first call, the same open incident at the next."""
    return Status(201, incident_out(services.incident_from_alarm(actor=actor_of(request), alarm_id=pk)))


@router.post("/simulations/{pk}/incident", response={201: IncidentOut}, operation_id="incident_from_simulation")
def incident_from_simulation(request: HttpRequest, pk: RowId) -> Any:
    return Status(201, incident_out(services.incident_from_simulation(actor=actor_of(request), run_id=pk)))


@router.get("/incidents/{pk}", response=IncidentOut, operation_id="incident_get")
def incident_get(request: HttpRequest, pk: RowId) -> Any:
    return incident_out(selectors.incident_get(actor_of(request), pk))


@router.patch("/incidents/{pk}", response=IncidentOut, operation_id="incident_update")
def incident_update(request: HttpRequest, pk: RowId, payload: IncidentPatch) -> Any:
    return incident_out(services.incident_update(actor=actor_of(request), pk=pk, **payload.model_dump()))


@router.post("/incidents/{pk}/zone", response=IncidentOut, operation_id="incident_zone_refresh")
def incident_zone_refresh(request: HttpRequest, pk: RowId) -> Any:
    """The threat zone computed again with the park's wind now."""
    return incident_out(services.incident_zone_refresh(actor=actor_of(request), pk=pk))


@router.post("/incidents/{pk}/zone/release", response=IncidentOut, operation_id="incident_zone_release")
def incident_zone_release(request: HttpRequest, pk: RowId, payload: ReleaseIn) -> Any:
    """The threat zone computed for the release the scene reports (rate and quantity) instead of the
    1 kg/s screening release; later recomputations keep it."""
    release = payload.model_dump()
    return incident_out(services.incident_zone_refresh(actor=actor_of(request), pk=pk, release=release))


@router.get("/incidents/{pk}/timeline", response=list[EventOut], operation_id="incident_timeline")
def incident_timeline(request: HttpRequest, pk: RowId) -> Any:
    return list(selectors.incident_get(actor_of(request), pk).events.all())


@router.post("/incidents/{pk}/notes", response={201: EventOut}, operation_id="incident_note")
def incident_note(request: HttpRequest, pk: RowId, payload: NoteIn) -> Any:
    return Status(201, services.incident_note(actor=actor_of(request), pk=pk, text=payload.text))


@router.post("/incidents/{pk}/close", response=IncidentOut, operation_id="incident_close")
def incident_close(request: HttpRequest, pk: RowId, payload: CloseIn) -> Any:
    return incident_out(services.incident_close(actor=actor_of(request), pk=pk, summary=payload.summary))


class RankedOut(Schema):
    resource: int
    name: str
    kind: str
    eta_min: float | None
    length_m: float | None


class DecisionOut(Schema):
    units: list[RankedOut]
    experts: list[int]
    shelters: list[RankedOut]
    people_to_evacuate: int
    shelter_capacity: int
    zones: list[dict[str, Any]]
    # what the zone was computed for, and the source term of a reported release (inputs as used,
    # airborne rate, duration, outflow, flash fraction, the model's notes and dispersion choice)
    release: str = ""
    source_term: dict[str, Any] | None = None
    assembly: dict[str, Any] | None
    plans: list[dict[str, str]]


def _ranked(resource: Resource, found: Any) -> dict[str, Any]:
    return {
        "resource": resource.pk,
        "name": resource.name,
        "kind": resource.kind,
        "eta_min": round(found.eta_min, 1) if found else None,
        "length_m": round(found.length_m) if found else None,
    }


@router.get("/incidents/{pk}/decision", response=DecisionOut, operation_id="incident_decision")
def incident_decision(request: HttpRequest, pk: RowId) -> Any:
    """Decision support: ranked units with ETA, experts, shelters, zones, the assembly point, plans."""
    actor = actor_of(request)
    incident = selectors.incident_get(actor, pk)
    panel = decision.panel(actor, incident)
    return {
        "units": [_ranked(u.resource, u.route) for u in panel.units],
        "experts": [e.pk for e in panel.experts],
        "shelters": [_ranked(s["resource"], s["route"]) for s in panel.shelters],
        "people_to_evacuate": panel.people_to_evacuate,
        "shelter_capacity": panel.shelter_capacity,
        "zones": incident.zone.get("zones", []),
        "release": incident.zone.get("release", ""),
        "source_term": incident.zone.get("source_term"),
        "assembly": panel.assembly,
        "plans": [{"title": p.title, "url": p.url, "reason": p.reason} for p in panel.plans],
    }


@router.get("/incidents/{pk}/dispatches", response=list[DispatchOut], operation_id="dispatch_list")
def dispatch_list(request: HttpRequest, pk: RowId) -> Any:
    return [dispatch_out(d) for d in selectors.dispatches(actor_of(request), pk)]


@router.post("/incidents/{pk}/dispatches", response={201: DispatchOut}, operation_id="dispatch_create")
def dispatch_create(request: HttpRequest, pk: RowId, payload: DispatchIn) -> Any:
    order = dispatch_services.dispatch_create(
        actor=actor_of(request), incident_id=pk, resource_id=payload.resource, note=payload.note
    )
    return Status(201, dispatch_out(order))


@router.post("/dispatches/{pk}/{action}", response=DispatchOut, operation_id="dispatch_transition")
def dispatch_transition(request: HttpRequest, pk: RowId, action: str) -> Any:
    """Move an order on (depart, arrive, release, stand_down, cancel); any other move is a 409 that
    lists the allowed ones."""
    return dispatch_out(dispatch_services.dispatch_transition(actor=actor_of(request), pk=pk, action=action))


@router.put("/incidents/{pk}/investigation", response=InvestigationOut, operation_id="investigation_save")
def investigation_save(request: HttpRequest, pk: RowId, payload: InvestigationIn) -> Any:
    return services.investigation_save(actor=actor_of(request), incident_id=pk, **payload.model_dump())


def warning_out(ref: WarningRef) -> dict[str, Any]:
    return {**asdict(ref), "actions": list(ref.actions)}


@router.get("/incidents/{pk}/warnings", response=list[IncidentWarningOut], operation_id="incident_warning_list")
def incident_warning_list(request: HttpRequest, pk: RowId) -> Any:
    """The incident's public warnings (from the installed warning module), newest first."""
    actor = actor_of(request)
    selectors.incident_get(actor, pk)
    return [warning_out(w) for w in selectors.incident_warnings(actor, pk)]


@router.post("/incidents/{pk}/warnings", response={201: IncidentWarningOut}, operation_id="incident_warning_issue")
def incident_warning_issue(request: HttpRequest, pk: RowId, payload: IncidentWarningIn) -> Any:
    """Warn the public about the incident's threat zone (published as CAP 1.2, or a draft)."""
    ref = warning_services.incident_warning_issue(actor=actor_of(request), pk=pk, data=payload)
    return Status(201, warning_out(ref))


@router.post(
    "/incidents/{pk}/warnings/{warning_id}/publish",
    response=IncidentWarningOut,
    operation_id="incident_warning_publish",
)
def incident_warning_publish(request: HttpRequest, pk: RowId, warning_id: RowId) -> Any:
    ref = warning_services.incident_warning_publish(actor=actor_of(request), pk=pk, warning_id=warning_id)
    return warning_out(ref)


@router.post(
    "/incidents/{pk}/warnings/{warning_id}/update", response=IncidentWarningOut, operation_id="incident_warning_update"
)
def incident_warning_update(request: HttpRequest, pk: RowId, warning_id: RowId, payload: IncidentWarningIn) -> Any:
    """A CAP Update of the warning for the incident's zone as computed now."""
    ref = warning_services.incident_warning_update(actor=actor_of(request), pk=pk, warning_id=warning_id, data=payload)
    return warning_out(ref)


@router.post(
    "/incidents/{pk}/warnings/{warning_id}/cancel", response=IncidentWarningOut, operation_id="incident_warning_cancel"
)
def incident_warning_cancel(request: HttpRequest, pk: RowId, warning_id: RowId, payload: WarningCancelIn) -> Any:
    ref = warning_services.incident_warning_cancel(
        actor=actor_of(request), pk=pk, warning_id=warning_id, note=payload.note
    )
    return warning_out(ref)
