"""Fixtures of the emergency command tests: a cross of two roads through the small park (the units
of both enterprises sit at its crossing, 118.2 E 39.2 N), a fire team at the east end of one road,
a fire truck at the south end of the other, a shelter at the west end, and a chlorine gas alarm on
enterprise A's tank. Road ends and the crossing are nodes, so travel times are road length ÷ speed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from chempark.core.actors import SYSTEM
from chempark.incidents import ledger_services
from chempark.incidents.models import Resource
from chempark.incidents.roads import RoadLine
from chempark.monitoring.ingest.payload import datetime_to_ms
from chempark.monitoring.models import Alarm, AlarmStatus, AlarmType, Point, PointKind, Severity
from tests.conftest import SmallPark


@dataclass
class Command:
    team: Resource
    truck: Resource
    shelter: Resource
    alarm: Alarm


def make_alarm(park: SmallPark) -> Alarm:
    point = Point.objects.create(
        enterprise=park.enterprise_a,
        unit=park.unit_a,
        tank=park.tank_a,
        code="CL-01",
        name="液氯罐区有毒气体探测器",
        kind=PointKind.GAS_PPM,
        unit_of_measure="ppm",
        range_min=0,
        range_max=20,
        h=1.0,
        lon=118.2,
        lat=39.2,
    )
    now = timezone.now()
    return Alarm.objects.create(
        enterprise=park.enterprise_a,
        point=point,
        alarm_type=AlarmType.HIGH,
        severity=Severity.CRITICAL,
        status=AlarmStatus.ACTIVE_UNACK,
        raised_ms=datetime_to_ms(now),
        raised_at=now,
        value=6.0,
    )


@pytest.fixture
def command(park: SmallPark) -> Command:
    ledger_services.road_network_replace(
        actor=SYSTEM,
        roads=[
            RoadLine("纬一路", [(118.15, 39.2), (118.25, 39.2)], 36),
            RoadLine("经一路", [(118.2, 39.17), (118.2, 39.23)], 36),
        ],
    )
    save = ledger_services.resource_save
    team = save(actor=SYSTEM, values={"kind": "team", "name": "消防站", "lon": 118.25, "lat": 39.2, "members": 20})
    truck = save(
        actor=SYSTEM,
        values={
            "kind": "equipment",
            "name": "水罐车",
            "lon": 118.2,
            "lat": 39.17,
            "equipment_type": "fire_truck",
            "team": team.pk,
        },
    )
    shelter = save(
        actor=SYSTEM, values={"kind": "shelter", "name": "中学操场", "lon": 118.15, "lat": 39.2, "capacity": 900}
    )
    return Command(team, truck, shelter, make_alarm(park))


def incident_body(park: SmallPark, **extra: Any) -> dict[str, Any]:
    return {"title": "液氯泄漏", "kind": "leak", "unit": park.unit_a.pk, "chemicals": [park.chlorine.pk], **extra}
