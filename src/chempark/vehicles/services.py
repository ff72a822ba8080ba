"""Writes of the vehicles module's registries and reservations. Pages, the API, imports and the demo
come through here; each call checks capability and scope, validates, writes and appends its audit
row in one transaction.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from chempark.accounts import audit
from chempark.accounts.models import AuditAction
from chempark.common.plates import normalise_plate
from chempark.core.actors import Actor
from chempark.core.errors import Conflict, ErrorCode, Forbidden, InvalidInput
from chempark.core.model_writes import assign_fields, save_model, validate_model
from chempark.park.models import Chemical, Enterprise, Inventory
from chempark.park.registry import enterprise_id_of
from chempark.tracking.models import Fence, FenceKind
from chempark.vehicles import selectors, workflow
from chempark.vehicles.models import CrewDuty, CrewMember, Reservation, ReservationTransition, Vehicle
from chempark.vehicles.registry import Entity, entity_for

# --- plain registries ------------------------------------------------------------------------------


def _normalised(kind: str, values: dict[str, Any]) -> dict[str, Any]:
    """Plates as a camera reads them (苏a·12345 → 苏A12345), so the gate finds the vehicle; an empty
    terminal phone is none (the column is unique where set)."""
    values = dict(values)
    if kind == "vehicle":
        if isinstance(values.get("plate"), str):
            values["plate"] = normalise_plate(values["plate"])
        if values.get("terminal_phone") == "":
            values["terminal_phone"] = None
    return values


def _check_scope(actor: Actor, entity: Entity, instance: models.Model) -> None:
    if actor.is_enterprise_scoped and enterprise_id_of(entity.spec, instance) != actor.enterprise_id:
        raise Forbidden("只能维护本企业的数据。", code=ErrorCode.OTHER_ENTERPRISE)


def entity_create(*, actor: Actor, kind: str, values: dict[str, Any]) -> models.Model:
    """Create one row of ``kind`` (foreign keys by id)."""
    entity = entity_for(kind)
    actor.require(entity.spec.create_capability)
    instance = entity.spec.model()
    assign_fields(instance, entity.spec.fields, _normalised(kind, values))
    _check_scope(actor, entity, instance)
    validate_model(instance)
    with transaction.atomic():
        save_model(instance)
        audit.record(
            actor=actor,
            action=AuditAction.CREATE,
            object_type=kind,
            object_id=instance.pk,
            after=audit.snapshot(instance),
            enterprise_id=enterprise_id_of(entity.spec, instance),
            object_label=str(instance),
        )
    return instance


def entity_update(*, actor: Actor, kind: str, pk: int, values: dict[str, Any]) -> models.Model:
    """Change some fields of one row; an enterprise user cannot move a row to another enterprise."""
    entity = entity_for(kind)
    actor.require(entity.spec.write_capability)
    with transaction.atomic():
        instance: models.Model = selectors.entity_get(actor, kind, pk, for_update=True)
        before = audit.snapshot(instance)
        assign_fields(instance, entity.spec.fields, _normalised(kind, values))
        _check_scope(actor, entity, instance)
        validate_model(instance)
        audit.save_changes(
            actor=actor,
            instance=instance,
            before=before,
            object_type=kind,
            enterprise_id=enterprise_id_of(entity.spec, instance),
        )
    return instance


def entity_delete(*, actor: Actor, kind: str, pk: int) -> None:
    """Delete one row; 409 ``in_use`` while reservations, events or visits refer to it."""
    entity = entity_for(kind)
    actor.require(entity.spec.create_capability)
    with transaction.atomic():
        instance = selectors.entity_get(actor, kind, pk, for_update=True)
        audit.delete_recorded(
            actor=actor,
            instance=instance,
            object_type=kind,
            enterprise_id=enterprise_id_of(entity.spec, instance),
            in_use_message=f"{entity.spec.label} {pk} 仍被其他数据引用，不能删除。",
        )


# --- reservations ----------------------------------------------------------------------------------

OPEN = (workflow.Status.REQUESTED.value, workflow.Status.APPROVED.value)


def _row(model: type[models.Model], pk: Any, field: str, label: str) -> Any:
    row = model._default_manager.filter(pk=pk).first() if isinstance(pk, int) else None
    if row is None:
        raise InvalidInput(f"{label} {pk} 不存在。", details={field: ["不存在"]})
    return row


def check_entry_conditions(
    *,
    vehicle: Vehicle,
    driver: CrewMember,
    escort: CrewMember,
    enterprise_id: int,
    chemical: Chemical,
    un_number: str,
    day: dt.date,
) -> None:
    """The rules a reservation must meet on its day, each refused with its own code and field:
    crew of the vehicle's carrier in their duties, papers valid on the day, nobody blacklisted, and
    a cargo the enterprise is licensed to receive (a chemical it holds an inventory of in the park
    registry), declared with the chemical's own UN number."""
    for person, duty, field in ((driver, CrewDuty.DRIVER, "driver"), (escort, CrewDuty.ESCORT, "escort")):
        if person.duty != duty or person.carrier_id != vehicle.carrier_id:
            raise InvalidInput(
                f"{person.name} 不是 {vehicle.carrier} 的{CrewDuty(duty).label}。",
                code=ErrorCode.CREW_MISMATCH,
                details={field: ["岗位或承运企业不符"]},
            )
    if not vehicle.carrier.permit_valid_on(day):
        raise InvalidInput(
            f"承运企业 {vehicle.carrier} 的道路运输经营许可证已于 {vehicle.carrier.permit_expires} 过期。",
            code=ErrorCode.PAPERS_EXPIRED,
            details={"vehicle": ["承运企业许可证过期"]},
        )
    for person, field in ((driver, "driver"), (escort, "escort")):
        if not person.certificate_valid_on(day):
            raise InvalidInput(
                f"{person.name} 的从业资格证已于 {person.certificate_expires} 过期。",
                code=ErrorCode.PAPERS_EXPIRED,
                details={field: ["资格证过期"]},
            )
    bans = selectors.bans_in_force(day)
    ban = bans.filter(vehicle=vehicle).first()
    if ban is not None:
        raise InvalidInput(
            f"车辆 {vehicle.plate} 在黑名单中：{ban.reason}",
            code=ErrorCode.BLACKLISTED,
            details={"vehicle": ["黑名单"]},
        )
    for person, field in ((driver, "driver"), (escort, "escort")):
        ban = bans.filter(person=person).first()
        if ban is not None:
            raise InvalidInput(
                f"{person.name} 在黑名单中：{ban.reason}", code=ErrorCode.BLACKLISTED, details={field: ["黑名单"]}
            )
    if not Inventory.objects.filter(unit__enterprise_id=enterprise_id, chemical=chemical).exists():
        raise InvalidInput(
            f"本企业在园区登记中没有 {chemical.name_zh} 的存量，不能接收该货物。",
            code=ErrorCode.CARGO_NOT_LICENSED,
            details={"chemical": ["企业未登记该化学品"]},
        )
    if chemical.un_number and un_number != chemical.un_number:
        raise InvalidInput(
            f"{chemical.name_zh} 的 UN 号为 {chemical.un_number}，不是 {un_number}。",
            code=ErrorCode.CARGO_NOT_LICENSED,
            details={"un_number": ["与化学品不符"]},
        )


def _designated_routes(ids: list[int]) -> list[Fence]:
    """The corridors a reservation names as the trip's designated routes; anything else is refused."""
    wanted = set(ids)
    found = {fence.pk: fence for fence in Fence.objects.filter(pk__in=wanted, kind=FenceKind.CORRIDOR)}
    missing = sorted(wanted - found.keys())
    if missing:
        listed = "、".join(str(pk) for pk in missing)
        raise InvalidInput(
            f"指定路线 {listed} 不存在或不是指定路线类电子围栏。", details={"routes": [f"无此指定路线：{listed}"]}
        )
    return [found[pk] for pk in sorted(found)]


def reservation_create(*, actor: Actor, values: dict[str, Any], now: dt.datetime | None = None) -> Reservation:
    """An enterprise (or the bureau on its behalf) asks for one vehicle's entry on one day."""
    actor.require("reservation.request")
    now = now or timezone.now()
    enterprise_id = values.get("enterprise") or actor.enterprise_id
    if enterprise_id is None:
        raise InvalidInput("请指定目的企业。", details={"enterprise": ["必填"]})
    if actor.is_enterprise_scoped and enterprise_id != actor.enterprise_id:
        raise Forbidden("只能为本企业申请预约。", code=ErrorCode.OTHER_ENTERPRISE)
    _row(Enterprise, enterprise_id, "enterprise", "企业")
    vehicle: Vehicle = _row(Vehicle, values.get("vehicle"), "vehicle", "车辆")
    driver: CrewMember = _row(CrewMember, values.get("driver"), "driver", "驾驶员")
    escort: CrewMember = _row(CrewMember, values.get("escort"), "escort", "押运员")
    chemical: Chemical = _row(Chemical, values.get("chemical"), "chemical", "化学品")
    day = values.get("date")
    if not isinstance(day, dt.date) or day < timezone.localdate(now):
        raise InvalidInput("预约日期不能早于今天。", details={"date": ["不能早于今天"]})
    un_number = str(values.get("un_number") or chemical.un_number)
    quantity = values.get("quantity_t")
    if not isinstance(quantity, Decimal) or quantity <= 0:
        raise InvalidInput("数量须大于 0 吨。", details={"quantity_t": ["须大于 0"]})
    routes = _designated_routes(values.get("routes") or [])
    check_entry_conditions(
        vehicle=vehicle,
        driver=driver,
        escort=escort,
        enterprise_id=enterprise_id,
        chemical=chemical,
        un_number=un_number,
        day=day,
    )
    reservation = Reservation(
        enterprise_id=enterprise_id,
        vehicle=vehicle,
        driver=driver,
        escort=escort,
        chemical=chemical,
        un_number=un_number,
        quantity_t=quantity,
        date=day,
        requested_at=now,
        requested_by_id=actor.user_id,
    )
    validate_model(reservation)
    with transaction.atomic():
        Vehicle.objects.select_for_update().filter(pk=vehicle.pk).first()  # one open reservation per vehicle-day
        if Reservation.objects.filter(vehicle=vehicle, date=day, status__in=OPEN).exists():
            raise Conflict(f"车辆 {vehicle.plate} 在 {day} 已有待审批或已批准的预约。", code=ErrorCode.ALREADY_RESERVED)
        save_model(reservation)
        reservation.routes.set(routes)
        _transition_row(reservation, "request", "", reservation.status, actor=actor, reason="", at=now)
        audit.record(
            actor=actor,
            action=AuditAction.CREATE,
            object_type="reservation",
            object_id=reservation.pk,
            after=audit.snapshot(reservation) | {"routes": sorted(f.pk for f in routes)},
            enterprise_id=enterprise_id,
            object_label=str(reservation),
        )
    return reservation


def _transition_row(
    reservation: Reservation, action: str, source: str, target: str, *, actor: Actor, reason: str, at: dt.datetime
) -> None:
    ReservationTransition.objects.create(
        reservation=reservation,
        action=action,
        from_status=source,
        to_status=target,
        at=at,
        by_id=actor.user_id,
        reason=reason,
    )


ACTION_CAPABILITY = {
    workflow.Action.APPROVE: "reservation.approve",
    workflow.Action.REFUSE: "reservation.approve",
    workflow.Action.CANCEL: "reservation.request",
}


def reservation_transition(
    *, actor: Actor, reservation_id: int, action: str, reason: str = "", now: dt.datetime | None = None
) -> Reservation:
    """Approve, refuse (with a reason) or cancel (with a reason) a reservation. Approval checks the
    entry conditions again: a certificate may have expired or a ban begun since the request."""
    step = next((a for a in ACTION_CAPABILITY if a.value == action), None)
    if step is None:
        raise InvalidInput(f"操作须为 {', '.join(ACTION_CAPABILITY)}", details={"action": ["无效"]})
    actor.require(ACTION_CAPABILITY[step])
    now = now or timezone.now()
    reason = reason.strip()
    with transaction.atomic():
        reservation = selectors.reservation_get(actor, reservation_id, for_update=True)
        _apply(reservation, step, actor=actor, reason=reason, now=now)
        if step is workflow.Action.APPROVE:  # a refusal here rolls the approval back
            check_entry_conditions(
                vehicle=reservation.vehicle,
                driver=reservation.driver,
                escort=reservation.escort,
                enterprise_id=reservation.enterprise_id,
                chemical=reservation.chemical,
                un_number=reservation.un_number,
                day=reservation.date,
            )
    return reservation


def _apply(reservation: Reservation, step: workflow.Action, *, actor: Actor, reason: str, now: dt.datetime) -> None:
    """Move ``reservation`` by ``step``: the 409 naming the allowed actions, the reason rule, the
    transition row and the audit row. Runs inside the caller's transaction."""
    source = workflow.Status(reservation.status)
    try:
        target = workflow.next_status(source, step)
    except workflow.TransitionNotAllowedError as exc:
        raise Conflict(
            f"预约当前状态为“{reservation.get_status_display()}”，不能执行该操作。",
            code=ErrorCode.TRANSITION_NOT_ALLOWED,
            details={"status": source.value, "allowed": [a.value for a in exc.allowed]},
        ) from exc
    if step in workflow.NEEDS_REASON and not reason:
        raise InvalidInput("请填写原因。", code=ErrorCode.REASON_REQUIRED, details={"reason": ["必填"]})
    before = audit.snapshot(reservation)
    reservation.status = target.value
    if reason:
        reservation.reason = reason[:300]
    reservation.save(update_fields=["status", "reason"])
    _transition_row(reservation, step.value, source.value, target.value, actor=actor, reason=reason, at=now)
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        object_type="reservation",
        object_id=reservation.pk,
        before=before,
        after=audit.snapshot(reservation),
        enterprise_id=reservation.enterprise_id,
        object_label=str(reservation),
    )


def reservation_mark_used(*, actor: Actor, reservation: Reservation, now: dt.datetime) -> None:
    """The vehicle entered on this reservation (called by the gate service, in its transaction)."""
    _apply(reservation, workflow.Action.USE, actor=actor, reason="", now=now)


def reservations_expire(*, actor: Actor, now: dt.datetime | None = None) -> int:
    """Approved reservations whose day has passed unused become expired; returns how many."""
    actor.require("reservation.approve")
    now = now or timezone.now()
    today = timezone.localdate(now)
    count = 0
    with transaction.atomic():
        for reservation in Reservation.objects.select_for_update().filter(
            status=workflow.Status.APPROVED.value, date__lt=today
        ):
            _apply(reservation, workflow.Action.EXPIRE, actor=actor, reason="", now=now)
            count += 1
    return count
