"""The live stream (Server-Sent Events) of alarms, escalations, point status and warning levels.

Events are rows of ``LiveEvent`` written in the transaction that caused them, by whichever process
that was (web, ingest worker, scheduler); the stream polls the table every half second from the
last id the browser saw (``Last-Event-ID``), so it needs no broker between processes and a browser
that reconnects misses nothing. A response lasts ``CHEMPARK_LIVE_STREAM_S`` seconds (default 25),
so no request holds a worker forever; it ends with a ``reconnect`` event carrying the last id, on
which the page opens the next stream at once (``live.js``). Left to itself EventSource would wait
its retry time (1 s) first, and an alarm raised in that gap would reach the browser late. After an
error the browser keeps the 1 s retry.

Late commits: an event's id is taken at INSERT and visible at COMMIT, so on PostgreSQL an event can
appear below an id already sent (its transaction began first and committed last). A stream therefore
keeps a low-water mark (``_Stream.low``) below which everything visible has been sent, reads every
event above it each poll less the ids it has sent (``sent``), and moves the mark to the newest id
sent only ``SETTLE_S`` (10 s) after it was read: every transaction holding a lower id had begun by
then.
The ``reconnect`` event names the mark, and every frame's id is ``<event id>/<mark>`` (what the
browser sends back as ``Last-Event-ID`` after an error), so the next stream starts from the mark and
may send the last seconds again; ``live.js`` hands each event id to the page once.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Collection, Iterator
from typing import Any

import orjson
from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIRequest
from django.db import close_old_connections, connection
from django.http import HttpRequest

from chempark.config import current
from chempark.core.actors import Actor
from chempark.core.selectors import visible_to
from chempark.monitoring.models import LiveEvent

POLL_S = 0.5
KEEPALIVE_S = 10.0
SETTLE_S = 10.0
"""How long after an id was read the stream still expects a lower one to commit (live events are
written in short transactions: an ingest batch, a service call). At most half a stream's length, so
the mark moves within every stream and the next one does not start from the same place again."""
_PERSONAL_KINDS = ("escalated",)  # only for the duty officer's banner

logger = logging.getLogger(__name__)


def start_id(request: HttpRequest) -> int:
    """Where a stream starts: the mark of the stream before (``after``, or the ``<id>/<mark>`` the
    browser sends back as ``Last-Event-ID`` after an error), else the newest event."""
    raw = request.headers.get("Last-Event-ID") or request.GET.get("after", "")
    raw = raw.rpartition("/")[2]
    if raw.isdigit():
        return int(raw)
    newest = LiveEvent.objects.order_by("-id").values_list("id", flat=True).first()
    return newest or 0


def events_after(actor: Actor, last_id: int, sent: Collection[int] = ()) -> list[dict[str, Any]]:
    """The actor's events above ``last_id`` less those already ``sent``, oldest first (200 at most)."""
    queryset = visible_to(actor, LiveEvent.objects.filter(id__gt=last_id).order_by("id"))
    if sent:
        queryset = queryset.exclude(id__in=sent)
    if not actor.can("alarm.escalated"):
        queryset = queryset.exclude(kind__in=_PERSONAL_KINDS)
    return [{"id": e.id, "kind": e.kind, "data": e.data} for e in queryset[:200]]


def _frame(event: dict[str, Any], low: int) -> bytes:
    data = orjson.dumps(event["data"])
    return b"id: %d/%d\nevent: %s\ndata: %s\n\n" % (event["id"], low, event["kind"].encode(), data)


def _duration() -> float:
    return float(current().live_stream_s)


_RETRY = b"retry: 1000\n\n"


class _Stream:
    """What the sync and the async stream share: the mark, the ids sent above it, the deadline, the
    keepalives (see the module's docstring for the mark)."""

    def __init__(self, low: int) -> None:
        self.low = low
        self.last_id = low
        self.sent: set[int] = set()
        self.seen: tuple[int, float] | None = None
        """The newest id sent when it was noted (monotonic seconds): the next mark."""
        self.deadline = time.monotonic() + _duration()
        self.settle_s = min(SETTLE_S, _duration() / 2)
        self.quiet_since = time.monotonic()

    @property
    def open(self) -> bool:
        return time.monotonic() < self.deadline

    def frames(self, events: list[dict[str, Any]], now: float | None = None) -> list[bytes]:
        now = time.monotonic() if now is None else now
        out = []
        for event in events:
            self.sent.add(event["id"])
            self.last_id = max(self.last_id, event["id"])
            out.append(_frame(event, self.low))
        self.settle(now)
        if events:
            self.quiet_since = now
        elif now - self.quiet_since > KEEPALIVE_S:
            self.quiet_since = now
            out.append(b": keepalive\n\n")
        return out

    def settle(self, now: float) -> None:
        """Move the mark to the id noted ``SETTLE_S`` ago, forget the ids sent below it, and note the
        newest id sent unless one is still waiting (the mark trails by one to two settle times)."""
        if self.seen is not None and now - self.seen[1] >= self.settle_s:
            self.low, self.seen = max(self.low, self.seen[0]), None
            self.sent = {pk for pk in self.sent if pk > self.low}
        if self.seen is None and self.last_id > self.low:
            self.seen = (self.last_id, now)

    def reconnect(self) -> bytes:
        return b"event: reconnect\ndata: %d\n\n" % self.low


def sync_stream(actor: Actor, last_id: int) -> Iterator[bytes]:
    """For WSGI servers (and the test server): one thread per open stream."""
    yield _RETRY
    stream = _Stream(last_id)
    try:
        while stream.open:
            try:
                events = events_after(actor, stream.low, stream.sent)
            except Exception:  # the stream ends; the browser reconnects (retry: 1000) and misses nothing
                logger.warning("live stream ended by a database error", exc_info=True)
                return
            yield from stream.frames(events)
            time.sleep(POLL_S)
        yield stream.reconnect()
    finally:
        close_old_connections()


def _events_then_release(actor: Actor, last_id: int, sent: Collection[int] = ()) -> list[dict[str, Any]]:
    """One poll of the ASGI stream, then its database connection goes back: with the connection pool
    a stream would otherwise hold one of its worker's few connections for its whole length (the
    request's connection is only released when the response ends), and a dozen open pages would
    leave every other request waiting for one. Inside a transaction (tests) nothing is released."""
    try:
        return events_after(actor, last_id, sent)
    finally:
        if not connection.in_atomic_block:
            close_old_connections()


async def async_stream(actor: Actor, last_id: int) -> AsyncIterator[bytes]:
    """For the ASGI server: the wait costs no thread and holds no database connection, only the
    half-second query does."""
    fetch = sync_to_async(_events_then_release)
    yield _RETRY
    stream = _Stream(last_id)
    while stream.open:
        try:
            events = await fetch(actor, stream.low, frozenset(stream.sent))
        except Exception:  # the stream ends; the browser reconnects (retry: 1000) and misses nothing
            logger.warning("live stream ended by a database error", exc_info=True)
            return
        for frame in stream.frames(events):
            yield frame
        await asyncio.sleep(POLL_S)
    yield stream.reconnect()


def stream_for(request: HttpRequest, actor: Actor) -> Iterator[bytes] | AsyncIterator[bytes]:
    last_id = start_id(request)
    if isinstance(request, ASGIRequest):
        return async_stream(actor, last_id)
    return sync_stream(actor, last_id)
