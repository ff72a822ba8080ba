"""The live stream's frames: events after the last id the browser saw, then a ``reconnect`` event
naming the last id, on which the page opens the next stream at once."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, connections, transaction
from django.db.models import Max
from django.utils import timezone

from chempark.core.actors import SYSTEM
from chempark.monitoring import live
from chempark.monitoring.models import LiveEvent


@pytest.mark.django_db
def test_a_stream_sends_new_events_and_ends_with_a_reconnect_naming_the_last_id(
    monkeypatch: pytest.MonkeyPatch, configure: Any
) -> None:
    configure(live_stream_s=1)
    monkeypatch.setattr(live, "POLL_S", 0.05)
    monkeypatch.setattr(live, "close_old_connections", lambda: None)  # keep the test's transaction
    old = LiveEvent.objects.create(created_at=timezone.now(), kind="alarm", enterprise_id=None, data={"n": 0})
    new = LiveEvent.objects.create(created_at=timezone.now(), kind="alarm", enterprise_id=None, data={"n": 1})
    frames = b"".join(live.sync_stream(SYSTEM, old.id))
    assert frames.startswith(b"retry: 1000\n\n")
    assert b'data: {"n":1}' in frames and b'data: {"n":0}' not in frames
    assert frames.endswith(b"event: reconnect\ndata: %d\n\n" % new.id)
    quiet = b"".join(live.sync_stream(SYSTEM, new.id))
    assert quiet.endswith(b"event: reconnect\ndata: %d\n\n" % new.id)  # nothing new: the same id


@pytest.mark.django_db(transaction=True)
def test_an_asgi_stream_gives_its_database_connection_back_after_each_poll() -> None:
    """With the connection pool, a stream that kept its request's connection for its whole length
    would take one of its worker's few connections per open page; each poll hands it back."""
    event = LiveEvent.objects.create(created_at=timezone.now(), kind="alarm", enterprise_id=None, data={"n": 1})
    assert connection.connection is not None  # the test's own query opened one
    events = live._events_then_release(SYSTEM, event.id - 1)
    assert [e["data"] for e in events] == [{"n": 1}]
    assert connection.connection is None  # released (to the pool, under PostgreSQL)
    assert live._events_then_release(SYSTEM, event.id) == []
    assert connection.connection is None


def _event(pk: int | None, n: int) -> int:
    event = LiveEvent.objects.create(pk=pk, created_at=timezone.now(), kind="alarm", enterprise_id=None, data={"n": n})
    return int(event.pk)


def _poll(stream: live._Stream, now: float) -> list[bytes]:
    return stream.frames(live.events_after(SYSTEM, stream.low, stream.sent), now=now)


@pytest.mark.django_db
def test_an_event_committing_below_an_id_already_sent_is_sent_once(configure: Any) -> None:
    """Ids are taken at INSERT, visible at COMMIT: the stream reads above its mark, not above the
    newest id sent, until no transaction begun before that id was read can still be open."""
    configure(live_stream_s=25)
    base = int(LiveEvent.objects.aggregate(top=Max("id"))["top"] or 0) + 100
    stream = live._Stream(base)
    _event(base + 2, 2)  # B commits first
    assert _poll(stream, now=0.0) == [b'id: %d/%d\nevent: alarm\ndata: {"n":2}\n\n' % (base + 2, base)]
    _event(base + 1, 1)  # A, which took the lower id, commits a moment later
    assert _poll(stream, now=1.0) == [b'id: %d/%d\nevent: alarm\ndata: {"n":1}\n\n' % (base + 1, base)]
    assert _poll(stream, now=2.0) == []  # nothing twice
    assert stream.low == base and stream.reconnect() == b"event: reconnect\ndata: %d\n\n" % base
    assert _poll(stream, now=live.SETTLE_S + 0.5) == []
    assert (stream.low, stream.sent) == (base + 2, set())  # settled: the ids below are forgotten
    assert stream.reconnect() == b"event: reconnect\ndata: %d\n\n" % (base + 2)


def test_a_stream_restarts_from_the_mark_of_the_one_before(rf: Any) -> None:
    """After an error the browser sends the last frame's id back; the stream starts at its mark."""
    assert live.start_id(rf.get("/monitoring/live/", HTTP_LAST_EVENT_ID="1207/1190")) == 1190
    assert live.start_id(rf.get("/monitoring/live/", {"after": "1190"})) == 1190


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_the_stream_sends_an_event_committed_after_a_later_one_was_sent(configure: Any) -> None:
    """Two real transactions: A takes its id first and commits after B's later id has been sent."""
    configure(live_stream_s=25)
    stream = live._Stream(int(LiveEvent.objects.aggregate(top=Max("id"))["top"] or 0))
    written, release, ids = threading.Event(), threading.Event(), {}

    def slow_writer() -> None:  # transaction A, on its own connection
        try:
            with transaction.atomic():
                ids["a"] = _event(None, 1)
                written.set()
                assert release.wait(30)
        finally:
            connections.close_all()

    writer = threading.Thread(target=slow_writer)
    writer.start()
    try:
        assert written.wait(30)
        later = _event(None, 2)  # B: autocommit, visible at once
        assert later > ids["a"]
        assert [f.split(b"\n")[0] for f in _poll(stream, now=0.0)] == [b"id: %d/%d" % (later, stream.low)]
    finally:
        release.set()
        writer.join(30)
    assert _poll(stream, now=1.0) == [b'id: %d/%d\nevent: alarm\ndata: {"n":1}\n\n' % (ids["a"], stream.low)]
    assert _poll(stream, now=2.0) == []
