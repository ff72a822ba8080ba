"""Fixtures of the vehicles tests: a carrier with a tank truck, a driver and an escort whose papers run
for a year from today, a hazmat gate and a general gate, and a park-level gate token. Dates are
relative to the park's today, so the tests pass on any date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from chempark.core.actors import SYSTEM
from chempark.core.roles import Role
from chempark.vehicles.models import Reservation
from chempark.vehicles.services import entity_create, reservation_create, reservation_transition
from tests.conftest import SmallPark


def today(offset_days: int = 0) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=offset_days)


@dataclass
class Fleet:
    carrier: Any
    truck: Any
    driver: Any
    escort: Any
    hazmat_gate: Any
    general_gate: Any


def make_fleet() -> Fleet:
    carrier = entity_create(
        actor=SYSTEM,
        kind="carrier",
        values={
            "name": "苏通危货运输有限公司",
            "permit_no": "苏交运管许可危字320500000001号",
            "permit_expires": today(365),
        },
    )
    truck = entity_create(
        actor=SYSTEM,
        kind="vehicle",
        values={
            "plate": "苏E12345",
            "carrier": carrier.pk,
            "vehicle_type": "tank",
            "tank_capacity_m3": Decimal("30"),
            "terminal_phone": "013800000001",
        },
    )
    people = []
    for index, (name, duty) in enumerate((("张强", "driver"), ("李明", "escort"))):
        people.append(
            entity_create(
                actor=SYSTEM,
                kind="crew",
                values={
                    "carrier": carrier.pk,
                    "name": name,
                    "duty": duty,
                    "id_number": f"32050019800101{index:04d}",
                    "certificate_no": f"CERT-{index}",
                    "certificate_expires": today(365),
                },
            )
        )
    gates = [
        entity_create(
            actor=SYSTEM,
            kind="gate",
            values={"code": code, "name": name, "hazmat": hazmat, "lon": 118.17, "lat": 39.2},
        )
        for code, name, hazmat in (("G1", "危化品专用卡口", True), ("G2", "普货卡口", False))
    ]
    return Fleet(carrier, truck, people[0], people[1], gates[0], gates[1])


@pytest.fixture
def fleet(park: SmallPark) -> Fleet:
    return make_fleet()


def reservation_values(park: SmallPark, fleet: Fleet, **changes: Any) -> dict[str, Any]:
    return {
        "vehicle": fleet.truck.pk,
        "driver": fleet.driver.pk,
        "escort": fleet.escort.pk,
        "chemical": park.chlorine.pk,
        "un_number": "1017",
        "quantity_t": Decimal("20"),
        "date": today(),
    } | changes


@pytest.fixture
def approved(park: SmallPark, fleet: Fleet) -> Reservation:
    """Today's approved reservation of the truck for enterprise A (which holds chlorine)."""
    reservation = reservation_create(actor=park.actor(Role.ENTERPRISE), values=reservation_values(park, fleet))
    return reservation_transition(actor=park.actor(Role.INSPECTOR), reservation_id=reservation.pk, action="approve")


@pytest.fixture
def gate_post(api: Callable[[Role | None], Any]) -> Callable[..., Any]:
    """``gate_post(plate, direction, gate="G1", time=None)`` posts a gate event as a machine."""
    client = api(Role.MACHINE)

    def post(
        plate: str, direction: str = "in", gate: str = "G1", time: dt.datetime | str | None = None, **extra: Any
    ) -> Any:
        moment = time or timezone.now().replace(microsecond=0)
        text = moment if isinstance(moment, str) else moment.isoformat()
        body = {"gate": gate, "plate": plate, "direction": direction, "time": text} | extra
        return client.call("POST", "/ingest/gate-events", body)

    return post
