"""The night dispatcher's triage: the alarm list shows whether it is live, severity as a badge and
the unacknowledged ones marked; a filter by severity keeps the list to what matters; two alarms are
acknowledged together with one note from the list. Then the one-map: the search finds a monitoring
point by its name (the points layer is off by default) and opens it where it is."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from chempark.accounts.models import TokenKind, User
from chempark.accounts.services import token_issue
from chempark.core.actors import SYSTEM
from chempark.monitoring.models import Alarm, AlarmHandling, AlarmStatus, Point
from tests.e2e.conftest import login, screenshot
from tests.e2e.test_duty_banner import post_reading


def test_triage_and_bulk_acknowledge(page: Page, demo_site: str) -> None:
    enterprise = User.objects.get(username="ent1").enterprise
    assert enterprise is not None
    levels = list(
        Point.objects.filter(enterprise=enterprise, kind="level", on_delay_s=0, h__isnull=False, hh__isnull=False)
        .exclude(alarms__status__in=(AlarmStatus.ACTIVE_UNACK, AlarmStatus.ACTIVE_ACK))
        .order_by("pk")[:2]
    )
    assert len(levels) == 2
    _token, raw = token_issue(actor=SYSTEM, name="gw-triage", kind=TokenKind.MACHINE, enterprise_id=enterprise.pk)

    login(page, demo_site, "dispatcher")
    page.goto(f"{demo_site}/monitoring/alarms/")
    live = page.locator("[data-testid=live-state]")
    expect(live).to_have_attribute("data-state", "open", timeout=5_000)
    expect(live).to_have_text("实时：已连接")

    for point in levels:  # past H: two new 重要 alarms, live in the list
        assert point.h is not None and point.hh is not None
        post_reading(demo_site, raw, point, (point.h + point.hh) / 2)
    new = [Alarm.objects.get(point=p, status=AlarmStatus.ACTIVE_UNACK) for p in levels]
    for alarm in new:
        expect(page.locator(f"tr[data-alarm='{alarm.pk}']")).to_be_visible(timeout=3_000)

    page.select_option("select[name=severity]", "major")
    page.click("form.toolbar button[type=submit]")
    rows = page.locator("[data-testid=alarm-table] tbody tr")
    expect(rows.first).to_be_visible()
    assert all("重要" in text for text in page.locator("[data-testid=alarm-severity]").all_inner_texts())
    row = page.locator(f"tr[data-alarm='{new[0].pk}']")
    expect(row.locator(".sev")).to_have_text("重要")
    expect(row.locator(".tag-new")).to_have_text("未确认")
    expect(row).to_contain_text(levels[0].unit_of_measure)
    button = row.get_by_test_id("alarm-ack-one")
    # one line: squeezed into the last column the label broke after each character (确 / 认)
    lines = button.evaluate(
        "b => { const r = document.createRange(); r.selectNodeContents(b); return r.getClientRects().length; }"
    )
    assert lines == 1
    screenshot(page, "alarm-list-triage")

    for alarm in new:
        page.check(f"tr[data-alarm='{alarm.pk}'] [data-testid=alarm-select]")
    page.fill("[data-testid=bulk-note]", "夜班：已电话通知企业现场核实")
    page.click("[data-testid=bulk-ack]")
    expect(page.locator(".msg.success")).to_contain_text("已确认 2 条报警")
    assert page.locator("select[name=severity]").input_value() == "major"  # the filter is kept
    for alarm in new:
        alarm.refresh_from_db()
        assert alarm.status == AlarmStatus.ACTIVE_ACK
        assert AlarmHandling.objects.get(alarm=alarm, kind="acknowledge").text == "夜班：已电话通知企业现场核实"
    screenshot(page, "alarm-list-after-bulk-acknowledge")

    page.goto(f"{demo_site}/monitoring/alarms/{new[0].pk}/")
    expect(page.locator("[data-testid=alarm-map][data-loaded=true]")).to_be_attached()
    screenshot(page, "alarm-page")


def test_onemap_search_finds_a_point(page: Page, demo_site: str) -> None:
    point = Point.objects.filter(kind="gas_lel").order_by("pk").first()
    assert point is not None
    login(page, demo_site, "dispatcher")
    page.goto(f"{demo_site}/")
    page.wait_for_selector("#map[data-loaded=true]")
    screenshot(page, "onemap-cockpit")
    page.fill("#map-search", point.name)
    hit = page.locator("[data-testid=map-search-hit]", has_text=point.name).first
    expect(hit).to_contain_text(point.enterprise.name)
    expect(hit).to_contain_text("监测点位")
    hit.click()
    expect(page.locator(".leaflet-popup-content")).to_contain_text(point.name)
    expect(page.locator("#map")).to_have_attribute("data-found", f"point:{point.pk}")
    screenshot(page, "onemap-search-point")
