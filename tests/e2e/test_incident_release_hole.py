"""The reported-release form of the live demo incident (a chlorine leak at a tank unit) in the
browser, under the Content-Security-Policy: choosing a hole shows the hole's fields and hides the
rate, and choosing a registry tank fills in the storage temperature, pressure and level its points measure.
Nothing is submitted here (the demo incident is shared by the other browser tests; the submission is
tests/incidents/test_release_hole.py's)."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from chempark.incidents.models import Incident, IncidentStatus
from tests.e2e.conftest import login
from tests.e2e.test_pages_csp import Problems, visit, watched

__all__ = ["watched"]  # the fixture, used by name


def test_the_hole_form_shows_its_fields_and_fills_in_the_tank(watched: tuple[Page, Problems], demo_site: str) -> None:
    page, problems = watched
    live = Incident.objects.get(status=IncidentStatus.OPEN)
    login(page, demo_site, "dispatcher")
    visit(
        page, problems, f"{demo_site}/incidents/{live.pk}/", "dispatcher-incident-release", "#inc-map[data-loaded=true]"
    )
    page.locator("details.inc-release summary").click()
    hole = page.locator("[data-testid=release-hole]")
    expect(hole).to_be_hidden()
    expect(page.locator("[data-testid=release-rate]")).to_be_visible()
    page.locator("[data-testid=release-kind]").select_option("tank_hole")
    expect(hole).to_be_visible()
    expect(page.locator("[data-testid=release-rate]")).to_be_hidden()
    tanks = page.locator("[data-testid=release-tank] option[value]:not([value=''])")
    assert tanks.count() >= 1, "the incident unit's chlorine tank is offered"
    option = tanks.first
    page.locator("[data-testid=release-tank]").select_option("")
    expect(page.locator("[data-testid=release-temperature]")).to_have_value("")
    page.locator("[data-testid=release-tank]").select_option(option.get_attribute("value") or "")
    expect(page.locator("[data-testid=release-temperature]")).to_have_value(
        option.get_attribute("data-temperature-c") or ""
    )
    expect(page.locator("[data-testid=release-pressure]")).to_have_value(
        option.get_attribute("data-pressure-mpa") or ""
    )
    expect(page.locator("[data-testid=release-head]")).to_have_value(option.get_attribute("data-liquid-head-m") or "0")
    problems.check("release form")
