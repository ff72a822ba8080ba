"""Major hazards in the browser: the list with its level colours, a hazard's calculation breakdown,
changing an inventory and seeing S, R and the level follow while the old snapshot stays in the
history, the filing workflow between the enterprise and the bureau, and the public gate screen."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from chempark.core.actors import SYSTEM
from chempark.hazards.models import HazardStatus, MajorHazard
from chempark.park.models import Enterprise, Inventory
from chempark.park.services import registry_update
from tests.e2e.conftest import login, logout, screenshot

LEVEL_RGB = {"1": "rgb(224, 49, 49)", "2": "rgb(247, 103, 7)", "3": "rgb(245, 197, 24)", "4": "rgb(28, 126, 214)"}


def test_list_shows_all_four_levels_in_their_colours(page: Page, demo_site: str) -> None:
    login(page, demo_site, "inspector")
    page.click("nav a[href='/hazards/']")
    expect(page.locator("h1")).to_have_text("重大危险源")
    for level, rgb in LEVEL_RGB.items():
        badge = page.locator(f"[data-testid=level-counts] .lvl-{level}")
        expect(badge).to_have_css("background-color", rgb)
        count = int(page.locator("[data-testid=level-counts] .card").nth(int(level) - 1).locator("b").inner_text())
        assert count > 0, f"the demo has major hazards of level {level}"
    screenshot(page, "major-hazards-list")
    page.select_option("select[name=level]", "1")
    page.click("text=查询")
    levels = page.locator("[data-testid=hazard-table] tbody .lvl").evaluate_all("els => els.map(e => e.dataset.level)")
    assert levels and set(levels) == {"1"}


def test_changing_an_inventory_updates_s_r_level_and_keeps_the_old_snapshot(page: Page, demo_site: str) -> None:
    # The published example on a demo unit: only SO₂, q = 200 t, 60 residents → S = 10, R = 30, 三级.
    hazard = (
        MajorHazard.objects.filter(status=HazardStatus.IDENTIFIED)
        .exclude(enterprise__users__username="ent1")
        .order_by("id")
        .first()
    )
    assert hazard is not None
    unit = hazard.unit
    registry_update(actor=SYSTEM, kind="enterprise", pk=unit.enterprise_id, values={"population_500m": 60})
    inventories = list(Inventory.objects.filter(unit=unit).order_by("id"))
    from chempark.park.models import Chemical

    so2 = Chemical.objects.get(cas="7446-09-5")
    first = inventories[0]
    for other in inventories[1:]:
        from chempark.park.services import registry_delete

        registry_delete(actor=SYSTEM, kind="inventory", pk=other.pk)
    registry_update(
        actor=SYSTEM, kind="inventory", pk=first.pk, values={"chemical": so2.pk, "design_max_t": 200, "current_t": 50}
    )

    login(page, demo_site, "inspector")
    page.goto(f"{demo_site}/hazards/{hazard.pk}/")
    expect(page.get_by_test_id("value-s")).to_have_text("10")
    expect(page.get_by_test_id("value-r")).to_have_text("30")
    expect(page.get_by_test_id("value-level")).to_contain_text("三级")
    expect(page.get_by_test_id("breakdown-lines")).to_contain_text("表3 二氧化硫")
    history_rows = page.locator("[data-testid=history] tbody tr")
    before = history_rows.count()
    screenshot(page, "major-hazard-detail-before")

    # edit the inventory in the registry page: design maximum 200 t → 400 t
    page.locator("[data-testid=breakdown] summary").click()
    page.locator("[data-testid=breakdown] details a", has_text="二氧化硫").click()
    page.click("text=编辑")
    page.fill("#id_design_max_t", "400")
    page.click("button:has-text('保存')")
    expect(page.locator("[data-testid=detail-fields]")).to_contain_text("400")

    page.goto(f"{demo_site}/hazards/{hazard.pk}/")
    expect(page.get_by_test_id("value-s")).to_have_text("20")
    expect(page.get_by_test_id("value-r")).to_have_text("60")
    expect(page.get_by_test_id("value-level")).to_contain_text("二级")
    expect(history_rows).to_have_count(before + 1)
    newest, previous = history_rows.nth(0), history_rows.nth(1)
    expect(newest).to_contain_text("存量变更")
    expect(newest).to_contain_text("二氧化硫 400 t")
    expect(previous).to_contain_text("二氧化硫 200 t")
    expect(previous.locator("td").nth(4)).to_have_text("30")
    expect(page.get_by_test_id("level-changes")).to_contain_text("三级")
    screenshot(page, "major-hazard-detail-after")


def test_filing_workflow_between_enterprise_and_bureau(page: Page, demo_site: str) -> None:
    own = (
        MajorHazard.objects.filter(enterprise__users__username="ent1", status=HazardStatus.IDENTIFIED)
        .order_by("id")
        .first()
    )
    assert own is not None
    login(page, demo_site, "ent1")
    page.goto(f"{demo_site}/hazards/{own.pk}/")
    page.fill("#reg-name", "一号液氯储罐区")
    page.fill("#reg-process", "常温加压储存")
    page.click("[data-action=register]")
    expect(page.get_by_test_id("hazard-status")).to_have_text("已登记建档")
    page.click("[data-action=submit_filing]")
    expect(page.get_by_test_id("hazard-status")).to_have_text("备案待审")
    expect(page.locator("[data-action=approve_filing]")).to_have_count(0)
    logout(page)

    login(page, demo_site, "inspector")
    page.click("nav >> text=待办与提醒")
    page.locator("[data-testid=pending] a", has_text="一号液氯储罐区").click()
    page.fill("input[name=reason]", "缺少安全评估报告")
    page.click("[data-action=return_filing]")
    expect(page.get_by_test_id("hazard-status")).to_have_text("已登记建档")
    expect(page.get_by_test_id("transitions")).to_contain_text("缺少安全评估报告")
    screenshot(page, "major-hazard-returned")
    logout(page)

    login(page, demo_site, "ent1")
    page.goto(f"{demo_site}/hazards/{own.pk}/")
    page.click("[data-action=submit_filing]")
    logout(page)
    login(page, demo_site, "inspector")
    page.goto(f"{demo_site}/hazards/{own.pk}/")
    page.fill("input[name=filing_number]", "唐应急危备〔2026〕901号")
    page.click("[data-action=approve_filing]")
    expect(page.get_by_test_id("hazard-status")).to_have_text("已备案")
    expect(page.get_by_test_id("filing-number")).to_have_text("唐应急危备〔2026〕901号")
    screenshot(page, "major-hazard-filed")


def test_onemap_layer_and_gate_screen(page: Page, demo_site: str) -> None:
    login(page, demo_site, "dispatcher")
    page.goto(f"{demo_site}/")  # the one-map (the dispatcher lands on the command overview)
    page.wait_for_selector("#map[data-loaded=true]")
    labels = page.locator(".leaflet-control-layers-overlays label").all_inner_texts()
    layer = next(label for label in labels if "重大危险源" in label)
    assert int(re.search(r"\((\d+)\)", layer).group(1)) >= 40  # type: ignore[union-attr]  # None would fail the test here, which is what it should do
    screenshot(page, "onemap-major-hazards")
    logout(page)
    # today's commitment, submitted now: the demo's were made on the day it was loaded
    login(page, demo_site, "ent1")
    page.goto(f"{demo_site}/hazards/commitments/")
    form = page.get_by_test_id("commitment-form")
    for name, value in (
        ("units_running", "3"),
        ("units_under_maintenance", "1"),
        ("special_operations", "0"),
        ("principal_name", "王建国"),
    ):
        form.locator(f"input[name={name}]").fill(value)
    form.locator("button").click()
    expect(page.get_by_role("status")).to_contain_text("今日承诺已提交")
    logout(page)
    enterprise = Enterprise.objects.get(users__username="ent1")
    page.goto(f"{demo_site}/hazards/gate/{enterprise.uscc}/")
    expect(page.get_by_test_id("gate")).to_contain_text("安全风险研判与承诺公告")
    expect(page.get_by_test_id("gate")).to_contain_text(enterprise.name)
    expect(page.get_by_test_id("gate")).to_contain_text("王建国")
    screenshot(page, "gate-screen")
