"""How long a round of the modules' reminders takes in ``chempark notify``.

Loads the demo park into a fresh SQLite database in a temporary data directory, adds enterprise
users (``--users-per-enterprise``, each with an e-mail address, all on their role's defaults), then
measures, as medians over ``runs`` days:

* baseline: the reminder sources alone (``core.notices.reminders``: the hazards and supervision reads);
* the first round of a day (``send_reminders``: who is concerned, subscriptions, one message and one
  e-mail delivery per recipient and matter, each with its unique row);
* a second round the same day (every matter already told: the dedupe path the notifier takes every
  ``CHEMPARK_REMINDER_EVERY_MINUTES``).

Usage: ``python bench/notify_reminders_bench.py [runs] [--users-per-enterprise N]``
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
from zoneinfo import ZoneInfo


def _seconds(function: Callable[[], object]) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("runs", nargs="?", type=int, default=5)
    parser.add_argument("--users-per-enterprise", type=int, default=5)
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

    from chempark.accounts.models import User
    from chempark.core import notices
    from chempark.notifications.events import send_reminders
    from chempark.notifications.models import Delivery, NoticeSent
    from chempark.park.models import Enterprise

    enterprises = list(Enterprise.objects.all())
    User.objects.bulk_create(
        User(
            username=f"bench-{e.pk}-{i}",
            role="enterprise",
            enterprise=e,
            email=f"bench-{e.pk}-{i}@enterprise.example",
        )
        for e in enterprises
        for i in range(args.users_per_enterprise)
    )
    users = User.objects.filter(is_active=True).count()
    start = dt.datetime(2027, 6, 7, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    sources, first, second, told = [], [], [], []
    for day in range(args.runs):
        now = start + dt.timedelta(days=day)
        sources.append(_seconds(lambda now=now: notices.reminders(now)))
        before = NoticeSent.objects.count()
        first.append(_seconds(lambda now=now: send_reminders(now=now)))
        told.append(NoticeSent.objects.count() - before)
        second.append(_seconds(lambda now=now: send_reminders(now=now + dt.timedelta(minutes=15))))
    matters = len(notices.reminders(start))
    base = statistics.median(sources)
    print(f"demo park: {len(enterprises)} enterprises, {users} active users, {matters} matters on the first day")
    print(f"messages per first round (median): {statistics.median(told):.0f}; deliveries: {Delivery.objects.count()}")
    for label, values in (
        ("baseline: reminder sources only", sources),
        ("first round of a day (send_reminders)", first),
        ("second round the same day (all told)", second),
    ):
        median = statistics.median(values)
        print(f"{label}: median {median * 1000:.0f} ms over {len(values)} days, ratio {median / base:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
