"""Every registry and one-map API endpoint × every role: who may read and change what, that an
enterprise user never reaches another enterprise's data, and that the auditor and the security
administrator read none of it.

The expected policy is written out here independently of ``chempark.core.roles``; a new
endpoint that this table does not cover fails ``test_every_endpoint_is_covered``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction

from chempark.accounts.models import AuditEvent
from chempark.core.roles import Role
from chempark.park.demo import demo_uscc
from tests.conftest import SQUARE, ApiClient, SmallPark

PERSONS = [r for r in Role if r is not Role.MACHINE]
# Three-role separation: the auditor and the security administrator read no business data.
BUSINESS_READERS = {Role.BUREAU_ADMIN, Role.INSPECTOR, Role.DISPATCHER, Role.EXPERT, Role.ENTERPRISE}
BUREAU_WRITERS = {Role.BUREAU_ADMIN, Role.INSPECTOR}
ENTERPRISE_WRITERS = BUREAU_WRITERS | {Role.ENTERPRISE}

ENTITY_PATHS = {
    "park": "parks",
    "area": "areas",
    "enterprise": "enterprises",
    "unit": "units",
    "tank": "tanks",
    "chemical": "chemicals",
    "inventory": "inventories",
    "protectivetarget": "protective-targets",
}
# Who may create / update / delete each entity. Enterprise users only within their own enterprise.
WRITERS: dict[str, tuple[set[Role], set[Role], set[Role]]] = {
    "park": (BUREAU_WRITERS, BUREAU_WRITERS, BUREAU_WRITERS),
    "area": (BUREAU_WRITERS, BUREAU_WRITERS, BUREAU_WRITERS),
    "chemical": (BUREAU_WRITERS, BUREAU_WRITERS, BUREAU_WRITERS),
    "protectivetarget": (BUREAU_WRITERS, BUREAU_WRITERS, BUREAU_WRITERS),
    "enterprise": (BUREAU_WRITERS, ENTERPRISE_WRITERS, BUREAU_WRITERS),
    "unit": (ENTERPRISE_WRITERS, ENTERPRISE_WRITERS, ENTERPRISE_WRITERS),
    "tank": (ENTERPRISE_WRITERS, ENTERPRISE_WRITERS, ENTERPRISE_WRITERS),
    "inventory": (ENTERPRISE_WRITERS, ENTERPRISE_WRITERS, ENTERPRISE_WRITERS),
}
SCOPED = {"enterprise", "unit", "tank", "inventory"}


def own_and_foreign(p: SmallPark, kind: str) -> tuple[Any, Any]:
    """An object of enterprise A (ent1's) and one of enterprise B, or the park-wide object twice."""
    return {
        "park": (p.park, p.park),
        "area": (p.area, p.area),
        "chemical": (p.chlorine, p.chlorine),
        "protectivetarget": (p.target, p.target),
        "enterprise": (p.enterprise_a, p.enterprise_b),
        "unit": (p.unit_a, p.unit_b),
        "tank": (p.tank_a, p.tank_b),
        "inventory": (p.inventory_a, p.inventory_b),
    }[kind]


def create_payload(p: SmallPark, kind: str, enterprise: Any, unit: Any) -> dict[str, Any]:
    return {
        "park": {"name": "新园区", "address": "", "boundary": SQUARE},
        "area": {"park": p.park.pk, "name": "新区域", "kind": "office", "geometry": SQUARE},
        "chemical": {
            "name_zh": "甲醇",
            "name_en": "",
            "aliases": "",
            "cas": "67-56-1",
            "un_number": "1230",
            "ghs_categories": [],
        },
        "protectivetarget": {
            "park": p.park.pk,
            "name": "新幼儿园",
            "kind": "kindergarten",
            "population": 120,
            "address": "",
            "geometry": {"type": "Point", "coordinates": [118.15, 39.21]},
        },
        "enterprise": {
            "park": p.park.pk,
            "name": "丙化工有限公司",
            "uscc": demo_uscc(77),
            "kind": "storage",
            "industry": "",
            "address": "",
            "lon": 118.2,
            "lat": 39.2,
            "legal_representative": "",
            "safety_contact": "",
            "safety_phone": "",
            "employees": 10,
            "status": "operating",
        },
        "unit": {
            "enterprise": enterprise.pk,
            "code": "U77",
            "name": "新装置",
            "kind": "production",
            "lon": 118.2,
            "lat": 39.2,
            "description": "",
        },
        "tank": {
            "unit": unit.pk,
            "code": "T77",
            "name": "新储罐",
            "kind": "fixed_roof",
            "chemical": None,
            "volume_m3": "10",
            "design_max_t": "8",
        },
        "inventory": {"unit": unit.pk, "chemical": p.ammonia.pk, "design_max_t": "5", "current_t": "1"},
    }[kind]


PATCHES = {
    "park": {"address": "改"},
    "area": {"name": "改名区域"},
    "chemical": {"aliases": "改"},
    "protectivetarget": {"population": 999},
    "enterprise": {"safety_phone": "0315-1234567"},
    "unit": {"name": "改名装置"},
    "tank": {"name": "改名储罐"},
    "inventory": {"current_t": "3.25"},
}


def attempt(client: ApiClient, method: str, path: str, body: Any = None) -> int:
    """Make a request and roll back whatever it changed, so the next attempt sees the same park."""
    with transaction.atomic():
        status = client.call(method, path, body).status_code
        transaction.set_rollback(True)
    return status


# The endpoints whose policy this module checks (tests/test_api_coverage.py collects these sets).
COVERED_PATHS = {
    *(f"/api/v1/{path}" for path in ENTITY_PATHS.values()),
    *(f"/api/v1/{path}/{{pk}}" for path in ENTITY_PATHS.values()),
    "/api/v1/map/layers/{name}",
    "/api/v1/map/search",
}


@pytest.mark.parametrize("role", [None, Role.MACHINE, *PERSONS], ids=lambda r: r.value if r else "anonymous")
def test_registry_matrix(park: SmallPark, api: Any, role: Role | None) -> None:
    client = api(role)
    for kind, path in ENTITY_PATHS.items():
        creators, updaters, deleters = WRITERS[kind]
        own, foreign = own_and_foreign(park, kind)
        if role not in BUSINESS_READERS:
            expected = 401 if role is None else 403
            for method, url in (
                ("GET", f"/{path}"),
                ("GET", f"/{path}/{own.pk}"),
                ("DELETE", f"/{path}/{own.pk}"),
                ("PATCH", f"/{path}/{own.pk}"),
                ("POST", f"/{path}"),
            ):
                body = (
                    PATCHES[kind]
                    if method == "PATCH"
                    else (create_payload(park, kind, park.enterprise_a, park.unit_a) if method == "POST" else None)
                )
                assert attempt(client, method, url, body) == expected, (role, method, url)
            continue
        scoped_out = role is Role.ENTERPRISE and kind in SCOPED
        # Read
        assert attempt(client, "GET", f"/{path}") == 200
        assert attempt(client, "GET", f"/{path}/{own.pk}") == 200, (role, kind)
        assert attempt(client, "GET", f"/{path}/{foreign.pk}") == (404 if scoped_out else 200), (role, kind)
        # Create (inside ent1's own enterprise, and — for scoped kinds — inside the other one)
        body = create_payload(park, kind, park.enterprise_a, park.unit_a)
        assert attempt(client, "POST", f"/{path}", body) == (201 if role in creators else 403), (role, kind)
        if kind in SCOPED and kind != "enterprise":
            body = create_payload(park, kind, park.enterprise_b, park.unit_b)
            expected_foreign = 403 if role is Role.ENTERPRISE or role not in creators else 201
            assert attempt(client, "POST", f"/{path}", body) == expected_foreign, (role, kind, "foreign create")
        # Update
        assert attempt(client, "PATCH", f"/{path}/{own.pk}", PATCHES[kind]) == (200 if role in updaters else 403)
        expected = 404 if scoped_out else (200 if role in updaters else 403)
        assert attempt(client, "PATCH", f"/{path}/{foreign.pk}", PATCHES[kind]) == expected, (role, kind)
        # Delete: parents still referenced answer 409; leaves are deleted.
        in_use = kind in {"park", "enterprise", "unit", "chemical"}
        allowed = 409 if in_use else 204
        assert attempt(client, "DELETE", f"/{path}/{own.pk}") == (allowed if role in deleters else 403), (role, kind)
        expected = 404 if scoped_out and role in deleters else (allowed if role in deleters else 403)
        assert attempt(client, "DELETE", f"/{path}/{foreign.pk}") == expected, (role, kind)


@pytest.mark.parametrize("role", [None, Role.MACHINE, *PERSONS], ids=lambda r: r.value if r else "anonymous")
def test_map_matrix(park: SmallPark, api: Any, role: Role | None) -> None:
    client = api(role)
    refused = 401 if role is None else 403
    for layer in ("park", "areas", "enterprises", "units", "targets"):
        assert attempt(client, "GET", f"/map/layers/{layer}") == (200 if role in BUSINESS_READERS else refused), role
    assert attempt(client, "GET", "/map/search?q=A") == (200 if role in BUSINESS_READERS else refused), role


@pytest.mark.parametrize("kind", ["enterprise", "unit", "tank", "inventory"])
def test_enterprise_user_lists_only_its_own_enterprise(park: SmallPark, api: Any, kind: str) -> None:
    items = api(Role.ENTERPRISE).call("GET", f"/{ENTITY_PATHS[kind]}?limit=500").json()["items"]
    assert items, "the enterprise user sees its own rows"
    unit_ids = {park.unit_a.pk}
    for item in items:
        if kind == "enterprise":
            assert item["id"] == park.enterprise_a.pk
        elif kind == "unit":
            assert item["enterprise"] == park.enterprise_a.pk
        else:
            assert item["unit"] in unit_ids
    # the same list for a bureau user includes the other enterprise's rows
    assert len(api(Role.INSPECTOR).call("GET", f"/{ENTITY_PATHS[kind]}?limit=500").json()["items"]) > len(items)


def test_enterprise_user_map_shows_only_own_enterprise(park: SmallPark, api: Any) -> None:
    layer = api(Role.ENTERPRISE).call("GET", "/map/layers/enterprises").json()
    assert [f["properties"]["id"] for f in layer["features"]] == [park.enterprise_a.pk]
    units = api(Role.ENTERPRISE).call("GET", "/map/layers/units").json()
    assert {f["properties"]["id"] for f in units["features"]} == {park.unit_a.pk}


def test_enterprise_user_cannot_change_bureau_fields_of_own_enterprise(park: SmallPark, api: Any) -> None:
    client = api(Role.ENTERPRISE)
    before = AuditEvent.objects.count()
    response = client.call("PATCH", f"/enterprises/{park.enterprise_a.pk}", {"status": "closed"})
    assert response.status_code == 403
    assert response.json()["code"] == "bureau_only_field"
    park.enterprise_a.refresh_from_db()
    assert park.enterprise_a.status == "operating"
    assert AuditEvent.objects.count() == before


def test_enterprise_user_cannot_move_unit_to_another_enterprise(park: SmallPark, api: Any) -> None:
    response = api(Role.ENTERPRISE).call("PATCH", f"/tanks/{park.tank_a.pk}", {"unit": park.unit_b.pk})
    assert response.status_code == 403
    park.tank_a.refresh_from_db()
    assert park.tank_a.unit_id == park.unit_a.pk
    assert park.tank_a.design_max_t == Decimal("40")
