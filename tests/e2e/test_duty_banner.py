"""The duty officer's banner: a new alarm and an alarm that worsens (H → HH) reach the banner and the
sound at once, naming the enterprise and the point, queued newest first and closed one by one; the
sound is muted for the browser session. From the banner the officer opens the alarm, which shows
where it is: a small map with the point, the enterprise, the unit and the one-map centred there.
Readings go through the HTTP ingest with a gateway's machine token, as an enterprise's gateway
sends them."""

from __future__ import annotations

import time
import urllib.request

import orjson
import pytest
from playwright.sync_api import Page, expect

from chempark.accounts.models import TokenKind, User
from chempark.accounts.services import token_issue
from chempark.core.actors import SYSTEM
from chempark.monitoring.models import Alarm, Point
from tests.e2e.conftest import login, screenshot


def post_reading(site: str, token: str, point: Point, value: float) -> None:
    body = orjson.dumps({"readings": [{"point": point.code, "ts": int(time.time() * 1000), "value": value}]})
    request = urllib.request.Request(
        f"{site}/api/v1/ingest/readings",
        data=body,
        method="POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200, response.read()


def test_new_and_worsening_alarms_queue_in_the_banner(page: Page, demo_site: str) -> None:
    enterprise = User.objects.get(username="ent1").enterprise
    assert enterprise is not None
    points = Point.objects.filter(enterprise=enterprise, on_delay_s=0, h__isnull=False, hh__isnull=False)
    level = points.filter(kind="level").order_by("pk").first()
    gas = points.filter(kind="gas_lel").order_by("pk").first()
    assert level is not None and gas is not None and level.h is not None and level.hh is not None
    _token, raw = token_issue(actor=SYSTEM, name="gw-banner", kind=TokenKind.MACHINE, enterprise_id=enterprise.pk)

    login(page, demo_site, "dispatcher")
    page.goto(f"{demo_site}/")
    page.wait_for_selector("html[data-live=open]", state="attached")
    banner = page.locator("[data-testid=duty-banner]")
    items = page.locator("[data-testid=duty-item]")

    post_reading(demo_site, raw, level, (level.h + level.hh) / 2)  # past H: a new 重要 alarm
    expect(items.first).to_contain_text("新报警", timeout=2_000)
    expect(items.first).to_contain_text(enterprise.name)
    expect(items.first).to_contain_text(level.name)
    banner_box, bar_box = banner.bounding_box(), page.locator(".topbar").bounding_box()
    assert banner_box is not None and bar_box is not None
    assert banner_box["y"] >= bar_box["y"] + bar_box["height"] - 1

    post_reading(demo_site, raw, gas, 10.0)
    post_reading(demo_site, raw, gas, 55.0)  # another point past HH: a second entry, on top
    expect(items).to_have_count(2, timeout=2_000)
    expect(items.first).to_contain_text(gas.name)
    expect(items.first).to_have_class("duty-item critical")

    started = time.monotonic()
    post_reading(demo_site, raw, level, level.hh + 1)  # H → HH: the same alarm worsens
    expect(items.first).to_contain_text("报警加重", timeout=2_000)
    assert time.monotonic() - started < 2.0
    expect(items.first).to_contain_text(enterprise.name)
    expect(items.first).to_contain_text(level.name)
    expect(items.first).to_contain_text("紧急")
    expect(items).to_have_count(2)  # the worsened alarm's entry replaced its earlier one
    screenshot(page, "monitoring-duty-banner-queue")

    items.nth(1).locator(".duty-close").click()  # the gas alarm, now second
    expect(items).to_have_count(1)
    expect(items.first).to_contain_text(level.name)

    mute = page.locator("[data-testid=duty-mute]")
    expect(mute).to_have_text("静音")
    mute.click()
    expect(mute).to_have_text("取消静音")
    page.reload()  # muted for the rest of the browser session
    page.wait_for_selector("html[data-live=open]", state="attached")
    post_reading(demo_site, raw, gas, 3.0)
    post_reading(demo_site, raw, gas, 60.0)  # the gas point alarms again: a new alarm
    expect(items).to_have_count(1, timeout=2_000)
    expect(items.first).to_contain_text(gas.name)
    expect(mute).to_have_text("取消静音")
    page.locator("[data-testid=duty-clear]").click()
    expect(banner).to_be_hidden()

    # from the banner to the alarm: where it is, and on to the one-map centred there
    post_reading(demo_site, raw, level, level.hh + 2)  # a new peak only: no new entry
    alarm = Alarm.objects.get(point=level, status="active_unack")
    post_reading(demo_site, raw, gas, 3.0)
    post_reading(demo_site, raw, gas, 58.0)
    expect(items).to_have_count(1, timeout=2_000)
    items.first.locator(".duty-link").click()
    page.wait_for_url(f"**/monitoring/alarms/{Alarm.objects.filter(point=gas).latest('pk').pk}/")
    page.goto(f"{demo_site}/monitoring/alarms/{alarm.pk}/")
    expect(page.locator("[data-testid=alarm-map][data-loaded=true]")).to_be_attached()
    expect(page.locator("#alarm-map path.focus-marker")).to_have_count(1)
    expect(page.locator("#alarm-map .leaflet-tooltip")).to_have_text(level.name)
    expect(page.locator("[data-testid=alarm-enterprise]")).to_have_text(enterprise.name)
    expect(page.locator("[data-testid=alarm-unit]")).to_have_text(level.unit.name)
    screenshot(page, "monitoring-alarm-where")
    page.locator("[data-testid=alarm-onemap]").click()
    focused = page.locator("#map[data-focus]")
    expect(focused).to_be_attached()
    lon, lat = map(float, (focused.get_attribute("data-focus") or "").split(","))
    assert (lon, lat) == pytest.approx((level.lon, level.lat), abs=1e-6)
    expect(page.locator("#map path.focus-marker")).to_have_count(1)
    screenshot(page, "onemap-focus-alarm")
