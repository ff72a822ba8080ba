"""The transport registry through the API: plates normalised and checked, terminal phones digits and
unique, blacklist entries naming exactly one target, deletes refused while in use, audit rows."""

from __future__ import annotations

import datetime as dt
import importlib
import io
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from chempark.accounts.models import AuditEvent
from chempark.core.roles import Role
from chempark.monitoring.models import Alarm
from chempark.vehicles.models import Reservation, Vehicle
from tests.vehicles.conftest import Fleet, today


def vehicle_body(fleet: Fleet, **changes: Any) -> dict[str, Any]:
    return {
        "plate": "苏ad·12345",
        "carrier": fleet.carrier.pk,
        "vehicle_type": "tank",
        "tank_capacity_m3": "20",
    } | changes


def test_plates_are_stored_as_gates_read_them(park: Any, fleet: Fleet, api: Any) -> None:
    answer = api(Role.INSPECTOR).call("POST", "/vehicles/vehicles", vehicle_body(fleet))
    assert answer.status_code == 201, answer.content
    assert answer.json()["plate"] == "苏AD12345"
    assert AuditEvent.objects.filter(object_type="vehicle", object_id=str(answer.json()["id"])).exists()


def test_bad_plates_and_phones_are_refused_by_field(park: Any, fleet: Fleet, api: Any) -> None:
    client = api(Role.INSPECTOR)
    bad_plate = client.call("POST", "/vehicles/vehicles", vehicle_body(fleet, plate="ABC123"))
    assert bad_plate.status_code == 422
    assert "省份简称" in bad_plate.json()["details"]["plate"][0]
    bad_phone = client.call("POST", "/vehicles/vehicles", vehicle_body(fleet, terminal_phone="1380-000"))
    assert list(bad_phone.json()["details"]) == ["terminal_phone"]
    taken = client.call("POST", "/vehicles/vehicles", vehicle_body(fleet, terminal_phone="013800000001"))
    assert (taken.status_code, list(taken.json()["details"])) == (422, ["terminal_phone"])
    again = client.call("POST", "/vehicles/vehicles", vehicle_body(fleet, plate="苏E12345"))
    assert list(again.json()["details"]) == ["plate"]
    assert Vehicle.objects.count() == 1


def test_a_blacklist_entry_names_one_target(park: Any, fleet: Fleet, api: Any) -> None:
    body = {"target": "person", "vehicle": fleet.truck.pk, "reason": "x", "starts_on": today().isoformat()}
    answer = api(Role.INSPECTOR).call("POST", "/vehicles/blacklist", body)
    assert answer.status_code == 422
    assert answer.json()["code"] == "validation_error"


def test_a_vehicle_with_reservations_cannot_be_deleted(
    park: Any, fleet: Fleet, approved: Reservation, api: Any
) -> None:
    answer = api(Role.INSPECTOR).call("DELETE", f"/vehicles/vehicles/{fleet.truck.pk}")
    assert (answer.status_code, answer.json()["code"]) == (409, "in_use")


def test_the_check_command_raises_overstays(
    park: Any, fleet: Fleet, approved: Reservation, gate_post: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    command = importlib.import_module("chempark.vehicles.management.commands.vehicles-check")
    monkeypatch.setattr(command, "close_old_connections", lambda: None)  # the test's own connection stays
    gate_post("苏E12345")
    with time_machine.travel(timezone.now() + dt.timedelta(hours=6, minutes=30), tick=False):
        out = io.StringIO()
        call_command("vehicles-check", "--once", stdout=out)
    assert "overstaying 1" in out.getvalue()
    assert Alarm.objects.filter(alarm_type="overstay", subject="苏E12345").count() == 1
