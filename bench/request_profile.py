"""Cost of one request, warm, for every URL the load benchmark asks (``production_locustfile.py``).

    CHEMPARK_DATABASE_URL=postgres://…/chempark_load CHEMPARK_ENV=demo CHEMPARK_DEBUG=false \\
        .venv/bin/python bench/request_profile.py [--repeats 20] [--queries URL] [--profile URL]

Runs in one process against the configured database (load the demo into it first, or let
``bench/production_load.py`` do so): signs in as the bureau administrator, the dispatcher and the
inspector in turn through Django's test client (middleware, session, views, templates; no network,
no server), asks each URL twice to warm the caches, then ``--repeats`` times, and prints per URL the
median and 90th percentile time, the median CPU time of this process (its share of the request,
steadier than the wall clock on a shared machine: it leaves out waiting for the CPU and for
PostgreSQL), the SQL queries per request, the answer's size, and whether the
request wrote the session row. ``--queries URL`` lists that URL's SQL; ``--profile URL`` prints
cProfile's top functions over the repeats. Not a test: it prints figures.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

PARK_VIEW = "bbox=118.14,39.16,118.28,39.23&zoom=14"
CLOSE_VIEW = "bbox=118.196,39.196,118.204,39.2&zoom=17"
URLS = [
    "/",
    "/monitoring/alarms/",
    "/monitoring/indicators/",
    "/hazards/",
    f"/api/v1/map/layers/enterprises?{PARK_VIEW}",
    f"/api/v1/map/layers/major_hazards?{PARK_VIEW}",
    f"/api/v1/map/layers/units?{PARK_VIEW}",
    f"/api/v1/map/layers/monitoring_points?{CLOSE_VIEW}",
    "/api/v1/monitoring/alarms?limit=50",
    "/api/v1/monitoring/indicators",
    "/api/v1/major-hazards?limit=50",
]
ACCOUNTS = ("admin", "dispatcher", "inspector")


def measure(client: Any, url: str, repeats: int, profiler: cProfile.Profile | None) -> dict[str, Any]:
    """``repeats`` requests of ``url`` after two to warm up: wall and CPU times (ms), queries per
    request, the last answer's size and SQL, and how many requests wrote the session row."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(2):
        assert client.get(url).status_code == 200, url
    found: dict[str, Any] = {"times": [], "cpu": [], "queries": [], "writes": 0, "size": 0, "sql": []}
    for _ in range(repeats):
        with CaptureQueriesContext(connection) as captured:
            started, cpu_started = time.perf_counter(), time.process_time()
            if profiler:
                profiler.enable()
            response = client.get(url)
            if profiler:
                profiler.disable()
            found["times"].append((time.perf_counter() - started) * 1000)
            found["cpu"].append((time.process_time() - cpu_started) * 1000)
        found["size"] = len(response.content)
        found["sql"] = captured.captured_queries
        found["queries"].append(len(captured.captured_queries))
        found["writes"] += any(
            "django_session" in q["sql"] and q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT"))
            for q in captured.captured_queries
        )
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--queries", default="", help="print the SQL of this URL (one request)")
    parser.add_argument("--profile", default="", help="cProfile this URL over the repeats")
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--sort", default="cumulative", help="cProfile's order: cumulative or tottime")
    parser.add_argument("--account", choices=ACCOUNTS, default="", help="only this account")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chempark.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from chempark.accounts.models import User

    accounts = (args.account,) if args.account else ACCOUNTS
    clients = []
    for name in accounts:
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(User.objects.get(username=name), backend="chempark.accounts.backends.AccountBackend")
        clients.append((name, client))
    urls = [args.queries] if args.queries else [args.profile] if args.profile else URLS
    print(f"database {connection.vendor} {connection.settings_dict['NAME']}; accounts {', '.join(accounts)}")
    print(f"load average (1 / 5 / 15 min): {' / '.join(f'{x:.1f}' for x in os.getloadavg())}\n")
    print("| URL | account | median ms | p90 ms | CPU ms | queries | bytes | session writes |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for url in urls:
        for name, client in clients:
            profiler = cProfile.Profile() if args.profile else None
            found = measure(client, url, args.repeats, profiler)
            times = sorted(found["times"])
            p90, cpu = times[int(len(times) * 0.9) - 1], statistics.median(found["cpu"])
            print(
                f"| {url} | {name} | {statistics.median(times):.1f} | {p90:.1f} | {cpu:.1f} | "
                f"{statistics.median(found['queries']):.0f} | {found['size']:,} | {found['writes']}/{args.repeats} |"
            )
            if args.queries:
                for q in found["sql"]:
                    print(f"  {q['time']}s  {q['sql'][:400]}")
            if profiler:
                pstats.Stats(profiler).sort_stats(args.sort).print_stats(args.top)


if __name__ == "__main__":
    main()
