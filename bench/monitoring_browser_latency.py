"""Publish-to-browser latency: from a gateway's HTTP POST of an excursion reading to the alarm row
and the duty officer's banner appearing in a browser that has the alarm page open.

It starts ``chempark demo`` (uvicorn, SQLite in a fresh data directory, the demo simulator feeding
all points every 5 s) on a free port, logs in as the duty officer (``dispatcher``) in headless
Chromium, opens the alarm list (all alarms) and waits for its live stream. Each probe then posts one reading
of 55 %LEL (past HH 40, so a critical alarm and the banner) for a different enterprise's gas
detector through ``POST /api/v1/ingest/readings`` with that enterprise's machine token. A
MutationObserver in the page writes ``Date.now()`` into ``window`` when a row ``tr[data-alarm=id]``
first appears and when the banner first names the alarm; the script finds the alarm's id in the
database and subtracts the wall-clock time taken just before the POST (browser and script share
the machine's clock). Probes are spaced by 1.5–2.5 s (seeded), so they fall at different phases
of the stream's 0.5 s poll and of its periodic reconnection.

    .venv/bin/python bench/monitoring_browser_latency.py [--probes 20] [--stream-s 25]

``--stream-s`` sets ``CHEMPARK_LIVE_STREAM_S`` for the server (how long one event-stream response
lasts before the browser reconnects). Not a test: it prints p50/p99/max of each measure.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.monitoring.broker import free_port  # noqa: E402 - after the path is set

CHEMPARK = str(ROOT / ".venv" / "bin" / "chempark")
CHROMIUM = os.environ.get("CHEMPARK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEMO_PASSWORD = "chempark-demo"
EXCURSION_LEL = 55.0
WAIT_S = 15.0

# Records, per alarm id, when its row first appeared and when the banner first named it.
OBSERVER = """
(() => {
  window.__rowSeen = {}; window.__bannerSeen = {};
  const rows = document.getElementById("alarm-rows");
  const banner = document.getElementById("duty-banner");
  function scan() {
    const now = Date.now();
    rows.querySelectorAll("tr[data-alarm]").forEach((tr) => {
      if (!(tr.dataset.alarm in window.__rowSeen)) window.__rowSeen[tr.dataset.alarm] = now;
    });
    const id = banner.dataset.alarm;
    if (id && !banner.hidden && !(id in window.__bannerSeen)) window.__bannerSeen[id] = now;
  }
  scan();
  new MutationObserver(scan).observe(rows, {childList: true, subtree: true});
  new MutationObserver(scan).observe(banner, {attributes: true, childList: true, subtree: true});
})();
"""


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (p99 of 20 values is the largest)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100.0 * len(ordered)) - 1)]


def start_server(data_dir: Path, port: int, stream_s: int) -> subprocess.Popen[bytes]:
    env = dict(os.environ, CHEMPARK_DATA_DIR=str(data_dir), CHEMPARK_LIVE_STREAM_S=str(stream_s))
    log = (data_dir / "server.log").open("wb")
    server = subprocess.Popen([CHEMPARK, "demo", "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"chempark demo exited; see {data_dir / 'server.log'}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as answer:
                if answer.status == 200:
                    return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit("chempark demo did not answer within 10 minutes")


def probe_targets(count: int) -> list[tuple[int, str, int, str]]:
    """(point id, code, enterprise id, machine token) of one gas detector in each of ``count``
    enterprises. Runs Django in this process on the server's database (SQLite allows both)."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chempark.settings")
    # Playwright's sync API keeps an event loop in this thread; the ORM calls here do not run in it
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    django.setup()
    from chempark.accounts.models import TokenKind
    from chempark.accounts.services import token_issue
    from chempark.core.actors import SYSTEM
    from chempark.monitoring.models import Point, PointKind

    targets: list[tuple[int, str, int, str]] = []
    seen: set[int] = set()
    for point in Point.objects.filter(kind=PointKind.GAS_LEL, enabled=True).order_by("enterprise_id", "pk"):
        if point.enterprise_id in seen:
            continue
        seen.add(point.enterprise_id)
        _token, raw = token_issue(
            actor=SYSTEM, name="browser-latency-bench", kind=TokenKind.MACHINE, enterprise_id=point.enterprise_id
        )
        targets.append((point.pk, point.code, point.enterprise_id, raw))
        if len(targets) == count:
            return targets
    raise SystemExit(f"the demo has gas detectors in only {len(targets)} enterprises")


def publish(port: int, token: str, code: str, ts_ms: int) -> None:
    body = b'{"readings": [{"point": "%s", "ts": %d, "value": %s}]}' % (
        code.encode(),
        ts_ms,
        str(EXCURSION_LEL).encode(),
    )
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1/ingest/readings",
        data=body,
        method="POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=WAIT_S) as answer:
        if b'"accepted":1' not in answer.read().replace(b" ", b""):
            raise SystemExit(f"reading for {code} not accepted")


def alarm_id(point_id: int, since_ms: int) -> int | None:
    from chempark.monitoring.models import Alarm

    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        found = (
            Alarm.objects.filter(point_id=point_id, raised_ms__gte=since_ms - 1)
            .order_by("-id")
            .values_list("id", flat=True)
            .first()
        )
        if found is not None:
            return int(found)
        time.sleep(0.05)
    return None


def run(probes: int, stream_s: int, seed: int) -> dict[str, list[float]]:
    from playwright.sync_api import sync_playwright

    data_dir = Path(tempfile.mkdtemp(prefix="chempark-browser-bench-"))
    port = free_port()
    os.environ["CHEMPARK_DATA_DIR"] = str(data_dir)
    started = time.monotonic()
    server = start_server(data_dir, port, stream_s)
    print(f"demo server up in {time.monotonic() - started:.0f} s (data in {data_dir})", flush=True)
    results: dict[str, list[float]] = {"post": [], "row": [], "banner": []}
    rng = random.Random(seed)
    try:
        targets = probe_targets(probes)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_context(viewport={"width": 1400, "height": 860}, locale="zh-CN").new_page()
            site = f"http://127.0.0.1:{port}"
            page.goto(f"{site}/accounts/login/")
            page.fill("#id_username", "dispatcher")
            page.fill("#id_password", DEMO_PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url(f"{site}/")
            # "all", not the default "active": the simulator's next reading (within 5 s) may clear the
            # excursion before the list reloads, and the active view leaves cleared alarms out
            page.goto(f"{site}/monitoring/alarms/?show=all")
            page.wait_for_function("document.documentElement.dataset.live === 'open'", timeout=WAIT_S * 1000)
            page.evaluate(OBSERVER)
            time.sleep(rng.uniform(1.5, 2.5))
            for number, (point_id, code, _enterprise, token) in enumerate(targets, 1):
                t0 = time.time() * 1000.0
                publish(port, token, code, int(t0))
                results["post"].append(time.time() * 1000.0 - t0)
                alarm = alarm_id(point_id, int(t0))
                if alarm is None:  # the simulator had this detector in a leak already: no new alarm
                    print(f"probe {number}: {code} raised no new alarm, skipped", flush=True)
                    continue
                page.wait_for_function(
                    f"window.__rowSeen['{alarm}'] && window.__bannerSeen['{alarm}']", timeout=WAIT_S * 1000
                )
                row_ms = float(page.evaluate(f"window.__rowSeen['{alarm}']")) - t0
                banner_ms = float(page.evaluate(f"window.__bannerSeen['{alarm}']")) - t0
                results["row"].append(row_ms)
                results["banner"].append(banner_ms)
                print(
                    f"probe {number:2d}: POST {results['post'][-1]:6.0f} ms  banner {banner_ms:6.0f} ms  "
                    f"row {row_ms:6.0f} ms",
                    flush=True,
                )
                time.sleep(rng.uniform(1.5, 2.5))
            browser.close()
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(data_dir, ignore_errors=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--probes", type=int, default=20)
    parser.add_argument("--stream-s", type=int, default=25, help="CHEMPARK_LIVE_STREAM_S of the server")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    results = run(args.probes, args.stream_s, args.seed)
    print(f"\n{len(results['row'])} probes, CHEMPARK_LIVE_STREAM_S={args.stream_s}")
    for name, label in (("post", "POST answered"), ("banner", "banner shown"), ("row", "alarm row shown")):
        values = results[name]
        if values:
            print(
                f"{label:16s} p50 {percentile(values, 50):6.0f} ms   p99 {percentile(values, 99):6.0f} ms   "
                f"max {max(values):6.0f} ms"
            )


if __name__ == "__main__":
    main()
