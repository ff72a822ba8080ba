"""Reads of the vehicles module, scoped in one place.

The transport registry and the gates are park-wide: every role with ``vehicle.read`` sees them (an
enterprise names the vehicle and crew it expects). Reservations belong to their destination
enterprise; access areas, doors, people and rosters to theirs (``core.selectors.visible_to``).
Vehicles in the park are shown to the bureau in full and to an enterprise only when bound for it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from chempark.core.actors import Actor
from chempark.core.selectors import one_visible, visible_to
from chempark.park.models import Chemical
from chempark.park.selectors import registry_visible, spec_search
from chempark.tracking.models import Fence, FenceKind
from chempark.vehicles.models import (
    BlacklistEntry,
    CrewMember,
    EnterpriseArea,
    GateEvent,
    Presence,
    Reservation,
    Vehicle,
    Visit,
    Worker,
)
from chempark.vehicles.registry import entity_for


def entities_visible(actor: Actor, kind: str) -> QuerySet[Any]:
    entity = entity_for(kind)
    actor.require(entity.read_capability)
    spec = entity.spec
    queryset: QuerySet[Any] = spec.model._default_manager.all()
    if spec.select_related:
        queryset = queryset.select_related(*spec.select_related)
    if spec.enterprise_path is not None:
        queryset = visible_to(actor, queryset, spec.enterprise_path)
    return queryset


def entity_get(actor: Actor, kind: str, pk: int, *, for_update: bool = False) -> Any:
    return one_visible(entities_visible(actor, kind), pk, str(entity_for(kind).spec.label), for_update=for_update)


def entities_search(
    actor: Actor, kind: str, *, query: str = "", filters: Mapping[str, str] | None = None, sort: str = ""
) -> QuerySet[Any]:
    return spec_search(entity_for(kind).spec, entities_visible(actor, kind), query=query, filters=filters, sort=sort)


def bans_in_force(day: dt.date) -> QuerySet[BlacklistEntry]:
    """Blacklist entries in force on ``day`` (the platform's own check; not a user's list)."""
    return BlacklistEntry.objects.filter(Q(expires_on__isnull=True) | Q(expires_on__gte=day), starts_on__lte=day)


def reservations_visible(actor: Actor) -> QuerySet[Reservation]:
    actor.require("vehicle.read")
    queryset = Reservation.objects.select_related(
        "enterprise", "vehicle__carrier", "driver", "escort", "chemical"
    ).prefetch_related("routes")
    return visible_to(actor, queryset)


def reservation_get(actor: Actor, pk: int, *, for_update: bool = False) -> Reservation:
    return one_visible(reservations_visible(actor), pk, "预约", for_update=for_update)


def reservations_search(
    actor: Actor, *, status: str = "", day: dt.date | None = None, query: str = ""
) -> QuerySet[Reservation]:
    queryset = reservations_visible(actor)
    if status:
        queryset = queryset.filter(status=status)
    if day is not None:
        queryset = queryset.filter(date=day)
    if query.strip():
        text = query.strip()
        queryset = queryset.filter(
            Q(vehicle__plate__icontains=text)
            | Q(enterprise__name__icontains=text)
            | Q(chemical__name_zh__icontains=text)
        )
    return queryset.order_by("-date", "-id")


def reservation_form_choices(actor: Actor) -> dict[str, Any]:
    """What the request form offers: vehicles and crew of the registry, the chemicals an enterprise
    user's enterprise holds (the cargo it may receive), and for the bureau the enterprises."""
    actor.require("reservation.request")
    chemicals: QuerySet[Chemical] = Chemical.objects.order_by("name_zh")
    if actor.is_enterprise_scoped:
        chemicals = chemicals.filter(pk__in=registry_visible(actor, "inventory").values("chemical_id"))
    crew = CrewMember.objects.select_related("carrier").order_by("name")
    return {
        "vehicles": Vehicle.objects.select_related("carrier").order_by("plate"),
        "drivers": crew.filter(duty="driver"),
        "escorts": crew.filter(duty="escort"),
        "chemicals": chemicals,
        "enterprises": registry_visible(actor, "enterprise").order_by("name"),
        "routes": Fence.objects.filter(kind=FenceKind.CORRIDOR).order_by("name"),
    }


def _visits_of(actor: Actor) -> QuerySet[Visit]:
    actor.require("vehicle.read")
    queryset = Visit.objects.select_related(
        "vehicle__carrier", "reservation__enterprise", "reservation__chemical", "entry__gate"
    )
    return visible_to(actor, queryset, "reservation__enterprise_id")


def vehicles_in_park(actor: Actor) -> QuerySet[Visit]:
    """The open visits: vehicles inside the park now, longest there first."""
    return _visits_of(actor).filter(exited_at__isnull=True).order_by("entered_at", "id")


def gate_events(actor: Actor, *, gate: int | None = None, decision: str = "") -> QuerySet[GateEvent]:
    """Passages at the gates, newest first; an enterprise sees those of vehicles bound for it."""
    actor.require("vehicle.read")
    queryset = GateEvent.objects.select_related("gate", "vehicle").defer("photo")
    queryset = visible_to(actor, queryset, "reservation__enterprise_id")
    if gate is not None:
        queryset = queryset.filter(gate_id=gate)
    if decision:
        queryset = queryset.filter(decision=decision)
    return queryset.order_by("-at", "-id")


@dataclass(frozen=True)
class Headcount:
    area: EnterpriseArea
    inside: int

    @property
    def over_limit(self) -> bool:
        return self.area.headcount_limit is not None and self.inside > self.area.headcount_limit


def headcounts(actor: Actor) -> list[Headcount]:
    """Every visible access area with the number of people inside now."""
    areas = entities_visible(actor, "accessarea").annotate(
        inside=Count("presences", filter=Q(presences__exited_at__isnull=True))
    )
    return [Headcount(area, area.inside) for area in areas.order_by("enterprise__name", "name")]


def roster(actor: Actor, area_id: int) -> tuple[EnterpriseArea, QuerySet[Presence]]:
    """Who is inside the area now (evacuation roll call), by name."""
    area: EnterpriseArea = entity_get(actor, "accessarea", area_id)
    people = Presence.objects.select_related("worker").filter(area=area, exited_at__isnull=True)
    return area, people.order_by("worker__name", "worker_id")


def worker_by_badge(enterprise_id: int, badge: str) -> Worker | None:
    return Worker.objects.filter(enterprise_id=enterprise_id, badge=badge).first()
