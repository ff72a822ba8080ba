"""Every endpoint and page of the vehicles module × every role, against a policy written out here
independently of ``chempark.core.roles``: the bureau's read roles and enterprise users read (the
auditor and the security administrator nothing: three-role separation); the bureau keeps the
transport registry and gates and decides reservations; enterprises request reservations for
themselves and keep their own access areas, doors and people (another enterprise's rows are 404);
only machine tokens push gate and badge events; anonymous callers get 401 (pages: the login)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone

from chempark.core.actors import SYSTEM
from chempark.core.roles import Role
from chempark.vehicles.models import Reservation
from chempark.vehicles.services import entity_create
from tests.conftest import ApiClient, SmallPark
from tests.vehicles.conftest import Fleet, reservation_values, today

PERSONS = [r for r in Role if r is not Role.MACHINE]
READERS = {Role.BUREAU_ADMIN, Role.INSPECTOR, Role.DISPATCHER, Role.EXPERT, Role.ENTERPRISE}
BUREAU = {Role.BUREAU_ADMIN, Role.INSPECTOR}
REQUESTERS = BUREAU | {Role.ENTERPRISE}
ACCESS_KEEPERS = BUREAU | {Role.ENTERPRISE}

TRANSPORT = ("carriers", "vehicles", "crew", "blacklist", "gates")
ACCESS = ("access-areas", "access-gates", "workers")
COVERED_PATHS = {
    *(f"/api/v1/vehicles/{path}" for path in TRANSPORT + ACCESS),
    *(f"/api/v1/vehicles/{path}/{{pk}}" for path in TRANSPORT + ACCESS),
    "/api/v1/vehicles/reservations",
    "/api/v1/vehicles/reservations/{pk}",
    "/api/v1/vehicles/reservations/{pk}/transition",
    "/api/v1/vehicles/in-park",
    "/api/v1/vehicles/gate-events",
    "/api/v1/vehicles/headcounts",
    "/api/v1/vehicles/access-areas/{pk}/roster",
    "/api/v1/ingest/gate-events",
    "/api/v1/ingest/access-events",
}


def attempt(client: ApiClient, method: str, path: str, body: Any = None) -> int:
    """Make the request and roll everything back so the next attempt sees the same park."""
    with transaction.atomic():
        status = client.call(method, path, body).status_code
        transaction.set_rollback(True)
    return status


@pytest.fixture
def stage(park: SmallPark, fleet: Fleet, approved: Reservation) -> dict[str, Any]:
    """A reservation, an access area with a door and a person, per enterprise."""
    foreign = Reservation.objects.create(
        **{
            k: v
            for k, v in reservation_values(park, fleet).items()
            if k not in ("vehicle", "driver", "escort", "chemical")
        },
        enterprise=park.enterprise_b,
        vehicle=fleet.truck,
        driver=fleet.driver,
        escort=fleet.escort,
        chemical=park.chlorine,
        status="requested",
    )
    stage: dict[str, Any] = {"own": {"reservation": approved}, "foreign": {"reservation": foreign}}
    for key, enterprise in (("own", park.enterprise_a), ("foreign", park.enterprise_b)):
        area = entity_create(
            actor=SYSTEM,
            kind="accessarea",
            values={"enterprise": enterprise.pk, "name": "生产区", "kind": "production"},
        )
        door = entity_create(actor=SYSTEM, kind="accessgate", values={"area": area.pk, "code": "D1", "name": "一号门"})
        worker = entity_create(
            actor=SYSTEM, kind="worker", values={"enterprise": enterprise.pk, "name": "王工", "badge": "B1"}
        )
        stage[key] |= {"access-areas": area, "access-gates": door, "workers": worker, "enterprise": enterprise}
    stage["transport"] = {
        "carriers": fleet.carrier,
        "vehicles": fleet.truck,
        "crew": fleet.driver,
        "gates": fleet.hazmat_gate,
    }
    stage["transport"]["blacklist"] = entity_create(
        actor=SYSTEM,
        kind="blacklist",
        values={"target": "vehicle", "vehicle": fleet.truck.pk, "reason": "违规", "starts_on": today(10)},
    )
    return stage


def expected(role: Role | None, allowed: set[Role], ok: int, *, foreign: bool = False) -> int:
    if role is None:
        return 401
    if role is Role.MACHINE or role not in allowed:
        return 403
    if foreign and role is Role.ENTERPRISE:
        return 404
    return ok


ROLES = [None, Role.MACHINE, *PERSONS]


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.value if r else "anonymous")
def test_transport_registry_matrix(park: SmallPark, api: Any, stage: dict[str, Any], role: Role | None) -> None:
    client = api(role)
    fleet_patch = {
        "carriers": {"contact": "周经理"},
        "vehicles": {"road_permit_no": "X-1"},
        "crew": {"phone": "1"},
        "blacklist": {"reason": "复核"},
        "gates": {"name": "东门"},
    }
    new = {
        "carriers": {"name": "新承运", "permit_no": "P-9", "permit_expires": today(30).isoformat()},
        "gates": {"code": "G9", "name": "九号门", "hazmat": False, "lon": 118.2, "lat": 39.2},
    }
    for path in TRANSPORT:
        row = stage["transport"][path]
        assert attempt(client, "GET", f"/vehicles/{path}") == expected(role, READERS, 200), (role, path)
        assert attempt(client, "GET", f"/vehicles/{path}/{row.pk}") == expected(role, READERS, 200), (role, path)
        assert attempt(client, "PATCH", f"/vehicles/{path}/{row.pk}", fleet_patch[path]) == expected(role, BUREAU, 200)
        if path in new:
            assert attempt(client, "POST", f"/vehicles/{path}", new[path]) == expected(role, BUREAU, 201), (role, path)
    ban = stage["transport"]["blacklist"].pk
    assert attempt(client, "DELETE", f"/vehicles/blacklist/{ban}") == expected(role, BUREAU, 204), role


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.value if r else "anonymous")
def test_access_registry_matrix(park: SmallPark, api: Any, stage: dict[str, Any], role: Role | None) -> None:
    client = api(role)
    patches = {"access-areas": {"headcount_limit": 9}, "access-gates": {"name": "北门"}, "workers": {"post": "巡检"}}
    for key in ("own", "foreign"):
        foreign = key == "foreign"
        for path in ACCESS:
            row = stage[key][path]
            assert attempt(client, "GET", f"/vehicles/{path}/{row.pk}") == expected(role, READERS, 200, foreign=foreign)
            status = attempt(client, "PATCH", f"/vehicles/{path}/{row.pk}", patches[path])
            assert status == expected(role, ACCESS_KEEPERS, 200, foreign=foreign), (role, key, path)
            assert attempt(client, "DELETE", f"/vehicles/workers/{stage[key]['workers'].pk}") == expected(
                role, ACCESS_KEEPERS, 204, foreign=foreign
            )
        body = {
            "enterprise": stage[key]["enterprise"].pk,
            "name": "新区",
            "kind": "office",
            "requires_certificate": False,
        }
        create = expected(role, ACCESS_KEEPERS, 201)
        if foreign and role is Role.ENTERPRISE:
            create = 403  # other_enterprise: it names the enterprise itself
        assert attempt(client, "POST", "/vehicles/access-areas", body) == create, (role, key)
        roster = f"/vehicles/access-areas/{stage[key]['access-areas'].pk}/roster"
        assert attempt(client, "GET", roster) == expected(role, READERS, 200, foreign=foreign), (role, key)
    for path in ACCESS:
        assert attempt(client, "GET", f"/vehicles/{path}") == expected(role, READERS, 200), (role, path)
    assert attempt(client, "GET", "/vehicles/headcounts") == expected(role, READERS, 200)


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.value if r else "anonymous")
def test_reservation_and_gate_matrix(
    park: SmallPark, fleet: Fleet, api: Any, stage: dict[str, Any], role: Role | None
) -> None:
    client = api(role)
    for path in ("/vehicles/reservations", "/vehicles/in-park", "/vehicles/gate-events"):
        assert attempt(client, "GET", path) == expected(role, READERS, 200), (role, path)
    for key in ("own", "foreign"):
        pk = stage[key]["reservation"].pk
        foreign = key == "foreign"
        assert attempt(client, "GET", f"/vehicles/reservations/{pk}") == expected(role, READERS, 200, foreign=foreign)
        action = {"action": "cancel", "reason": "改期"} if key == "own" else {"action": "approve"}
        allowed = REQUESTERS if key == "own" else BUREAU
        status = attempt(client, "POST", f"/vehicles/reservations/{pk}/transition", action)
        assert status == expected(role, allowed, 200, foreign=foreign), (role, key)
    body = reservation_values(park, fleet, date=today(1))
    body = {**body, "enterprise": park.enterprise_a.pk, "quantity_t": "5", "date": body["date"].isoformat()}
    assert attempt(client, "POST", "/vehicles/reservations", body) == expected(role, REQUESTERS, 201), role
    moment = timezone.now().replace(microsecond=0).isoformat()
    machines_only = {Role.MACHINE}
    gate = {"gate": "G1", "plate": "苏E12345", "direction": "in", "time": moment}
    door = {"gate": "D1", "badge": "B1", "direction": "in", "time": moment}
    for path, payload in (("/ingest/gate-events", gate), ("/ingest/access-events", door)):
        status = attempt(client, "POST", path, payload)
        assert status == (401 if role is None else 200 if role in machines_only else 403), (role, path)


PAGES = [
    ("/vehicles/reservations/", READERS),
    ("/vehicles/reservations/new/", REQUESTERS),
    ("/vehicles/in-park/", READERS),
    ("/vehicles/headcounts/", READERS),
    *((f"/vehicles/{kind}/", READERS) for kind in ("carrier", "vehicle", "crew", "blacklist", "gate")),
    *((f"/vehicles/{kind}/", READERS) for kind in ("accessarea", "accessgate", "worker")),
    *((f"/vehicles/{kind}/new/", BUREAU) for kind in ("carrier", "vehicle", "crew", "blacklist", "gate")),
    *((f"/vehicles/{kind}/new/", ACCESS_KEEPERS) for kind in ("accessarea", "accessgate", "worker")),
    ("/vehicles/carrier/export.xlsx", READERS),
    ("/vehicles/import/", BUREAU),
    ("/vehicles/import/template.xlsx", BUREAU),
]


@pytest.mark.parametrize("role", PERSONS, ids=lambda r: r.value)
def test_pages_matrix(park: SmallPark, stage: dict[str, Any], role: Role) -> None:
    client = Client()
    client.force_login(park.users[role])
    for path, allowed in PAGES:
        assert client.get(path).status_code == (200 if role in allowed else 403), (role, path)
    for key in ("own", "foreign"):
        foreign = key == "foreign" and role is Role.ENTERPRISE
        pages: list[tuple[str, set[Role]]] = [
            (f"/vehicles/reservations/{stage[key]['reservation'].pk}/", READERS),
            (f"/vehicles/accessarea/{stage[key]['access-areas'].pk}/", READERS),
            (f"/vehicles/accessarea/{stage[key]['access-areas'].pk}/edit/", ACCESS_KEEPERS),
            (f"/vehicles/roster/{stage[key]['access-areas'].pk}/", READERS),
            (f"/vehicles/roster/{stage[key]['access-areas'].pk}/export.xlsx", READERS),
        ]
        for path, allowed in pages:
            status = client.get(path).status_code
            assert status == (403 if role not in allowed else 404 if foreign else 200), (role, key, path)


def test_anonymous_pages_go_to_the_login(park: SmallPark, stage: dict[str, Any]) -> None:
    for path, _allowed in PAGES:
        answer = Client().get(path)
        assert answer.status_code == 302 and "/accounts/login/" in answer["Location"], path
