"""Browser tests: Playwright driving Debian's Chromium against the live server with the demo park.

They run on PostgreSQL, production's database, only. The demo park is loaded once per test run (per
worker process under pytest-xdist, into a database named after the worker's test database) into
a template database; each test gets its own copy of it (``CREATE DATABASE … TEMPLATE``, a file copy
that takes a fraction of the demo's load time), so a test may change data without leaking into the
next one, in any order.
"""

from __future__ import annotations

import io
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.test import override_settings
from playwright.sync_api import Browser, Page, expect, sync_playwright

from chempark.core.jobs.worker import Worker
from chempark.monitoring import point_index
from tests.conftest import FAST_PASSWORD_HASHERS

CHROMIUM = os.environ.get("CHEMPARK_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(os.environ.get("CHEMPARK_ARTIFACTS", "artifacts/screenshots"))
DEMO_PASSWORD = "chempark-demo"
# Live streams (SSE) end after this many seconds and the browser reconnects without losing events;
# short streams keep the live server's threads from outliving a test.
os.environ.setdefault("CHEMPARK_LIVE_STREAM_S", "3")

E2E_DIR = Path(__file__).parent
WAIT_MS = 30_000
"""How long page actions and assertions wait (Playwright's own default is 5 s): the test command runs two
workers, each with its browser, live server, job worker and the rest of the suite, on two cores, where a
navigation was seen to take over 15 s without anything being wrong. A bound on hangs, not on what is
asserted."""
expect.set_options(timeout=WAIT_MS)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # A conftest's collection hook sees every item of the session, not only those below it.
    for item in items:
        if item.path.is_relative_to(E2E_DIR):
            item.add_marker(pytest.mark.e2e)
            item.add_marker(pytest.mark.postgresql)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-sync",
                "--disable-background-networking",
                "--disable-component-update",
                "--lang=zh-CN",  # the browser's own widgets (date fields, file pickers) as a user here sees them
            ],
        )
        yield browser
        browser.close()


def _server_command(*statements: str, params: tuple[str, ...] = ()) -> None:
    """Run statements (CREATE/DROP DATABASE) on the server's maintenance database."""
    connect = connection.get_connection_params()
    connect.pop("cursor_factory", None)
    connect["dbname"] = "postgres"
    with psycopg.connect(**connect, autocommit=True) as admin:
        for statement in statements:
            admin.execute(statement, params or None)


def _copy_database(source: str, copy: str, attempts: int = 5) -> None:
    """``CREATE DATABASE copy TEMPLATE source`` (replacing an older ``copy``). PostgreSQL refuses a
    template that another session is connected to ("source database is being accessed by other users"):
    a live-server or job-worker thread of the previous test whose connection is not closed yet, or an
    autovacuum worker on a shared server. Such sessions only hold stale connections, so end them and
    try again rather than fail the test."""
    for attempt in range(attempts):
        try:
            _server_command(
                f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)', f'CREATE DATABASE "{copy}" TEMPLATE "{source}"'
            )
            return
        except psycopg.errors.ObjectInUse:
            if attempt == attempts - 1:
                raise
        _server_command(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            params=(source,),
        )
        time.sleep(0.2 * (attempt + 1))


@contextmanager
def _database(name: str) -> Iterator[None]:
    """Point every connection (the tests' and the live server's threads') at database ``name``."""
    settings_dict = connection.settings_dict  # the dict every thread's connection is made from
    previous = settings_dict["NAME"]
    connections.close_all()
    settings_dict["NAME"] = name
    point_index.invalidate()  # cached from another database
    try:
        yield
    finally:
        connections.close_all()
        settings_dict["NAME"] = previous
        point_index.invalidate()


@pytest.fixture(scope="session")
def demo_template(django_db_setup: None, django_db_blocker: Any) -> Iterator[str]:
    """The name of a database holding the migrated schema and the demo park, made once per run."""
    if connection.vendor != "postgresql":
        pytest.fail("The browser tests run on PostgreSQL: set CHEMPARK_DATABASE_URL (see the README).")
    test_database = str(connection.settings_dict["NAME"])
    template = f"{test_database}_demo"
    with django_db_blocker.unblock():
        connections.close_all()  # a template may have no other connections while it is copied
        _copy_database(test_database, template)
        with _database(template), override_settings(PASSWORD_HASHERS=FAST_PASSWORD_HASHERS):
            call_command("demo", "--no-serve", stdout=io.StringIO())
    yield template
    _server_command(f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)')


@pytest.fixture
def demo_site(transactional_db: None, live_server: Any, demo_template: str) -> Iterator[str]:
    """The live server's URL, serving a fresh copy of the demo park, with a job worker running on it
    (in a thread here, so it uses the copy; ``chempark worker`` runs the same loop)."""
    copy = f"{demo_template}_copy"
    _copy_database(demo_template, copy)
    with _database(copy):
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
    _server_command(f'DROP DATABASE "{copy}" WITH (FORCE)')


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1400, "height": 860}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
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
