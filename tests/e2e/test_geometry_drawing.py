"""Locations drawn, not typed: an inspector draws a protective target's polygon and a vehicle corridor
on the map, saves, reopens and finds the same coordinates; a self-intersecting polygon typed into the
coordinates is refused in Chinese, naming the field; an enterprise's marker fills its longitude and
latitude; no page breaks the Content-Security-Policy.
Screenshots: artifacts/screenshots/geometry-*.png."""

from __future__ import annotations

import json
import re

from playwright.sync_api import Page, expect

from chempark.park.models import Enterprise, ProtectiveTarget
from chempark.tracking.models import Fence, FenceKind
from tests.e2e.conftest import login, screenshot

RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) =>
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI || "inline"} ${e.sourceFile}:${e.lineNumber}`));
"""
LINE = re.compile(r"^-?\d+\.\d{6}, -?\d+\.\d{6}$")


def _watch(page: Page) -> list[str]:
    problems: list[str] = []
    page.add_init_script(RECORD_VIOLATIONS)
    page.on("pageerror", lambda error: problems.append(f"pageerror: {error}"))
    # the refused form's answer (422) is logged by the browser as a failed resource: expected here
    page.on(
        "console",
        lambda msg: (
            problems.append(f"console: {msg.text}") if msg.type == "error" and "status of 422" not in msg.text else None
        ),
    )
    return problems


def _no_violations(page: Page, problems: list[str]) -> None:
    assert page.evaluate("window.__csp") == []
    assert problems == []


def _click_map(page: Page, selector: str, fractions: list[tuple[float, float]]) -> None:
    box = page.locator(selector).bounding_box()
    assert box is not None
    for fx, fy in fractions:
        page.mouse.click(box["x"] + box["width"] * fx, box["y"] + box["height"] * fy)
        page.wait_for_timeout(150)


def _coordinate_lines(page: Page, selector: str) -> list[str]:
    return [line for line in page.input_value(selector).splitlines() if line.strip()]


def test_inspector_draws_a_target_and_a_corridor(page: Page, demo_site: str) -> None:
    problems = _watch(page)
    login(page, demo_site, "inspector")

    # A protective target's polygon, drawn with the toolbar (its buttons titled in Chinese).
    page.goto(f"{demo_site}/registry/protectivetarget/new/")
    field = page.locator("[data-geometry-field]")
    expect(field).to_have_attribute("data-ready", "true")
    polygon_button = page.locator(".leaflet-pm-icon-polygon")
    expect(page.locator(".button-container[title='绘制多边形'] .leaflet-pm-icon-polygon")).to_have_count(1)
    expect(page.locator(".button-container[title='删除图形']")).to_have_count(1)
    page.select_option("#id_park", index=1)
    page.fill("#id_name", "东侧新建安置小区")
    page.select_option("#id_kind", index=1)
    page.fill("#id_population", "860")
    page.locator("#id_geometry-map").scroll_into_view_if_needed()
    polygon_button.click()
    corners = [(0.40, 0.35), (0.62, 0.38), (0.60, 0.62), (0.42, 0.60)]
    _click_map(page, "#id_geometry-map", [*corners, corners[0]])
    lines = _coordinate_lines(page, "#id_geometry-coords")
    assert len(lines) == 4 and all(LINE.match(line) for line in lines), lines
    drawn = json.loads(page.input_value("#id_geometry"))
    assert drawn["type"] == "Polygon" and len(drawn["coordinates"][0]) == 5
    page.wait_for_timeout(600)
    screenshot(page, "geometry-target-drawn")
    page.click("button:has-text('保存')")
    expect(page.locator(".messages")).to_contain_text("已保存")
    target = ProtectiveTarget.objects.get(name="东侧新建安置小区")
    assert target.geometry == drawn

    # Reopened, the map and the text show the same vertices; typing one moves the shape.
    page.goto(f"{demo_site}/registry/protectivetarget/{target.pk}/edit/")
    expect(page.locator("[data-geometry-field]")).to_have_attribute("data-ready", "true")
    assert _coordinate_lines(page, "#id_geometry-coords") == lines
    expect(page.locator("#id_geometry-map path.leaflet-interactive")).not_to_have_count(0)

    # A self-intersecting polygon (a bow tie) typed into the coordinates: refused in Chinese, nothing saved.
    lon, lat = (float(v) for v in lines[0].split(", "))
    bow_tie = [(lon, lat), (lon + 0.004, lat + 0.003), (lon + 0.004, lat), (lon, lat + 0.003)]
    page.fill("#id_geometry-coords", "\n".join(f"{x:.6f}, {y:.6f}" for x, y in bow_tie))
    assert json.loads(page.input_value("#id_geometry"))["coordinates"][0][0] == [round(lon, 6), round(lat, 6)]
    page.click("button:has-text('保存')")
    error = page.locator(".errorlist").first
    expect(error).to_contain_text("自相交")
    expect(error).to_contain_text("位置/范围")
    page.wait_for_timeout(600)  # the map's zoom animation
    screenshot(page, "geometry-target-refused")
    target.refresh_from_db()
    assert target.geometry == drawn

    # Coordinates that are no coordinates are said so under the text, and the form is not sent.
    page.fill("#id_geometry-coords", "118.2, 北纬39度")
    expect(page.locator("[data-geometry-note]")).to_contain_text("第 1 行不是“经度, 纬度”")
    page.click("button:has-text('保存')")
    expect(page).to_have_url(re.compile(r"/edit/$"))

    # A corridor: its centre line drawn, its width shown around it.
    page.goto(f"{demo_site}/tracking/fences/new/")
    expect(page.locator("[data-geometry-field]")).to_have_attribute("data-ready", "true")
    page.fill("#f-name", "东门至装卸区专用路线")
    page.select_option("#f-kind", FenceKind.CORRIDOR.value)
    page.fill("#f-width", "24")
    expect(page.locator(".leaflet-pm-icon-polygon")).to_have_count(0)  # a corridor is a line
    page.locator("#f-geometry-map").scroll_into_view_if_needed()
    page.locator(".leaflet-pm-icon-polyline").click()
    _click_map(page, "#f-geometry-map", [(0.30, 0.50), (0.50, 0.45), (0.70, 0.55), (0.70, 0.55)])
    route = _coordinate_lines(page, "#f-geometry-coords")
    assert len(route) == 3 and all(LINE.match(line) for line in route), route
    page.wait_for_timeout(600)
    screenshot(page, "geometry-corridor-drawn")
    page.click("[data-testid=fence-save]")
    expect(page).to_have_url(re.compile(r"/tracking/fences/$"))
    fence = Fence.objects.get(name="东门至装卸区专用路线")
    assert fence.geometry["type"] == "LineString" and len(fence.geometry["coordinates"]) == 3
    page.goto(f"{demo_site}/tracking/fences/{fence.pk}/")
    expect(page.locator("[data-geometry-field]")).to_have_attribute("data-ready", "true")
    assert _coordinate_lines(page, "#f-geometry-coords") == route
    _no_violations(page, problems)

    # An enterprise's longitude and latitude: a marker placed on the map fills them in.
    enterprise = Enterprise.objects.order_by("pk").first()
    assert enterprise is not None
    page.goto(f"{demo_site}/registry/enterprise/{enterprise.pk}/edit/")
    expect(page.locator("[data-point-field]")).to_have_attribute("data-ready", "true")
    before = (page.input_value("#id_lon"), page.input_value("#id_lat"))
    page.locator("#id_lon-map").scroll_into_view_if_needed()
    page.locator(".leaflet-pm-icon-marker").click()
    _click_map(page, "#id_lon-map", [(0.55, 0.45)])
    after = (page.input_value("#id_lon"), page.input_value("#id_lat"))
    assert after != before and all(re.fullmatch(r"\d+\.\d{6}", v) for v in after), after
    page.click("button:has-text('保存')")
    expect(page.locator(".messages")).to_contain_text("已保存")
    enterprise.refresh_from_db()
    assert (f"{enterprise.lon:.6f}", f"{enterprise.lat:.6f}") == after
    _no_violations(page, problems)
