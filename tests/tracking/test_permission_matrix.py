"""Every tracking endpoint × every role, against a policy written out here: the bureau's staff
(administrator, inspector, dispatcher, expert) read; the administrator and inspector edit fences;
only machines push positions; the auditor, the security administrator and enterprise users see
nothing of it (vehicles belong to carriers, not to an enterprise); anonymous callers get 401."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from chempark.core.roles import Role
from chempark.tracking.models import Terminal, Violation
from chempark.tracking.services import PositionIn, positions_store, terminal_register
from tests.conftest import ApiClient, SmallPark
from tests.tracking.conftest import ROAD_LAT, Fleet

READERS = {Role.BUREAU_ADMIN, Role.INSPECTOR, Role.DISPATCHER, Role.EXPERT}
EDITORS = {Role.BUREAU_ADMIN, Role.INSPECTOR}
PUSHERS = {Role.MACHINE}

COVERED_PATHS = {
    "/api/v1/ingest/positions",
    "/api/v1/tracking/vehicles",
    "/api/v1/tracking/terminals/{pk}/track",
    "/api/v1/tracking/violations",
    "/api/v1/tracking/violations/{pk}",
    "/api/v1/tracking/fences",
    "/api/v1/tracking/fences/{pk}",
}

T0_MS = 1_778_032_800_000  # 2026-05-06 02:00 UTC


def attempt(client: ApiClient, method: str, path: str, body: Any = None) -> int:
    with transaction.atomic():
        status = client.call(method, path, body).status_code
        transaction.set_rollback(True)
    return status


@pytest.fixture
def stage(fleet: Fleet) -> dict[str, int]:
    terminal_register("13900000001")
    # 80 km/h for a minute on a 40 km/h road: one overspeed violation
    fixes = [PositionIn("13900000001", T0_MS + i * 5000, 118.19 + i * 0.0013, ROAD_LAT, 80) for i in range(14)]
    fixes.append(PositionIn("13900000001", T0_MS + 14 * 5000, 118.19 + 14 * 0.0013, ROAD_LAT, 20))
    positions_store(fixes)
    return {"terminal": Terminal.objects.get().pk, "violation": Violation.objects.get().pk, "fence": fleet.lot.pk}


def calls(stage: dict[str, int]) -> list[tuple[str, str, Any, set[Role], int]]:
    fence = {
        "name": "新围栏",
        "kind": "forbidden",
        "geometry": {
            "type": "Polygon",
            "coordinates": [[[118.21, 39.21], [118.22, 39.21], [118.22, 39.22], [118.21, 39.21]]],
        },
    }
    position = {"positions": [{"plate": "冀B23456", "time_ms": T0_MS, "lon": 118.2, "lat": ROAD_LAT, "speed_kmh": 30}]}
    window = "start=2026-05-06T09:00:00%2B08:00&end=2026-05-06T11:00:00%2B08:00"
    track = f"/tracking/terminals/{stage['terminal']}/track?{window}"
    return [
        ("POST", "/ingest/positions", position, PUSHERS, 200),
        ("GET", "/tracking/vehicles", None, READERS, 200),
        ("GET", track, None, READERS, 200),
        ("GET", "/tracking/violations", None, READERS, 200),
        ("GET", f"/tracking/violations/{stage['violation']}", None, READERS, 200),
        ("GET", "/tracking/fences", None, READERS, 200),
        ("GET", f"/tracking/fences/{stage['fence']}", None, READERS, 200),
        ("POST", "/tracking/fences", fence, EDITORS, 201),
        ("PUT", f"/tracking/fences/{stage['fence']}", {**fence, "kind": "parking", "capacity": 3}, EDITORS, 200),
        ("DELETE", f"/tracking/fences/{stage['fence']}", None, EDITORS, 204),
    ]


@pytest.mark.parametrize("role", [None, *Role], ids=lambda r: r.value if r else "anonymous")
def test_tracking_matrix(park: SmallPark, api: Any, stage: dict[str, int], role: Role | None) -> None:
    client = api(role)
    for method, path, body, allowed, ok in calls(stage):
        expected = 401 if role is None else ok if role in allowed else 403
        assert attempt(client, method, path, body) == expected, (role, method, path)


def test_the_matrix_found_a_violation_to_read(stage: dict[str, int], api: Any) -> None:
    item = api(Role.DISPATCHER).call("GET", f"/tracking/violations/{stage['violation']}").json()
    assert (item["kind"], item["peak_kmh"], item["limit_kmh"]) == ("overspeed", 80, 40)
