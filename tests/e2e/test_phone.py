"""The enterprise safety manager's daily jobs on a phone (390 × 844): the navigation behind the menu
button, the daily safety commitment, an inventory edited in the registry, the one-map — and no page
wider than the screen (wide tables scroll inside their own box)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from chempark.park.models import Inventory
from tests.e2e.conftest import WAIT_MS, login, screenshot

WIDTH = 390


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(
        viewport={"width": WIDTH, "height": 844}, locale="zh-CN", is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    yield page
    context.close()


def assert_fits(page: Page) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= WIDTH, f"{page.url} is {width} px wide"


def open_menu_item(page: Page, label: str) -> None:
    menu = page.locator("[data-nav-toggle]")
    sidebar = page.locator("#sidebar")
    expect(sidebar).to_be_hidden()
    expect(menu).to_have_attribute("aria-expanded", "false")
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(sidebar).to_be_visible()
    sidebar.get_by_role("link", name=label, exact=True).click()
    page.wait_for_load_state()


def test_enterprise_daily_jobs_on_a_phone(phone: Page, demo_site: str) -> None:
    page = phone
    login(page, demo_site, "ent1")
    assert_fits(page)

    # the daily safety commitment, reached through the menu
    page.locator("[data-nav-toggle]").click()
    screenshot(page, "phone-menu-open")
    page.locator("[data-nav-toggle]").click()
    open_menu_item(page, "安全承诺")
    expect(page).to_have_url(f"{demo_site}/hazards/commitments/")
    form = page.get_by_test_id("commitment-form")
    for name, value in (
        ("units_running", "3"),
        ("units_under_maintenance", "1"),
        ("special_operations", "0"),
        ("principal_name", "王建国"),
    ):
        form.locator(f"input[name={name}]").fill(value)
    assert_fits(page)
    screenshot(page, "phone-commitment-form")
    form.locator("button").click()
    expect(page.get_by_role("status")).to_contain_text("今日承诺已提交")
    assert_fits(page)
    screenshot(page, "phone-commitment-submitted")

    # an inventory of the enterprise: the list's table scrolls inside its box, the page does not
    open_menu_item(page, "危化品存量")
    table_box = page.locator(".table-scroll").first
    expect(table_box).to_be_visible()
    assert table_box.evaluate("(box) => box.scrollWidth > box.clientWidth")  # wider than the phone: it scrolls
    assert_fits(page)
    screenshot(page, "phone-inventory-list")
    page.locator("table.data tbody tr a").first.click()
    page.click("text=编辑")
    expect(page.locator("#id_current_t")).to_be_visible()  # the edit page has loaded
    assert_fits(page)
    screenshot(page, "phone-inventory-edit")
    inventory_id = int(page.url.rstrip("/").split("/")[-2])
    page.fill("#id_current_t", "0.3")
    page.click("button:has-text('保存')")
    screenshot(page, "phone-inventory-saved")
    expect(page.locator("[data-testid=detail-fields]")).to_contain_text("0.3")
    assert_fits(page)
    assert float(Inventory.objects.get(pk=inventory_id).current_t) == 0.3

    # the one-map: the legend starts folded and opens on a tap
    page.goto(f"{demo_site}/")
    page.wait_for_selector("#map[data-loaded=true]")
    legend = page.locator("details.map-legend")
    expect(legend).not_to_have_attribute("open", "")
    assert_fits(page)
    screenshot(page, "phone-onemap")
    legend.locator("summary").click()
    expect(legend).to_have_attribute("open", "")
    screenshot(page, "phone-onemap-legend")


def test_the_menu_button_stays_out_of_the_way_on_a_desktop(page: Page, demo_site: str) -> None:
    login(page, demo_site, "ent1")
    page.goto(f"{demo_site}/")
    page.wait_for_selector("#map[data-loaded=true]")
    expect(page.locator("[data-nav-toggle]")).to_be_hidden()
    expect(page.locator("#sidebar")).to_be_visible()
    expect(page.locator("details.map-legend")).to_have_attribute("open", "")


def test_my_subscriptions_on_a_phone(phone: Page, demo_site: str) -> None:
    """我的订阅 fits the phone; a choice made there is saved and shown again."""
    page = phone
    login(page, demo_site, "ent1")
    open_menu_item(page, "我的订阅")
    expect(page).to_have_url(f"{demo_site}/notifications/subscriptions/")
    duty_check = page.locator("fieldset[data-event='hazard.duty_check']")
    expect(duty_check).to_contain_text("包保责任人履职检查逾期")
    assert_fits(page)
    screenshot(page, "phone-subscriptions")
    licences = page.locator("fieldset[data-event='licence.expiring']")
    licences.locator("input[name='licence.expiring:enabled']").uncheck()
    raised = page.locator("fieldset[data-event='alarm.raised']")
    raised.locator("select").select_option("critical")
    page.get_by_role("button", name="保存订阅").click()
    expect(page.get_by_role("status")).to_contain_text("订阅已保存")
    expect(licences.locator("input[name='licence.expiring:enabled']")).not_to_be_checked()
    expect(raised.locator("select")).to_have_value("critical")
    assert_fits(page)
