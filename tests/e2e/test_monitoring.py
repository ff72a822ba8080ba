"""The duty officer's alarm journey: a simulated excursion raises an alarm that the duty officer
sees live (list and banner, no reload), the enterprise user acknowledges it with a handling note,
it clears, and an alarm nobody acknowledges escalates to the duty officer."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import orjson
from django.utils import timezone
from playwright.sync_api import Page, expect

from chempark.accounts.models import User
from chempark.core.actors import SYSTEM
from chempark.monitoring.ingest.payload import datetime_to_ms
from chempark.monitoring.models import Alarm, Point, Transport
from chempark.monitoring.services import IncomingMessage, alarms_escalate, ingest_messages
from tests.e2e.conftest import login, logout, screenshot


def push(point: Point, value: float, ts_ms: int | None = None) -> None:
    """A gateway's message through the same ingest path the worker and the HTTP endpoint use."""
    ts = ts_ms if ts_ms is not None else int(time.time() * 1000)
    raw = orjson.dumps({"readings": [{"point": point.code, "ts": ts, "value": value}]})
    ingest_messages(actor=SYSTEM, messages=[IncomingMessage(raw, point.enterprise_id)], transport=Transport.DEMO)


def test_alarm_seen_live_acknowledged_cleared_and_escalated(page: Page, demo_site: str) -> None:
    enterprise_id = User.objects.get(username="ent1").enterprise_id
    gas = Point.objects.filter(enterprise_id=enterprise_id, kind="gas_lel").order_by("pk").first()
    level = Point.objects.filter(enterprise_id=enterprise_id, kind="level").order_by("pk").first()
    assert gas is not None and level is not None

    login(page, demo_site, "dispatcher")
    page.goto(f"{demo_site}/monitoring/alarms/")
    page.wait_for_selector("html[data-live=open]", state="attached")
    push(gas, 10.0)
    push(gas, 55.0)  # past HH (40 %LEL): a critical alarm
    row = page.locator(f"[data-testid=alarm-table] tr:has-text('{gas.code}')")
    expect(row).to_be_visible(timeout=5_000)
    expect(row).to_contain_text("紧急")
    banner = page.locator("[data-testid=duty-banner]")
    expect(banner).to_be_visible(timeout=5_000)
    expect(banner).to_contain_text("新报警")
    screenshot(page, "monitoring-alarm-live-dispatcher")
    logout(page)

    alarm = Alarm.objects.get(point=gas, alarm_type="high")
    login(page, demo_site, "ent1")
    page.goto(f"{demo_site}/monitoring/alarms/{alarm.pk}/")
    page.fill("textarea[name=note]", "已关闭泄漏点上游阀门，现场检测中")
    page.click("button:has-text('确认报警')")
    expect(page.locator("[data-testid=alarm-status]")).to_contain_text("已确认")
    expect(page.locator("[data-testid=handling-table]")).to_contain_text("已关闭泄漏点上游阀门")
    push(gas, 3.0)  # back to normal: the alarm clears
    page.reload()
    expect(page.locator("[data-testid=alarm-status]")).to_contain_text("已恢复·已确认")
    screenshot(page, "monitoring-alarm-detail-enterprise")
    logout(page)

    # an alarm nobody acknowledges: raised 16 minutes ago, escalated by the scheduler's job
    login(page, demo_site, "dispatcher")
    page.goto(f"{demo_site}/monitoring/alarms/")
    page.wait_for_selector("html[data-live=open]", state="attached")
    raised = datetime_to_ms(timezone.now() - timedelta(minutes=16))
    push(level, 10.0, raised - 1000)
    push(level, 17.0, raised)  # past H (16 m)
    assert alarms_escalate(actor=SYSTEM) >= 1
    expect(banner).to_contain_text("已升级", timeout=5_000)
    expect(page.locator(f"[data-testid=alarm-table] tr:has-text('{level.code}')")).to_contain_text("已升级")
    screenshot(page, "monitoring-escalated-banner")
    assert Alarm.objects.get(point=level, alarm_type="high").escalated_at is not None


def test_point_trend_indicators_and_map_layer(page: Page, demo_site: str) -> None:
    point = Point.objects.filter(kind="level").order_by("pk").first()
    assert point is not None
    now = int(time.time() * 1000)
    for minutes in range(30, 0, -1):
        push(point, 8.0 + minutes % 7, now - minutes * 60_000)
    login(page, demo_site, "inspector")
    page.goto(f"{demo_site}/monitoring/points/{point.pk}/")
    page.wait_for_selector("[data-testid=trend-chart][data-loaded=true]")
    screenshot(page, "monitoring-point-trend")
    page.goto(f"{demo_site}/monitoring/indicators/")
    expect(page.locator("[data-testid=park-indicators]")).to_contain_text("接入率")
    screenshot(page, "monitoring-indicators")
    page.goto(f"{demo_site}/")
    page.wait_for_selector("#map[data-loaded=true]")
    expect(page.locator(".leaflet-control-layers-overlays")).to_contain_text("监测点位")
    screenshot(page, "monitoring-onemap")
    page.locator(".leaflet-control-layers-overlays label", has_text="监测点位").locator("input").check()
    cluster = page.locator("#map .map-cluster").first
    expect(cluster).to_have_text(re.compile(r"^\d+$"))
    # leaflet.css once made the disc a block and put its count in the top left corner
    off = cluster.evaluate(
        """el => { const box = el.getBoundingClientRect(); const range = document.createRange();
        range.selectNodeContents(el); const text = range.getBoundingClientRect();
        return [Math.abs(text.x + text.width / 2 - box.x - box.width / 2),
                Math.abs(text.y + text.height / 2 - box.y - box.height / 2)]; }"""
    )
    assert max(off) <= 2, off
    screenshot(page, "onemap-point-clusters")
