"""Every page under the Content-Security-Policy, as the roles who use it: no policy violation, no
script error, and the page still draws (maps loaded, colours resolved from the stylesheet, tables
intact). One demo site for the whole walk, a few page loads per role; screenshots go to
artifacts/screenshots/csp-*.png."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from chempark.accounts.models import User
from chempark.core.actors import actor_for_user
from chempark.emergency.demo import DEMO_STUDY_NAME
from chempark.emergency.models import QraStudy
from chempark.emergency.services import qra_start
from chempark.hazards.models import MajorHazard
from chempark.monitoring.models import Point
from chempark.park.models import Enterprise
from chempark.park.workbook import template_workbook
from tests.e2e.conftest import WAIT_MS, login, logout, screenshot

# Recorded in the page itself: the browser reports each refused script, style or image there.
RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) =>
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI || "inline"} ${e.sourceFile}:${e.lineNumber}`));
"""


class Problems:
    """Script errors and console errors of a page, and the policy violations it recorded."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.found: list[str] = []
        page.on("pageerror", lambda error: self.found.append(f"pageerror: {error}"))
        page.on(
            "console",
            lambda message: (
                self.found.append(f"console: {message.text} {message.location}") if message.type == "error" else None
            ),
        )
        page.on(
            "response",
            lambda response: (
                self.found.append(f"HTTP {response.status}: {response.url}") if response.status >= 400 else None
            ),
        )

    def forget(self) -> None:
        """Drop what arrived while one role logged out: a map layer the page being left had still in
        flight answers 401 once its session is gone, and would be charged to the next page checked."""
        self.found = []

    def check(self, where: str) -> None:
        violations = self.page.evaluate("window.__csp || []")
        found = self.found + [f"csp: {v}" for v in violations]
        self.found = []
        assert not found, f"{where}: {found}"


@pytest.fixture
def watched(browser: Browser) -> Iterator[tuple[Page, Problems]]:
    context = browser.new_context(viewport={"width": 1400, "height": 860}, locale="zh-CN")
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    yield page, Problems(page)
    context.close()


def visit(page: Page, problems: Problems, url: str, shot: str, ready: str = "h1") -> None:
    page.goto(url)
    page.wait_for_selector(ready)
    page.wait_for_load_state("networkidle")
    screenshot(page, f"csp-{shot}")
    problems.check(url)


def token(page: Page, name: str) -> str:
    return str(page.evaluate(f"getComputedStyle(document.documentElement).getPropertyValue('{name}').trim()"))


def test_every_page_runs_under_the_policy(watched: tuple[Page, Problems], demo_site: str, tmp_path: Path) -> None:
    page, problems = watched
    site = demo_site
    response = page.request.get(f"{site}/accounts/login/")
    assert "script-src 'self';" in response.headers["content-security-policy"]

    # the duty officer: the one-map, the live alarm list, 事故模拟
    login(page, site, "dispatcher")
    page.goto(f"{site}/")
    page.wait_for_selector("#map[data-loaded=true]")
    page.wait_for_load_state("networkidle")
    fills = page.locator("#map path.leaflet-interactive").evaluate_all("els => els.map(e => e.getAttribute('fill'))")
    assert fills and not [f for f in fills if f and f.startswith("--")], "every colour token resolved"
    assert token(page, "--level-1") in fills, "major hazards of 一级 drawn in the level colour"
    swatch = page.locator(".map-legend [data-swatch='--level-1']").first  # 一级重大危险源 (and 红色预警 below it)
    expect(swatch).to_have_css("background-color", "rgb(224, 49, 49)")
    screenshot(page, "csp-dispatcher-onemap")
    problems.check("one-map")
    visit(page, problems, f"{site}/monitoring/alarms/", "dispatcher-alarms", "[data-testid=alarm-table]")
    page.goto(f"{site}/emergency/simulation/")
    page.wait_for_selector("#sim-map[data-loaded=true]")
    page.select_option("#sim-chemical", "7782-50-5")
    page.fill("#sim-lon", "118.176")
    page.fill("#sim-lat", "39.2")
    page.click("#sim-run")
    page.wait_for_selector("#sim-map[data-simulated]")
    expect(page.locator(f"#sim-map path.sim-zone[fill='{token(page, '--zone-0')}']")).to_have_count(1)
    expect(page.locator("[data-testid=zone-table] tbody tr")).to_have_count(3)
    screenshot(page, "csp-dispatcher-simulation")
    problems.check("事故模拟")
    logout(page)

    # the inspector: the registry (list, detail, edit), major hazards, monitoring points and their trend
    problems.forget()
    login(page, site, "inspector")
    enterprise = Enterprise.objects.order_by("pk").first()
    hazard = MajorHazard.objects.filter(level=1).order_by("pk").first()
    point = Point.objects.filter(kind="level").order_by("pk").first()
    assert enterprise is not None and hazard is not None and point is not None
    visit(
        page, problems, f"{site}/registry/enterprise/?sort=-name", "inspector-registry-list", "[data-testid=list-table]"
    )
    expect(page.locator("[data-testid=list-table] thead")).to_contain_text("▼")
    visit(page, problems, f"{site}/registry/enterprise/{enterprise.pk}/", "inspector-registry-detail")
    visit(page, problems, f"{site}/registry/enterprise/{enterprise.pk}/edit/", "inspector-registry-edit", "form.edit")
    visit(page, problems, f"{site}/hazards/?level=1", "inspector-hazards", "[data-testid=hazard-table]")
    expect(page.locator("[data-testid=hazard-table] tbody .lvl-1").first).to_have_css(
        "background-color", "rgb(224, 49, 49)"
    )
    visit(page, problems, f"{site}/hazards/{hazard.pk}/", "inspector-hazard-detail", "[data-testid=breakdown]")
    visit(page, problems, f"{site}/monitoring/points/", "inspector-points", "[data-testid=point-table]")
    visit(
        page,
        problems,
        f"{site}/monitoring/points/{point.pk}/",
        "inspector-point-trend",
        "[data-testid=trend-chart][data-loaded=true]",
    )
    visit(page, problems, f"{site}/monitoring/indicators/", "inspector-indicators", "[data-testid=park-indicators]")
    logout(page)

    # the expert: a QRA study with its results (computed here, cut small) on the shared map
    study = QraStudy.objects.get(name=DEMO_STUDY_NAME)
    QraStudy.objects.filter(pk=study.pk).update(scenarios=study.scenarios[:2], grid_cell_m=200.0, grid_margin_m=3000.0)
    qra_start(actor=actor_for_user(User.objects.get(username="expert")), pk=study.pk)
    problems.forget()
    login(page, site, "expert")
    visit(page, problems, f"{site}/emergency/qra/", "expert-qra-list", "[data-testid=qra-studies]")
    page.goto(f"{site}/emergency/qra/{study.pk}/")  # the demo site's job worker runs the study
    page.wait_for_selector("#qra-progress[data-status=succeeded]", timeout=120_000)
    visit(page, problems, f"{site}/emergency/qra/{study.pk}/", "expert-qra-study", "#qra-map[data-loaded=true]")
    contours = {token(page, f"--risk-{level}") for level in ("1e-5", "3e-6", "1e-6", "3e-7")}
    strokes = page.locator("#qra-map path.leaflet-interactive").evaluate_all(
        "els => els.map(e => e.getAttribute('stroke'))"
    )
    assert contours & set(strokes), "the risk contours drawn in their colours"
    logout(page)

    # the auditor and the security administrator
    problems.forget()
    login(page, site, "auditor")
    visit(page, problems, f"{site}/accounts/audit/", "auditor-audit", "[data-testid=audit-table]")
    logout(page)
    problems.forget()
    login(page, site, "secadmin")
    visit(page, problems, f"{site}/accounts/users/", "secadmin-users", "[data-testid=token-table]")
    ent1 = User.objects.get(username="ent1")
    visit(page, problems, f"{site}/accounts/users/{ent1.pk}/", "secadmin-user")
    visit(page, problems, f"{site}/accounts/password/", "secadmin-password")
    visit(page, problems, f"{site}/monitoring/broker-accounts/", "secadmin-broker-accounts", "[data-testid=mqtt-table]")
    logout(page)

    # the enterprise: an import watched through htmx's polling, the daily commitment and its gate screen
    problems.forget()
    login(page, site, "ent1")
    visit(page, problems, f"{site}/registry/import/", "enterprise-import")
    workbook = tmp_path / "template.xlsx"
    workbook.write_bytes(template_workbook())
    page.set_input_files("input[name=file]", str(workbook))
    page.click("text=上传并导入")
    page.wait_for_selector("#import-progress:not([data-status=pending]):not([data-status=running])", timeout=60_000)
    screenshot(page, "csp-enterprise-import-done")
    problems.check("import progress")
    visit(page, problems, f"{site}/hazards/commitments/", "enterprise-commitments")
    own = User.objects.get(username="ent1").enterprise
    assert own is not None
    visit(page, problems, f"{site}/hazards/gate/{own.uscc}/", "enterprise-gate", "[data-testid=gate]")
