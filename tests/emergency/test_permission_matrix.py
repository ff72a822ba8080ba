"""Every emergency endpoint × every role. The expected policy is written out here independently of
``chempark.core.roles``: simulations for the bureau, the duty officer, experts and enterprise
users (an enterprise user sees only its own enterprise's runs); QRA studies for the bureau and
experts only; nothing for the auditor or the security administrator (three-role separation)."""

from __future__ import annotations

from typing import Any

import pytest

from chempark.core.roles import Role
from chempark.emergency.models import QraStudy
from tests.conftest import SmallPark
from tests.emergency.conftest import chlorine_leak
from tests.emergency.test_leak_source_and_qra import synthetic_readings
from tests.park.test_permission_matrix import PERSONS, attempt

SIMULATORS = {Role.BUREAU_ADMIN, Role.INSPECTOR, Role.DISPATCHER, Role.EXPERT, Role.ENTERPRISE}
QRA_USERS = {Role.BUREAU_ADMIN, Role.INSPECTOR, Role.EXPERT}
# the population layer: read by everyone who reads business data, kept by the bureau
POPULATION_READERS = {Role.BUREAU_ADMIN, Role.INSPECTOR, Role.DISPATCHER, Role.EXPERT, Role.ENTERPRISE}
POPULATION_EDITORS = {Role.BUREAU_ADMIN, Role.INSPECTOR}
VILLAGE = {"type": "Polygon", "coordinates": [[[118.1, 39.1], [118.11, 39.1], [118.11, 39.11], [118.1, 39.1]]]}

COVERED_PATHS = {
    "/api/v1/simulations/accident",
    "/api/v1/simulations/leak-source",
    "/api/v1/simulations",
    "/api/v1/simulations/{pk}",
    "/api/v1/qra/studies",
    "/api/v1/qra/studies/{pk}",
    "/api/v1/qra/studies/{pk}/run",
    "/api/v1/qra/studies/{pk}/report",
    "/api/v1/simulations/fire",
    "/api/v1/populated-areas",
    "/api/v1/populated-areas/{pk}",
}


@pytest.mark.parametrize("role", [None, Role.MACHINE, *PERSONS], ids=lambda r: r.value if r else "anonymous")
def test_emergency_matrix(park: SmallPark, api: Any, finished_study: QraStudy, role: Role | None) -> None:
    bureau_run = api(Role.INSPECTOR).call("POST", "/simulations/accident", chlorine_leak()).json()["id"]
    own_run = api(Role.ENTERPRISE).call("POST", "/simulations/accident", chlorine_leak()).json()["id"]
    client = api(role)
    refused = 401 if role is None else 403
    sim = role in SIMULATORS
    leak = {
        "detectors": synthetic_readings(100.0),
        "weather": {"wind_speed_m_s": 4.0, "wind_from_deg": 90.0, "stability": "D"},
    }
    assert attempt(client, "POST", "/simulations/accident", chlorine_leak()) == (201 if sim else refused), role
    assert attempt(client, "POST", "/simulations/leak-source", leak) == (201 if sim else refused), role
    assert attempt(client, "GET", "/simulations") == (200 if sim else refused), role
    fire = {
        "chemical_cas": "7782-50-5",
        "source": {"lon": 118.18, "lat": 39.2},
        "weather": leak["weather"],
        "scenario": {"kind": "vce_multi_energy", "congested_volume_m3": 100.0},
    }
    # chlorine does not burn: a simulator is told so (422), anyone else is refused before the model runs
    assert attempt(client, "POST", "/simulations/fire", fire) == (422 if sim else refused), role
    readers, editors = role in POPULATION_READERS, role in POPULATION_EDITORS
    area = (
        api(Role.BUREAU_ADMIN)
        .call(
            "POST",
            "/populated-areas",
            {"name": f"村{role.value if role else 'x'}", "geometry": VILLAGE, "population": 10},
        )
        .json()["id"]
    )
    assert attempt(client, "GET", "/populated-areas") == (200 if readers else refused), role
    created = {"name": "新村", "geometry": VILLAGE, "population": 5}
    assert attempt(client, "POST", "/populated-areas", created) == (201 if editors else refused), role
    assert attempt(client, "PATCH", f"/populated-areas/{area}", {"population": 7}) == (200 if editors else refused), (
        role
    )
    expected_bureau = (404 if role is Role.ENTERPRISE else 200) if sim else refused
    assert attempt(client, "GET", f"/simulations/{bureau_run}") == expected_bureau, role
    assert attempt(client, "GET", f"/simulations/{own_run}") == (200 if sim else refused), role

    qra = role in QRA_USERS
    pk = finished_study.pk
    assert attempt(client, "GET", "/qra/studies") == (200 if qra else refused), role
    create = {"name": "新研究", "grid_cell_m": 100.0, "grid_margin_m": 500.0}
    assert attempt(client, "POST", "/qra/studies", create) == (201 if qra else refused), role
    assert attempt(client, "GET", f"/qra/studies/{pk}") == (200 if qra else refused), role
    assert attempt(client, "GET", f"/qra/studies/{pk}/report") == (200 if qra else refused), role
    assert attempt(client, "PATCH", f"/qra/studies/{pk}", {"name": "改名"}) == (200 if qra else refused), role
    assert attempt(client, "POST", f"/qra/studies/{pk}/run") == (202 if qra else refused), role


def test_enterprise_user_lists_only_its_enterprises_runs(park: SmallPark, api: Any) -> None:
    api(Role.INSPECTOR).call("POST", "/simulations/accident", chlorine_leak())
    own = api(Role.ENTERPRISE).call("POST", "/simulations/accident", chlorine_leak()).json()["id"]
    items = api(Role.ENTERPRISE).call("GET", "/simulations").json()["items"]
    assert [item["id"] for item in items] == [own]
    assert len(api(Role.DISPATCHER).call("GET", "/simulations").json()["items"]) == 2
