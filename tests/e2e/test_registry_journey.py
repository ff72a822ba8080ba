"""What a new user does on the first day: log in with each demo account and look at the one-map,
find an enterprise and edit it, see the change in the audit trail, add an enterprise and find it
on the map — and an enterprise user who cannot see anyone else's data."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from chempark.park.models import Enterprise
from tests.e2e.conftest import login, logout, screenshot

LAYER_NAMES = ("园区边界", "功能区域", "防护目标", "生产/储存单元", "企业")


def open_onemap(page: Page) -> dict[str, int]:
    """Wait for every layer and return the feature count the layer control shows for each."""
    page.wait_for_selector("#map[data-loaded=true]")
    counts = {}
    for label in page.locator(".leaflet-control-layers-overlays label").all_inner_texts():
        name, count = re.match(r"\s*(.+?) \((\d+)\)", label).groups()  # type: ignore[union-attr]  # None would fail the test here, which is what it should do
        counts[name] = int(count)
    return counts


def connect_a_gateway(page: Page) -> None:
    """Open an enterprise gateway's broker account and read its password, shown once."""
    page.click("nav >> text=物联网接入账号")
    form = page.get_by_test_id("mqtt-open-enterprise")
    form.locator("select[name=enterprise]").select_option(index=1)
    chosen = form.locator("select[name=enterprise] option:checked").inner_text()
    form.locator("button").click()
    password = page.get_by_test_id("mqtt-password").inner_text()
    assert len(password) >= 20
    uscc = page.get_by_test_id("mqtt-username").inner_text()
    assert uscc in chosen
    expect(page.get_by_test_id("mqtt-topic")).to_have_text(f"chempark/{uscc}/readings")
    screenshot(page, "secadmin-broker-account-issued")
    page.reload()  # shown once: not again
    expect(page.get_by_test_id("mqtt-password-gone")).to_be_visible()
    expect(page.get_by_test_id("mqtt-password")).to_have_count(0)
    page.click("text=返回账号列表")
    expect(page.get_by_test_id("mqtt-table")).to_contain_text(uscc)
    assert password not in page.content()


def test_every_demo_account_lands_on_its_own_first_page(page: Page, demo_site: str) -> None:
    # Three-role separation: the auditor and the security administrator see no business data.
    # The security administrator's second entry is the broker accounts (credentials, like tokens).
    for username, landing, entries in (("auditor", "/accounts/audit/", 1), ("secadmin", "/accounts/users/", 2)):
        login(page, demo_site, username)
        assert page.url == f"{demo_site}{landing}", username
        expect(page.locator("nav.sidebar a")).to_have_count(entries)
        screenshot(page, f"landing-{username}")
        if username == "secadmin":
            connect_a_gateway(page)
        logout(page)
    for username in ("admin", "inspector", "dispatcher", "expert", "ent1"):
        login(page, demo_site, username)
        # the bureau lands on the command overview, an enterprise on its workbench; the map is a menu entry
        landing = "/command/workbench/" if username == "ent1" else "/command/overview/"
        assert page.url == f"{demo_site}{landing}", username
        expect(page.get_by_test_id("workbench" if username == "ent1" else "overview")).to_be_visible()
        screenshot(page, f"landing-{username}")
        page.click("nav >> text=一张图")
        counts = open_onemap(page)
        assert set(counts) >= set(LAYER_NAMES), username
        assert counts["园区边界"] == 1 and counts["防护目标"] >= 20 and counts["功能区域"] >= 5
        if username == "ent1":
            assert counts["企业"] == 1, "an enterprise user sees only its own enterprise"
        else:
            assert counts["企业"] >= 40 and counts["生产/储存单元"] >= 150
        expect(page.locator(".leaflet-interactive").first).to_be_visible()
        screenshot(page, f"onemap-{username}")
        logout(page)


def test_find_and_edit_an_enterprise_then_audit_shows_it(page: Page, demo_site: str) -> None:
    login(page, demo_site, "inspector")
    page.click("nav >> text=企业")
    page.fill("input[name=q]", "合成氨")
    page.click("text=查询")
    row = page.locator("[data-testid=list-table] tbody tr").first
    name = row.locator("a").inner_text()
    row.locator("a").click()
    page.click("text=编辑")
    page.fill("#id_safety_phone", "0315-7654321")
    page.fill("#id_safety_contact", "钱工程师")
    page.click("button:has-text('保存')")
    expect(page.locator("[data-testid=detail-fields]")).to_contain_text("0315-7654321")
    screenshot(page, "enterprise-edited")
    logout(page)

    login(page, demo_site, "auditor")
    page.goto(f"{demo_site}/accounts/audit/?object_type=enterprise&action=update")
    table = page.locator("[data-testid=audit-table]")
    expect(table).to_contain_text("监管执法员")  # the actor by name, as the auditor reads it
    expect(table).to_contain_text("0315-7654321")
    expect(table).to_contain_text("钱工程师")
    screenshot(page, "audit-trail")
    assert name


def test_bad_edit_is_refused_with_a_reason(page: Page, demo_site: str) -> None:
    login(page, demo_site, "admin")
    page.goto(f"{demo_site}/registry/enterprise/")
    page.locator("[data-testid=list-table] tbody tr a").first.click()
    detail_url = page.url
    page.click("text=编辑")
    original = page.input_value("#id_uscc")
    page.fill("#id_uscc", original[:-1] + ("0" if original[-1] != "0" else "1"))
    page.click("button:has-text('保存')")
    expect(page.locator("form.edit")).to_contain_text("check character")
    page.goto(detail_url)
    expect(page.locator("[data-testid=detail-fields]")).to_contain_text(original)


def test_new_enterprise_appears_on_the_onemap(page: Page, demo_site: str) -> None:
    login(page, demo_site, "inspector")
    page.goto(f"{demo_site}/registry/enterprise/new/")
    page.select_option("#id_park", index=1)
    page.fill("#id_name", "唐山测试新材料有限公司")
    page.fill("#id_uscc", "91130209MA0000999X")
    page.select_option("#id_kind", "production")
    page.fill("#id_lon", "118.2")
    page.fill("#id_lat", "39.2")
    page.click("button:has-text('保存')")
    error = page.locator(".errorlist")
    if error.count():  # the check character of the typed code is wrong: the form says so
        expect(error.first).to_contain_text("check character")
        expected = re.search(r"expected '(.)'", error.first.inner_text()).group(1)  # type: ignore[union-attr]  # None would fail the test here, which is what it should do
        page.fill("#id_uscc", "91130209MA0000999" + expected)
        page.click("button:has-text('保存')")
    expect(page.locator("h1")).to_contain_text("唐山测试新材料有限公司")
    page.click("nav >> text=一张图")
    open_onemap(page)
    page.fill("#map-search", "唐山测试新材料有限公司")
    page.press("#map-search", "Enter")
    page.dispatch_event("#map-search", "change")
    expect(page.locator(".leaflet-popup-content")).to_contain_text("唐山测试新材料有限公司")
    screenshot(page, "onemap-new-enterprise")


def test_enterprise_user_cannot_open_other_enterprises(page: Page, demo_site: str) -> None:
    login(page, demo_site, "ent1")
    page.goto(f"{demo_site}/registry/enterprise/")
    expect(page.locator("[data-testid=list-table] tbody tr")).to_have_count(1)
    own = page.locator("[data-testid=list-table] tbody tr a").first.get_attribute("href")
    other = Enterprise.objects.exclude(users__username="ent1").order_by("id").first()
    assert other is not None and own != f"/registry/enterprise/{other.pk}/"
    response = page.goto(f"{demo_site}/registry/enterprise/{other.pk}/")
    assert response is not None and response.status == 404
    response = page.goto(f"{demo_site}/api/v1/enterprises/{other.pk}")
    assert response is not None and response.status == 404
    response = page.goto(f"{demo_site}/api/v1/units?enterprise={other.pk}")
    assert response is not None and '"count":0' in response.text()


def test_english_interface(page: Page, demo_site: str) -> None:
    login(page, demo_site, "dispatcher")
    page.select_option("select[name=language]", "en")
    page.wait_for_selector("text=Log out")
    page.goto(f"{demo_site}/registry/enterprise/")
    expect(page.locator("h1")).to_have_text("Enterprise")
    expect(page.locator("table.data th").first).to_contain_text("Enterprise name")
    screenshot(page, "enterprise-list-en")
