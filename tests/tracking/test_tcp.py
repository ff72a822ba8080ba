"""A terminal over TCP against the JT/T 808 server with the platform's handler and database."""

from __future__ import annotations

import asyncio
import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from chempark.core.roles import Role
from chempark.jt808.server import Server
from chempark.jt808.simulator import Fix, Terminal, drive, location_of
from chempark.monitoring.models import Alarm
from chempark.tracking.handler import PlatformHandler
from chempark.tracking.models import Position
from chempark.tracking.models import Terminal as TerminalRow
from tests.tracking.conftest import ROAD_LAT, Fleet

pytestmark = pytest.mark.django_db(transaction=True)

START = datetime(2026, 5, 6, 2, 0, tzinfo=UTC)  # 10:00 in Beijing
INTERVAL_S = 5


def legs(*parts: tuple[list[tuple[float, float]], float]) -> list[Fix]:
    """Fixes along consecutive polylines, each at its speed, one every INTERVAL_S, time running on."""
    fixes: list[Fix] = []
    for line, speed in parts:
        start = fixes[-1].time + timedelta(seconds=INTERVAL_S) if fixes else START
        fixes += list(drive(line, speed, INTERVAL_S, start))
    return fixes


NORTH = ROAD_LAT + 0.0015  # ~170 m north of the corridor's centre line: outside its 40 m
# On the road at 36 km/h, a detour off it, back on the road at 60 km/h (limit 40), then 30 km/h.
DRIVE = legs(
    ([(118.185, ROAD_LAT), (118.195, ROAD_LAT)], 36),
    ([(118.1955, ROAD_LAT), (118.1955, NORTH), (118.1985, NORTH), (118.1985, ROAD_LAT + 0.0001)], 30),
    ([(118.199, ROAD_LAT), (118.206, ROAD_LAT)], 60),
    ([(118.2065, ROAD_LAT), (118.212, ROAD_LAT)], 30),
)


def run_apart(coroutine: Any) -> None:
    """Run ``coroutine`` in an event loop of its own thread: the browser tests' Playwright keeps a loop
    running in the main thread for the whole session, where ``asyncio.run`` refuses to start."""
    failure: list[BaseException] = []

    def target() -> None:
        try:
            asyncio.run(coroutine)
        except BaseException as exc:
            failure.append(exc)

    thread = threading.Thread(target=target, name="tcp-test")
    thread.start()
    thread.join()
    if failure:
        raise failure[0]


async def serve(body: Any) -> None:
    handler = PlatformHandler()
    handler.start()
    server = Server(handler)
    await server.start()
    try:
        await asyncio.wait_for(body(server), 60)
    finally:
        await server.stop()
        await handler.stop()


def test_a_drive_off_the_corridor_and_too_fast_gives_deviation_and_overspeed(fleet: Fleet, api: Any) -> None:
    async def body(server: Server) -> None:
        terminal = Terminal("013900000001", fleet.tanker.plate, "127.0.0.1", server.port)
        await terminal.connect()
        for fix in DRIVE:
            assert await terminal.report(location_of(fix))
        await terminal.logout()

    run_apart(serve(body))
    assert Position.objects.count() == len(DRIVE)
    inspector = api(Role.INSPECTOR)
    items = inspector.call("GET", "/tracking/violations").json()["items"]
    kinds = sorted(item["kind"] for item in items)
    assert kinds == ["deviation", "overspeed"], items
    overspeed = next(i for i in items if i["kind"] == "overspeed")
    assert (overspeed["peak_kmh"], overspeed["limit_kmh"], overspeed["plate"]) == (60, 40, fleet.tanker.plate)
    assert all(item["ended_at"] for item in items)  # both ended within the drive
    alarms = Alarm.objects.filter(source="tracking")
    assert sorted(a.alarm_type for a in alarms) == ["deviation", "overspeed"]
    vehicles = inspector.call("GET", "/tracking/vehicles").json()
    assert [(v["plate"], v["lon"]) for v in vehicles] == [(fleet.tanker.plate, pytest.approx(DRIVE[-1].lon))]


def test_restarting_the_server_mid_drive_loses_and_duplicates_no_position(fleet: Fleet) -> None:
    async def main() -> None:
        handler = PlatformHandler()
        handler.start()
        server = Server(handler)
        await server.start()
        port = server.port
        terminal = Terminal("013900000001", fleet.tanker.plate, "127.0.0.1", port)
        await terminal.connect()
        for index, fix in enumerate(DRIVE):
            if index == len(DRIVE) // 3:
                await server.stop()
            if index == len(DRIVE) // 2:
                server = Server(handler, port=port)
                await server.start()
                await terminal.connect()
            if not await terminal.report(location_of(fix)):
                await terminal.close()
        await terminal.connect()  # anything still unacknowledged goes now
        await server.stop()
        await handler.stop()

    run_apart(asyncio.wait_for(main(), 60))
    stored = list(Position.objects.order_by("ts_ms").values_list("ts_ms", flat=True))
    assert stored == [int(fix.time.timestamp() * 1000) for fix in DRIVE]
    assert TerminalRow.objects.get().last_ms == stored[-1]


def test_unknown_terminal_is_refused_and_stores_nothing(fleet: Fleet) -> None:
    async def body(server: Server) -> None:
        stranger = Terminal("013999999999", "冀B99999", "127.0.0.1", server.port)
        with pytest.raises(ConnectionError, match="result 4"):
            await stranger.connect()

    run_apart(serve(body))
    assert Position.objects.count() == 0 and not TerminalRow.objects.exists()
