"""The inspector's overdue view as the inspector uses it: from the menu to the to-do page, the card
of overdue duty checks opens that list alone (most overdue first, never-checked persons flagged),
and a row leads to the major hazard, whose page keeps the menu entry active under breadcrumbs."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.conftest import login, screenshot


def test_inspector_works_through_overdue_duty_checks(page: Page, demo_site: str) -> None:
    login(page, demo_site, "inspector")
    page.click("nav.sidebar >> text=待办与提醒")
    page.click("[data-testid=todo-cards] >> text=履职检查逾期")
    table = page.locator("[data-testid=overdue]")
    expect(table.locator("tbody tr").first).to_be_visible()
    expect(page.locator("[data-testid=assessments_overdue]")).to_have_count(0)
    days = [int(d) for d in table.locator("tbody tr td:first-child").all_inner_texts()]
    assert days == sorted(days, reverse=True) and days[0] > 0, "most overdue first"
    expect(table.locator("[data-testid=never-checked]").first).to_be_visible()
    screenshot(page, "inspector-overdue")
    table.locator("tbody tr a").first.click()
    expect(page.locator("[data-testid=breadcrumbs]")).to_contain_text("重大危险源 › 重大危险源 › 详情")
    expect(page.locator("nav.sidebar a.active")).to_have_text("重大危险源")
    screenshot(page, "inspector-overdue-hazard")
