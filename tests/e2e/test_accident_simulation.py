"""A duty officer runs a chlorine leak on the 事故模拟 page: the threat zones appear on the map and
the protective targets inside them are listed with their people.

The demo source sits at the west edge of the park (118.176 E, 39.200 N) with the wind from the east
(90°, 3 m/s, class D), so the plume heads west toward 临港镇: the kindergarten 1.39 km away lies in
the AEGL-2 zone and the town government 1.66 km away in the AEGL-1 zone."""

from __future__ import annotations

from playwright.sync_api import Page, expect

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
    # three zones drawn on the map (red, orange, yellow)
    for colour in ("#e03131", "#f76707", "#fab005"):
        expect(page.locator(f"#sim-map path.leaflet-interactive[fill='{colour}']")).to_have_count(1)
    zones = page.locator("[data-testid=zone-table] tbody tr")
    expect(zones).to_have_count(3)
    expect(zones.nth(0)).to_contain_text("AEGL-3")
    targets = page.locator("[data-testid=affected-targets] tbody tr")
    expect(targets).to_have_count(2)
    expect(targets.nth(0)).to_contain_text("临港镇中心幼儿园")
    expect(targets.nth(0)).to_contain_text("AEGL-2")
    expect(targets.nth(0)).to_contain_text("260")
    expect(targets.nth(1)).to_contain_text("临港镇政府")
    expect(targets.nth(1)).to_contain_text("AEGL-1")
    expect(page.locator("[data-testid=sim-summary]")).to_contain_text("460")
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
