"""What a round of ``chempark notify`` costs to read the alarm events again after a flood.

The notifier's cursor trails the newest live event by one to two ``COMMIT_LAG`` (an event may commit
after a later one was read), so every round within those minutes reads the flood again. Loads the
demo park into a fresh SQLite database in a temporary data directory, then, per run, writes
``events`` alarm events (raised, 重要, spread over the demo's enterprises, as monitoring writes them)
and measures, as medians over ``runs``:

* baseline: reading those events above the cursor (one query, the rows);
* the round that announces them (``announce_alarms``: recipients, messages, deliveries, the
  ``AnnouncedEvent`` and ``NoticeSent`` rows);
* the next round, within the lag (every event already announced: left out by the query);
* the same re-read as the code before ``AnnouncedEvent`` did it: each event through the announcement
  again, stopped by its ``NoticeSent`` rows (``_announce_alarm`` per event).

Usage: ``python bench/notify_alarms_bench.py [runs] [--events N]``
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo


def _seconds(function: Callable[[], object]) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("runs", nargs="?", type=int, default=5)
    parser.add_argument("--events", type=int, default=500)
    args = parser.parse_args()
    data_dir = tempfile.mkdtemp(prefix="chempark-bench-")
    os.environ["CHEMPARK_DATA_DIR"] = data_dir
    os.environ.pop("CHEMPARK_DATABASE_URL", None)
    os.environ.setdefault("CHEMPARK_ENV", "development")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chempark.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("demo", "--no-serve", stdout=io.StringIO())

    from chempark.monitoring.models import LiveEvent
    from chempark.notifications import events as notifier
    from chempark.notifications.models import NoticeSent, NotifierCursor
    from chempark.notifications.subscriptions import Audience
    from chempark.park.models import Enterprise

    enterprises = list(Enterprise.objects.order_by("pk"))
    start = dt.datetime(2027, 6, 7, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    notifier.announce_alarms(now=start)  # the cursor exists before the flood
    baseline, first, again, before, told = [], [], [], [], []
    alarm_id = 10_000_000
    for run in range(args.runs):
        now = start + dt.timedelta(hours=run)
        NotifierCursor.objects.filter(name="alarms").update(seen_at=None)  # as after a quiet spell
        cursor = NotifierCursor.objects.get(name="alarms").last_id
        rows = []
        for i in range(args.events):
            alarm_id += 1
            enterprise = enterprises[i % len(enterprises)]
            rows.append(
                LiveEvent(
                    created_at=now,
                    kind="alarm",
                    enterprise_id=enterprise.pk,
                    data={
                        "id": alarm_id,
                        "type": "high",
                        "type_label": "高限报警",
                        "severity": "major",
                        "severity_label": "重要",
                        "status": "active_unack",
                        "status_label": "未确认",
                        "source": f"LT-{i}",
                        "enterprise": enterprise.name,
                        "raised_at": now.strftime("%Y-%m-%d %H:%M:%S"),
                        "url": f"/monitoring/alarms/{alarm_id}/",
                        "change": "raised",
                    },
                )
            )
        LiveEvent.objects.bulk_create(rows)
        window = LiveEvent.objects.filter(pk__gt=cursor, kind="alarm").order_by("pk")
        baseline.append(_seconds(lambda window=window: list(window.all())))
        sent = NoticeSent.objects.count()
        first.append(_seconds(lambda now=now: notifier.announce_alarms(now=now + dt.timedelta(seconds=1))))
        told.append(NoticeSent.objects.count() - sent)
        again.append(_seconds(lambda now=now: notifier.announce_alarms(now=now + dt.timedelta(seconds=11))))

        def previous_reread(now: dt.datetime = now, window: Any = window) -> None:
            audience = Audience()
            for event in list(window.all()):
                notifier._announce_alarm(event, now + dt.timedelta(seconds=21), audience)

        before.append(_seconds(previous_reread))
        # let the cursor pass the flood before the next run
        notifier.announce_alarms(now=now + notifier.COMMIT_LAG * 3)
        notifier.announce_alarms(now=now + notifier.COMMIT_LAG * 6)
    base = statistics.median(baseline)
    print(f"demo park: {len(enterprises)} enterprises; {args.events} alarm events per run, {args.runs} runs")
    print(f"messages per flood (median): {statistics.median(told):.0f}")
    for label, values in (
        ("baseline: read the events above the cursor", baseline),
        ("round announcing them (announce_alarms)", first),
        ("next round, all announced (AnnouncedEvent left out by the query)", again),
        ("same re-read, before AnnouncedEvent (NoticeSent per event)", before),
    ):
        median = statistics.median(values)
        print(f"{label}: median {median * 1000:.1f} ms, ratio {median / base:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
