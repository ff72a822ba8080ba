"""Shared fixtures: a small park with two enterprises, one user per role, API clients.

Tests that touch no database are marked ``pure`` automatically, so the PostgreSQL pass of the test
command can skip re-running them.

``--clock=2028-02-29T23:59:30+08:00`` runs the session with the clock travelled to that instant: the
test database is made then, and every test starts at that instant with the clock ticking (so a
failure reproduces whichever tests ran before it). Tests that set their own clock keep theirs. The test
command runs the whole SQLite pass ten minutes into a leap day and the date-sensitive modules at the
last half-minute of a year this way.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

# The suite runs as a development machine (the published key is fine here), whatever the shell says;
# this runs before Django reads its settings, which pytest-django leaves to this file.
os.environ["CHEMPARK_ENV"] = "development"
# Under pytest-xdist (``-n 2``) each worker process gets a data directory of its own (uploads, exports,
# the SQLite test database), so two workers never see each other's files; pytest-django already gives
# each worker its own test database name. Set here, before the settings are read, so the processes a
# test starts (ingest workers, ``chempark`` commands) inherit it.
if _xdist_worker := os.environ.get("PYTEST_XDIST_WORKER"):
    os.environ["CHEMPARK_DATA_DIR"] = os.path.join(os.environ.get("CHEMPARK_DATA_DIR", "var"), _xdist_worker)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chempark.settings")

import django

django.setup()

import orjson
import pytest
import time_machine
from django.test import Client

from chempark import config as chempark_config
from chempark.accounts.models import TokenKind, User
from chempark.accounts.services import token_issue, user_create
from chempark.core.actors import SYSTEM, Actor, actor_for_user
from chempark.core.roles import Role
from chempark.park.demo import demo_uscc
from chempark.park.services import registry_create

# The PostgreSQL pass sets CHEMPARK_DATABASE_URL; Playwright's event loop must not block the ORM.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

DB_FIXTURES = {"db", "transactional_db", "client", "live_server", "django_db_setup", "park", "api"}
PASSWORD = "Test-Passw0rd!"
_SESSION_CLOCK = pytest.StashKey[tuple[dt.datetime, time_machine.Traveller]]()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--clock",
        metavar="INSTANT",
        type=_instant,
        default=None,
        help="run every test from this ISO 8601 instant with an offset, the clock ticking "
        "(e.g. 2028-02-29T23:59:30+08:00)",
    )


def _instant(text: str) -> dt.datetime:
    try:
        instant = dt.datetime.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not an ISO 8601 instant") from exc
    if instant.tzinfo is None:
        raise argparse.ArgumentTypeError(f"{text!r} needs an offset, e.g. +08:00 or Z")
    return instant


def pytest_configure(config: pytest.Config) -> None:
    clock: dt.datetime | None = config.getoption("--clock")
    if clock is not None:  # before the test database is made: migrations see the same date
        travel = time_machine.travel(clock, tick=True)
        config.stash[_SESSION_CLOCK] = (clock, travel.start())
        config.add_cleanup(travel.stop)
    chempark_config.current().data_dir.mkdir(parents=True, exist_ok=True)
    _let_test_flushes_empty_the_audit_trail()


@pytest.fixture(autouse=True)
def _session_clock(request: pytest.FixtureRequest) -> None:
    """Under ``--clock``, each test starts at the instant (the clock ticks on from there)."""
    session_clock = request.config.stash.get(_SESSION_CLOCK, None)
    if session_clock is not None:
        instant, traveller = session_clock
        traveller.move_to(instant)


def _let_test_flushes_empty_the_audit_trail() -> None:
    """Transactional tests (demo command, live server) end with ``flush``, which must empty the
    append-only tables (audit trail, hazard history) that their triggers protect. Lift the triggers
    for the flush alone, then restore them."""
    from django.core.management.commands import flush

    original = flush.Command.handle

    def handle(self: Any, **options: Any) -> Any:
        from django.db import connections

        from chempark.core import append_only

        connection = connections[options.get("database") or "default"]
        tables = [t for t in append_only.TABLES if t in connection.introspection.table_names()]
        for table in tables:
            append_only.remove(connection, table)
        try:
            return original(self, **options)
        finally:
            for table in tables:
                append_only.install(connection, table)

    flush.Command.handle = handle


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if "django_db" not in item.keywords and not fixtures & DB_FIXTURES:
            item.add_marker(pytest.mark.pure)


@dataclass
class SmallPark:
    park: Any
    enterprise_a: Any
    enterprise_b: Any
    unit_a: Any
    unit_b: Any
    tank_a: Any
    tank_b: Any
    chlorine: Any
    ammonia: Any
    inventory_a: Any
    inventory_b: Any
    target: Any
    area: Any
    users: dict[Role, User]

    def actor(self, role: Role) -> Actor:
        return actor_for_user(self.users[role])


SQUARE = {
    "type": "Polygon",
    "coordinates": [[[118.17, 39.18], [118.24, 39.18], [118.24, 39.23], [118.17, 39.23], [118.17, 39.18]]],
}


def make_small_park() -> SmallPark:
    park = registry_create(actor=SYSTEM, kind="park", values={"name": "测试园区", "address": "", "boundary": SQUARE})
    area = registry_create(
        actor=SYSTEM, kind="area", values={"park": park.pk, "name": "罐区", "kind": "storage", "geometry": SQUARE}
    )
    chlorine = registry_create(
        actor=SYSTEM,
        kind="chemical",
        values={
            "name_zh": "氯",
            "name_en": "",
            "aliases": "液氯",
            "cas": "7782-50-5",
            "un_number": "1017",
            "ghs_categories": ["加压气体"],
        },
    )
    ammonia = registry_create(
        actor=SYSTEM,
        kind="chemical",
        values={
            "name_zh": "氨",
            "name_en": "",
            "aliases": "液氨",
            "cas": "7664-41-7",
            "un_number": "1005",
            "ghs_categories": [],
        },
    )
    enterprises = []
    for index, name in ((1, "甲化工有限公司"), (2, "乙化工有限公司")):
        enterprises.append(
            registry_create(
                actor=SYSTEM,
                kind="enterprise",
                values={
                    "park": park.pk,
                    "name": name,
                    "uscc": demo_uscc(index),
                    "kind": "production",
                    "industry": "氯碱",
                    "address": "",
                    "lon": 118.2,
                    "lat": 39.2,
                    "legal_representative": "",
                    "safety_contact": "",
                    "safety_phone": "",
                    "employees": 100,
                    "status": "operating",
                },
            )
        )
    units, tanks, inventories = [], [], []
    for enterprise in enterprises:
        unit = registry_create(
            actor=SYSTEM,
            kind="unit",
            values={
                "enterprise": enterprise.pk,
                "code": "U01",
                "name": "储罐区",
                "kind": "storage",
                "lon": 118.2,
                "lat": 39.2,
                "description": "",
            },
        )
        units.append(unit)
        tanks.append(
            registry_create(
                actor=SYSTEM,
                kind="tank",
                values={
                    "unit": unit.pk,
                    "code": "T01",
                    "name": "液氯储罐",
                    "kind": "pressure",
                    "chemical": chlorine.pk,
                    "volume_m3": Decimal("50"),
                    "design_max_t": Decimal("40"),
                },
            )
        )
        inventories.append(
            registry_create(
                actor=SYSTEM,
                kind="inventory",
                values={
                    "unit": unit.pk,
                    "chemical": chlorine.pk,
                    "design_max_t": Decimal("40"),
                    "current_t": Decimal("12.5"),
                },
            )
        )
    target = registry_create(
        actor=SYSTEM,
        kind="protectivetarget",
        values={
            "park": park.pk,
            "name": "中心小学",
            "kind": "school",
            "population": 800,
            "address": "",
            "geometry": {"type": "Point", "coordinates": [118.16, 39.2]},
        },
    )
    users = {}
    for role in Role:
        if role is Role.MACHINE:
            continue
        users[role] = user_create(
            actor=SYSTEM,
            username=role.value,
            password=PASSWORD,
            role=role,
            enterprise_id=enterprises[0].pk if role is Role.ENTERPRISE else None,
        )
    return SmallPark(
        park,
        enterprises[0],
        enterprises[1],
        units[0],
        units[1],
        tanks[0],
        tanks[1],
        chlorine,
        ammonia,
        inventories[0],
        inventories[1],
        target,
        area,
        users,
    )


@pytest.fixture
def park(db: None) -> SmallPark:
    return make_small_park()


class ApiClient:
    """A JSON client for /api/v1 that authenticates with a bearer token."""

    def __init__(self, token: str | None) -> None:
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def call(self, method: str, path: str, body: Any = None, raw: bytes | None = None) -> Any:
        data = raw if raw is not None else (orjson.dumps(body) if body is not None else None)
        kwargs: dict[str, Any] = {"headers": self.headers}
        if data is not None:
            kwargs.update(data=data, content_type="application/json")
        return getattr(self.client, method.lower())(f"/api/v1{path}", **kwargs)


@pytest.fixture
def api(park: SmallPark) -> Callable[[Role | None], ApiClient]:
    """``api(Role.INSPECTOR)`` gives a client acting as that role's user; ``api(None)`` is anonymous."""

    def make(role: Role | None) -> ApiClient:
        if role is None:
            return ApiClient(None)
        if role is Role.MACHINE:
            _t, raw = token_issue(
                actor=SYSTEM, name="gateway", kind=TokenKind.MACHINE, enterprise_id=park.enterprise_a.pk
            )
        else:
            _t, raw = token_issue(actor=park.actor(role), name="test", kind=TokenKind.PERSON)
        return ApiClient(raw)

    return make


@pytest.fixture
def configure(monkeypatch: pytest.MonkeyPatch) -> Callable[..., chempark_config.Settings]:
    """``configure(live_stream_s=1)``: the settings object with these fields changed, for this test only
    (validated like values from the environment)."""

    def change(**values: Any) -> chempark_config.Settings:
        settings = dataclasses.replace(chempark_config.current(), **values)
        monkeypatch.setattr(chempark_config, "_current", settings)
        return settings

    return change


@pytest.fixture
def run_jobs() -> Callable[[], int]:
    """Runs the queued background jobs now, as ``chempark worker --once`` would (pages and services
    only queue them); returns how many ran."""
    from chempark.core.jobs.worker import Worker

    return lambda: Worker("test-worker", heartbeat_s=1.0).run_pending()


FAST_PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    """PBKDF2's deliberate slowness protects stored passwords, not tests."""
    settings.PASSWORD_HASHERS = FAST_PASSWORD_HASHERS


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """pytest-django's test databases, with the connection pools closed before they are dropped: a
    pooled connection left idle in a test database made its ``DROP DATABASE`` fail at the end of the
    PostgreSQL pass ("being accessed by other users")."""
    yield
    from django.db import connections

    with django_db_blocker.unblock():
        for connection in connections.all():
            close_pool = getattr(connection, "close_pool", None)  # PostgreSQL only
            if close_pool is not None:
                close_pool()
