"""A carrier with two vehicles (with JT/T 808 terminal numbers) and the fences of a small road net
inside the small park of tests/conftest.py: a 40 km/h corridor along 39.20 N, a forbidden square
north of it, a parking lot at its east end."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from chempark.core.actors import SYSTEM
from chempark.tracking import runtime
from chempark.tracking.models import Fence, FenceKind
from chempark.tracking.schemas import FenceValues
from chempark.tracking.services import fence_create
from chempark.vehicles.models import Carrier, Vehicle, VehicleType
from tests.conftest import SmallPark

ROAD_LAT = 39.20
ROAD = [(118.18, ROAD_LAT), (118.23, ROAD_LAT)]
M_PER_DEG_LAT = 111_195.0


def square(lon0: float, lat0: float, lon1: float, lat1: float) -> dict[str, Any]:
    return {"type": "Polygon", "coordinates": [[[lon0, lat0], [lon1, lat0], [lon1, lat1], [lon0, lat1], [lon0, lat0]]]}


@dataclass
class Fleet:
    carrier: Carrier
    tanker: Vehicle
    van: Vehicle
    corridor: Fence
    forbidden: Fence
    lot: Fence


@pytest.fixture(autouse=True)
def fresh_engine() -> Iterator[None]:
    """Each test starts with no engine state (the engine lives for a process)."""
    runtime.reset()
    yield
    runtime.reset()


@pytest.fixture
def fleet(park: SmallPark) -> Fleet:
    carrier = Carrier.objects.create(
        name="测试危货运输公司", permit_no="冀交运管许可唐字130200000001号", permit_expires=dt.date(2099, 1, 1)
    )
    tanker = Vehicle.objects.create(
        plate="冀B12345", carrier=carrier, vehicle_type=VehicleType.TANK, terminal_phone="013900000001"
    )
    van = Vehicle.objects.create(
        plate="冀B23456", carrier=carrier, vehicle_type=VehicleType.TANK, terminal_phone="13900000002"
    )
    corridor = fence_create(
        actor=SYSTEM,
        values=FenceValues(
            name="纬路",
            kind=FenceKind.CORRIDOR,
            geometry={"type": "LineString", "coordinates": [list(p) for p in ROAD]},
            width_m=40,
            speed_limit_kmh=40,
        ),
    )
    forbidden = fence_create(
        actor=SYSTEM,
        values=FenceValues(
            name="办公区",
            kind=FenceKind.FORBIDDEN,
            geometry=square(118.20, 39.203, 118.205, 39.206),
        ),
    )
    lot = fence_create(
        actor=SYSTEM,
        values=FenceValues(
            name="停车场",
            kind=FenceKind.PARKING,
            geometry=square(118.229, 39.198, 118.233, 39.202),
            capacity=5,
        ),
    )
    return Fleet(carrier, tanker, van, corridor, forbidden, lot)
