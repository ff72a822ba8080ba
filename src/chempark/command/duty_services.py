"""Duty roster (值班) and shift handover (交接班) writes.

A shift names the leader on duty and the officers; shifts never overlap, so the page strip "on duty
now" has one answer. The handover lists what is open automatically (``core.duty_items``), frozen
when the outgoing officer signs; another officer signs to accept. Every write is audited.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chempark.accounts import audit
from chempark.accounts.models import AuditAction, User
from chempark.command import handover as workflow
from chempark.command.duty_selectors import duty_staff, handover_get, shift_now
from chempark.command.models import DutyShift, ShiftHandover
from chempark.core.actors import Actor
from chempark.core.duty_items import open_items
from chempark.core.errors import Conflict, ErrorCode, InvalidInput

MAX_SHIFT = dt.timedelta(hours=48)


def _staff(ids: Iterable[int], field: str) -> list[User]:
    wanted = set(ids)
    found = list(duty_staff().filter(pk__in=wanted))
    if len(found) != len(wanted):
        message = _("只能安排在岗的局工作人员值班。")
        raise InvalidInput(message, details={field: [message]})
    return found


def shift_create(
    *,
    actor: Actor,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    leader: int,
    officers: list[int],
    phone: str = "",
    note: str = "",
) -> DutyShift:
    actor.require("duty.write")
    # Times typed without an offset are the park's local times.
    starts_at, ends_at = (timezone.make_aware(t) if timezone.is_naive(t) else t for t in (starts_at, ends_at))
    if ends_at <= starts_at:
        message = _("结束时间须晚于开始时间。")
        raise InvalidInput(message, details={"ends_at": [message]})
    if ends_at - starts_at > MAX_SHIFT:
        message = _("一个班次最长 48 小时。")
        raise InvalidInput(message, details={"ends_at": [message]})
    if not officers:
        message = _("至少安排一名值班员。")
        raise InvalidInput(message, details={"officers": [message]})
    [leader_user] = _staff([leader], "leader")
    officer_users = _staff(officers, "officers")
    with transaction.atomic():
        # Lock the table's rows in range so two concurrent creations cannot both pass the check.
        clash = (
            DutyShift.objects.select_for_update()
            .filter(starts_at__lt=ends_at, ends_at__gt=starts_at)
            .order_by("starts_at")
            .first()
        )
        if clash is not None:
            raise Conflict(
                _("与已有班次（%(start)s 至 %(end)s）时间重叠。")
                % {
                    "start": timezone.localtime(clash.starts_at).strftime("%m-%d %H:%M"),
                    "end": timezone.localtime(clash.ends_at).strftime("%m-%d %H:%M"),
                },
                details={"shift": clash.pk},
            )
        shift = DutyShift.objects.create(
            starts_at=starts_at, ends_at=ends_at, leader=leader_user, phone=phone.strip(), note=note.strip()
        )
        shift.officers.set(officer_users)
        after = {**audit.snapshot(shift), "officers": sorted(u.pk for u in officer_users)}
        audit.record(
            actor=actor,
            action=AuditAction.CREATE,
            object_type="command.dutyshift",
            object_id=shift.pk,
            after=after,
            object_label=str(shift),
        )
    return shift


def _on_shift(user_id: int, shift: DutyShift) -> bool:
    return user_id == shift.leader_id or shift.officers.filter(pk=user_id).exists()


def _transition(record: ShiftHandover, action: workflow.Action) -> workflow.Status:
    try:
        return workflow.next_status(workflow.Status(record.status), action)
    except workflow.TransitionNotAllowed as exc:
        allowed = [a.value for a in exc.allowed]
        raise Conflict(
            _("当前状态“%(status)s”不允许此操作；允许的操作：%(allowed)s")
            % {"status": record.get_status_display(), "allowed": "、".join(allowed) or _("无")},
            code=ErrorCode.TRANSITION_NOT_ALLOWED,
            details={"status": record.status, "action": action.value, "allowed": allowed},
        ) from exc


def _audit(actor: Actor, record: ShiftHandover, before: dict[str, Any] | None, action: AuditAction) -> None:
    audit.record(
        actor=actor,
        action=action,
        object_type="command.shifthandover",
        object_id=record.pk,
        before=before,
        after=audit.snapshot(record),
        object_label=str(record),
    )


def handover_create(*, actor: Actor, notes: str = "", now: dt.datetime | None = None) -> ShiftHandover:
    """The outgoing officer starts the handover of the shift on duty now."""
    actor.require("duty.write")
    now = now or timezone.now()
    shift, user_id = shift_now(now), actor.user_id
    if shift is None or user_id is None or not _on_shift(user_id, shift):
        raise Conflict(_("您不在当前值班班次，不能发起交班。"))
    with transaction.atomic():
        record = ShiftHandover.objects.create(
            shift=shift,
            outgoing_id=user_id,
            notes=notes.strip(),
            open_items=open_items(actor, now),
            created_at=now,
        )
        _audit(actor, record, None, AuditAction.CREATE)
    return record


def _mine(actor: Actor, pk: int) -> ShiftHandover:
    record = handover_get(actor, pk, for_update=True)
    if record.outgoing_id != actor.user_id:
        raise Conflict(_("只有交班人本人可以修改或签字。"))
    return record


def handover_update(*, actor: Actor, pk: int, notes: str, now: dt.datetime | None = None) -> ShiftHandover:
    actor.require("duty.write")
    with transaction.atomic():
        record = _mine(actor, pk)
        _transition(record, workflow.Action.EDIT)
        before = audit.snapshot(record)
        record.notes = notes.strip()
        record.open_items = open_items(actor, now or timezone.now())
        record.save(update_fields=["notes", "open_items"])
        _audit(actor, record, before, AuditAction.UPDATE)
    return record


def handover_sign(*, actor: Actor, pk: int, now: dt.datetime | None = None) -> ShiftHandover:
    """The outgoing officer signs: the open items are listed again and frozen."""
    actor.require("duty.write")
    now = now or timezone.now()
    with transaction.atomic():
        record = _mine(actor, pk)
        record.status = _transition(record, workflow.Action.HAND_OVER)
        before = audit.snapshot(record)
        record.open_items = open_items(actor, now)
        record.handed_over_at = now
        record.save(update_fields=["status", "open_items", "handed_over_at"])
        _audit(actor, record, before, AuditAction.UPDATE)
    return record


def handover_accept(*, actor: Actor, pk: int, now: dt.datetime | None = None) -> ShiftHandover:
    """The incoming officer signs to accept (anyone with the duty capability but the outgoing one)."""
    actor.require("duty.write")
    with transaction.atomic():
        record = handover_get(actor, pk, for_update=True)
        status = _transition(record, workflow.Action.ACCEPT)
        if record.outgoing_id == actor.user_id:
            raise Conflict(_("接班须由另一名值班人员签字。"))
        before = audit.snapshot(record)
        record.status, record.incoming_id, record.accepted_at = status, actor.user_id, now or timezone.now()
        record.save(update_fields=["status", "incoming", "accepted_at"])
        _audit(actor, record, before, AuditAction.UPDATE)
    return record
