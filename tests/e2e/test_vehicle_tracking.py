"""Vehicle tracking in the browser, as the duty dispatcher: a tanker reporting over JT/T 808 moves on
the one-map, its track is replayed with the slider and play/pause, and a violation is opened from the
map's violation layer."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.db import connections
from django.utils import timezone
from playwright.sync_api import Page, expect

from chempark.jt808.server import Server
from chempark.jt808.simulator import Fix, Terminal, drive, location_of
from chempark.tracking import runtime
from chempark.tracking.demo import JING1
from chempark.tracking.handler import PlatformHandler
from chempark.tracking.models import Fence, Violation
from chempark.tracking.services import PositionIn, positions_store, terminal_register
from chempark.vehicles.models import Vehicle
from tests.e2e.conftest import login, screenshot
from tests.e2e.test_pages_csp import Problems, visit, watched

__all__ = ["watched"]  # the fixture, used by name


class Platform:
    """The JT/T 808 server with the platform's handler on an event loop of its own thread."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="jt808", daemon=True)
        self.thread.start()
        self.handler = PlatformHandler()
        self.server = Server(self.handler)
        self.run(self._start())

    async def _start(self) -> None:
        self.handler.start()
        await self.server.start()

    def run(self, work: object) -> object:
        return asyncio.run_coroutine_threadsafe(work, self.loop).result(60)  # type: ignore[arg-type]  # work is a coroutine of the test

    def close(self) -> None:
        self.run(self.server.stop())
        self.run(self.handler.stop())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        connections.close_all()


@pytest.fixture
def platform(demo_site: str) -> Iterator[Platform]:
    runtime.reset()
    platform = Platform()
    yield platform
    platform.close()


def test_dispatcher_follows_a_vehicle_replays_it_and_opens_a_violation(
    page: Page, demo_site: str, platform: Platform
) -> None:
    vehicle = Vehicle.objects.exclude(terminal_phone=None).order_by("plate").first()
    assert vehicle is not None and vehicle.terminal_phone
    terminal = Terminal(vehicle.terminal_phone.rjust(12, "0"), vehicle.plate, "127.0.0.1", platform.server.port)
    # Up 经一路 (limit 40 km/h) at 60 km/h, fixes every 5 s ending now: an overspeed.
    start = timezone.now() - timedelta(minutes=3)
    fixes = [f for f in drive(JING1, 60, 5, start) if f.time <= timezone.now()]
    first, second = fixes[: len(fixes) // 2], fixes[len(fixes) // 2 :]

    async def report(batch: list[Fix]) -> None:
        for fix in batch:
            assert await terminal.report(location_of(fix))

    platform.run(terminal.connect())
    platform.run(report(first))

    login(page, demo_site, "dispatcher")
    page.goto(f"{demo_site}/")
    page.wait_for_selector("#map[data-loaded=true]")
    where = vehicle_position(page, vehicle.plate)
    assert where is not None, "the vehicle is on the map"
    platform.run(report(second))
    page.evaluate("window.chemparkReloadLayer('vehicles')")
    page.wait_for_function(
        "([plate, lat]) => { let moved = false; window.chemparkLayers.vehicles.eachLayer((l) => {"
        " const p = l.feature && l.feature.properties;"
        " if (p && p.name === plate && l.getLatLng().lat !== lat) moved = true; }); return moved; }",
        arg=[vehicle.plate, where[0]],
    )
    moved = vehicle_position(page, vehicle.plate)
    assert moved is not None and moved[0] > where[0]  # driving north
    screenshot(page, "tracking-onemap")

    # Replay from the vehicle's popup
    click_feature(page, "vehicles", vehicle.plate)
    page.wait_for_selector("#replay-map[data-loaded=true]")
    slider = page.locator("[data-testid=replay-slider]")
    assert int(slider.get_attribute("max") or 0) == len(fixes) - 1
    page.select_option("#replay-speed", "300")
    page.click("[data-testid=replay-play]")
    expect(page.locator("[data-testid=replay-play]")).to_have_text("暂停")
    page.wait_for_function("() => Number(document.getElementById('replay-map').dataset.index) >= 3")
    page.click("[data-testid=replay-play]")
    expect(page.locator("[data-testid=replay-play]")).to_have_text("播放")
    slider.fill(str(len(fixes) - 1))
    expect(page.locator("[data-testid=replay-info]")).to_contain_text("60 km/h")
    screenshot(page, "tracking-replay")

    # The overspeed on the map's violation layer opens the violation's page
    page.goto(f"{demo_site}/")
    page.wait_for_selector("#map[data-loaded=true]")
    click_feature(page, "vehicle_violations", f"超速 {vehicle.plate}")
    expect(page.locator("[data-testid=violation-title]")).to_have_text(f"超速 · {vehicle.plate}")
    expect(page.locator("dl.fields")).to_contain_text("60 / 40 km/h")
    screenshot(page, "tracking-violation")


def vehicle_position(page: Page, plate: str) -> tuple[float, float] | None:
    found = page.evaluate(
        "(plate) => { let at = null; window.chemparkLayers.vehicles.eachLayer((l) => {"
        " const p = l.feature && l.feature.properties;"
        " if (p && p.name === plate) at = [l.getLatLng().lat, l.getLatLng().lng]; }); return at; }",
        plate,
    )
    return None if found is None else (found[0], found[1])


def click_feature(page: Page, layer: str, name: str) -> None:
    """Centre the map on the named point of ``layer``, click it as a person would, follow its popup's link."""
    at = page.evaluate(
        "([layer, name]) => { let at = null; window.chemparkLayers[layer].eachLayer((l) => {"
        " const p = l.feature && l.feature.properties; if (p && p.name === name && l.getLatLng) at = l.getLatLng(); });"
        " window.chemparkMap.setView(at, 17, { animate: false });"
        " const point = window.chemparkMap.latLngToContainerPoint(at); return [point.x, point.y]; }",
        [layer, name],
    )
    box = page.locator("#map").bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + at[0], box["y"] + at[1])
    page.click(".leaflet-popup-content a")


def test_tracking_pages_run_under_the_policy(watched: tuple[Page, Problems], demo_site: str) -> None:
    """Every tracking page as the inspector, who also edits fences: no script error, no violation."""
    page, problems = watched
    runtime.reset()  # the engine of an earlier test knew another copy of the demo
    vehicle = Vehicle.objects.exclude(terminal_phone=None).order_by("plate").first()
    assert vehicle is not None and vehicle.terminal_phone
    terminal_register(vehicle.terminal_phone)
    now_ms = int(timezone.now().timestamp() * 1000)
    lon0, lat0 = JING1[0]
    positions_store([PositionIn(vehicle.terminal_phone.lstrip("0"), now_ms - (30 - i) * 5000, lon0, lat0 + i * 0.0008,
                                58, heading=0) for i in range(30)])  # fmt: skip
    login(page, demo_site, "inspector")
    problems.check("login")
    fence = Fence.objects.order_by("pk").first()
    assert fence is not None
    for path, shot, ready in (
        ("/tracking/", "vehicles", "[data-testid=vehicle-table]"),
        ("/tracking/replay/", "replay", "#replay-map[data-loaded=true]"),
        ("/tracking/violations/", "violations", "[data-testid=violation-table]"),
        ("/tracking/fences/", "fences", "[data-testid=fence-table]"),
        ("/tracking/fences/new/", "fence-new", "form.stack"),
        (f"/tracking/fences/{fence.pk}/", "fence-edit", "form.stack"),
        ("/tracking/report/", "report", "[data-testid=report-table]"),
        ("/", "onemap", "#map[data-loaded=true]"),
    ):
        visit(page, problems, f"{demo_site}{path}", f"tracking-{shot}", ready)
    violation = Violation.objects.order_by("pk").first()
    assert violation is not None
    visit(page, problems, f"{demo_site}/tracking/violations/{violation.pk}/", "tracking-violation-detail",
          "[data-testid=violation-title]")  # fmt: skip
