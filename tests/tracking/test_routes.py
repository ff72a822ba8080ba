"""Per-vehicle designated routes: a reservation names the corridors its trip may drive, and that
vehicle's deviation is judged against them, not against every corridor of the park."""

from __future__ import annotations

from typing import Any

from django.test import Client

from chempark.core.actors import SYSTEM
from chempark.core.roles import Role
from chempark.tracking.models import FenceKind, Violation
from chempark.tracking.schemas import FenceValues
from chempark.tracking.services import PositionIn, fence_create, positions_store, terminal_register
from chempark.vehicles.models import Reservation
from tests.conftest import SmallPark
from tests.tracking.conftest import ROAD_LAT, Fleet
from tests.vehicles.conftest import make_fleet, reservation_values

T0_MS = 1_778_032_800_000


def drive_the_road(terminal: str) -> None:
    """60 s east along 纬路 at about 31 km/h, a fix every 10 s."""
    positions_store([PositionIn(terminal, T0_MS + i * 10_000, 118.19 + i * 0.001, ROAD_LAT, 31) for i in range(7)])


def test_a_reservation_names_its_routes_and_deviation_follows_them(park: SmallPark, fleet: Fleet, api: Any) -> None:
    north = fence_create(
        actor=SYSTEM,
        values=FenceValues(
            name="北路",
            kind=FenceKind.CORRIDOR,
            geometry={"type": "LineString", "coordinates": [[118.18, 39.21], [118.23, 39.21]]},
            width_m=40,
        ),
    )
    trucks = make_fleet()
    enterprise = api(Role.ENTERPRISE)
    body = {k: (str(v) if k in ("quantity_t", "date") else v) for k, v in reservation_values(park, trucks).items()}

    refused = enterprise.call("POST", "/vehicles/reservations", body | {"routes": [fleet.forbidden.pk]})
    assert refused.status_code == 422, refused.content
    assert "routes" in str(refused.json()) and "指定路线" in refused.json()["message"]
    assert Reservation.objects.count() == 0

    created = enterprise.call("POST", "/vehicles/reservations", body | {"routes": [north.pk]})
    assert created.status_code == 201, created.content
    assert created.json()["routes"] == [north.pk]
    answer = api(Role.INSPECTOR).call(
        "POST", f"/vehicles/reservations/{created.json()['id']}/transition", {"action": "approve"}
    )
    assert answer.status_code == 200 and answer.json()["routes"] == [north.pk]

    terminal_register("13800000001")  # the reserved truck: its route is 北路, yet it drives 纬路
    terminal_register("13900000001")  # the tanker has no reservation naming routes: every corridor
    drive_the_road("13800000001")
    drive_the_road("13900000001")
    deviations = Violation.objects.filter(kind="deviation")
    assert [v.terminal.vehicle.plate for v in deviations if v.terminal] == [trucks.truck.plate]


def test_the_request_page_offers_the_corridors_and_keeps_the_choice(park: SmallPark, fleet: Fleet) -> None:
    trucks = make_fleet()
    client = Client()
    client.force_login(park.users[Role.ENTERPRISE])
    form = client.get("/vehicles/reservations/new/").content.decode()
    assert 'name="routes"' in form and fleet.corridor.name in form and fleet.forbidden.name not in form
    post = {k: str(v) for k, v in reservation_values(park, trucks).items()}
    bad = client.post("/vehicles/reservations/new/", post | {"routes": ["纬路"]})
    assert bad.status_code == 422 and "指定路线须从列表中选择" in bad.content.decode()
    answer = client.post("/vehicles/reservations/new/", post | {"routes": [str(fleet.corridor.pk)]})
    assert answer.status_code == 302, answer.content.decode()[:2000]
    reservation = Reservation.objects.get()
    assert list(reservation.routes.values_list("pk", flat=True)) == [fleet.corridor.pk]
    detail = client.get(answer["Location"]).content.decode()
    assert fleet.corridor.name in detail.split('data-testid="reservation-routes"')[1][:200]
