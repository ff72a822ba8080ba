"""In the browser: the enterprise list filtered by major hazard level, a tank page with its live level
(the demo's practice alarm on ent1's tank), a refused duplicate explained in Chinese on the form, and
the map's own Leaflet words in Chinese (layers button, popup close button)."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from chempark.accounts.models import User
from chempark.monitoring.models import Point
from chempark.park.models import Unit
from tests.e2e.conftest import login, screenshot


def test_registry_pages_a_user_reads_at_once(page: Page, demo_site: str) -> None:
    login(page, demo_site, "inspector")
    page.goto(f"{demo_site}/registry/enterprise/")
    page.select_option("select[name=hazard_level]", label="无")
    page.click("button:has-text('查询')")
    expect(page.locator("[data-testid=list-table] tbody tr").first).to_be_visible()
    assert "hazard_level=none" in page.url
    screenshot(page, "registry-enterprises-by-hazard-level")

    enterprise_id = User.objects.get(username="ent1").enterprise_id
    gauge = Point.objects.filter(enterprise_id=enterprise_id, kind="level").order_by("-pk").first()
    assert gauge is not None and gauge.tank_id is not None
    page.goto(f"{demo_site}/registry/tank/{gauge.tank_id}/")
    expect(page.locator("[data-testid=tank-level-value]")).to_contain_text(gauge.unit_of_measure)
    expect(page.locator("[data-testid=tank-level-percent]")).to_contain_text("%")
    screenshot(page, "registry-tank-live-level")

    unit = Unit.objects.filter(enterprise_id=enterprise_id).order_by("pk").first()
    assert unit is not None
    page.goto(f"{demo_site}/registry/unit/new/")
    page.select_option("select[name=enterprise]", str(enterprise_id))
    page.fill("input[name=code]", unit.code)
    page.fill("input[name=name]", "重复编码的单元")
    page.select_option("select[name=kind]", "storage")
    page.fill("input[name=lon]", "118.2")
    page.fill("input[name=lat]", "39.2")
    page.click("button:has-text('保存')")
    expect(page.locator("form.edit")).to_contain_text("同一企业下「单元编码」相同的生产单元已存在")
    assert "UNIQUE" not in page.content() and "unit_code_unique" not in page.content()
    screenshot(page, "registry-duplicate-refused")

    page.goto(f"{demo_site}/")
    page.wait_for_selector("#map[data-loaded=true]")
    toggle = page.locator(".leaflet-control-layers-toggle")
    assert toggle.get_attribute("title") == "图层"
    page.locator("#map path.leaflet-interactive").first.click(force=True)
    close = page.locator(".leaflet-popup-close-button")
    expect(close).to_have_attribute("aria-label", "关闭")
    screenshot(page, "onemap-popup-chinese")
