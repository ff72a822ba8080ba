"""The emergency command pages under the Content-Security-Policy, as the dispatcher and the bureau
administrator use them: no policy violation, no script error, maps loaded with their colour tokens
resolved; the live demo incident's page, the call form, the ledger, reminders and roads."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from chempark.incidents.models import Incident, IncidentStatus, Resource
from tests.e2e.conftest import login, logout, screenshot
from tests.e2e.test_pages_csp import Problems, token, visit, watched

__all__ = ["watched"]  # the fixture, used by name


def test_incident_pages_run_under_the_policy(watched: tuple[Page, Problems], demo_site: str) -> None:
    page, problems = watched
    live = Incident.objects.get(status=IncidentStatus.OPEN)
    login(page, demo_site, "dispatcher")
    visit(page, problems, f"{demo_site}/incidents/", "dispatcher-incidents", "[data-testid=incident-table]")
    visit(page, problems, f"{demo_site}/incidents/{live.pk}/", "dispatcher-incident", "#inc-map[data-loaded=true]")
    fills = page.locator("#inc-map path.leaflet-interactive").evaluate_all(
        "els => els.map(e => e.getAttribute('fill'))"
    )
    assert fills and not [f for f in fills if f and f.startswith("--")], "every colour token resolved"
    assert token(page, "--map-incident") in fills, "the scene drawn in its colour"
    visit(page, problems, f"{demo_site}/incidents/new/", "dispatcher-call", "#inc-map[data-loaded=true]")
    page.locator("#inc-map").click(position={"x": 300, "y": 250})
    assert page.locator("#inc-lon").input_value(), "a click on the map fills the position"
    visit(page, problems, f"{demo_site}/incidents/roads/", "dispatcher-roads", "#road-map[data-loaded=true]")
    # two clicks on the roads map: the fastest route between them, drawn, with its time
    page.locator("#road-map").click(position={"x": 250, "y": 300})
    page.locator("#road-map").click(position={"x": 400, "y": 320})
    expect(page.locator("[data-testid=route-result]")).to_contain_text("最快路线")
    screenshot(page, "dispatcher-route")
    problems.check("route")
    logout(page)
    login(page, demo_site, "admin")
    shelter = Resource.objects.filter(kind="shelter").order_by("pk").first()
    assert shelter is not None
    visit(page, problems, f"{demo_site}/incidents/resources/", "admin-resources", "[data-testid=resource-table]")
    visit(
        page,
        problems,
        f"{demo_site}/incidents/resources/{shelter.pk}/",
        "admin-resource",
        "[data-testid=resource-form]",
    )
    visit(page, problems, f"{demo_site}/incidents/reminders/", "admin-reminders", "[data-testid=low-stock]")
