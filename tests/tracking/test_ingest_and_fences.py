"""Positions over HTTP (stored once, filtered, unknown vehicles named), the rules through the
database (forbidden zone, parking lot, restart of the engine), fence input refused with reasons."""

from __future__ import annotations

from typing import Any

import pytest

from chempark.core.roles import Role
from chempark.monitoring.models import Alarm, AlarmStatus
from chempark.tracking import runtime
from chempark.tracking.models import Fence, Position, Terminal, Violation
from chempark.tracking.services import PositionIn, positions_store, terminal_authenticate, terminal_register
from tests.tracking.conftest import ROAD_LAT, Fleet

T0_MS = 1_778_032_800_000  # 2026-05-06 02:00 UTC


def item(i: int, **changes: Any) -> dict[str, Any]:
    return {
        "plate": "冀B23456",
        "time_ms": T0_MS + i * 10_000,
        "lon": 118.19 + i * 0.001,
        "lat": ROAD_LAT,
        "speed_kmh": 30,
        **changes,
    }


def test_http_positions_are_stored_once_and_filtered(fleet: Fleet, api: Any) -> None:
    machine = api(Role.MACHINE)
    body = {
        "positions": [
            item(0),
            item(1),
            item(1),
            item(2, valid=False),
            item(3, lon=119.5),
            item(4),
            item(5, plate="冀B00000"),
        ]
    }
    answer = machine.call("POST", "/ingest/positions", body).json()
    assert answer["rejected"] == {"invalid_fix": 1, "jump": 1}
    assert answer["unknown"] == ["冀B00000"]
    assert Position.objects.count() == 3  # 0, 1 (once), 4
    again = machine.call("POST", "/ingest/positions", {"positions": [item(0), item(4)]}).json()
    assert again["stored"] == 2 and Position.objects.count() == 3  # a resend adds nothing
    terminal = Terminal.objects.get(vehicle=fleet.van)
    assert terminal.last_ms == T0_MS + 40_000


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"positions": []}, "positions"),
        ({"positions": [item(0, lat=95)]}, "lat"),
        ({"positions": [item(0, plate=None)]}, "vehicle"),
        ({"positions": [item(0, speed_kmh="fast")]}, "speed_kmh"),
    ],
)
def test_bad_position_batches_are_refused_whole(fleet: Fleet, api: Any, body: dict[str, Any], field: str) -> None:
    response = api(Role.MACHINE).call("POST", "/ingest/positions", body)
    assert response.status_code == 422
    assert field in str(response.json()) and Position.objects.count() == 0


def test_forbidden_zone_entry_is_an_alarm_cleared_on_exit(fleet: Fleet) -> None:
    terminal_register("13900000001")
    track = [(0, 118.2025, ROAD_LAT), (30, 118.2025, 39.2045), (60, 118.2025, 39.2045), (90, 118.2025, ROAD_LAT)]
    positions_store([PositionIn("13900000001", T0_MS + s * 1000, lon, lat, 10) for s, lon, lat in track[:2]])
    violation = Violation.objects.get(kind="forbidden_zone")
    assert violation.ended_at is None and violation.fence == fleet.forbidden
    alarm = Alarm.objects.get(pk=violation.alarm_id)
    assert (alarm.source, alarm.subject, alarm.status) == ("tracking", fleet.tanker.plate, AlarmStatus.ACTIVE_UNACK)
    runtime.reset()  # a restart between the two batches: the engine seeds the vehicle from its last fix
    positions_store([PositionIn("13900000001", T0_MS + s * 1000, lon, lat, 10) for s, lon, lat in track[2:]])
    violation.refresh_from_db()
    alarm.refresh_from_db()
    assert violation.ended_at is not None and alarm.status == AlarmStatus.CLEARED_UNACK
    assert Violation.objects.count() == 1


def test_terminal_registration_and_authentication(fleet: Fleet) -> None:
    assert terminal_register("13900000009") == (4, "")
    result, code = terminal_register("013900000001")
    assert result == 0 and len(code) == 16
    assert terminal_authenticate("13900000001", code)
    assert not terminal_authenticate("13900000001", "wrong")
    _, newer = terminal_register("13900000001")  # re-registering replaces the code
    assert not terminal_authenticate("13900000001", code) and terminal_authenticate("13900000001", newer)


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"kind": "corridor"}, "LineString"),
        (
            {"kind": "corridor", "geometry": {"type": "LineString", "coordinates": [[118.2, 39.2], [118.21, 39.2]]}},
            "width_m",
        ),
        (
            {
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [[[118.2, 39.2], [200, 39.2], [118.2, 39.3], [118.2, 39.2]]],
                }
            },
            "超出",
        ),
        ({"windows": [[600, 300]]}, "windows"),
        ({"speed_limit_kmh": 0}, "speed_limit_kmh"),
        ({"name": "停车场"}, "已存在"),
    ],
)
def test_bad_fences_are_refused_with_the_field(fleet: Fleet, api: Any, changes: dict[str, Any], words: str) -> None:
    body = {
        "name": "新禁行区",
        "kind": "forbidden",
        "geometry": {
            "type": "Polygon",
            "coordinates": [[[118.2, 39.2], [118.21, 39.2], [118.21, 39.21], [118.2, 39.2]]],
        },
        **changes,
    }
    before = Fence.objects.count()
    response = api(Role.INSPECTOR).call("POST", "/tracking/fences", body)
    assert response.status_code == 422 and words in str(response.json()), response.json()
    assert Fence.objects.count() == before


def test_a_fence_change_takes_effect_at_once(fleet: Fleet, api: Any) -> None:
    terminal_register("13900000001")
    positions_store([PositionIn("13900000001", T0_MS, 118.19, ROAD_LAT, 38)])
    lowered = api(Role.INSPECTOR).call(
        "PUT",
        f"/tracking/fences/{fleet.corridor.pk}",
        {
            "name": "纬路",
            "kind": "corridor",
            "geometry": fleet.corridor.geometry,
            "width_m": 40,
            "speed_limit_kmh": 20,
        },
    )
    assert lowered.status_code == 200
    fixes = [PositionIn("13900000001", T0_MS + i * 5000, 118.19 + i * 0.0005, ROAD_LAT, 38) for i in range(1, 6)]
    positions_store(fixes)
    assert Violation.objects.get().limit_kmh == 20


@pytest.mark.parametrize(
    ("method", "path", "body", "status"),
    [
        (
            "GET",
            "/tracking/terminals/{t}/track?start=2026-05-06T10:00:00%2B08:00&end=2026-05-06T09:00:00%2B08:00",
            None,
            422,
        ),
        ("GET", "/tracking/terminals/{t}/track?start=yesterday&end=2026-05-06T09:00:00%2B08:00", None, 422),
        (
            "GET",
            "/tracking/terminals/999999/track?start=2026-05-06T08:00:00%2B08:00&end=2026-05-06T09:00:00%2B08:00",
            None,
            404,
        ),
        ("GET", "/tracking/violations?kind=speeding", None, 422),
        ("GET", "/tracking/violations/424242", None, 404),
        ("PUT", "/tracking/fences/424242", {"name": "x", "kind": "forbidden", "geometry": {}}, 422),
        ("POST", "/tracking/fences", {"name": "x", "kind": "moat", "geometry": {}}, 422),
        (
            "POST",
            "/tracking/fences",
            {"name": "x", "kind": "forbidden", "geometry": {"type": "Polygon"}, "extra": 1},
            422,
        ),
    ],
)
def test_bad_requests_get_a_structured_answer(
    fleet: Fleet, api: Any, method: str, path: str, body: Any, status: int
) -> None:
    terminal_register("13900000001")
    path = path.replace("{t}", str(Terminal.objects.get().pk))
    response = api(Role.INSPECTOR).call(method, path, body)
    assert response.status_code == status, response.content
    assert set(response.json()) == {"code", "message", "details"}
