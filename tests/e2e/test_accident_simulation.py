"""A duty officer runs a chlorine leak on the 事故模拟 page: the threat zones appear on the map and
the protective targets inside them are listed with their people.

The demo source sits at the west edge of the park (118.176 E, 39.200 N) with the wind from the east
(90°, 3 m/s, class D), so the plume heads west toward 临港镇: the kindergarten 1.39 km away lies in
the AEGL-2 zone (orange, 3.9 km long) and so does the town government 1.66 km away; the village of
西河村 is partly inside it as well."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from chempark.park.models import Tank
from tests.e2e.conftest import login, screenshot


def test_chlorine_leak_shows_zones_and_affected_targets(page: Page, demo_site: str) -> None:
    login(page, demo_site, "dispatcher")
    page.click("nav >> text=事故模拟")
    page.wait_for_selector("#sim-map[data-loaded=true]")
    # clicking the map places the source; the exact point is then typed in
    page.locator("#sim-map").click(position={"x": 300, "y": 300})
    expect(page.locator("#sim-lon")).not_to_have_value("")
    page.select_option("#sim-chemical", "7782-50-5")
    page.fill("#sim-lon", "118.176")
    page.fill("#sim-lat", "39.2")
    page.select_option("#sim-kind", "continuous")
    page.fill("#sim-amount", "1")
    page.fill("#sim-wind", "3")
    page.fill("#sim-wind-from", "90")
    page.select_option("#sim-stability", "D")
    page.click("#sim-run")
    page.wait_for_selector("#sim-map[data-simulated]")
    # three zones drawn on the map in the stylesheet's zone colours (red, orange, yellow)
    for zone in range(3):
        colour = page.evaluate(f"getComputedStyle(document.documentElement).getPropertyValue('--zone-{zone}').trim()")
        expect(page.locator(f"#sim-map path.sim-zone[fill='{colour}']")).to_have_count(1)
    zones = page.locator("[data-testid=zone-table] tbody tr")
    expect(zones).to_have_count(3)
    expect(zones.nth(0)).to_contain_text("AEGL-3")
    # the protective targets among the people listed (employees and villages are listed too)
    targets = page.locator("[data-testid=affected-targets] tbody tr[data-group=target]")
    expect(targets).to_have_count(2)
    expect(targets.nth(0)).to_contain_text("临港镇中心幼儿园")
    expect(targets.nth(0)).to_contain_text("橙区")
    expect(targets.nth(0)).to_contain_text("260")
    expect(targets.nth(1)).to_contain_text("临港镇政府")
    expect(targets.nth(1)).to_contain_text("橙区")
    expect(page.locator("[data-testid=sim-summary]")).to_contain_text("防护目标 2 处")
    screenshot(page, "accident-simulation-chlorine")
    page.locator("[data-testid=affected-targets]").scroll_into_view_if_needed()
    screenshot(page, "accident-simulation-chlorine-targets")


def test_a_refused_simulation_shows_the_reason(page: Page, demo_site: str) -> None:
    login(page, demo_site, "inspector")
    page.goto(f"{demo_site}/emergency/simulation/")
    page.wait_for_selector("#sim-map[data-loaded=true]")
    page.fill("#sim-lon", "118.176")
    page.fill("#sim-lat", "39.2")
    page.fill("#sim-wind", "0.5")
    page.click("#sim-run")
    expect(page.locator("#sim-error")).to_contain_text("1 m/s")
    screenshot(page, "accident-simulation-refused")


def test_alarming_detectors_offer_a_leak_source_that_opens_the_simulation(page: Page, demo_site: str) -> None:
    """Eight chlorine detectors of the demo enterprise holding chlorine read the plume of a 200 g/s
    ground source (wind from the east, 3 m/s, D — the assumed default); several alarm, so the one-map
    shows the estimated source and its zones, and its link opens 事故模拟 prefilled."""
    from tests.emergency.test_leak_source_layer import SOURCE_A, detectors, ingest

    tank = Tank.objects.filter(chemical__cas="7782-50-5").select_related("unit__enterprise").first()
    assert tank is not None
    unit = tank.unit
    ingest(unit.enterprise, detectors(unit.enterprise, unit, tank, SOURCE_A, "CL"))
    login(page, demo_site, "dispatcher")
    page.goto(f"{demo_site}/")
    page.wait_for_selector("#map[data-loaded=true]")
    page.evaluate("""() => { const layer = window.chemparkLayers.leak_source;
        window.chemparkMap.fitBounds(layer.getBounds().pad(0.3));
        layer.eachLayer((l) => { if (l.feature.properties.kind === "source") l.openPopup(); }); }""")
    popup = page.locator(".leaflet-popup-content")
    expect(popup).to_contain_text("估计泄漏源")
    expect(popup).to_contain_text("×/÷")
    expect(popup).to_contain_text("假定风况")
    expect(page.locator("#map path.leaflet-interactive[fill='#e03131']")).not_to_have_count(0)
    screenshot(page, "onemap-leak-source")
    page.click("[data-testid=leak-source-simulate]")
    page.wait_for_selector("#sim-map[data-loaded=true]")
    expect(page.locator("#sim-chemical")).to_have_value("7782-50-5")
    expect(page.locator("#sim-kind")).to_have_value("continuous")
    expect(page.locator("#sim-wind-from")).to_have_value("90")
    assert abs(float(page.input_value("#sim-lon")) - SOURCE_A[0]) < 2e-4
    assert abs(float(page.input_value("#sim-amount")) - 0.2) < 0.006
    page.click("#sim-run")
    page.wait_for_selector("#sim-map[data-simulated]")
    expect(page.locator("[data-testid=zone-table] tbody tr")).to_have_count(3)
    screenshot(page, "accident-simulation-from-leak-source")
