"""An inspector uploads a workbook of 300 units and watches the progress bar move while the import
runs in the job worker, then sees it finish.

To make "while it runs" deterministic without sleeping, the import is held at its 100th row (a test
hook around its progress report) until the browser has shown 100 / 300; then it is let go. On
PostgreSQL it is held in the write stage — its transaction open, its first 100 units written but
not committed, so the bar's value can only come from outside that transaction. On SQLite it is
held while reading the workbook: there, an open write transaction holds the database's single write
lock, and the page's own session save would wait for it.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection
from playwright.sync_api import Page, expect

from chempark.park import imports
from chempark.park.demo import demo_uscc
from chempark.park.models import ImportJob, ImportStatus, Unit
from tests.e2e.conftest import login, screenshot
from tests.park import xlsx
from tests.park.test_import import headers

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def held_import(monkeypatch: pytest.MonkeyPatch) -> tuple[threading.Event, threading.Event]:
    """(held, release): the import stops at its 100th row of the chosen stage until released."""
    stage = "写入数据" if connection.vendor == "postgresql" else "读取工作簿"
    held, release = threading.Event(), threading.Event()
    report = imports._report

    def holding(job: Any, done: int, total: int, message: str) -> None:
        report(job, done, total, message)
        if message == stage and done >= 100 and not held.is_set():
            held.set()
            release.wait(60)

    monkeypatch.setattr(imports, "_report", holding)
    return held, release


def test_the_progress_bar_moves_before_the_import_ends(
    page: Page, demo_site: str, held_import: tuple[threading.Event, threading.Event]
) -> None:
    held, release = held_import
    units_before = Unit.objects.count()
    rows = [
        headers("unit"),
        *[[demo_uscc(1), f"X{n:03d}", f"新建单元{n}", "储存单元", 118.2, 39.2, ""] for n in range(300)],
    ]
    login(page, demo_site, "inspector")
    page.goto(f"{demo_site}/registry/import/")
    page.set_input_files(
        "input[type=file]", files=[{"name": "units.xlsx", "mimeType": XLSX, "buffer": xlsx.workbook("单元", rows)}]
    )
    page.click("form >> button[type=submit]")
    try:
        bar = page.locator("#import-progress progress")
        expect(bar).to_have_attribute("value", "33", timeout=60_000)
        expect(page.locator("[data-testid=import-rows]")).to_have_text("100 / 300")
        assert held.is_set()
        assert ImportJob.objects.get().status == ImportStatus.RUNNING  # the import has not ended
        assert Unit.objects.count() == units_before  # and nothing of it is committed yet
        screenshot(page, "import-progress")
    finally:
        release.set()
    expect(page.locator("#import-progress")).to_have_attribute("data-status", "succeeded", timeout=60_000)
    expect(bar).to_have_attribute("value", "100")
    assert Unit.objects.count() == units_before + 300
