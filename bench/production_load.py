"""Load benchmark of the production setup: PostgreSQL, uvicorn with several worker processes behind
nginx (which serves ``/static/`` from ``collectstatic``'s directory and proxies the rest, as
``docs/operations.md`` sets it up), the demo data; 20 and 100 concurrent users (locust, headless)
reading pages, API answers and static files.

    CHEMPARK_DATABASE_URL=postgres://postgres@127.0.0.1:55432/chempark_load \\
        .venv/bin/python bench/production_load.py [--workers 2] [--users 20 100] [--duration 60] [--think 3] \\
        [--static nginx|whitenoise]

nginx (Debian's ``nginx`` package) is required by default; ``--static whitenoise`` leaves it out and
the workers serve the static files themselves through WhiteNoise, as on a machine without nginx.
nginx reaches uvicorn over a Unix socket (``--upstream tcp``: over loopback TCP). Over TCP,
uvicorn's worker processes (``--workers`` 2 or more) leave Nagle's algorithm on for their
connections — the socket they share is opened without naming TCP, so asyncio does not set
``TCP_NODELAY`` — and a response whose headers and body are written separately then waits for the
peer's delayed acknowledgement, ≈ 40 ms on Linux, on every request of a kept-alive connection.

It loads the demo into that database (``chempark demo --no-serve``, idempotent; use a database of its
own), collects the static files into a scratch data directory, starts ``uvicorn chempark.asgi
--workers N`` on a free loopback port, runs locust once per user count and prints, per kind of
request (page, api, static) and per URL, the number of requests, failures, median and p95 (ms),
measured once every user has started (the first ``--ramp`` seconds are left out). Each user takes
a session opened beforehand (``force_login`` stores it as a login does, without the password hash:
a hundred logins at once would measure the hashing, not the pages). A user waits
``--think`` seconds on average (half to one and a half) between requests, as a reader does; ``--think
0`` is the closed loop (each user asks again as soon as it is answered), a stress figure rather than
users. Not a test: it prints figures.

What it leaves out: TLS (a few tenths of a millisecond per request on loopback), the ingest and the
simulators (the demo's background services are not started, so the data do not change during the
run). The environment is ``demo`` (``production`` requires HTTPS-only cookies,
which locust's plain HTTP would not send back); debug is off as in production.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import defaultdict
from pathlib import Path

BENCH = Path(__file__).resolve().parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def percentile(values: list[float], q: float) -> float:
    """The q-quantile by the nearest-rank method (the value below which q of the requests fall)."""
    ordered = sorted(values)
    rank = max(1, int(-(-q * len(ordered) // 1)))
    return ordered[min(rank, len(ordered)) - 1]


NGINX_CONF = """
worker_processes 1;
pid {data}/nginx.pid;
error_log {data}/nginx-error.log warn;
events {{ worker_connections 4096; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path {data}/nginx-body;
    proxy_temp_path {data}/nginx-proxy;
    fastcgi_temp_path {data}/nginx-fastcgi;
    uwsgi_temp_path {data}/nginx-uwsgi;
    scgi_temp_path {data}/nginx-scgi;
    upstream chempark {{ server {upstream}; keepalive 32; }}
    server {{
        listen 127.0.0.1:{port};
        location /static/ {{ alias {data}/static/; expires 7d; }}
        location / {{
            proxy_pass http://chempark;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header X-Forwarded-For $remote_addr;
            proxy_set_header X-Request-ID $request_id;
        }}
    }}
}}
"""


def start_nginx(data_dir: Path, upstream: str) -> tuple[subprocess.Popen[bytes], int]:
    """nginx in front of uvicorn, configured as ``docs/operations.md`` describes (without TLS):
    ``/static/`` from the collected directory, the rest proxied over kept-alive connections to
    ``upstream`` (``unix:/path`` or ``127.0.0.1:port``)."""
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        raise SystemExit("nginx is not installed (apt-get install nginx), or use --static whitenoise")
    data_dir.chmod(0o755)  # nginx's workers (another user when started as root) read the static files
    port = free_port()
    conf = data_dir / "nginx.conf"
    conf.write_text(NGINX_CONF.format(data=data_dir, upstream=upstream, port=port), encoding="utf-8")
    process = subprocess.Popen([nginx, "-c", str(conf), "-g", "daemon off;"], start_new_session=True)
    return process, port


def wait_healthy(url: str, timeout_s: float = 60.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"the server did not answer {url} within {timeout_s:.0f} s")


SESSIONS_SCRIPT = """
import sys
import django
django.setup()
from django.conf import settings
from django.test import Client
from chempark.accounts.models import User
accounts = ("admin", "dispatcher", "inspector")
keys = []
for i in range(int(sys.argv[1])):
    client = Client()
    client.force_login(User.objects.get(username=accounts[i % 3]), backend="chempark.accounts.backends.AccountBackend")
    keys.append(client.cookies[settings.SESSION_COOKIE_NAME].value)
print(settings.SESSION_COOKIE_NAME + "=" + ",".join(keys))
"""


def open_sessions(env: dict[str, str], users: int) -> str:
    """One signed-in session per user (admin, dispatcher and inspector in turn), stored in the
    database as a login stores it, without a password hash each: ``name=key,key,…``."""
    done = subprocess.run(
        [sys.executable, "-c", SESSIONS_SCRIPT, str(users)],
        env=env | {"DJANGO_SETTINGS_MODULE": "chempark.settings"},
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout.strip().splitlines()[-1]


def report(records: list[list[object]], started: float, users: int, think: float) -> None:
    kept = [r for r in records if float(str(r[0])) >= started]
    if not kept:
        print(f"no requests recorded for {users} users")
        return
    span = max(float(str(r[0])) for r in kept) - started
    by_kind: dict[str, list[float]] = defaultdict(list)
    by_url: dict[str, list[float]] = defaultdict(list)
    failures: dict[str, int] = defaultdict(int)
    for _ts, name, ms, ok in kept:
        kind = str(name).split(" ", 1)[0]
        by_kind[kind].append(float(str(ms)))
        by_url[str(name)].append(float(str(ms)))
        if not ok:
            failures[kind] += 1
            failures[str(name)] += 1
    rate = len(kept) / span
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"\n### {users} users, think time {think:g} s, {len(kept)} requests in {span:.0f} s ({rate:.1f}/s)\n")
    print(f"load average at the end (1 / 5 / 15 min): {load}\n")
    print("| requests | n | failures | median ms | p95 ms | max ms |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, times in [*sorted(by_kind.items()), *sorted(by_url.items())]:
        print(
            f"| {name} | {len(times)} | {failures[name]} | {statistics.median(times):.0f} | "
            f"{percentile(times, 0.95):.0f} | {max(times):.0f} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    parser.add_argument("--users", type=int, nargs="+", default=[20, 100])
    parser.add_argument("--duration", type=int, default=60, help="seconds per user count, ramp included")
    parser.add_argument("--ramp", type=int, default=10, help="seconds to log every user in (left out)")
    parser.add_argument("--think", type=float, default=3.0, help="mean seconds between a user's requests")
    parser.add_argument(
        "--upstream",
        choices=("unix", "tcp"),
        default="unix",
        help="nginx reaches uvicorn over a Unix socket (as in production) or loopback TCP",
    )
    parser.add_argument("--no-demo", action="store_true", help="the database already holds the demo: skip loading it")
    parser.add_argument(
        "--static", choices=("nginx", "whitenoise"), default="nginx", help="who serves /static/ (nginx in front)"
    )
    args = parser.parse_args()
    database = os.environ.get("CHEMPARK_DATABASE_URL", "")
    if not database.startswith("postgres"):
        raise SystemExit("set CHEMPARK_DATABASE_URL to a PostgreSQL database of its own")
    bin_dir = Path(sys.executable).parent
    data_dir = Path(tempfile.mkdtemp(prefix="chempark-load-"))
    env = os.environ | {
        "CHEMPARK_ENV": "demo",
        "CHEMPARK_DEBUG": "false",
        "CHEMPARK_DATA_DIR": str(data_dir),
        "PYTHONUNBUFFERED": "1",
    }
    chempark = [sys.executable, "-m", "chempark.cli"]
    if not args.no_demo:
        subprocess.run([*chempark, "demo", "--no-serve"], env=env, check=True, stdout=subprocess.DEVNULL)
    subprocess.run([*chempark, "collectstatic", "--noinput", "-v", "0"], env=env, check=True)
    port = free_port()
    unix = args.static == "nginx" and args.upstream == "unix"
    listen = ("--uds", str(data_dir / "web.sock")) if unix else ("--host", "127.0.0.1", "--port", str(port))
    server = subprocess.Popen(
        [
            *(str(bin_dir / "uvicorn"), "chempark.asgi:application", *listen, "--workers", str(args.workers)),
            *("--no-proxy-headers", "--no-access-log", "--log-level", "warning"),
        ],
        env=env | {"CHEMPARK_TRUSTED_PROXIES": "unix" if unix else "127.0.0.1"},
        start_new_session=True,
    )
    host = f"http://127.0.0.1:{port}"
    proxy = None
    try:
        front = f"uvicorn --workers {args.workers} on {listen[-1] if unix else host}"
        if args.static == "nginx":
            proxy, nginx_port = start_nginx(data_dir, f"unix:{listen[-1]}" if unix else f"127.0.0.1:{port}")
            host = f"http://127.0.0.1:{nginx_port}"
            front = f"nginx on {host} (static files; the rest to {front})"
        wait_healthy(f"{host}/healthz")
        print(f"{front}; PostgreSQL {database.rsplit('/', 1)[-1]}; demo data")
        for users in args.users:
            results = data_dir / f"load-{users}.json"
            sessions = open_sessions(env, users)
            started = time.time() + args.ramp
            subprocess.run(
                [
                    *(str(bin_dir / "locust"), "-f", str(BENCH / "production_locustfile.py"), "--headless"),
                    *("-u", str(users), "-r", str(max(1, users // max(1, args.ramp)))),
                    *("-t", f"{args.duration}s", "--host", host, "--only-summary", "--loglevel", "WARNING"),
                ],
                env=env
                | {
                    "CHEMPARK_LOAD_RESULTS": str(results),
                    "CHEMPARK_LOAD_THINK_S": str(args.think),
                    "CHEMPARK_LOAD_SESSIONS": sessions,
                },
                check=False,
                stdout=subprocess.DEVNULL,
                stderr=(data_dir / f"locust-{users}.log").open("w"),
            )
            report(json.loads(results.read_text()), started, users, args.think)
    finally:
        if proxy is not None:
            os.killpg(proxy.pid, signal.SIGTERM)
            proxy.wait(timeout=30)
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
