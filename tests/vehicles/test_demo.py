"""The demo park's vehicles and access control, loaded through the services: believable, with the
cases the pages should show (an overstay, refusals with reasons, a control room over its limit), and
loaded once."""

from __future__ import annotations

import pytest

from chempark.monitoring.models import Alarm
from chempark.park.demo import load_demo_park
from chempark.vehicles.demo import load_demo_vehicles
from chempark.vehicles.models import AccessEvent, GateEvent, Presence, Reservation, Vehicle, Visit


@pytest.fixture
def demo(db: None) -> str:
    load_demo_park()
    return load_demo_vehicles()


def test_demo_has_the_cases_worth_showing(demo: str) -> None:
    assert "超时滞留" in demo
    assert Vehicle.objects.exclude(terminal_phone=None).count() == Vehicle.objects.count() == 8
    statuses = set(Reservation.objects.values_list("status", flat=True))
    assert {"used", "approved", "requested", "refused"} <= statuses
    assert Visit.objects.filter(exited_at__isnull=True).count() == 2
    reasons = set(GateEvent.objects.filter(decision="deny").values_list("reason", flat=True))
    assert {"no_reservation", "blacklisted", "non_hazmat_gate"} <= reasons
    kinds = set(Alarm.objects.filter(source="vehicles").values_list("alarm_type", "subject"))
    assert ("overstay", "冀B12345") in kinds
    assert ("over_capacity", "中控室") in kinds
    # the worker whose certificate lapsed and the clerk who has none are kept out of the plant
    assert AccessEvent.objects.filter(reason="no_certificate").count() == 2
    assert Presence.objects.filter(exited_at__isnull=True).count() == 13


def test_loading_twice_changes_nothing(demo: str) -> None:
    events = GateEvent.objects.count()
    assert "未重复载入" in load_demo_vehicles()
    assert GateEvent.objects.count() == events
