"""Browser tests: Playwright driving Debian's Chromium against the live server with the demo park."""

from __future__ import annotations

import io
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connections
from playwright.sync_api import Browser, Page, sync_playwright

from chempark.core.jobs.worker import Worker

CHROMIUM = os.environ.get("CHEMPARK_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(os.environ.get("CHEMPARK_ARTIFACTS", "artifacts/screenshots"))
DEMO_PASSWORD = "chempark-demo"
# Live streams (SSE) end after this many seconds and the browser reconnects without losing events;
# short streams keep the live server's threads from outliving a test.
os.environ.setdefault("CHEMPARK_LIVE_STREAM_S", "3")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-sync",
                  "--disable-background-networking", "--disable-component-update"],
        )
        yield browser
        browser.close()


@pytest.fixture
def demo_site(transactional_db: None, live_server: Any) -> Iterator[str]:
    """The live server's URL, with the demo park loaded and a job worker running (in a thread here,
    so it uses the test database; ``chempark worker`` runs the same loop)."""
    call_command("demo", "--no-serve", stdout=io.StringIO())
    worker = Worker("e2e-worker", heartbeat_s=1.0, poll_s=0.2)

    def run() -> None:
        try:
            worker.run_forever()
        finally:
            connections.close_all()

    thread = threading.Thread(target=run, name="e2e-worker", daemon=True)
    thread.start()
    yield str(live_server.url)
    worker.stop.set()
    thread.join(120)


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1400, "height": 860}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def login(page: Page, site: str, username: str) -> None:
    page.goto(f"{site}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: url.startswith(site) and "/accounts/login/" not in url)


def logout(page: Page) -> None:
    page.click("text=退出")
    page.wait_for_selector("#id_username")


def screenshot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))
