"""Reads of the emergency command module, scoped in one place: an enterprise user sees its own
enterprise's resources and incidents (bureau resources and others' incidents are "not found");
the road network is the park's, read by everyone who reads resources."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from chempark.accounts.models import User
from chempark.core.actor_names import actor_label
from chempark.core.actors import Actor
from chempark.core.selectors import one_visible, visible_to
from chempark.incidents import warning_providers
from chempark.incidents.dispatch_flow import ACTIVE
from chempark.incidents.models import Dispatch, Incident, Resource, ResourceKind, RoadNode, RoadSegment
from chempark.incidents.roads import Node, RoadNetwork, Segment
from chempark.incidents.warning_providers import WarningRef
from chempark.park.models import Chemical
from chempark.park.selectors import registry_visible

EXPIRY_WARNING_DAYS = 30
"""Supplies expiring within this many days are listed as expiring soon."""


@dataclass(frozen=True)
class TimelineLine:
    at: dt.datetime
    actor: str
    text: str


def timeline(incident: Incident) -> list[TimelineLine]:
    """The incident's timeline with who acted named as the pages name them — 「系统」, a person's
    name: the rows store the username, and 「system」 or 「dispatcher」 read as English on the page
    and in the closing report."""
    events = list(incident.events.all())
    names = dict(User.objects.filter(username__in={e.actor for e in events}).values_list("username", "first_name"))
    return [TimelineLine(e.at, actor_label(e.actor, names.get(e.actor, "")), e.text) for e in events]


def resources(actor: Actor, *, kind: str = "", q: str = "") -> QuerySet[Resource]:
    actor.require("resource.read")
    rows = visible_to(actor, Resource.objects.select_related("enterprise", "team", "warehouse"), "enterprise_id")
    if kind:
        rows = rows.filter(kind=kind)
    if q.strip():
        rows = rows.filter(Q(name__icontains=q.strip()) | Q(specialty__icontains=q.strip()))
    return rows


def resource_get(actor: Actor, pk: int, *, for_update: bool = False) -> Resource:
    return one_visible(resources(actor), pk, "应急资源", for_update=for_update)


def chemicals(actor: Actor) -> QuerySet[Chemical]:
    return registry_visible(actor, "chemical")


def busy_resource_ids(ids: Iterable[int] | None = None) -> set[int]:
    """Resources with an active dispatch order (dispatched, en route, on scene, returning)."""
    rows = Dispatch.objects.filter(state__in=[s.value for s in ACTIVE])
    if ids is not None:
        rows = rows.filter(resource_id__in=list(ids))
    return set(rows.values_list("resource_id", flat=True))


def low_stock(actor: Actor) -> QuerySet[Resource]:
    """Supplies at or below their minimum stock."""
    return resources(actor, kind=ResourceKind.SUPPLY).filter(
        min_stock__isnull=False, quantity__isnull=False, quantity__lte=F("min_stock")
    )


def expiring(actor: Actor, *, today: dt.date | None = None) -> QuerySet[Resource]:
    """Supplies already expired or expiring within :data:`EXPIRY_WARNING_DAYS`, soonest first."""
    day = today or timezone.localdate()
    limit = day + dt.timedelta(days=EXPIRY_WARNING_DAYS)
    return resources(actor).filter(expires_on__isnull=False, expires_on__lte=limit).order_by("expires_on")


def road_segments(actor: Actor) -> QuerySet[RoadSegment]:
    actor.require("resource.read")
    return RoadSegment.objects.select_related("a", "b")


def road_segment_get(actor: Actor, pk: int, *, for_update: bool = False) -> RoadSegment:
    return one_visible(road_segments(actor), pk, "路段", for_update=for_update)


def road_parts(actor: Actor) -> tuple[list[Node], list[Segment]]:
    actor.require("resource.read")
    nodes = [Node(n.pk, n.lon, n.lat) for n in RoadNode.objects.all()]
    segments = [
        Segment(s.pk, s.a_id, s.b_id, s.length_m, s.speed_kmh, s.blocked)
        for s in RoadSegment.objects.only("a_id", "b_id", "length_m", "speed_kmh", "blocked")
    ]
    return nodes, segments


def road_network(actor: Actor, extra_blocked: Iterable[int] = ()) -> RoadNetwork:
    nodes, segments = road_parts(actor)
    return RoadNetwork(nodes, segments, extra_blocked)


def incidents(actor: Actor, *, status: str = "", q: str = "") -> QuerySet[Incident]:
    actor.require("incident.read")
    rows = visible_to(actor, Incident.objects.select_related("enterprise", "unit"), "enterprise_id")
    if status:
        rows = rows.filter(status=status)
    if q.strip():
        rows = rows.filter(Q(title__icontains=q.strip()) | Q(description__icontains=q.strip()))
    return rows


def incident_get(actor: Actor, pk: int, *, for_update: bool = False) -> Incident:
    return one_visible(incidents(actor), pk, "事件", for_update=for_update)


def incidents_of_alarm(actor: Actor, alarm_id: int) -> QuerySet[Incident]:
    """The incidents made from an alarm (the alarm page links to them)."""
    return incidents(actor).filter(alarm_id=alarm_id)


def dispatches(actor: Actor, incident_id: int) -> QuerySet[Dispatch]:
    incident = incident_get(actor, incident_id)
    return Dispatch.objects.filter(incident=incident).select_related("resource")


def dispatch_get(actor: Actor, pk: int, *, for_update: bool = False) -> Dispatch:
    actor.require("incident.read")
    rows = visible_to(actor, Dispatch.objects.select_related("resource", "incident"), "incident__enterprise_id")
    return one_visible(rows, pk, "调派指令", for_update=for_update)


def incident_warnings(actor: Actor, incident_id: int) -> list[WarningRef]:
    """The public warnings of the incident from the installed warning module (none without one)."""
    provider = warning_providers.provider()
    return [] if provider is None else provider.for_incident(actor, incident_id)
