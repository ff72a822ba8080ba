"""Personnel access control (门禁): a badge read at an enterprise door becomes an access event with
its answer; people let in are present in the area until they leave, and an area over its headcount
limit raises an alarm (cleared when the count is back within it).

The door's machine token is bound to its enterprise, so a sender only reaches its own doors.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from chempark.core import alarm_feed
from chempark.core.actors import Actor
from chempark.core.alarm_feed import AlarmKind, FeedSeverity
from chempark.core.errors import ErrorCode, Forbidden, InvalidInput
from chempark.vehicles.entry_rules import Reason, door_answer
from chempark.vehicles.gates import ALARM_SOURCE, MAX_FUTURE, device_time
from chempark.vehicles.models import AccessEvent, AccessGate, Direction, EnterpriseArea, GateDecision, Presence
from chempark.vehicles.selectors import worker_by_badge

REASON_MESSAGES: dict[Reason, str | Promise] = {
    Reason.UNKNOWN_BADGE: _("门禁卡未登记"),
    Reason.NO_CERTIFICATE: _("该区域须持有效操作证进入（不持证不上岗）"),
}


@dataclass(frozen=True)
class AccessOutcome:
    event: AccessEvent
    duplicate: bool
    inside: int  # people in the door's area after this event


def access_event_ingest(
    *, actor: Actor, gate_code: str, badge: str, direction: str, at: dt.datetime, now: dt.datetime | None = None
) -> AccessOutcome:
    actor.require("ingest.write")
    if actor.enterprise_id is None:
        raise Forbidden("设备令牌未绑定企业。", code=ErrorCode.MACHINE_WITHOUT_ENTERPRISE)
    now = now or timezone.now()
    at = device_time(at)
    gate = (
        AccessGate.objects.select_related("area")
        .filter(area__enterprise_id=actor.enterprise_id, code=gate_code)
        .order_by("id")
        .first()
    )
    if gate is None:
        raise InvalidInput(f"本企业没有编号为 {gate_code!r} 的门禁点。", code=ErrorCode.UNKNOWN_GATE)
    if direction not in Direction.values:
        raise InvalidInput("direction 须为 in 或 out。", details={"direction": ["须为 in 或 out"]})
    if at > now + MAX_FUTURE:
        raise InvalidInput("刷卡时间晚于当前时间 5 分钟以上。", code=ErrorCode.FUTURE_TIMESTAMP)
    badge = badge.strip()
    if not badge:
        raise InvalidInput("缺少门禁卡号。", details={"badge": ["必填"]})
    badge = badge[:32]
    key = {"badge": badge, "gate": gate, "direction": direction, "at": at}
    stored = AccessEvent.objects.filter(**key).first()
    if stored is not None:
        return AccessOutcome(stored, duplicate=True, inside=_inside(gate.area))
    try:
        with transaction.atomic():
            return _record(gate, badge, direction, at)
    except IntegrityError:  # the same read sent twice at once
        return AccessOutcome(AccessEvent.objects.get(**key), duplicate=True, inside=_inside(gate.area))


def _inside(area: EnterpriseArea) -> int:
    return Presence.objects.filter(area=area, exited_at__isnull=True).count()


def _record(gate: AccessGate, badge: str, direction: str, at: dt.datetime) -> AccessOutcome:
    area = EnterpriseArea.objects.select_for_update().get(pk=gate.area_id)  # headcounts of one area in turn
    worker = worker_by_badge(area.enterprise_id, badge)
    entering = direction == Direction.IN
    expires = None if worker is None or not worker.certificate_no else worker.certificate_expires
    valid = expires is not None and expires >= timezone.localdate(at)
    answer = door_answer(
        entering=entering,
        known=worker is not None,
        requires_certificate=area.requires_certificate,
        certificate_valid=valid,
    )
    event = AccessEvent.objects.create(
        gate=gate,
        badge=badge,
        worker=worker,
        direction=direction,
        at=at,
        decision=GateDecision.ALLOW if answer.allowed else GateDecision.DENY,
        reason="" if answer.reason is None else answer.reason.value,
        message="" if answer.reason is None else str(REASON_MESSAGES[answer.reason]),
    )
    if worker is not None and answer.allowed:
        open_stay = Presence.objects.filter(worker=worker, area=area, exited_at__isnull=True)
        if entering and not open_stay.exists():
            Presence.objects.create(worker=worker, area=area, entered_at=at)
        elif not entering:
            open_stay.update(exited_at=at)
    inside = _inside(area)
    _headcount_alarm(area, inside, at)
    return AccessOutcome(event, duplicate=False, inside=inside)


def _headcount_alarm(area: EnterpriseArea, inside: int, at: dt.datetime) -> None:
    ref = f"area:{area.pk}"
    if area.headcount_limit is not None and inside > area.headcount_limit:
        alarm_feed.raise_alarm(
            source=ALARM_SOURCE,
            kind=AlarmKind.OVER_CAPACITY,
            severity=FeedSeverity.MAJOR,
            enterprise_id=area.enterprise_id,
            title=area.name,
            detail=f"区域内 {inside} 人，上限 {area.headcount_limit} 人",
            lon=area.lon,
            lat=area.lat,
            ref=ref,
            at=at,
            value=float(inside),
        )
    else:
        alarm_feed.clear_alarm(source=ALARM_SOURCE, kind=AlarmKind.OVER_CAPACITY, ref=ref, at=at)
