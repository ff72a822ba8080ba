"""Dispatch orders (调派): sending a team or a piece of equipment to an incident with its road ETA,
and moving the order through its states (:mod:`chempark.incidents.dispatch_flow`). Each write locks
the incident and the unit, and writes the order, a timeline line and the audit row in one transaction.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from chempark.accounts.models import AuditAction
from chempark.core.actors import Actor
from chempark.core.errors import Conflict, ErrorCode, InvalidInput
from chempark.incidents import dispatch_flow, selectors
from chempark.incidents.models import DISPATCHABLE, Availability, Dispatch, Incident
from chempark.incidents.services import audit_incident, log_event, open_incident


def _eta_min(actor: Actor, resource: Any, incident: Incident) -> float | None:
    """Road travel time from where the unit is (a fresh GPS fix, else its base) to the scene, in
    minutes (None: not located or unreachable)."""
    where = resource.position(timezone.now())
    if where is None:
        return None
    found = selectors.road_network(actor).route(where, (incident.lon, incident.lat))
    return round(found.eta_min, 1) if found else None


def dispatch_create(*, actor: Actor, incident_id: int, resource_id: int, note: str = "") -> Dispatch:
    """Send a team or a piece of equipment, with its road ETA; refused (409) when it is out of
    service or still on another order, naming that order."""
    with transaction.atomic():
        incident = open_incident(actor, incident_id)
        resource = selectors.resource_get(actor, resource_id, for_update=True)
        if resource.kind not in DISPATCHABLE:
            raise InvalidInput(
                f"“{resource.name}”是{resource.get_kind_display()}，只能调派救援队伍和应急装备。",
                details={"resource": ["not dispatchable"]},
            )
        if resource.availability != Availability.AVAILABLE:
            raise Conflict(
                f"“{resource.name}”当前{resource.get_availability_display()}，不能调派。",
                code=ErrorCode.RESOURCE_UNAVAILABLE,
                details={"resource": resource.pk, "availability": resource.availability},
            )
        active = (
            Dispatch.objects.filter(resource=resource, state__in=[s.value for s in dispatch_flow.ACTIVE])
            .select_related("incident")
            .first()
        )
        if active is not None:
            raise Conflict(
                f"“{resource.name}”正执行调派指令 #{active.pk}"
                f"（事件“{active.incident.title}”，{active.get_state_display()}），不能重复调派。",
                code=ErrorCode.ALREADY_DISPATCHED,
                details={
                    "resource": resource.pk,
                    "dispatch": active.pk,
                    "incident": active.incident_id,
                    "state": active.state,
                },
            )
        now, eta_min = timezone.now(), _eta_min(actor, resource, incident)
        try:
            with transaction.atomic():
                order = Dispatch.objects.create(
                    incident=incident,
                    resource=resource,
                    note=note.strip()[:500],
                    eta_min=eta_min,
                    dispatched_at=now,
                    updated_at=now,
                )
        except IntegrityError as exc:  # another dispatcher was quicker
            raise Conflict(
                f"“{resource.name}”刚被调派，不能重复调派。",
                code=ErrorCode.ALREADY_DISPATCHED,
                details={"resource": resource.pk},
            ) from exc
        eta = f"，预计 {eta_min:.0f} 分钟到达" if eta_min is not None else ""
        log_event(incident, actor, "dispatch", f"调派 {resource.get_kind_display()}“{resource.name}”{eta}")
        audit_incident(
            actor, AuditAction.UPDATE, incident, {"dispatch": order.pk, "resource": resource.pk, "state": order.state}
        )
    return order


DISPATCH_LABELS = {
    dispatch_flow.Action.DEPART: "出发",
    dispatch_flow.Action.ARRIVE: "到达现场",
    dispatch_flow.Action.RELEASE: "撤离现场，返回",
    dispatch_flow.Action.STAND_DOWN: "归队，恢复可用",
    dispatch_flow.Action.CANCEL: "取消调派",
}


def dispatch_transition(*, actor: Actor, pk: int, action: str) -> Dispatch:
    actor.require("incident.command")
    with transaction.atomic():
        order = selectors.dispatch_get(actor, pk, for_update=True)
        state = dispatch_flow.State(order.state)
        try:
            target = dispatch_flow.next_state(state, action)
        except dispatch_flow.TransitionNotAllowed as exc:
            allowed = [a.value for a in exc.allowed]
            raise Conflict(
                f"调派指令当前“{order.get_state_display()}”，不能执行 {action}；"
                f"允许的操作：{', '.join(allowed) or '无'}",
                code=ErrorCode.TRANSITION_NOT_ALLOWED,
                details={"state": order.state, "action": action, "allowed": allowed},
            ) from exc
        order.state, order.updated_at = target.value, timezone.now()
        order.save(update_fields=["state", "updated_at"])
        label = DISPATCH_LABELS[dispatch_flow.Action(action)]
        log_event(order.incident, actor, f"dispatch_{action}", f"“{order.resource.name}”{label}")
        audit_incident(
            actor,
            AuditAction.UPDATE,
            order.incident,
            {"dispatch": order.pk, "state": target.value},
            {"state": state.value},
        )
    return order
