"""Plans, drills and public warnings in the browser: the inspector finds a plan by a word of its
document and sees the overdue filings and drills; the dispatcher draws a warning's area on the map,
publishes it, reads the CAP document it became, and lifts the warning; every page of the module runs
under the Content-Security-Policy without a script error."""

from __future__ import annotations

from playwright.sync_api import Browser, Page, expect

from chempark.plans import cap
from chempark.plans.models import CapMessage, Drill, Plan, PublicWarning
from tests.e2e.conftest import WAIT_MS, login, screenshot
from tests.e2e.test_pages_csp import RECORD_VIOLATIONS, Problems, visit


def test_inspector_searches_plans_and_sees_what_is_overdue(page: Page, demo_site: str) -> None:
    login(page, demo_site, "inspector")
    page.click("nav a[href='/plans/']")
    expect(page.locator("h1")).to_have_text("应急预案")
    expect(page.locator("[data-testid=plan-table] tbody")).to_contain_text("逾期未备案")
    expect(page.locator("[data-testid=plan-table] tbody")).to_contain_text("未备案")
    screenshot(page, "plans-list")
    page.fill("input[name=q]", "正压式空气呼吸器")  # a phrase inside the specific plans' documents only
    page.click("text=查询")
    titles = page.locator("[data-testid=plan-table] tbody td:first-child").all_inner_texts()
    assert titles and all("专项应急预案" in t for t in titles), titles
    page.click("nav a[href='/plans/compliance/']")
    expect(page.locator("[data-testid=compliance-table]")).to_contain_text("逾期")
    expect(page.locator("[data-testid=filing-overdue-table] tbody tr").first).not_to_contain_text("暂无")
    screenshot(page, "plans-compliance")


def test_dispatcher_draws_publishes_and_lifts_a_warning(page: Page, demo_site: str) -> None:
    login(page, demo_site, "dispatcher")
    page.click("nav a[href='/plans/warnings/']")
    page.click("text=新增")
    page.fill("#w-event", "氨泄漏")
    page.fill("#w-headline", "园区西区氨泄漏，请向上风向撤离")
    page.fill("#w-instr", "听从现场指挥，向上风向撤离，不要进入警戒区。")
    page.select_option("#w-resp", "Evacuate")
    page.fill("#w-adesc", "园区西区")
    map_box = page.locator("#w-area-map")
    expect(map_box).to_have_attribute("data-loaded", "true")
    map_box.scroll_into_view_if_needed()
    page.click(".leaflet-pm-icon-polygon")
    box = map_box.bounding_box()
    assert box is not None
    for fx, fy in ((0.3, 0.3), (0.6, 0.3), (0.6, 0.6), (0.3, 0.6), (0.3, 0.3)):  # the first vertex again closes it
        page.mouse.click(box["x"] + box["width"] * fx, box["y"] + box["height"] * fy)
        page.wait_for_timeout(150)
    screenshot(page, "warning-compose")
    assert '"Polygon"' in page.input_value("#w-area")
    page.click("text=保存并发布")
    expect(page.locator("[data-testid=warning-status]")).to_have_text("已发布")
    warning = PublicWarning.objects.get(headline="园区西区氨泄漏，请向上风向撤离")
    alert = CapMessage.objects.get(warning=warning)
    assert cap.validate(bytes(alert.xml)) == []
    parsed = cap.parse(bytes(alert.xml))
    assert parsed.response_types == ("Evacuate",) and len(parsed.polygons[0]) == 5
    screenshot(page, "warning-issued")
    document = page.request.get(f"{demo_site}/plans/cap/{alert.identifier}.xml")
    assert document.ok and cap.parse(document.body()).headline == warning.headline
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-testid=cancel]")
    expect(page.locator("[data-testid=warning-status]")).to_have_text("已解除")
    expect(page.locator("[data-testid=message-table] tbody tr")).to_have_count(2)
    feed = page.request.get(f"{demo_site}/plans/warnings/feed.atom").text()
    assert "园区西区氨泄漏" in feed and "[解除]" in feed


def test_plans_pages_run_under_the_policy(browser: Browser, demo_site: str) -> None:
    context = browser.new_context(viewport={"width": 1400, "height": 860}, locale="zh-CN")
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    problems = Problems(page)
    plan = Plan.objects.filter(enterprise__isnull=False, versions__isnull=False).order_by("id").first()
    drill = Drill.objects.filter(actions__isnull=False).order_by("id").first()
    warning = PublicWarning.objects.get(status="issued")
    assert plan is not None and drill is not None
    login(page, demo_site, "admin")
    for path, shot, ready in (
        ("/plans/", "plans", "[data-testid=plan-table]"),
        (f"/plans/{plan.pk}/", "plan-detail", "[data-testid=version-table]"),
        ("/plans/new/", "plan-new", "[data-testid=plan-form]"),
        ("/plans/drills/", "drills", "[data-testid=drill-table]"),
        (f"/plans/drills/{drill.pk}/", "drill-detail", "[data-testid=action-table]"),
        ("/plans/compliance/", "compliance", "[data-testid=compliance-table]"),
        ("/plans/calendar/", "calendar", "[data-testid=calendar-table]"),
        ("/plans/warnings/", "warnings", "[data-testid=warning-table]"),
        ("/plans/warnings/new/", "warning-new", "#w-area-map[data-loaded=true]"),
        (f"/plans/warnings/{warning.pk}/", "warning-detail", "#w-area-map[data-loaded=true]"),
    ):
        visit(page, problems, f"{demo_site}{path}", f"admin-{shot}", ready)
    assert '"Polygon"' in page.input_value("#w-area")  # the issued warning's area, ready to update
    context.close()
