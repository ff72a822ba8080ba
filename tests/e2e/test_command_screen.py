"""The 大屏 on a wall: at 1920 × 1080 the duty officer sees every tile filled from the demo park, the
ranking, the warning levels and the trend, without scrolling; a new alarm reaches the alarm tile
live (no reload); at 1440 × 900 it still fits."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from chempark.accounts.models import TokenKind, User
from chempark.accounts.services import token_issue
from chempark.core.actors import SYSTEM
from chempark.monitoring.models import Point
from tests.e2e.conftest import WAIT_MS, login, screenshot
from tests.e2e.test_duty_banner import post_reading


def open_screen(browser: Browser, site: str, width: int, height: int) -> Page:
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    login(page, site, "dispatcher")
    page.goto(f"{site}/command/screen/")
    page.wait_for_selector("body[data-loaded=true]")
    page.wait_for_selector("#screen-map[data-loaded=true]")
    return page


def no_scrolling(page: Page) -> bool:
    return bool(
        page.evaluate(
            "document.scrollingElement.scrollHeight <= window.innerHeight + 1 && "
            "document.scrollingElement.scrollWidth <= window.innerWidth + 1"
        )
    )


def nothing_cut(page: Page) -> None:
    """Every ranked enterprise's name whole, and only whole entries in the alarm list (at 1440 px the
    names were cut to six characters and the list's last entry through its middle)."""
    names = page.locator("[data-testid=screen-ranking] .name")
    cut = names.evaluate_all("els => els.filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.textContent)")
    assert not cut, cut
    hidden = page.locator("[data-testid=screen-alarms]").evaluate(
        "ul => [...ul.children].filter(li => li.getBoundingClientRect().bottom > "
        "ul.getBoundingClientRect().bottom + 1).length"
    )
    assert hidden == 0


def test_the_wall_screen_is_filled_and_live(browser: Browser, demo_site: str) -> None:
    page = open_screen(browser, demo_site, 1920, 1080)
    tiles = page.locator(".screen-tile")
    expect(tiles).to_have_count(7)  # the platform's five and the vehicle and incident modules' (the duty officer's)
    for i in range(7):
        expect(tiles.nth(i).locator(".figure")).not_to_have_count(0)
    expect(page.locator("[data-testid=screen-ranking] li")).not_to_have_count(0)
    expect(page.locator("[data-testid=screen-levels] li")).to_have_count(4)
    expect(page.locator("#screen-trend canvas")).to_have_count(1)
    expect(page.locator("[data-testid=screen-live]")).to_have_attribute("data-state", "open")
    assert no_scrolling(page)
    nothing_cut(page)
    text = page.locator("body").inner_text()
    assert not re.search(r"\b(undefined|null|NaN|None)\b", text), text

    active = page.locator("[data-tile=alarms] .figure").first.locator(".value")
    before = int(active.inner_text().rstrip("条"))
    enterprise = User.objects.get(username="ent1").enterprise
    assert enterprise is not None
    point = (
        Point.objects.filter(enterprise=enterprise, kind="gas_lel", on_delay_s=0, hh__isnull=False)
        .order_by("pk")
        .first()
    )
    assert point is not None and point.hh is not None
    _token, raw = token_issue(actor=SYSTEM, name="gw-screen", kind=TokenKind.MACHINE, enterprise_id=enterprise.pk)
    post_reading(demo_site, raw, point, point.hh + 5)
    expect(active).to_have_text(re.compile(rf"^{before + 1}"), timeout=5_000)
    expect(page.locator("[data-testid=screen-alarms]")).to_contain_text(point.name)
    screenshot(page, "command-screen-1920")
    page.context.close()


@pytest.mark.parametrize(("width", "height"), [(1440, 900)])
def test_the_screen_fits_a_desk_monitor(browser: Browser, demo_site: str, width: int, height: int) -> None:
    page = open_screen(browser, demo_site, width, height)
    assert no_scrolling(page)
    nothing_cut(page)
    screenshot(page, f"command-screen-{width}")
    page.context.close()
