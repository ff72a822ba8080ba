"""An expert opens the demo park's QRA study, runs it, watches the progress bar, and sees the
contours, the per-target GB 36894 table and the PDF report link. The study is cut to four scenarios
on a coarse grid first, so the browser test stays short on two shared cores."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from chempark.emergency.demo import DEMO_STUDY_NAME
from chempark.emergency.models import QraStudy
from tests.e2e.conftest import login, screenshot


def test_run_the_demo_study_and_read_the_results(page: Page, demo_site: str) -> None:
    study = QraStudy.objects.get(name=DEMO_STUDY_NAME)
    assert len(study.scenarios) >= 4
    QraStudy.objects.filter(pk=study.pk).update(scenarios=study.scenarios[:4], grid_cell_m=200.0, grid_margin_m=3000.0)
    login(page, demo_site, "expert")
    page.click("nav >> text=定量风险评价")
    page.click(f"text={DEMO_STUDY_NAME}")
    expect(page.locator("#qra-progress")).to_contain_text("待计算")
    page.click("[data-testid=qra-start]")
    expect(page.locator(".progress")).to_be_visible()
    page.wait_for_selector("#qra-progress[data-status=succeeded]", timeout=120_000)
    page.click("#qra-progress >> text=查看结果")
    page.wait_for_selector("#qra-map[data-loaded=true]")
    checks = page.locator("[data-testid=qra-checks] tbody tr")
    expect(checks).to_have_count(22)
    expect(page.locator("[data-testid=qra-checks]")).to_contain_text("临港镇中心小学")
    expect(page.locator("[data-testid=qra-report]")).to_be_visible()
    study.refresh_from_db()
    if study.notes:  # tanks without scenarios: no target may read 满足
        expect(page.locator("[data-testid=qra-incomplete]")).to_contain_text("不完整")
        verdicts = page.locator("[data-testid=qra-verdict]").all_inner_texts()
        assert verdicts and all(v in ("不完整", "不满足") for v in verdicts), verdicts
    if (study.results or {}).get("fn"):
        page.wait_for_selector("#qra-fn-chart[data-loaded=true]")
    screenshot(page, "qra-study-results")
    response = page.request.get(demo_site + (page.locator("[data-testid=qra-report]").get_attribute("href") or ""))
    assert response.status == 200 and response.body().startswith(b"%PDF")


def test_edit_the_wind_rose_and_rerun(page: Page, demo_site: str) -> None:
    """The expert edits the study on its page: a rose that does not sum to 1 is refused with the
    reason and nothing stored; a rose blowing mostly from the east is saved and the study reruns."""
    study = QraStudy.objects.get(name=DEMO_STUDY_NAME)
    QraStudy.objects.filter(pk=study.pk).update(scenarios=study.scenarios[:2], grid_cell_m=200.0, grid_margin_m=3000.0)
    login(page, demo_site, "expert")
    page.goto(f"{demo_site}/emergency/qra/{study.pk}/")
    page.click("#qra-edit summary")
    page.fill("[data-testid=rose-E]", "0.5")  # the others stay 1/16: the sum is 1.4375
    page.click("[data-testid=qra-save]")
    expect(page.locator(".error-box")).to_contain_text("wind rose")
    assert QraStudy.objects.get(pk=study.pk).wind_rose == [1 / 16] * 16
    # east 0.55, the other 15 sectors 0.03 each: 0.55 + 0.45 = 1
    for sector in ("N", "NNE", "NE", "ENE", "ESE", "SE", "SSE", "S", "SSW", "SW", "WSW", "W", "WNW", "NW", "NNW"):
        page.fill(f"[data-testid=rose-{sector}]", "0.03")
    page.fill("[data-testid=rose-E]", "0.55")
    page.fill("input[name=f0]", "2e-5")
    screenshot(page, "qra-study-edit")
    page.click("[data-testid=qra-save]")
    expect(page.locator(".error-box")).to_have_count(0)
    saved = QraStudy.objects.get(pk=study.pk)
    assert saved.wind_rose[4] == 0.55 and saved.wind_rose[0] == 0.03
    assert saved.scenarios[0]["frequency_per_year"] == 2e-5
    page.click("[data-testid=qra-start]")
    page.wait_for_selector("#qra-progress[data-status=succeeded]", timeout=120_000)
    page.click("#qra-progress >> text=查看结果")
    page.wait_for_selector("#qra-map[data-loaded=true]")
    screenshot(page, "qra-study-edited-results")
