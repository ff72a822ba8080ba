"""Writes of the resources ledger (应急资源台账) and the road network.

An enterprise user keeps only its own enterprise's resources: the scope is checked after the new
values are assigned, so a row cannot be moved into another enterprise. Every write validates the
row (422 per field), saves it and appends its audit row in one transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.forms.models import model_to_dict
from django.utils import timezone

from chempark.accounts import audit
from chempark.accounts.models import AuditAction
from chempark.core.actors import Actor
from chempark.core.errors import Conflict, ErrorCode, Forbidden, InvalidInput
from chempark.core.model_writes import assign_fields, delete_model, save_model, validate_model
from chempark.incidents import selectors
from chempark.incidents.models import DISPATCHABLE, OwnerKind, Resource, ResourceKind, RoadNode, RoadSegment
from chempark.incidents.roads import RoadLine, split_roads

RESOURCE_FIELDS = (
    "kind",
    "name",
    "owner_kind",
    "enterprise",
    "team",
    "warehouse",
    "lon",
    "lat",
    "availability",
    "contact",
    "phone",
    "members",
    "specialty",
    "equipment_type",
    "last_inspected_on",
    "quantity",
    "min_stock",
    "unit_of_measure",
    "expires_on",
    "capacity",
    "signage",
    "notes",
)


def _snapshot(resource: Resource) -> dict[str, Any]:
    data = model_to_dict(resource, fields=[*RESOURCE_FIELDS])
    data["chemicals"] = sorted(c.pk for c in resource.chemicals.all()) if resource.pk else []
    return {
        k: (str(v) if v is not None and not isinstance(v, int | float | bool | list | str) else v)
        for k, v in data.items()
    }


def _check_links(actor: Actor, resource: Resource) -> None:
    """The owner, team and warehouse must fit the entry: an enterprise user's entries are its own, a
    team is a team and a warehouse a warehouse, each as the actor sees them."""
    if actor.is_enterprise_scoped and (
        resource.enterprise_id != actor.enterprise_id or resource.owner_kind != OwnerKind.ENTERPRISE
    ):
        raise Forbidden("企业用户只能维护本企业的应急资源。", code=ErrorCode.OTHER_ENTERPRISE)
    if resource.owner_kind == OwnerKind.ENTERPRISE and resource.enterprise_id is None:
        raise InvalidInput("归属为企业时须选择所属企业。", details={"enterprise": ["required"]})
    for field, kind, label in (
        ("team", ResourceKind.TEAM, "所属队伍"),
        ("warehouse", ResourceKind.WAREHOUSE, "存放仓库"),
    ):
        linked = getattr(resource, f"{field}_id")
        if linked is not None and not selectors.resources(actor).filter(pk=linked, kind=kind).exists():
            raise InvalidInput(f"{label}不存在或类别不符。", details={field: ["invalid"]})


def resource_save(
    *, actor: Actor, values: dict[str, Any], chemical_ids: Sequence[int] | None = None, pk: int | None = None
) -> Resource:
    """Create (``pk`` None) or change an entry of the ledger; ``chemical_ids`` are an expert's chemicals."""
    actor.require("resource.write")
    with transaction.atomic():
        if pk is None:
            resource, before = Resource(), None
            if actor.is_enterprise_scoped:
                resource.owner_kind, resource.enterprise_id = OwnerKind.ENTERPRISE, actor.enterprise_id
        else:
            resource = selectors.resource_get(actor, pk, for_update=True)
            before = _snapshot(resource)
        assign_fields(resource, RESOURCE_FIELDS, values)
        if actor.is_enterprise_scoped and resource.enterprise_id is None:
            resource.enterprise_id = actor.enterprise_id  # an enterprise user's entry is its own by default
        if resource.owner_kind == OwnerKind.BUREAU:
            resource.enterprise_id = None
        _check_links(actor, resource)
        validate_model(resource)
        save_model(resource, conflict_message="同类资源中已有同名条目")
        if chemical_ids is not None:
            known = selectors.chemicals(actor).filter(pk__in=chemical_ids)
            if known.count() != len(set(chemical_ids)):
                raise InvalidInput("熟悉的化学品中有目录里没有的条目。", details={"chemicals": ["unknown"]})
            resource.chemicals.set(known)
        audit.record(
            actor=actor,
            action=AuditAction.CREATE if before is None else AuditAction.UPDATE,
            object_type="resource",
            object_id=resource.pk,
            before=before,
            after=_snapshot(resource),
            enterprise_id=resource.enterprise_id,
        )
    return resource


def resource_delete(*, actor: Actor, pk: int) -> None:
    actor.require("resource.write")
    with transaction.atomic():
        resource = selectors.resource_get(actor, pk, for_update=True)
        _check_links(actor, resource)
        before = _snapshot(resource)
        delete_model(resource, in_use_message=f"资源“{resource.name}”仍有调派记录或下属装备、物资，不能删除。")
        audit.record(
            actor=actor,
            action=AuditAction.DELETE,
            object_type="resource",
            object_id=pk,
            before=before,
            enterprise_id=before.get("enterprise"),
        )


def road_segment_update(
    *, actor: Actor, pk: int, speed_kmh: float, blocked: bool, blocked_reason: str = ""
) -> RoadSegment:
    """Change a segment's speed or block/open it; a block needs its reason (who is told why a route
    goes round)."""
    actor.require("road.write")
    if blocked and not blocked_reason.strip():
        raise InvalidInput(
            "封闭路段须填写封闭原因。", code=ErrorCode.REASON_REQUIRED, details={"blocked_reason": ["required"]}
        )
    with transaction.atomic():
        segment = selectors.road_segment_get(actor, pk, for_update=True)
        before = {"speed_kmh": segment.speed_kmh, "blocked": segment.blocked, "blocked_reason": segment.blocked_reason}
        segment.speed_kmh, segment.blocked = speed_kmh, blocked
        segment.blocked_reason = blocked_reason.strip() if blocked else ""
        validate_model(segment)
        if speed_kmh <= 0:
            raise InvalidInput("通行速度须大于 0。", details={"speed_kmh": ["must be > 0"]})
        save_model(segment)
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            object_type="road_segment",
            object_id=pk,
            before=before,
            after={"speed_kmh": speed_kmh, "blocked": blocked, "blocked_reason": segment.blocked_reason},
            object_label=str(segment),
        )
    return segment


def road_network_replace(*, actor: Actor, roads: Sequence[RoadLine]) -> int:
    """Rebuild the network from road lines (cut at crossings and every 400 m); returns the number of
    segments. Used to load a park's roads; it replaces every segment, blocks included."""
    actor.require("road.write")
    planned = split_roads(roads)
    with transaction.atomic():
        RoadSegment.objects.all().delete()
        RoadNode.objects.all().delete()
        nodes: dict[tuple[float, float], RoadNode] = {}
        for piece in planned:
            for end in (piece.a, piece.b):
                if end not in nodes:
                    nodes[end] = RoadNode.objects.create(lon=end[0], lat=end[1])
        RoadSegment.objects.bulk_create(
            RoadSegment(name=p.name, a=nodes[p.a], b=nodes[p.b], length_m=round(p.length_m, 1), speed_kmh=p.speed_kmh)
            for p in planned
        )
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            object_type="road_network",
            after={"roads": [r.name for r in roads], "segments": len(planned), "nodes": len(nodes)},
            object_label="道路网络",
        )
    return len(planned)


POSITION_AHEAD = dt.timedelta(minutes=1)
"""Clock skew tolerated for a position's time (a tracker's clock runs a little ahead)."""


def resource_position(*, actor: Actor, pk: int, lon: float, lat: float, at: dt.datetime | None = None) -> Resource:
    """Where a team or a piece of equipment is now (its GPS, or a position radioed in), at ``at``
    (default now). Kept beside its base in the ledger; the decision panel ranks it and the dispatch
    ETA counts from here while the fix is fresh. A fix older than the one kept is refused (409), so
    messages arriving out of order never move a unit back. Positions are telemetry, many an hour:
    they are not audited, the unit's ledger entry is."""
    if not (actor.can("resource.write") or actor.can("incident.command")):
        actor.require("resource.write")
    now = timezone.now()
    at = now if at is None else (timezone.make_aware(at) if timezone.is_naive(at) else at)
    if at > now + POSITION_AHEAD:
        raise InvalidInput("定位时间不能晚于现在。", code=ErrorCode.DATES_OUT_OF_ORDER, details={"at": ["future"]})
    with transaction.atomic():
        resource = selectors.resource_get(actor, pk, for_update=True)
        if resource.kind not in DISPATCHABLE:
            raise InvalidInput("只有救援队伍和应急装备有实时位置。", details={"resource": ["not dispatchable"]})
        if resource.gps_at is not None and at < resource.gps_at:
            raise Conflict(
                "已记录更新的位置，该定位时间较早，未采用。",
                code=ErrorCode.CONFLICT,
                details={"at": resource.gps_at.isoformat()},
            )
        resource.gps_lon, resource.gps_lat, resource.gps_at = float(lon), float(lat), at
        resource.save(update_fields=["gps_lon", "gps_lat", "gps_at"])
    return resource
