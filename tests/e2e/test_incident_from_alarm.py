"""A dispatcher turns a chlorine gas alarm into an incident, sees the threat zone, the nearest units
and shelters on its map, dispatches two units, works them through their states, publishes a public
warning for the zone (its CAP 1.2 document valid against the OASIS schema, naming the zone's polygon
and the incident), closes the incident and downloads its report, which opens as a Word document
holding the timeline."""

from __future__ import annotations

import io
import re

from django.utils import timezone
from docx import Document
from playwright.sync_api import Page, expect

from chempark.incidents import zone
from chempark.incidents.models import Incident
from chempark.monitoring.ingest.payload import datetime_to_ms
from chempark.monitoring.models import Alarm, AlarmStatus, AlarmType, Point, PointKind, Severity
from chempark.park.models import Tank
from chempark.plans import cap
from tests.e2e.conftest import login, screenshot


def _chlorine_alarm() -> Alarm:
    tank = Tank.objects.filter(chemical__cas="7782-50-5").select_related("unit").order_by("id").first()
    assert tank is not None
    unit = tank.unit
    point = Point.objects.create(
        enterprise_id=unit.enterprise_id,
        unit=unit,
        tank=tank,
        code="CL-GD-09",
        name="液氯罐区有毒气体探测器",
        kind=PointKind.GAS_PPM,
        unit_of_measure="ppm",
        range_min=0,
        range_max=20,
        h=1.0,
        lon=unit.lon,
        lat=unit.lat,
    )
    now = timezone.now()
    return Alarm.objects.create(
        enterprise_id=unit.enterprise_id,
        point=point,
        alarm_type=AlarmType.HIGH,
        severity=Severity.CRITICAL,
        status=AlarmStatus.ACTIVE_UNACK,
        raised_ms=datetime_to_ms(now),
        raised_at=now,
        value=8.0,
        peak_value=8.0,
    )


def test_dispatcher_works_an_incident_from_an_alarm(page: Page, demo_site: str) -> None:
    alarm = _chlorine_alarm()
    page.set_viewport_size({"width": 1400, "height": 1100})
    login(page, demo_site, "dispatcher")
    page.goto(f"{demo_site}/monitoring/alarms/{alarm.pk}/")
    expect(page.locator("[data-testid=alarm-incident]")).to_contain_text("尚未转为事件")
    page.click("[data-testid=alarm-to-incident]")
    page.wait_for_selector("#inc-map[data-loaded=true]")
    expect(page.locator("[data-testid=incident-alarm]")).to_have_text(f"报警 #{alarm.pk}")
    expect(page.locator("[data-testid=zone-panel]")).to_contain_text("AEGL-2")
    units = page.locator("[data-testid=units-panel] tbody tr")
    expect(units.first).to_contain_text("分钟")
    expect(page.locator("[data-testid=shelter-panel] tbody tr").first).to_contain_text("分钟")
    # the map draws the zone polygons, the scene, units, shelters and routes over the park's layers
    assert page.locator("#inc-map path.leaflet-interactive").count() > 10
    page.locator("#inc-map").scroll_into_view_if_needed()
    screenshot(page, "incident-decision")

    for _ in range(2):
        page.locator("[data-testid=units-panel] tbody tr button").first.click()
        page.wait_for_selector("#inc-map[data-loaded=true]")
    rows = page.locator("[data-testid=dispatch-row]")
    expect(rows).to_have_count(2)
    expect(rows.nth(1).locator("[data-testid=dispatch-state]")).to_have_text("已调派")
    page.locator("[data-testid=dispatch-panel]").scroll_into_view_if_needed()
    screenshot(page, "incident-dispatched")

    for action in ("depart", "arrive", "release"):
        rows.nth(0).locator(f"[data-testid=dispatch-{action}]").click()
        page.wait_for_selector("#inc-map[data-loaded=true]")
    rows.nth(1).locator("[data-testid=dispatch-cancel]").click()
    expect(rows.nth(0).locator("[data-testid=dispatch-state]")).to_have_text("返回中")
    expect(rows.nth(1).locator("[data-testid=dispatch-state]")).to_have_text("已取消")

    # the public is warned about the zone: the form starts from the incident, the response chosen
    instruction = page.locator("[data-testid=warning-instruction]")
    expect(instruction).to_have_value(re.compile("关闭门窗"))
    page.select_option("[data-testid=warning-response]", "Evacuate")
    expect(instruction).to_have_value(re.compile("上风向"))
    expect(page.locator("[data-testid=warning-headline]")).to_have_value(re.compile("请撤离$"))
    page.click("[data-testid=warning-issue]")
    warning = page.locator("[data-testid=warning-row]")
    expect(warning).to_have_count(1)
    expect(warning.locator("[data-testid=warning-status]")).to_have_text("已发布")
    expect(page.locator("[data-testid=timeline]")).to_contain_text("发布公众预警")
    href = warning.locator("[data-testid=warning-cap]").get_attribute("href")
    document = page.request.get(f"{demo_site}{href}").body()
    assert cap.validate(document) == []
    alert = cap.parse(document)
    incident = Incident.objects.get(alarm_id=alarm.pk)
    assert alert.polygons == cap.polygons_from_geojson(zone.zone_polygon(incident.zone, 2))
    assert alert.incidents == (f"yjj.chempark-incident-{incident.pk}",) and alert.response_types == ("Evacuate",)
    assert alert.headline.endswith("请撤离") and "上风向" in alert.instruction
    page.locator("[data-testid=warning-panel]").scroll_into_view_if_needed()
    screenshot(page, "incident-warning")

    # updated on the warning's own page (its form, the area as drawn there): the incident's timeline has it
    page.click("[data-testid=warning-link]")
    expect(page.locator("[data-testid=update-via-incident]")).to_be_visible()
    page.fill("#w-headline", "液氯泄漏，下风向居民请撤离")
    page.click("[data-testid=update-send]")
    expect(page.locator(".msg.success")).to_contain_text("已记入事件处置记录")
    page.click("[data-testid=warning-incident]")
    expect(page.locator("[data-testid=timeline]")).to_contain_text("更新公众预警「液氯泄漏，下风向居民请撤离」")

    page.fill("[data-testid=close-summary]", "关阀堵漏，喷雾稀释，现场无残留。")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-testid=close-submit]")
    expect(page.locator("[data-testid=incident-status]")).to_have_text("已结案")
    with page.expect_download() as download:
        page.click("[data-testid=report-docx]")
    document = Document(io.BytesIO(download.value.path().read_bytes()))
    cells = "\n".join(cell.text for table in document.tables for row in table.rows for cell in row.cells)
    assert f"由监测报警 #{alarm.pk}" not in cells  # the description is not part of the timeline table
    assert "调派" in cells and "结案" in cells and "关阀堵漏" in cells and "发布公众预警" in cells
    page.goto(f"{demo_site}/monitoring/alarms/{alarm.pk}/")
    expect(page.locator("[data-testid=alarm-incident-link]")).to_contain_text("液氯罐区有毒气体探测器")
    screenshot(page, "incident-alarm-linked")
