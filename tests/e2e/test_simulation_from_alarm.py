"""A dispatcher opens 事故模拟 from a gas alarm on the chlorine tank: the tank, its chemical and the
wind the park's weather station measures are filled in; the chlorine cloud is drawn with the
dense-gas model and the people inside each zone are counted. Then a pool fire of a gasoline tank,
picked from the registry, draws its heat-radiation zones. The same page at a phone's width."""

from __future__ import annotations

import math
from typing import Any

from django.utils import timezone
from playwright.sync_api import Page, expect

from chempark.monitoring.ingest.payload import datetime_to_ms
from chempark.monitoring.models import Alarm, AlarmStatus, AlarmType, Point, PointKind, PointLatest, Severity
from chempark.park.models import Tank
from tests.e2e.conftest import login, screenshot


def _wind_towards(source: Any, target: Any) -> int:
    """The direction (degrees, meteorological: where the wind comes from) of a wind that carries a
    cloud from ``source`` over ``target`` (both with lon/lat; a flat-earth bearing is enough here)."""
    east = (float(target.lon) - float(source.lon)) * math.cos(math.radians(float(source.lat)))
    north = float(target.lat) - float(source.lat)
    if abs(east) < 1e-9 and abs(north) < 1e-9:
        return 90
    towards = math.degrees(math.atan2(east, north))
    return round((towards + 180.0) % 360.0) % 360


def _chlorine_alarm() -> tuple[Alarm, Tank, int]:
    """A toxic-gas detector on the demo's chlorine tank, alarming now, and the weather station
    reading a 3 m/s wind now that blows from the tank over its enterprise's site."""
    tank = Tank.objects.filter(chemical__cas="7782-50-5").select_related("unit__enterprise").first()
    assert tank is not None
    unit = tank.unit
    wind_from = _wind_towards(unit, unit.enterprise)
    now = timezone.now()
    point = Point.objects.create(
        enterprise_id=unit.enterprise_id,
        unit=unit,
        tank=tank,
        code="CL-GD-01",
        name="液氯罐区有毒气体探测器",
        kind=PointKind.GAS_PPM,
        unit_of_measure="ppm",
        range_min=0,
        range_max=20,
        h=1.0,
        lon=unit.lon,
        lat=unit.lat,
    )
    PointLatest.objects.create(point=point, ts_ms=datetime_to_ms(now), value=6.0, state={}, online=True)
    for kind, value in ((PointKind.WIND_SPEED, 3.0), (PointKind.WIND_DIRECTION, float(wind_from))):
        PointLatest.objects.filter(point__kind=kind).update(ts_ms=datetime_to_ms(now), value=value, online=True)
    alarm = Alarm.objects.create(
        enterprise_id=unit.enterprise_id,
        point=point,
        alarm_type=AlarmType.HIGH,
        severity=Severity.CRITICAL,
        status=AlarmStatus.ACTIVE_UNACK,
        raised_ms=datetime_to_ms(now),
        raised_at=now,
        value=6.0,
        peak_value=6.0,
    )
    return alarm, tank, wind_from


def _no_codes_or_english(page: Page) -> None:
    body = page.locator("main, body").first.inner_text()
    for leaked in (
        "pool_fire",
        "britter_mcquaid",
        "dense_plume",
        "kW/m2",
        "None",
        "undefined",
        "enterprise",
        "village",
        "passive",
        "Gaussian",
    ):
        assert leaked not in body, leaked


def test_simulation_from_a_chlorine_alarm_then_a_gasoline_pool_fire(page: Page, demo_site: str) -> None:
    alarm, tank, wind_from = _chlorine_alarm()
    login(page, demo_site, "dispatcher")
    page.goto(f"{demo_site}/monitoring/alarms/{alarm.pk}/")
    page.click("[data-testid=alarm-simulate]")
    page.wait_for_selector("#sim-map[data-loaded=true]")
    expect(page.locator("[data-testid=sim-alarm]")).to_contain_text(f"报警 #{alarm.pk}")
    expect(page.locator("#sim-tank")).to_have_value(str(tank.pk))
    expect(page.locator("#sim-chemical")).to_have_value("7782-50-5")
    expect(page.locator("[data-testid=sim-wind-source]")).to_contain_text("园区气象站实测")
    expect(page.locator("#sim-wind")).to_have_value("3")
    expect(page.locator("#sim-wind-from")).to_have_value(str(wind_from))
    page.click("#sim-run")
    page.wait_for_selector("#sim-map[data-simulated]")
    expect(page.locator("[data-testid=sim-model]")).to_contain_text("重气云")
    zones = page.locator("[data-testid=zone-table] tbody tr")
    expect(zones).to_have_count(3)
    expect(zones.nth(0)).to_contain_text("ppm")
    expect(zones.nth(0)).to_contain_text("mg/m³")
    # the enterprise holding the tank has its employees inside the red zone
    employees = page.locator("[data-testid=affected-targets] tbody tr[data-group=enterprise]")
    expect(employees.first).to_contain_text("企业员工")
    _no_codes_or_english(page)
    screenshot(page, "simulation-from-alarm-chlorine")
    page.locator("[data-testid=affected-targets]").scroll_into_view_if_needed()
    screenshot(page, "simulation-from-alarm-chlorine-people")
    run_alarm: Any = alarm.pk

    gasoline = Tank.objects.filter(chemical__cas="86290-81-5").first()
    assert gasoline is not None
    page.select_option("#sim-scenario", "pool_fire")
    page.select_option("#sim-tank", str(gasoline.pk))
    expect(page.locator("#sim-chemical")).to_have_value("86290-81-5")
    page.click("#sim-run")
    expect(page.locator("[data-testid=sim-summary]")).to_contain_text("池火")
    fire_zones = page.locator("[data-testid=zone-table] tbody tr")
    expect(fire_zones).to_have_count(4)
    expect(fire_zones.nth(3)).to_contain_text("1.6 kW/m²")
    expect(page.locator("[data-testid=sim-facts]")).to_contain_text("池直径")
    _no_codes_or_english(page)
    screenshot(page, "simulation-pool-fire-gasoline")
    assert run_alarm == alarm.pk

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{demo_site}/emergency/simulation/?alarm={alarm.pk}")
    page.wait_for_selector("#sim-map[data-loaded=true]")
    screenshot(page, "simulation-from-alarm-390px")
