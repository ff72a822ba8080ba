"""An asyncio JT/T 808 server, independent of Django: storage and terminal checks are a handler.

Per connection: a bounded frame splitter, a bounded sub-packet reassembler, the terminal it has
authenticated as, and the platform's serial numbers. A frame that fails to decode (checksum,
escaping, lengths) is dropped and counted, and the connection goes on; a location from a
connection that has not authenticated is answered 0x8001 failure and not stored; an unknown
message id is answered 0x8001 result 3; a connection silent for ``idle_timeout_s`` is closed.
A location is acknowledged only after the handler has stored it, so a terminal that resends
what was not acknowledged (after a restart of the server) loses nothing; storing is idempotent on
(terminal, device time), so it duplicates nothing either.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from chempark.jt808 import messages as m
from chempark.jt808.codec import Header, Packet, decode_frame, encode_packet, terminal_key
from chempark.jt808.framing import CodecError, FrameSplitter
from chempark.jt808.reassembly import Reassembler

log = logging.getLogger("chempark.jt808")

READ_CHUNK = 4096
IDLE_TIMEOUT_S = 300.0  # five heartbeat intervals of a typical terminal (parameter 0x0001: 60 s)


class Handler(Protocol):
    """What the server needs from the platform. Terminals are named by :func:`terminal_key`."""

    async def register(self, terminal: str, request: m.Register) -> tuple[int, str]:
        """A 0x8100 result and, on success, the auth code."""
        ...

    async def authenticate(self, terminal: str, auth_code: str) -> bool: ...

    async def store(self, terminal: str, locations: Sequence[m.Location]) -> None:
        """Store durably (idempotent on terminal + device time); return only once stored."""
        ...

    async def logout(self, terminal: str) -> None: ...


@dataclass
class _Connection:
    peer: str
    splitter: FrameSplitter
    reassembler: Reassembler
    terminal: str | None = None  # set once authenticated
    serial: int = 0

    def next_serial(self) -> int:
        self.serial = (self.serial + 1) & 0xFFFF
        return self.serial


class Server:
    def __init__(
        self,
        handler: Handler,
        host: str = "127.0.0.1",
        port: int = 0,
        idle_timeout_s: float = IDLE_TIMEOUT_S,
        max_connections: int = 20_000,
    ) -> None:
        self.handler = handler
        self.host = host
        self.port = port
        self.idle_timeout_s = idle_timeout_s
        self.max_connections = max_connections
        self.counters: Counter[str] = Counter()
        self._server: asyncio.Server | None = None
        self._connections: set[asyncio.StreamWriter] = set()
        self._tasks: set[asyncio.Task[None]] = set()

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve, self.host, self.port, limit=READ_CHUNK * 4)
        self.port = self._server.sockets[0].getsockname()[1]
        log.info("JT/T 808 server listening on %s:%s", self.host, self.port)

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            for writer in list(self._connections):
                writer.close()
            if self._tasks:  # let each connection see its close and finish its last frame
                await asyncio.wait(self._tasks, timeout=5)
            await self._server.wait_closed()
            self._server = None

    async def serve_forever(self) -> None:
        await self.start()
        assert self._server is not None
        async with self._server:
            await self._server.serve_forever()

    @property
    def connections(self) -> int:
        return len(self._connections)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if len(self._connections) >= self.max_connections:
            self.counters["refused_connections"] += 1
            writer.close()
            return
        task = asyncio.current_task()
        if task is not None:
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        peer = str(writer.get_extra_info("peername"))
        conn = _Connection(peer, FrameSplitter(), Reassembler())
        self._connections.add(writer)
        self.counters["connections"] += 1
        try:
            while True:
                try:
                    data = await asyncio.wait_for(reader.read(READ_CHUNK), self.idle_timeout_s)
                except TimeoutError:
                    self.counters["idle_closed"] += 1
                    break
                if not data:
                    break
                oversized = conn.splitter.oversized
                for frame in conn.splitter.feed(data):
                    await self._frame(conn, frame, writer)
                self.counters["oversized"] += conn.splitter.oversized - oversized
                await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError):
            self.counters["connection_errors"] += 1
        finally:
            self._connections.discard(writer)
            self.counters["dropped_subpackets"] += conn.reassembler.dropped
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()

    async def _frame(self, conn: _Connection, frame: bytes, writer: asyncio.StreamWriter) -> None:
        try:
            packet = decode_frame(frame)
        except CodecError as exc:
            self.counters[f"dropped_{exc.reason}"] += 1
            return
        self.counters["frames"] += 1
        whole = conn.reassembler.add(packet, time.monotonic())
        if whole is None:
            return
        for answer_id, body in await self._dispatch(conn, whole):
            header = Header(answer_id, whole.header.phone, conn.next_serial(), whole.header.version)
            writer.write(encode_packet(header, body))

    async def _dispatch(self, conn: _Connection, packet: Packet) -> list[tuple[int, bytes]]:  # noqa: PLR0911 — one answer per message kind
        header = packet.header
        terminal = terminal_key(header.phone)

        def answer(result: int) -> list[tuple[int, bytes]]:
            return [(m.PLATFORM_ANSWER, m.GeneralAnswer(header.serial, header.msg_id, result).encode())]

        try:
            if header.msg_id == m.REGISTER:
                result, code = await self.handler.register(terminal, m.Register.decode(packet.body, header.is_2019))
                self.counters[f"register_{result}"] += 1
                return [(m.REGISTER_ANSWER, m.RegisterAnswer(header.serial, result, code).encode())]
            if header.msg_id == m.AUTHENTICATE:
                request = m.Authenticate.decode(packet.body, header.is_2019)
                ok = await self.handler.authenticate(terminal, request.auth_code)
                conn.terminal = terminal if ok else None
                self.counters["authenticated" if ok else "authentication_failed"] += 1
                return answer(m.OK if ok else m.FAILURE)
            if header.msg_id == m.HEARTBEAT:
                return answer(m.OK)
            if header.msg_id == m.TERMINAL_ANSWER:
                return []
            if header.msg_id in (m.LOCATION, m.BATCH_LOCATION):
                if conn.terminal != terminal:
                    self.counters["unauthenticated_locations"] += 1
                    return answer(m.FAILURE)
                if header.msg_id == m.LOCATION:
                    locations: Sequence[m.Location] = (m.Location.decode(packet.body),)
                else:
                    locations = m.BatchLocation.decode(packet.body).locations
                try:
                    await self.handler.store(terminal, locations)
                except Exception:  # the terminal keeps it and sends it again
                    log.exception("storing %d locations of %s failed", len(locations), terminal)
                    self.counters["store_failed"] += 1
                    return answer(m.FAILURE)
                self.counters["locations"] += len(locations)
                return answer(m.OK)
            if header.msg_id == m.LOGOUT:
                if conn.terminal == terminal:
                    await self.handler.logout(terminal)
                    conn.terminal = None
                return answer(m.OK)
        except CodecError as exc:
            self.counters[f"bad_body_{exc.reason}"] += 1
            return answer(m.MESSAGE_ERROR)
        self.counters["unsupported"] += 1
        return answer(m.UNSUPPORTED)
