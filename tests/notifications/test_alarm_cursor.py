"""Alarms announced from monitoring's live events even when an event's transaction commits after a
later one was read (ids are taken at INSERT, visible at COMMIT), and never twice however often the
same events are read again, across midnight too."""

from __future__ import annotations

import datetime as dt
import threading
from zoneinfo import ZoneInfo

import pytest
from django.db import connections, transaction
from django.db.models import Max

from chempark.core.roles import Role
from chempark.monitoring.models import LiveEvent
from chempark.notifications.events import COMMIT_LAG, announce_alarms
from chempark.notifications.models import AnnouncedEvent, NoticeSent, Notification, NotifierCursor
from tests.conftest import SmallPark
from tests.notifications.test_reminders import only

SHANGHAI = ZoneInfo("Asia/Shanghai")
T0 = dt.datetime(2027, 6, 3, 10, 0, tzinfo=SHANGHAI)


def first_free_id() -> int:
    """An id above every live event, so the test picks the order in which ids become visible."""
    return int(LiveEvent.objects.aggregate(top=Max("id"))["top"] or 0) + 100


def alarm_event(park: SmallPark, pk: int | None, alarm_id: int, created_at: dt.datetime, change: str = "raised") -> int:
    """A live event as monitoring writes it when an alarm is raised (``alarm_writes.alarm_live_data``);
    its id (``pk``, or the next of the sequence when None)."""
    event = LiveEvent.objects.create(
        pk=pk,
        created_at=created_at,
        kind="alarm",
        enterprise_id=park.enterprise_a.pk,
        data={
            "id": alarm_id,
            "type": "high",
            "type_label": "高限报警",
            "severity": "major",
            "severity_label": "重要",
            "status": "active_unack",
            "status_label": "未确认",
            "source": f"LT-{alarm_id}",
            "enterprise": park.enterprise_a.name,
            "raised_at": created_at.strftime("%Y-%m-%d %H:%M:%S"),
            "url": f"/monitoring/alarms/{alarm_id}/",
            "change": change,
        },
    )
    return int(event.pk)


def told(park: SmallPark, alarm_id: int) -> int:
    inspector = park.users[Role.INSPECTOR]
    return Notification.objects.filter(user=inspector, url=f"/monitoring/alarms/{alarm_id}/").count()


def test_an_event_committing_after_a_later_one_was_read_is_announced_once(park: SmallPark) -> None:
    only(park.users[Role.INSPECTOR], "alarm.raised")
    assert announce_alarms(now=T0) == 0  # the notifier is running before the alarms
    base = first_free_id()
    # transaction A takes id base+1 at 10:00:04, transaction B id base+2 at 10:00:05; B commits first
    alarm_event(park, base + 2, 902, T0 + dt.timedelta(seconds=5))
    announce_alarms(now=T0 + dt.timedelta(seconds=10))  # reads base+2: a cursor at its id would skip A
    assert told(park, 902) == 1
    alarm_event(park, base + 1, 901, T0 + dt.timedelta(seconds=4))  # A commits 25 s later
    announce_alarms(now=T0 + dt.timedelta(seconds=20))
    assert told(park, 901) == 1
    for seconds in (30, 130, 250, 400):  # more rounds, past the lag: nobody is told again
        announce_alarms(now=T0 + dt.timedelta(seconds=seconds))
    assert (told(park, 901), told(park, 902)) == (1, 1)
    every = Notification.objects.filter(url__in=["/monitoring/alarms/901/", "/monitoring/alarms/902/"])
    assert every.count() == NoticeSent.objects.filter(key__startswith="alarm.raised:alarm:90").count()  # no one twice
    # once no transaction begun before the read can still be open, the cursor has passed both
    assert NotifierCursor.objects.get(name="alarms").last_id == base + 2


def test_the_cursor_stays_below_an_id_read_less_than_the_lag_ago(park: SmallPark) -> None:
    announce_alarms(now=T0)
    base = first_free_id()
    alarm_event(park, base + 5, 905, T0)
    announce_alarms(now=T0 + dt.timedelta(seconds=10))
    announce_alarms(now=T0 + COMMIT_LAG)  # read at 10:00:10: not yet a lag ago
    assert NotifierCursor.objects.get(name="alarms").last_id < base + 5
    announce_alarms(now=T0 + COMMIT_LAG + dt.timedelta(seconds=10))
    assert NotifierCursor.objects.get(name="alarms").last_id == base + 5


def test_reading_the_same_events_again_tells_nobody_twice_even_after_midnight(park: SmallPark) -> None:
    only(park.users[Role.INSPECTOR], "alarm.raised", "alarm.worsened")
    evening = dt.datetime(2027, 6, 3, 23, 59, 50, tzinfo=SHANGHAI)
    announce_alarms(now=evening - dt.timedelta(minutes=1))
    base = first_free_id()
    alarm_event(park, base + 1, 911, evening)
    alarm_event(park, base + 2, 911, evening + dt.timedelta(seconds=1), change="worsened")
    first = announce_alarms(now=evening + dt.timedelta(seconds=5))
    assert first >= 2  # the inspector at least, of each change
    assert announce_alarms(now=evening + dt.timedelta(seconds=5)) == 0  # a second notifier, same moment
    assert announce_alarms(now=evening + dt.timedelta(seconds=15)) == 0  # the next day, park time
    assert announce_alarms(now=evening + COMMIT_LAG * 3) == 0
    inspector = park.users[Role.INSPECTOR]
    titles = Notification.objects.filter(user=inspector).values_list("title", flat=True)
    assert sorted(t.split("】")[0] + "】" for t in titles) == ["【报警】", "【报警加重】"]  # once each
    assert set(NoticeSent.objects.filter(user=inspector).values_list("on", flat=True)) == {evening.date()}


def test_under_a_steady_flow_the_cursor_still_moves(park: SmallPark) -> None:
    """An event every round: the cursor trails by one to two lags, it is never held back for good."""
    announce_alarms(now=T0)
    base = first_free_id()
    for i in range(60):  # ten minutes of rounds every 10 s, each after a new alarm
        at = T0 + dt.timedelta(seconds=10 * i)
        alarm_event(park, base + i, 1000 + i, at)
        announce_alarms(now=at + dt.timedelta(seconds=1))
    last_id = NotifierCursor.objects.get(name="alarms").last_id
    newest_safe = base + 59 - 2 * COMMIT_LAG // dt.timedelta(seconds=10)
    assert newest_safe <= last_id < base + 59


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_an_event_committed_after_a_later_one_was_read_is_announced_once(park: SmallPark) -> None:
    """Two real transactions: A takes its id first and commits after B's later id has been read."""
    only(park.users[Role.INSPECTOR], "alarm.raised")
    assert announce_alarms(now=T0) == 0
    written, release, ids = threading.Event(), threading.Event(), {}

    def slow_writer() -> None:  # transaction A, on its own connection
        try:
            with transaction.atomic():
                ids["a"] = alarm_event(park, None, 901, T0 + dt.timedelta(seconds=4))
                written.set()
                assert release.wait(30)
        finally:
            connections.close_all()

    writer = threading.Thread(target=slow_writer)
    writer.start()
    try:
        assert written.wait(30)
        later = alarm_event(park, None, 902, T0 + dt.timedelta(seconds=5))  # B: autocommit, visible at once
        assert later > ids["a"]
        announce_alarms(now=T0 + dt.timedelta(seconds=10))  # reads B's id while A is still open
        assert (told(park, 901), told(park, 902)) == (0, 1)
    finally:
        release.set()
        writer.join(30)
    announce_alarms(now=T0 + dt.timedelta(seconds=20))  # A has committed meanwhile
    assert (told(park, 901), told(park, 902)) == (1, 1)
    for seconds in (30, 130, 250, 400):
        announce_alarms(now=T0 + dt.timedelta(seconds=seconds))
    assert (told(park, 901), told(park, 902)) == (1, 1)
    assert NotifierCursor.objects.get(name="alarms").last_id == later
    assert not AnnouncedEvent.objects.filter(event_id__lte=later).exists()  # forgotten below the cursor


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_two_notifiers_racing_for_an_event_announce_it_once(park: SmallPark) -> None:
    """While one notifier's transaction announcing an event is open, another waits on its row; it
    announces nothing once the first commits, and the event once more only if the first rolled back."""
    only(park.users[Role.INSPECTOR], "alarm.raised")
    assert announce_alarms(now=T0) == 0
    first = alarm_event(park, None, 921, T0 + dt.timedelta(seconds=1))
    alarm_event(park, None, 922, T0 + dt.timedelta(seconds=2))
    outcome: dict[int, int] = {}

    def other_notifier(event_id: int, commit: bool) -> None:  # holds the event's row, then commits or not
        holding, release = threading.Event(), threading.Event()

        def hold() -> None:
            try:
                with transaction.atomic():
                    AnnouncedEvent.objects.create(event_id=event_id, at=T0)
                    holding.set()
                    assert release.wait(30)
                    if not commit:
                        transaction.set_rollback(True)
            finally:
                connections.close_all()

        def notifier() -> None:
            try:
                outcome[event_id] = announce_alarms(now=T0 + dt.timedelta(seconds=10))
            finally:
                connections.close_all()

        holder, racer = threading.Thread(target=hold), threading.Thread(target=notifier)
        holder.start()
        assert holding.wait(30)
        racer.start()
        racer.join(2)
        assert racer.is_alive()  # waiting for the other transaction's row
        release.set()
        holder.join(30)
        racer.join(30)

    other_notifier(first, commit=True)
    # the racer skipped ``first`` (announced by the other) and announced ``second`` itself
    assert (told(park, 921), told(park, 922)) == (0, 1) and outcome[first] >= 1
    third = alarm_event(park, None, 923, T0 + dt.timedelta(seconds=3))
    other_notifier(third, commit=False)
    assert told(park, 923) == 1 and outcome[third] >= 1
    assert told(park, 922) == 1
