"""The park gates' service: a plate read becomes a gate event with the platform's answer (allow or
deny, and why), entries open visits, exits close them, and overstays raise alarms.

A gate may send the same read twice (a retry after a lost answer): (plate, gate, direction, time)
is stored once and the second send gets the first answer. The rules themselves are the pure
``entry_rules.gate_answer``; this module gathers its facts.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from chempark.common.images import image_type
from chempark.common.plates import normalise_plate
from chempark.config import current
from chempark.core import alarm_feed
from chempark.core.actors import Actor
from chempark.core.alarm_feed import AlarmKind, FeedSeverity
from chempark.core.errors import ErrorCode, InvalidInput
from chempark.vehicles import selectors
from chempark.vehicles.entry_rules import Reason, VehicleFacts, gate_answer
from chempark.vehicles.models import Direction, Gate, GateDecision, GateEvent, Reservation, Vehicle, Visit
from chempark.vehicles.services import reservation_mark_used

MAX_FUTURE = dt.timedelta(minutes=5)
ALARM_SOURCE = "vehicles"

REASON_MESSAGES: dict[Reason, str | Promise] = {
    Reason.UNKNOWN_PLATE: _("车辆未登记"),
    Reason.BLACKLISTED: _("车辆或人员在黑名单中"),
    Reason.NON_HAZMAT_GATE: _("危化品车辆须走危化品专用卡口"),
    Reason.ALREADY_INSIDE: _("车辆已在园内"),
    Reason.NO_RESERVATION: _("今日无有效预约"),
    Reason.PAPERS_EXPIRED: _("许可证或资格证已过期"),
    Reason.NOT_INSIDE: _("无入园记录，已放行出园"),
}


@dataclass(frozen=True)
class GateOutcome:
    event: GateEvent
    duplicate: bool
    visit: Visit | None


def decode_photo(text: str) -> tuple[bytes, str]:
    """A base64 JPEG or PNG no larger than ``CHEMPARK_SNAPSHOT_MAX_BYTES``."""
    limit = current().snapshot_max_bytes
    if len(text) > (limit * 4) // 3 + 4:
        raise InvalidInput(f"抓拍图片超过 {limit} 字节。", code=ErrorCode.PAYLOAD_TOO_LARGE)
    try:
        data = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise InvalidInput("抓拍图片须为 base64 编码。", details={"photo": ["不是 base64"]}) from exc
    kind = image_type(data[:8])
    if kind is None:
        raise InvalidInput("抓拍图片须为 JPEG 或 PNG。", code=ErrorCode.BAD_IMAGE)
    return data, kind


def _facts(
    vehicle: Vehicle | None, gate: Gate, entering: bool, day: dt.date
) -> tuple[VehicleFacts, Reservation | None]:
    if vehicle is None:
        return VehicleFacts(entering=entering, known=False), None
    reservation = (
        Reservation.objects.select_related("driver", "escort", "vehicle__carrier")
        .filter(vehicle=vehicle, date=day, status="approved")
        .order_by("id")
        .first()
    )
    bans = selectors.bans_in_force(day)
    banned = bans.filter(vehicle=vehicle).exists()
    papers = vehicle.carrier.permit_valid_on(day)
    if reservation is not None:
        banned = banned or bans.filter(person__in=[reservation.driver_id, reservation.escort_id]).exists()
        papers = papers and all(p.certificate_valid_on(day) for p in (reservation.driver, reservation.escort))
    facts = VehicleFacts(
        entering=entering,
        known=True,
        hazmat_vehicle=vehicle.hazmat,
        hazmat_gate=gate.hazmat,
        inside=Visit.objects.filter(vehicle=vehicle, exited_at__isnull=True).exists(),
        blacklisted=banned,
        reserved_today=reservation is not None,
        papers_valid=papers,
    )
    return facts, reservation


def device_time(at: dt.datetime) -> dt.datetime:
    """A device's time without an offset is the park's local time (gates and readers are set to it)."""
    return timezone.make_aware(at) if timezone.is_naive(at) else at


def gate_event_ingest(
    *,
    actor: Actor,
    gate_code: str,
    plate: str,
    direction: str,
    at: dt.datetime,
    photo: tuple[bytes, str] | None = None,
    now: dt.datetime | None = None,
) -> GateOutcome:
    """Answer one plate read at a gate and record it (a repeat of a stored read gets its first answer)."""
    actor.require("ingest.write")
    now = now or timezone.now()
    at = device_time(at)
    gate = Gate.objects.filter(code=gate_code, active=True).first()
    if gate is None:
        raise InvalidInput(f"没有编号为 {gate_code!r} 的启用卡口。", code=ErrorCode.UNKNOWN_GATE)
    if direction not in Direction.values:
        raise InvalidInput("direction 须为 in 或 out。", details={"direction": ["须为 in 或 out"]})
    if at > now + MAX_FUTURE:
        raise InvalidInput("过车时间晚于当前时间 5 分钟以上。", code=ErrorCode.FUTURE_TIMESTAMP)
    plate = normalise_plate(plate)[:16]
    if not plate:
        raise InvalidInput("缺少车牌号。", details={"plate": ["必填"]})
    key = {"plate": plate, "gate": gate, "direction": direction, "at": at}
    stored = GateEvent.objects.filter(**key).first()
    if stored is not None:
        return GateOutcome(stored, duplicate=True, visit=None)
    try:
        with transaction.atomic():
            return _record(actor, gate, plate, direction, at, photo, now)
    except IntegrityError:  # the same read sent twice at once: the other request stored it
        return GateOutcome(GateEvent.objects.get(**key), duplicate=True, visit=None)


def _record(  # noqa: PLR0917 — the fields of one plate read, checked by the caller
    actor: Actor,
    gate: Gate,
    plate: str,
    direction: str,
    at: dt.datetime,
    photo: tuple[bytes, str] | None,
    now: dt.datetime,
) -> GateOutcome:
    vehicle = Vehicle.objects.select_for_update().select_related("carrier").filter(plate=plate).first()
    entering = direction == Direction.IN
    facts, reservation = _facts(vehicle, gate, entering, timezone.localdate(at))
    answer = gate_answer(facts)
    event = GateEvent.objects.create(
        gate=gate,
        plate=plate,
        direction=direction,
        at=at,
        received_at=now,
        vehicle=vehicle,
        reservation=reservation,
        decision=GateDecision.ALLOW if answer.allowed else GateDecision.DENY,
        reason="" if answer.reason is None else answer.reason.value,
        message="" if answer.reason is None else str(REASON_MESSAGES[answer.reason]),
        photo=None if photo is None else photo[0],
        photo_type="" if photo is None else photo[1],
    )
    visit = None
    if answer.allowed and vehicle is not None and entering:
        visit = Visit.objects.create(vehicle=vehicle, reservation=reservation, entry=event, entered_at=at)
        if reservation is not None:
            reservation_mark_used(actor=actor, reservation=reservation, now=now)
    elif vehicle is not None and not entering:
        visit = Visit.objects.select_for_update().filter(vehicle=vehicle, exited_at__isnull=True).first()
        if visit is not None:
            visit.exit, visit.exited_at = event, at
            visit.save(update_fields=["exit", "exited_at"])
            alarm_feed.clear_alarm(source=ALARM_SOURCE, kind=AlarmKind.OVERSTAY, ref=f"visit:{visit.pk}", at=at)
    return GateOutcome(event, duplicate=False, visit=visit)


def max_stay_h() -> float:
    """The dwell limit in hours (``CHEMPARK_VEHICLE_MAX_STAY_H``)."""
    return current().vehicle_max_stay_h


def visits_check_dwell(*, actor: Actor, now: dt.datetime | None = None) -> int:
    """Raise (or keep) an overstay alarm for every vehicle inside longer than the limit
    (``CHEMPARK_VEHICLE_MAX_STAY_H``, 6 h as the parks' notices set it); returns how many."""
    actor.require("vehicle.read")
    now = now or timezone.now()
    limit_h = max_stay_h()
    due = now - dt.timedelta(hours=limit_h)
    count = 0
    with transaction.atomic():
        for visit in selectors.vehicles_in_park(actor).filter(entered_at__lte=due):
            hours = (now - visit.entered_at).total_seconds() / 3600
            gate = visit.entry.gate
            alarm_feed.raise_alarm(
                source=ALARM_SOURCE,
                kind=AlarmKind.OVERSTAY,
                severity=FeedSeverity.MAJOR,
                enterprise_id=visit.reservation.enterprise_id if visit.reservation else None,
                title=visit.vehicle.plate,
                detail=f"在园 {hours:.1f} 小时，超过 {limit_h:g} 小时（{gate.name} 入园）",
                lon=gate.lon,
                lat=gate.lat,
                ref=f"visit:{visit.pk}",
                at=now,
                value=round(hours, 2),
            )
            count += 1
    return count
