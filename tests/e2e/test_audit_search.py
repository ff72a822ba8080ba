"""The auditor finds today's change to a named enterprise using only Chinese words: the object type
chosen by its Chinese name, the enterprise typed by part of its name, today's date; the row names the
changed fields by their labels."""

from __future__ import annotations

from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.e2e.conftest import login, logout, screenshot


def test_auditor_finds_todays_change_to_a_named_enterprise(page: Page, demo_site: str) -> None:
    login(page, demo_site, "inspector")
    page.goto(f"{demo_site}/registry/enterprise/")
    row = page.locator("[data-testid=list-table] tbody tr").first
    name = row.locator("a").first.inner_text()
    row.locator("a").first.click()
    page.click("text=编辑")
    page.fill("#id_safety_contact", "钱工程师")
    page.click("button:has-text('保存')")
    expect(page.locator("[data-testid=detail-fields]")).to_contain_text("钱工程师")
    logout(page)

    login(page, demo_site, "auditor")
    page.select_option("#id_object_type", label="企业")
    page.fill("#id_object_name", name[2:6])
    page.fill("#id_since", timezone.localdate().isoformat())
    page.select_option("#id_action", label="修改")
    page.click("button:has-text('查询')")
    table = page.locator("[data-testid=audit-table]")
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(table).to_contain_text(name)
    expect(table).to_contain_text("安全负责人")
    expect(table).to_contain_text("钱工程师")
    assert "safety_contact" not in table.inner_text() and "enterprise" not in table.inner_text()
    screenshot(page, "auditor-finds-change")
