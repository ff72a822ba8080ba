"""Budget performance in the browser, as the finance officer uses it: import the bureau's statement
for last year, record a payment and see the execution rate and the chart move, download the
self-evaluation report and read it back."""

from __future__ import annotations

import io
import json
from pathlib import Path

from django.utils import timezone
from docx import Document as WordDocument
from playwright.sync_api import Browser, Page, expect

from chempark.budget.models import Project
from tests.e2e.conftest import login, logout, screenshot
from tests.e2e.test_pages_csp import RECORD_VIOLATIONS, Problems

STATEMENT = Path(__file__).parents[2] / "src/chempark/budget/data/bureau-performance-targets.txt"


def _chart(page: Page) -> dict[str, list[float | None]]:
    return json.loads(page.locator("#spending-chart-data").text_content() or "{}")


def test_finance_imports_records_spending_and_downloads_the_report(page: Page, demo_site: str) -> None:
    year = timezone.localdate().year - 1  # a past year: every date of it may carry spending
    login(page, demo_site, "finance")
    page.click("nav a[href='/budget/import/']")
    page.fill("input[name=year]", str(year))
    page.set_input_files("input[name=file]", str(STATEMENT))
    page.click("[data-testid=import-form] button")
    expect(page.locator("[data-testid=import-result]")).to_contain_text("25 个项目")
    expect(page.locator("[data-testid=import-result]")).to_contain_text("2171.73")
    page.click("text=查看预算项目")
    expect(page.locator("[data-testid=total-budget]")).to_have_text("2171.73")
    expect(page.locator("[data-testid=project-table] tbody tr")).to_have_count(25)

    page.click("[data-testid=project-table] >> text=应急演练")
    expect(page.locator("[data-testid=execution-rate]")).to_have_text("0.00%")
    expect(page.locator("#spending-chart canvas")).to_be_visible()
    assert _chart(page)["actual"][11] == 0
    # more than the budget is refused, naming the field, and nothing is recorded
    page.fill("[data-testid=spending-form] input[name=date]", f"{year}-04-20")
    page.fill("[data-testid=spending-form] input[name=amount]", "12")
    page.click("[data-testid=spending-form] button")
    expect(page.locator("[data-testid=spending-error]")).to_contain_text("金额")
    expect(page.locator("[data-testid=spending-error]")).to_contain_text("剩余预算 10")
    page.fill("[data-testid=spending-form] input[name=amount]", "2.5")
    page.fill("[data-testid=spending-form] input[name=voucher]", "记-04-021")
    page.click("[data-testid=spending-form] button")
    expect(page.locator("[data-testid=execution-rate]")).to_have_text("25.00%")
    chart = _chart(page)
    assert chart["actual"][2] == 0 and chart["actual"][3] == 2.5 and chart["actual"][11] == 2.5
    expect(page.locator("[data-testid=checkpoints]")).to_contain_text("滞后")
    screenshot(page, "budget-project")

    with page.expect_download() as download:
        page.click("[data-testid=report-docx]")
    report = WordDocument(io.BytesIO(Path(download.value.path()).read_bytes()))
    cells = [cell.text for table in report.tables for row in table.rows for cell in row.cells]
    assert "应急演练" in cells and "25.00%" in cells and "自评总分" in cells


def test_budget_pages_run_under_the_policy(browser: Browser, demo_site: str) -> None:
    """The budget pages as finance and as an inspector: no policy violation, no script error, the
    demo year's spending drawn and its lagging projects flagged."""
    context = browser.new_context(viewport={"width": 1400, "height": 860}, locale="zh-CN")
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    problems = Problems(page)
    project = Project.objects.filter(budget_year__year=timezone.localdate().year).order_by("number").first()
    assert project is not None
    indicator = project.indicators.order_by("position").first()
    assert indicator is not None
    for username in ("finance", "inspector"):
        login(page, demo_site, username)
        for path, ready in (
            ("/budget/", "[data-testid=project-table]"),
            (f"/budget/projects/{project.pk}/", "#spending-chart canvas"),
            (f"/budget/indicators/{indicator.pk}/", "h1"),
            ("/budget/activities/", "[data-testid=figures]"),
        ):
            page.goto(f"{demo_site}{path}")
            page.wait_for_selector(ready)
            page.wait_for_load_state("networkidle")
            problems.check(f"{username} {path}")
        screenshot(page, f"budget-{username}-activities")
        if username == "finance":
            page.goto(f"{demo_site}/budget/import/")
            problems.check("finance import")
        page.goto(f"{demo_site}/budget/")
        screenshot(page, f"budget-{username}-list")
        logout(page)
    context.close()
