"""Scale benchmark of the one-map and the indicators: a registry of 1,000 enterprises and 100,000
monitoring points, every one-map layer request, the indicators page and the major-hazards API.

It migrates the PostgreSQL database named by ``CHEMPARK_DATABASE_URL`` (use a database of its own:
the registry stays there between runs, so a second run only measures), builds the registry with
bulk inserts when it is not there yet, and prints one row per request: median and worst time of
``--repeats`` runs after one warm-up, answer size and number of SQL queries. Requests go through
Django's test client as the bureau administrator: middleware, session, views and templates, no
network.

    CHEMPARK_DATABASE_URL=postgres://postgres@127.0.0.1:55432/chempark_scale \\
        .venv/bin/python bench/onemap_scale.py [--repeats 7] [--enterprises 1000] [--points 100000]

The one-map asks for a layer with the map's view (``?bbox=west,south,east,north&zoom=z``); the
view of the whole park at zoom 14 and a close view at zoom 17 are measured, and the request without
a view too. Run against an older checkout (``PYTHONPATH=<old>/src``) for a baseline on the same data:
it ignores the view parameters. Not a test: it prints figures.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time
from datetime import timedelta
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chempark.settings")
os.environ.setdefault("CHEMPARK_ENV", "development")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from chempark.accounts.models import User  # noqa: E402
from chempark.core import map_layers  # noqa: E402
from chempark.core.actors import actor_for_user  # noqa: E402
from chempark.core.roles import Role  # noqa: E402
from chempark.hazards.models import MajorHazard, UnitAssessment  # noqa: E402
from chempark.monitoring.models import Alarm, AlarmStatus, EnterpriseWarning, Point, PointLatest  # noqa: E402
from chempark.park.models import Enterprise, Park, Unit  # noqa: E402

# The park: 12 × 8 km around 118.2 E, 39.2 N.
WEST, SOUTH, EAST, NORTH = 118.14, 39.16, 118.28, 39.23
UNITS_PER_ENTERPRISE = 4
KINDS = ("level", "temperature", "pressure", "gas_lel", "gas_ppm", "flow")
UOM = {"level": "m", "temperature": "°C", "pressure": "MPa", "gas_lel": "%LEL", "gas_ppm": "ppm", "flow": "m³/h"}
LEVELS = ("red", "orange", "yellow", "blue")


def build(enterprises: int, points: int, rng: random.Random) -> None:
    """The registry, in bulk: enterprises with units, a major hazard on every fourth unit, points
    registered 30 days ago with their latest values (2 % offline), an active alarm on 1 % of the
    points."""
    now = timezone.now()
    now_ms = int(now.timestamp() * 1000)
    park = Park.objects.create(
        name="规模测试园区",
        boundary={
            "type": "Polygon",
            "coordinates": [[[WEST, SOUTH], [EAST, SOUTH], [EAST, NORTH], [WEST, NORTH], [WEST, SOUTH]]],
        },
    )

    def spot() -> tuple[float, float]:
        return rng.uniform(WEST, EAST), rng.uniform(SOUTH, NORTH)

    firms = Enterprise.objects.bulk_create(
        Enterprise(
            park=park,
            name=f"规模测试化工企业{i:04d}",
            uscc=f"91130200MA{i:07d}X",
            kind="production" if i % 3 else "storage",
            lon=spot()[0],
            lat=spot()[1],
        )
        for i in range(enterprises)
    )
    EnterpriseWarning.objects.bulk_create(
        EnterpriseWarning(enterprise=e, level=LEVELS[i % 4], updated_at=now) for i, e in enumerate(firms)
    )
    units = Unit.objects.bulk_create(
        Unit(enterprise=e, code=f"U{j}", name=f"{e.name}单元{j}", kind="storage", lon=e.lon + j * 1e-4, lat=e.lat)
        for e in firms
        for j in range(UNITS_PER_ENTERPRISE)
    )
    hazard_units = units[::4]
    assessments = UnitAssessment.objects.bulk_create(
        UnitAssessment(
            unit=u,
            enterprise_id=u.enterprise_id,
            actor_username="bench",
            reason="manual",
            table_version="GB 18218-2018",
            s="12.5",
            is_major=True,
            r="40",
            level=1 + i % 4,
            alpha="2.00",
        )
        for i, u in enumerate(hazard_units)
    )
    MajorHazard.objects.bulk_create(
        MajorHazard(unit=u, enterprise_id=u.enterprise_id, assessment=a, s="12.5", r="40", level=a.level)
        for u, a in zip(hazard_units, assessments, strict=True)
    )
    batch = 10_000
    for start in range(0, points, batch):
        rows = []
        for i in range(start, min(points, start + batch)):
            unit = units[i % len(units)]
            kind = KINDS[i % len(KINDS)]
            rows.append(
                Point(
                    enterprise_id=unit.enterprise_id,
                    unit=unit,
                    code=f"P{i:06d}",
                    name=f"点位{i:06d}",
                    kind=kind,
                    unit_of_measure=UOM[kind],
                    range_min=0,
                    range_max=100,
                    h=80,
                    hh=90,
                    lon=unit.lon + rng.uniform(-5e-4, 5e-4),
                    lat=unit.lat + rng.uniform(-5e-4, 5e-4),
                )
            )
        made = Point.objects.bulk_create(rows)
        PointLatest.objects.bulk_create(
            PointLatest(point=p, ts_ms=now_ms, value=rng.uniform(0, 70), state={}, online=rng.random() > 0.02)
            for p in made
        )
        Alarm.objects.bulk_create(
            Alarm(
                enterprise_id=p.enterprise_id,
                point=p,
                alarm_type="high",
                level="h",
                severity="major",
                status=AlarmStatus.ACTIVE_UNACK if k % 2 else AlarmStatus.ACTIVE_ACK,
                raised_ms=now_ms - 60_000 * k,
                raised_at=now - timedelta(minutes=k),
                value=85.0,
                peak_value=86.0,
            )
            for k, p in enumerate(made[::100])
        )
    # a registry built over the years, not all registered today (the indicators count today's
    # registrations separately: 100,000 of them is not a park's day)
    Point.objects.update(created_at=now - timedelta(days=30))
    User.objects.filter(username="bench").delete()
    User.objects.create_user("bench", password="bench-not-a-secret", role=Role.BUREAU_ADMIN)


def measure(client: Client, url: str, repeats: int) -> dict[str, Any]:
    start = time.perf_counter()
    client.get(url)  # warm-up: caches, connections (its time is shown as "first")
    first_ms = (time.perf_counter() - start) * 1000
    times, size, queries, status = [], 0, 0, 0
    for _run in range(repeats):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(url)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            times.append((time.perf_counter() - start) * 1000)
        size, queries, status = len(body), len(captured.captured_queries), response.status_code
    return {
        "url": url,
        "first_ms": first_ms,
        "median_ms": statistics.median(times),
        "max_ms": max(times),
        "bytes": size,
        "queries": queries,
        "status": status,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--enterprises", type=int, default=1000)
    parser.add_argument("--points", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--skip", action="append", default=[], help="a layer not to measure (repeatable)")
    args = parser.parse_args()
    assert connection.vendor == "postgresql", "set CHEMPARK_DATABASE_URL to a PostgreSQL database of its own"
    call_command("migrate", verbosity=0)
    if not Point.objects.exists():
        started = time.perf_counter()
        with transaction.atomic():
            build(args.enterprises, args.points, random.Random(args.seed))
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(f"built {args.enterprises} enterprises, {args.points} points in {time.perf_counter() - started:.1f} s")
    print(f"{Enterprise.objects.count()} enterprises, {Unit.objects.count()} units, {Point.objects.count()} points")
    client = Client(HTTP_HOST="localhost")
    client.force_login(User.objects.get(username="bench"))
    bench_actor = actor_for_user(User.objects.get(username="bench"))
    names = [layer.name for layer in map_layers.layers_for(bench_actor) if layer.name not in args.skip]
    park_view = f"bbox={WEST},{SOUTH},{EAST},{NORTH}&zoom=14"
    lon, lat = (WEST + EAST) / 2, (SOUTH + NORTH) / 2
    close_view = f"bbox={lon - 0.004},{lat - 0.002},{lon + 0.004},{lat + 0.002}&zoom=17"
    urls = []
    for name in names:
        urls += [
            f"/api/v1/map/layers/{name}",
            f"/api/v1/map/layers/{name}?{park_view}",
            f"/api/v1/map/layers/{name}?{close_view}",
        ]
    urls += [
        "/monitoring/indicators/",
        "/api/v1/monitoring/indicators",
        "/api/v1/major-hazards?limit=50",
        "/",
        "/monitoring/alarms/",
    ]
    print("| request | first ms | median ms | max ms | bytes | queries | status |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for url in urls:
        row = measure(client, url, args.repeats)
        cells = (row["first_ms"], row["median_ms"], row["max_ms"], row["bytes"], row["queries"], row["status"])
        print("| `{}` | {:.0f} | {:.0f} | {:.0f} | {:,} | {} | {} |".format(row["url"], *cells), flush=True)


if __name__ == "__main__":
    main()
