"""An asyncio JT/T 808 server, independent of Django: storage and terminal checks are a handler.

Per connection: a bounded frame splitter, a bounded sub-packet reassembler, the terminal it has
authenticated as, and the platform's serial numbers. A frame that fails to decode (checksum,
escaping, lengths) is dropped and counted, and the connection goes on; a location from a
connection that has not authenticated is answered 0x8001 failure and not stored; an unknown
message id is answered 0x8001 result 3; a connection silent for ``idle_timeout_s`` is closed.
A location is acknowledged only after the handler has stored it, so a terminal that resends
what was not acknowledged (after a restart of the server) loses nothing; storing is idempotent on
(terminal, device time), so it duplicates nothing either.

Each connection is an :class:`asyncio.Protocol`, not a pair of streams with a task: bytes arrive
in ``data_received`` and every frame in them is handled there, without a coroutine, a task or a
timeout object per read (those were most of the server's time at thousands of messages per second).
Locations go to the handler's ``store``, whose future gets a callback that writes the answer once
stored; register, authenticate and logout change the connection's state, so the frames after one
wait until its answer is out. A connection with :data:`MAX_UNANSWERED` locations not yet stored
handles no more frames and is not read until some are answered, which bounds what a fast sender
can queue (its own frames in one read, at most 256 KiB, and 16 locations in the batch writer).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import os
import socket
import struct
import time
from collections import Counter, deque
from collections.abc import Awaitable, Sequence
from functools import partial
from typing import Protocol, cast

from chempark.jt808 import messages as m
from chempark.jt808.codec import Header, Packet, decode_frame, encode_packet, terminal_key
from chempark.jt808.framing import CodecError, FrameSplitter, checksum, escape
from chempark.jt808.reassembly import Reassembler

log = logging.getLogger("chempark.jt808")

IDLE_TIMEOUT_S = 300.0  # five heartbeat intervals of a typical terminal (parameter 0x0001: 60 s)
MAX_UNANSWERED = 16  # locations of one connection waiting for storage before its reading pauses
STOP_GRACE_S = 5.0  # on stop, how long answers still owed may take


class Handler(Protocol):
    """What the server needs from the platform. Terminals are named by :func:`terminal_key`."""

    async def register(self, terminal: str, request: m.Register) -> tuple[int, str]:
        """A 0x8100 result and, on success, the auth code."""
        ...

    async def authenticate(self, terminal: str, auth_code: str) -> bool: ...

    def store(self, terminal: str, locations: Sequence[m.Location]) -> Awaitable[None]:
        """Store durably (idempotent on terminal + device time); complete only once stored.

        A coroutine works; a future (one per batch, shared) spares the server a task per message."""
        ...

    async def logout(self, terminal: str) -> None: ...


_ANSWER_TAIL = struct.Struct(">HHHB")  # serial, then the body: answered serial, answered id, result


@functools.lru_cache(maxsize=65_536)
def _answer_head(phone: str, version: int | None) -> tuple[bytes, int]:
    """A terminal's 0x8001 header up to its serial, and that part's checksum (cached per terminal)."""
    if version is None:
        head = struct.pack(">HH", m.PLATFORM_ANSWER, 5) + bytes.fromhex(phone)
    else:
        head = struct.pack(">HHB", m.PLATFORM_ANSWER, 5 | 1 << 14, version) + bytes.fromhex(phone)
    return head, checksum(head)


def general_answer(request: Header, serial: int, result: int) -> bytes:
    """The 0x8001 frame answering ``request``, from the terminal's cached header: the hot path's
    one encoder (the generic one builds a Header and a GeneralAnswer and checksums every byte)."""
    head, head_sum = _answer_head(request.phone, request.version)
    tail = _ANSWER_TAIL.pack(serial, request.serial, request.msg_id, result)
    content = head + tail + bytes((head_sum ^ checksum(tail),))
    return b"\x7e" + escape(content) + b"\x7e"


class _Session(asyncio.Protocol):
    """One terminal connection."""

    def __init__(self, server: Server) -> None:
        self.server = server
        self.splitter = FrameSplitter()
        self.reassembler = Reassembler()
        self.terminal: str | None = None  # set once authenticated
        self.serial = 0
        self.transport: asyncio.Transport | None = None
        self.last_seen = time.monotonic()
        self.unanswered = 0  # locations handed to the handler, not yet answered
        self.waiting: deque[bytes] = deque()  # frames read while a state change is answered
        self.busy = False  # a register/authenticate/logout is with the handler
        self.paused = False
        self.stopping = False  # the server is stopping: read nothing more

    # --- transport events ---------------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # uvloop's is not a subclass
        server = self.server
        if len(server.sessions) >= server.max_connections:
            server.counters["refused_connections"] += 1
            self.transport.abort()
            return
        server.sessions.add(self)
        server.counters["connections"] += 1

    def connection_lost(self, exc: Exception | None) -> None:
        if self in self.server.sessions:
            self.server.sessions.discard(self)
            self.server.counters["dropped_subpackets"] += self.reassembler.dropped
            if exc is not None:
                self.server.counters["connection_errors"] += 1
        self.waiting.clear()

    def data_received(self, data: bytes) -> None:
        self.last_seen = time.monotonic()
        oversized = self.splitter.oversized
        self.waiting.extend(self.splitter.feed(data))
        if self.splitter.oversized != oversized:
            self.server.counters["oversized"] += self.splitter.oversized - oversized
        self._drain()

    def _drain(self) -> None:
        """Handle the frames read, in order, while nothing holds them back; pause reading otherwise."""
        waiting = self.waiting
        while waiting and not self.busy and self.unanswered < MAX_UNANSWERED:
            self._frame(waiting.popleft())
        if waiting or self.busy or self.unanswered >= MAX_UNANSWERED:
            self._pause()
        else:
            self._resume()

    def eof_received(self) -> bool | None:
        return None  # close

    # --- frames -------------------------------------------------------------------------------

    def _frame(self, frame: bytes) -> None:
        counters = self.server.counters
        try:
            packet = decode_frame(frame)
        except CodecError as exc:
            counters[f"dropped_{exc.reason}"] += 1
            return
        counters["frames"] += 1
        whole = self.reassembler.add(packet, time.monotonic())
        if whole is not None:
            self._dispatch(whole)

    def _next_serial(self) -> int:
        self.serial = (self.serial + 1) & 0xFFFF
        return self.serial

    def _write(self, frame: bytes) -> None:
        if self.transport is not None and not self.transport.is_closing():
            self.transport.write(frame)

    def _answer(self, request: Header, result: int) -> None:
        self._write(general_answer(request, self._next_serial(), result))

    def _dispatch(self, packet: Packet) -> None:  # noqa: PLR0911 — one answer per message kind
        header = packet.header
        terminal = terminal_key(header.phone)
        counters = self.server.counters
        msg_id = header.msg_id
        try:
            if msg_id in (m.LOCATION, m.BATCH_LOCATION):
                if self.terminal != terminal:
                    counters["unauthenticated_locations"] += 1
                    self._answer(header, m.FAILURE)
                    return
                if msg_id == m.LOCATION:
                    locations: Sequence[m.Location] = (m.Location.decode(packet.body),)
                else:
                    locations = m.BatchLocation.decode(packet.body).locations
                self._store(header, terminal, locations)
                return
            if msg_id == m.HEARTBEAT:
                self._answer(header, m.OK)
                return
            if msg_id == m.TERMINAL_ANSWER:
                return
            if msg_id == m.REGISTER:
                request = m.Register.decode(packet.body, header.is_2019)
                self._control(self._register(header, terminal, request))
                return
            if msg_id == m.AUTHENTICATE:
                code = m.Authenticate.decode(packet.body, header.is_2019).auth_code
                self._control(self._authenticate(header, terminal, code))
                return
            if msg_id == m.LOGOUT:
                if self.terminal == terminal:
                    self._control(self._logout(header, terminal))
                else:
                    self._answer(header, m.OK)
                return
        except CodecError as exc:
            counters[f"bad_body_{exc.reason}"] += 1
            self._answer(header, m.MESSAGE_ERROR)
            return
        counters["unsupported"] += 1
        self._answer(header, m.UNSUPPORTED)

    # --- locations: answered from the storage future's callback -------------------------------

    def _store(self, header: Header, terminal: str, locations: Sequence[m.Location]) -> None:
        try:
            stored = asyncio.ensure_future(self.server.handler.store(terminal, locations))
        except Exception:
            log.exception("storing %d locations of %s failed", len(locations), terminal)
            self.server.counters["store_failed"] += 1
            self._answer(header, m.FAILURE)
            return
        self.unanswered += 1
        self.server.unanswered += 1
        stored.add_done_callback(partial(self._stored, header, len(locations)))

    def _stored(self, header: Header, count: int, stored: asyncio.Future[None]) -> None:
        self.unanswered -= 1
        self.server.unanswered -= 1
        counters = self.server.counters
        failure = stored.exception() if not stored.cancelled() else asyncio.CancelledError()
        if failure is not None:  # the terminal keeps them and sends them again
            if counters["store_failed"] % 1000 == 0:  # one traceback per thousand, not a flood
                log.error("storing locations failed: %r", failure)
            counters["store_failed"] += 1
            self._answer(header, m.FAILURE)
        else:
            counters["locations"] += count
            self._answer(header, m.OK)
        if self.paused and not self.stopping:
            self._drain()

    # --- register, authenticate, logout: one at a time, the next frames wait -------------------

    def _control(self, work: Awaitable[None]) -> None:
        self.busy = True
        task = asyncio.ensure_future(work)
        self.server.tasks.add(task)
        task.add_done_callback(self._controlled)

    def _controlled(self, task: asyncio.Future[None]) -> None:
        self.server.tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("terminal request failed: %r", task.exception())
            self.server.counters["handler_errors"] += 1
        self.busy = False
        if not self.stopping:
            self._drain()

    async def _register(self, header: Header, terminal: str, request: m.Register) -> None:
        result, code = await self.server.handler.register(terminal, request)
        self.server.counters[f"register_{result}"] += 1
        answer = m.RegisterAnswer(header.serial, result, code).encode()
        self._write(encode_packet(Header(m.REGISTER_ANSWER, header.phone, self._next_serial(), header.version), answer))

    async def _authenticate(self, header: Header, terminal: str, code: str) -> None:
        try:
            ok = await self.server.handler.authenticate(terminal, code)
        except Exception:
            self._answer(header, m.FAILURE)
            raise
        self.terminal = terminal if ok else None
        self.server.counters["authenticated" if ok else "authentication_failed"] += 1
        self._answer(header, m.OK if ok else m.FAILURE)

    async def _logout(self, header: Header, terminal: str) -> None:
        await self.server.handler.logout(terminal)
        self.terminal = None
        self._answer(header, m.OK)

    # --- flow control -------------------------------------------------------------------------

    def _pause(self) -> None:
        if not self.paused and self.transport is not None and not self.transport.is_closing():
            self.transport.pause_reading()
            self.paused = True

    def _resume(self) -> None:
        if self.paused and self.transport is not None and not self.transport.is_closing():
            self.transport.resume_reading()
            self.paused = False

    def close(self) -> None:
        if self.transport is not None:
            self.transport.close()


class Server:
    def __init__(
        self,
        handler: Handler,
        host: str = "127.0.0.1",
        port: int = 0,
        idle_timeout_s: float = IDLE_TIMEOUT_S,
        max_connections: int = 20_000,
        *,
        reuse_port: bool = False,
        sock: socket.socket | None = None,
    ) -> None:
        self.handler = handler
        self.host = host
        self.port = port
        self.idle_timeout_s = idle_timeout_s
        self.max_connections = max_connections
        self.reuse_port = reuse_port
        self.sock = sock
        self.counters: Counter[str] = Counter()
        self.sessions: set[_Session] = set()
        self.tasks: set[asyncio.Future[None]] = set()
        self.unanswered = 0
        self._server: asyncio.Server | None = None
        self._sweeper: asyncio.Task[None] | None = None

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        factory = partial(_Session, self)
        if self.sock is not None:
            self._server = await loop.create_server(factory, sock=self.sock, backlog=4096)
        else:
            self._server = await loop.create_server(
                factory, self.host, self.port, backlog=4096, reuse_port=self.reuse_port or None
            )
        self.port = self._server.sockets[0].getsockname()[1]
        self._sweeper = loop.create_task(self._sweep())
        log.info("JT/T 808 server listening on %s:%s (pid %s)", self.host, self.port, os.getpid())

    async def stop(self) -> None:
        """Stop accepting, give answers still owed a moment to go out, then close every connection."""
        if self._server is None:
            return
        self._server.close()
        for session in list(self.sessions):
            session.stopping = True
            session._pause()
        deadline = time.monotonic() + STOP_GRACE_S
        while (self.unanswered or self.tasks) and time.monotonic() < deadline:
            await asyncio.sleep(0.01)
        for session in list(self.sessions):
            session.close()
        if self._sweeper is not None:
            self._sweeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._sweeper
        await asyncio.sleep(0)  # let the transports run their close callbacks
        await self._server.wait_closed()
        self._server = None

    async def serve_forever(self) -> None:
        await self.start()
        assert self._server is not None
        async with self._server:
            await self._server.serve_forever()

    @property
    def connections(self) -> int:
        return len(self.sessions)

    async def _sweep(self) -> None:
        """Close connections idle for ``idle_timeout_s``: one timer for all, not one per read."""
        period = max(0.05, min(self.idle_timeout_s / 4, 5.0))
        while True:
            await asyncio.sleep(period)
            limit = time.monotonic() - self.idle_timeout_s
            for session in [s for s in self.sessions if s.last_seen < limit and not s.unanswered and not s.busy]:
                self.counters["idle_closed"] += 1
                session.close()
