"""The live stream (Server-Sent Events) of alarms, escalations, point status and warning levels.

Events are rows of ``LiveEvent`` written in the transaction that caused them, by whichever process
that was (web, ingest worker, scheduler); the stream polls the table every half second from the
last id the browser saw (``Last-Event-ID``), so it needs no broker between processes and a browser
that reconnects misses nothing. A response lasts ``CHEMPARK_LIVE_STREAM_S`` seconds (default 25),
so no request holds a worker forever; it ends with a ``reconnect`` event carrying the last id, on
which the page opens the next stream at once (``live.js``). Left to itself EventSource would wait
its retry time (1 s) first, and an alarm raised in that gap would reach the browser late. After an
error the browser keeps the 1 s retry.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Iterator
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
_PERSONAL_KINDS = ("escalated",)  # only for the duty officer's banner

logger = logging.getLogger(__name__)


def start_id(request: HttpRequest) -> int:
    raw = request.headers.get("Last-Event-ID") or request.GET.get("after", "")
    if raw.isdigit():
        return int(raw)
    newest = LiveEvent.objects.order_by("-id").values_list("id", flat=True).first()
    return newest or 0


def events_after(actor: Actor, last_id: int) -> list[dict[str, Any]]:
    queryset = visible_to(actor, LiveEvent.objects.filter(id__gt=last_id).order_by("id"))
    if not actor.can("alarm.escalated"):
        queryset = queryset.exclude(kind__in=_PERSONAL_KINDS)
    return [{"id": e.id, "kind": e.kind, "data": e.data} for e in queryset[:200]]


def _frame(event: dict[str, Any]) -> bytes:
    return b"id: %d\nevent: %s\ndata: %s\n\n" % (event["id"], event["kind"].encode(), orjson.dumps(event["data"]))


def _duration() -> float:
    return float(current().live_stream_s)


_RETRY = b"retry: 1000\n\n"


class _Stream:
    """What the sync and the async stream share: the last id sent, the deadline, the keepalives."""

    def __init__(self, last_id: int) -> None:
        self.last_id = last_id
        self.deadline = time.monotonic() + _duration()
        self.quiet_since = time.monotonic()

    @property
    def open(self) -> bool:
        return time.monotonic() < self.deadline

    def frames(self, events: list[dict[str, Any]]) -> list[bytes]:
        out = []
        for event in events:
            self.last_id = event["id"]
            out.append(_frame(event))
        if events:
            self.quiet_since = time.monotonic()
        elif time.monotonic() - self.quiet_since > KEEPALIVE_S:
            self.quiet_since = time.monotonic()
            out.append(b": keepalive\n\n")
        return out

    def reconnect(self) -> bytes:
        return b"event: reconnect\ndata: %d\n\n" % self.last_id


def sync_stream(actor: Actor, last_id: int) -> Iterator[bytes]:
    """For WSGI servers (and the test server): one thread per open stream."""
    yield _RETRY
    stream = _Stream(last_id)
    try:
        while stream.open:
            try:
                events = events_after(actor, stream.last_id)
            except Exception:  # the stream ends; the browser reconnects (retry: 1000) and misses nothing
                logger.warning("live stream ended by a database error", exc_info=True)
                return
            yield from stream.frames(events)
            time.sleep(POLL_S)
        yield stream.reconnect()
    finally:
        close_old_connections()


def _events_then_release(actor: Actor, last_id: int) -> list[dict[str, Any]]:
    """One poll of the ASGI stream, then its database connection goes back: with the connection pool
    a stream would otherwise hold one of its worker's few connections for its whole length (the
    request's connection is only released when the response ends), and a dozen open pages would
    leave every other request waiting for one. Inside a transaction (tests) nothing is released."""
    try:
        return events_after(actor, last_id)
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
            events = await fetch(actor, stream.last_id)
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
