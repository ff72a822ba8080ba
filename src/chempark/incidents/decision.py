"""The decision support panel of an incident (辅助决策): available teams and equipment ranked by road
travel time with their ETA, the experts who know its chemicals, the chemicals' cards, the threat
zone with the targets and people inside, the nearest shelters against the people to evacuate,
evacuation routes that avoid the zone, the upwind assembly point and the matching plans.

Evacuation works on the network without the nodes inside the innermost (AEGL-3) zone and without
every segment crossing it: people leave the red zone by the nearest road outside it, then drive on
roads that do not cross it, to shelters outside the evacuation (AEGL-2) zone.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from shapely.geometry import Point, shape

from chempark.core.actors import Actor
from chempark.incidents import chemical_card, plan_providers, selectors, zone
from chempark.incidents.models import DISPATCHABLE, Availability, Incident, Resource, ResourceKind
from chempark.incidents.roads import Node, RoadNetwork, Route, segments_inside

UPWIND_M = 500.0
"""Distance of the assembly point upwind of the source: outside the near field of a release, close
enough to command from."""
M_PER_DEG_LAT = 111_320.0
MAX_RANKED = 10
MAX_ROUTES = 5


@dataclass
class RankedUnit:
    resource: Resource
    route: Route | None


@dataclass
class Panel:
    units: list[RankedUnit] = field(default_factory=list)
    experts: list[Resource] = field(default_factory=list)
    cards: list[chemical_card.Card] = field(default_factory=list)
    shelters: list[dict[str, Any]] = field(default_factory=list)
    people_to_evacuate: int = 0
    shelter_capacity: int = 0
    evacuation_routes: list[dict[str, Any]] = field(default_factory=list)
    assembly: dict[str, Any] | None = None
    plans: list[plan_providers.PlanMatch] = field(default_factory=list)
    plans_available: bool = False


def _located(rows: Any) -> list[tuple[Resource, tuple[float, float]]]:
    """The rows that have a position, each with it."""
    return [(r, (r.lon, r.lat)) for r in rows if r.lon is not None and r.lat is not None]


def _evacuation_network(actor: Actor, red: dict[str, Any] | None) -> RoadNetwork:
    nodes, segments = selectors.road_parts(actor)
    if red is None:
        return RoadNetwork(nodes, segments)
    area = shape(red)
    outside = [n for n in nodes if not area.contains(Point(n.lon, n.lat))]
    return RoadNetwork(outside, segments, segments_inside(nodes, segments, red))


def upwind_point(lon: float, lat: float, wind_from_deg: float, distance_m: float = UPWIND_M) -> tuple[float, float]:
    """The point ``distance_m`` towards where the wind comes from."""
    bearing = math.radians(wind_from_deg)
    dlat = distance_m * math.cos(bearing) / M_PER_DEG_LAT
    dlon = distance_m * math.sin(bearing) / (M_PER_DEG_LAT * math.cos(math.radians(lat)))
    return round(lon + dlon, 6), round(lat + dlat, 6)


def _units(actor: Actor, incident: Incident, network: RoadNetwork) -> list[RankedUnit]:
    """Available units by road time from where they are: a fresh GPS position, else their base."""
    busy = selectors.busy_resource_ids()
    now = timezone.now()
    rows = selectors.resources(actor).filter(kind__in=DISPATCHABLE, availability=Availability.AVAILABLE)
    candidates = [(r, where) for r in rows if r.pk not in busy and (where := r.position(now)) is not None]
    ranked = network.rank((incident.lon, incident.lat), candidates)
    return [RankedUnit(r.key, r.route) for r in ranked[:MAX_RANKED]]


def _shelters(
    actor: Actor, incident: Incident, panel: Panel, evacuation: RoadNetwork, outer: dict[str, Any] | None
) -> None:
    area = shape(outer) if outer is not None else None
    open_shelters = selectors.resources(actor, kind=ResourceKind.SHELTER).filter(availability=Availability.AVAILABLE)
    shelters = [item for item in _located(open_shelters) if area is None or not area.contains(Point(*item[1]))]
    ranked = evacuation.rank((incident.lon, incident.lat), shelters)
    room = 0
    for item in ranked[:MAX_RANKED]:
        room += item.key.capacity or 0
        panel.shelters.append({"resource": item.key, "route": item.route, "capacity_so_far": room})
    panel.shelter_capacity = sum(s.capacity or 0 for s, _ in shelters)
    people = sorted(incident.zone.get("affected", []), key=lambda t: -int(t.get("people_affected", 0)))
    for target in people[:MAX_ROUTES]:
        best = next((r for r in evacuation.rank((target["lon"], target["lat"]), shelters) if r.route), None)
        panel.evacuation_routes.append(
            {
                "name": target["name"],
                "people": target.get("people_affected", 0),
                "shelter": best.key if best else None,
                "route": best.route if best else None,
            }
        )


def panel(actor: Actor, incident: Incident) -> Panel:
    result = Panel()
    network = selectors.road_network(actor)
    result.units = _units(actor, incident, network)
    chemicals = list(incident.chemicals.all())
    result.experts = list(
        selectors.resources(actor, kind=ResourceKind.EXPERT).filter(chemicals__in=chemicals).distinct()
    )
    result.cards = [chemical_card.card(c.name_zh, c.ghs_categories) for c in chemicals]
    record = incident.zone
    red = zone.zone_polygon(record, 0)
    outer = zone.zone_polygon(record, zone.EVACUATION_ZONE)
    result.people_to_evacuate = zone.people_in_zone(record)
    evacuation = _evacuation_network(actor, red)
    _shelters(actor, incident, result, evacuation, outer)
    if "wind_from_deg" in record:
        lon, lat = upwind_point(incident.lon, incident.lat, float(record["wind_from_deg"]))
        near = evacuation.nearest(lon, lat)
        node: Node | None = near[0] if near else None
        result.assembly = {"lon": lon, "lat": lat, "road": (node.lon, node.lat) if node else None}
    facts = plan_providers.IncidentFacts(incident.enterprise_id, tuple(c.cas or "" for c in chemicals), incident.kind)
    result.plans_available = bool(plan_providers.providers())
    result.plans = plan_providers.matching_plans(actor, facts)
    return result


def route_geojson(route: Route, **properties: Any) -> dict[str, Any]:
    return {
        "type": "Feature",
        "geometry": {"type": "LineString", "coordinates": [list(p) for p in route.line]},
        "properties": properties,
    }
