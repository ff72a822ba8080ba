"""Gate events: allow with a valid reservation, deny with the reason otherwise, duplicates stored once,
visits opened and closed, overstay alarms raised by the periodic check and cleared at exit."""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any

import time_machine
from django.utils import timezone

from chempark.core.actors import SYSTEM
from chempark.core.roles import Role
from chempark.monitoring.models import Alarm, AlarmStatus
from chempark.vehicles.entry_rules import Reason, VehicleFacts, gate_answer
from chempark.vehicles.gates import visits_check_dwell
from chempark.vehicles.models import GateEvent, Reservation, Visit
from chempark.vehicles.services import entity_create
from tests.vehicles.conftest import Fleet, today

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def test_rules_ask_in_a_guards_order() -> None:
    full = VehicleFacts(
        entering=True, known=True, hazmat_vehicle=True, hazmat_gate=True, reserved_today=True, papers_valid=True
    )
    assert gate_answer(full).allowed
    assert gate_answer(VehicleFacts(entering=True, known=False)).reason is Reason.UNKNOWN_PLATE
    banned_elsewhere = VehicleFacts(entering=True, known=True, hazmat_vehicle=True, blacklisted=True)
    assert gate_answer(banned_elsewhere).reason is Reason.BLACKLISTED
    assert gate_answer(VehicleFacts(entering=True, known=True, hazmat_vehicle=True)).reason is Reason.NON_HAZMAT_GATE
    assert gate_answer(VehicleFacts(entering=False, known=False)) == gate_answer(
        VehicleFacts(entering=False, known=False)
    )
    assert gate_answer(VehicleFacts(entering=False, known=True, inside=False)).reason is Reason.NOT_INSIDE
    assert gate_answer(VehicleFacts(entering=False, known=True, inside=True)).reason is None


def test_reserved_vehicle_enters_and_leaves(
    park: Any, fleet: Fleet, approved: Reservation, gate_post: Any, api: Any
) -> None:
    answer = gate_post("苏e·12345", "in")
    assert answer.status_code == 200, answer.content
    data = answer.json()
    assert (data["decision"], data["reason"], data["reservation"], data["duplicate"]) == (
        "allow",
        None,
        approved.pk,
        False,
    )
    assert Reservation.objects.get(pk=approved.pk).status == "used"
    inside = api(Role.DISPATCHER).call("GET", "/vehicles/in-park").json()
    assert [(v["plate"], v["gate"]) for v in inside] == [("苏E12345", "G1")]
    assert [v["plate"] for v in api(Role.ENTERPRISE).call("GET", "/vehicles/in-park").json()] == ["苏E12345"]
    out = gate_post("苏E12345", "out", time=timezone.now().replace(microsecond=0) + dt.timedelta(seconds=1))
    assert out.json()["decision"] == "allow"
    assert api(Role.DISPATCHER).call("GET", "/vehicles/in-park").json() == []
    assert Visit.objects.get().exited_at is not None


def test_denials_carry_their_reason(park: Any, fleet: Fleet, approved: Reservation, gate_post: Any) -> None:
    assert gate_post("苏A99999").json() | {"event": 0} == {
        "decision": "deny",
        "reason": "unknown_plate",
        "message": "车辆未登记",
        "event": 0,
        "duplicate": False,
        "reservation": None,
        "visit": None,
    }
    assert gate_post("苏E12345", gate="G2").json()["reason"] == "non_hazmat_gate"
    assert gate_post("苏E12345").json()["decision"] == "allow"
    later = timezone.now().replace(microsecond=0) + dt.timedelta(seconds=5)
    assert gate_post("苏E12345", time=later).json()["reason"] == "already_inside"


def test_no_reservation_today(park: Any, fleet: Fleet, gate_post: Any) -> None:
    data = gate_post("苏E12345").json()
    assert (data["decision"], data["reason"], data["message"]) == ("deny", "no_reservation", "今日无有效预约")
    assert not Visit.objects.exists()


def test_blacklisted_at_the_gate(park: Any, fleet: Fleet, approved: Reservation, gate_post: Any) -> None:
    entity_create(
        actor=SYSTEM,
        kind="blacklist",
        values={"target": "person", "person": fleet.escort.pk, "reason": "违规", "starts_on": today()},
    )
    assert gate_post("苏E12345").json()["reason"] == "blacklisted"


def test_a_repeated_read_is_stored_once_with_its_first_answer(
    park: Any, fleet: Fleet, approved: Reservation, gate_post: Any
) -> None:
    moment = timezone.now().replace(microsecond=0)
    first = gate_post("苏E12345", time=moment).json()
    again = gate_post("苏E12345", time=moment).json()
    assert again["duplicate"] is True
    assert (again["event"], again["decision"]) == (first["event"], "allow")
    assert GateEvent.objects.count() == 1
    assert Visit.objects.count() == 1


def test_bad_input_is_refused_and_changes_nothing(park: Any, fleet: Fleet, gate_post: Any) -> None:
    unknown = gate_post("苏E12345", gate="NOPE")
    assert (unknown.status_code, unknown.json()["code"]) == (422, "unknown_gate")
    future = gate_post("苏E12345", time=timezone.now() + dt.timedelta(hours=1))
    assert (future.status_code, future.json()["code"]) == (422, "future_timestamp")
    assert gate_post("苏E12345", direction="sideways").status_code == 422
    assert gate_post("苏E12345", time="yesterday").status_code == 422
    assert gate_post("苏E12345" * 4).json()["details"]  # longer than any plate: refused by the schema
    assert gate_post("苏E12345", photo="not base64!").json()["details"] == {"photo": ["不是 base64"]}
    gif = base64.b64encode(b"GIF89a....").decode()
    assert gate_post("苏E12345", photo=gif).json()["code"] == "bad_image"
    assert not GateEvent.objects.exists()


def test_a_time_without_offset_is_the_parks_local_time(park: Any, fleet: Fleet, api: Any) -> None:
    local = timezone.localtime().replace(microsecond=0, tzinfo=None) - dt.timedelta(minutes=1)
    body = {"gate": "G1", "plate": "苏E12345", "direction": "in", "time": local.isoformat()}
    assert api(Role.MACHINE).call("POST", "/ingest/gate-events", body).status_code == 200
    assert timezone.localtime(GateEvent.objects.get().at).replace(tzinfo=None) == local


def test_photo_is_kept(park: Any, fleet: Fleet, gate_post: Any) -> None:
    gate_post("苏E12345", photo=base64.b64encode(PNG).decode())
    event = GateEvent.objects.get()
    assert (bytes(event.photo), event.photo_type) == (PNG, "image/png")


def test_person_tokens_cannot_post_gate_events(park: Any, fleet: Fleet, api: Any) -> None:
    body = {"gate": "G1", "plate": "苏E12345", "direction": "in", "time": timezone.now().isoformat()}
    assert api(Role.DISPATCHER).call("POST", "/ingest/gate-events", body).status_code == 403


def test_overstay_raises_one_alarm_and_exit_clears_it(
    park: Any, fleet: Fleet, approved: Reservation, gate_post: Any, configure: Any
) -> None:
    configure(vehicle_max_stay_h=6.0)
    entered = timezone.now().replace(microsecond=0)
    gate_post("苏E12345", time=entered)
    assert visits_check_dwell(actor=SYSTEM, now=entered + dt.timedelta(hours=5, minutes=59)) == 0
    assert visits_check_dwell(actor=SYSTEM, now=entered + dt.timedelta(hours=6, minutes=1)) == 1
    assert visits_check_dwell(actor=SYSTEM, now=entered + dt.timedelta(hours=7)) == 1
    alarm = Alarm.objects.get()
    assert (alarm.alarm_type, alarm.subject, alarm.enterprise_id, alarm.status) == (
        "overstay",
        "苏E12345",
        park.enterprise_a.pk,
        AlarmStatus.ACTIVE_UNACK,
    )
    assert alarm.peak_value == 7.0
    assert (alarm.lon, alarm.lat) == (118.17, 39.2)
    with time_machine.travel(entered + dt.timedelta(hours=7, minutes=5), tick=False):
        gate_post("苏E12345", "out", time=entered + dt.timedelta(hours=7, minutes=5))
    alarm.refresh_from_db()
    assert alarm.status == AlarmStatus.CLEARED_UNACK
