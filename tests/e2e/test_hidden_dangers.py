"""The hidden-danger closed loop in the browser: an inspector records an inspection with two
findings; the enterprise user rectifies one on a phone (390 × 844), uploading the photo; the
inspector verifies it; the other passes its deadline (the clock set forward) and shows up among the
overdue in the reminders, escalated by the daily run."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator

import pytest
import time_machine
from django.utils import timezone
from PIL import Image
from playwright.sync_api import Browser, Page, expect

from chempark.park.models import Enterprise
from chempark.supervision import tasks
from chempark.supervision.models import HiddenDanger
from tests.e2e.conftest import WAIT_MS, login, logout, screenshot

WIDTH = 390
FIXED = "二号罐区可燃气体检测报警器探头损坏"
LEFT = "消防水泵房备用泵不能自动启动"


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(
        viewport={"width": WIDTH, "height": 844}, locale="zh-CN", is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    yield page
    context.close()


def _photo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), (40, 160, 80)).save(buffer, format="JPEG")
    return buffer.getvalue()


def test_inspection_rectification_on_a_phone_verification_and_overdue(page: Page, phone: Page, demo_site: str) -> None:
    enterprise = Enterprise.objects.get(users__username="ent1")
    today = timezone.localdate()
    problems: list[str] = []  # script errors and Content-Security-Policy violations on any page
    for watched in (page, phone):
        watched.on("pageerror", lambda error: problems.append(str(error)))
        watched.on("console", lambda message: message.type == "error" and problems.append(message.text))

    # the first page of a fresh server may be slow on a busy machine
    page.goto(f"{demo_site}/accounts/login/", timeout=90_000)
    expect(page.locator("#id_username")).to_be_visible(timeout=90_000)

    # the inspector records the inspection with two findings, each with its deadline
    login(page, demo_site, "inspector")
    page.goto(f"{demo_site}/supervision/inspections/")
    page.get_by_test_id("inspection-new").click()
    form = page.get_by_test_id("inspection-form")
    form.locator("select[name=enterprise]").select_option(str(enterprise.pk))
    form.locator("input[name=inspectors]").fill("王建国、李明")
    form.locator("input[name=experts]").fill("周工")
    form.locator("input[name=expert_fee_yuan]").fill("1500")
    form.locator("[name=finding-0-description]").fill(FIXED)
    form.locator("[name=finding-0-deadline]").fill((today + dt.timedelta(days=7)).isoformat())
    form.locator("[name=finding-1-description]").fill(LEFT)
    form.locator("[name=finding-1-deadline]").fill((today + dt.timedelta(days=3)).isoformat())
    screenshot(page, "supervision-inspection-form")
    page.click("[data-action=save-inspection]")
    findings = page.get_by_test_id("findings")
    expect(findings).to_contain_text(FIXED)
    expect(findings).to_contain_text(LEFT)
    expect(findings.locator("tbody tr")).to_have_count(2)
    screenshot(page, "supervision-inspection")
    logout(page)

    # the enterprise user rectifies the first on a phone and submits it with a photo
    login(phone, demo_site, "ent1")
    phone.goto(f"{demo_site}/supervision/dangers/?q={FIXED}")
    phone.get_by_role("link", name=FIXED, exact=True).click()
    expect(phone.get_by_test_id("danger-status")).to_have_text("已下达整改")
    phone.click("[data-action=start]")
    expect(phone.get_by_test_id("danger-status")).to_have_text("整改中")
    phone.locator("input[name=photo]").set_input_files(
        {"name": "rectified.jpg", "mimeType": "image/jpeg", "buffer": _photo()}
    )
    phone.fill("#caption", "更换后的检测报警器")
    phone.click("[data-action=evidence]")
    expect(phone.get_by_test_id("evidence").locator("img")).to_have_count(1)
    phone.fill("#s-note", "已更换检测报警器并取得检定证书")
    phone.click("[data-action=submit]")
    expect(phone.get_by_test_id("danger-status")).to_have_text("待复查")
    screenshot(phone, "supervision-phone-rectified")
    wide = phone.evaluate(
        "() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 391)"
        ".slice(0, 8).map(e => e.tagName + '.' + e.className + ':' + e.getBoundingClientRect().right)"
    )
    width = phone.evaluate("() => document.documentElement.scrollWidth")
    assert width <= WIDTH, wide
    assert width <= WIDTH, f"the danger page is {width} px wide on a phone"
    screenshot(phone, "supervision-phone-rectified")

    # the inspector verifies it
    fixed = HiddenDanger.objects.get(description=FIXED)
    login(page, demo_site, "inspector")
    page.goto(f"{demo_site}/supervision/dangers/{fixed.pk}/")
    expect(page.get_by_test_id("evidence").locator("img")).to_have_count(1)
    page.fill("#v-verify_pass", "现场复查符合要求")
    page.click("[data-action=verify_pass]")
    expect(page.get_by_test_id("danger-status")).to_have_text("复查通过")
    page.click("[data-action=close_out]")
    expect(page.get_by_test_id("danger-status")).to_have_text("已销号")
    screenshot(page, "supervision-verified")
    logout(page)

    # five days on, the other is overdue: the daily run escalates it and the reminders list it
    with time_machine.travel(timezone.now() + dt.timedelta(days=5), tick=True):
        left = HiddenDanger.objects.get(description=LEFT)
        assert left.pk in {d.pk for d in tasks.run_daily().escalated}
        login(page, demo_site, "inspector")
        page.goto(f"{demo_site}/supervision/reminders/")
        overdue = page.get_by_test_id("overdue")
        row = overdue.locator("tr", has_text=LEFT)
        expect(row).to_contain_text("已督办")
        expect(row).to_contain_text("逾期")
        expect(overdue).not_to_contain_text(FIXED)
        screenshot(page, "supervision-reminders-overdue")

    # the module's other pages as the inspector: they render under the policy, no script errors
    for path in (
        "/supervision/risk-points/",
        "/supervision/operations/",
        "/supervision/licences/",
        "/supervision/projects/",
        "/supervision/campaigns/",
        "/supervision/cases/",
        "/supervision/rates/",
        "/supervision/public/draws/",
    ):
        page.goto(f"{demo_site}{path}")
        expect(page.locator("h1")).to_be_visible()
    expect(page.get_by_test_id("drawn-enterprises").first).not_to_be_empty()
    screenshot(page, "supervision-public-draws")
    page.goto(f"{demo_site}/supervision/operations/")
    expect(page.get_by_test_id("operation-findings")).to_contain_text("有作业票无报备")
    screenshot(page, "supervision-operations")
    assert problems == [], problems
