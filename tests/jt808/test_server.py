"""The TCP server with an in-memory handler: sessions, refusals, bad frames, restarts, garbage."""

from __future__ import annotations

import asyncio
import contextlib
import random
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime

import pytest

from chempark.jt808 import messages as m
from chempark.jt808.codec import Header, decode_frame, encode_packet
from chempark.jt808.framing import FrameSplitter
from chempark.jt808.server import Server
from chempark.jt808.simulator import Terminal, drive, location_of

START = datetime(2026, 5, 6, 2, 0, tzinfo=UTC)
ROAD = [(118.80, 32.05), (118.81, 32.05), (118.81, 32.06)]


class MemoryHandler:
    """Terminals known by number; positions keyed by (terminal, device time) like the table."""

    def __init__(self, known: Sequence[str] = ("13900000001", "13900000002")) -> None:
        self.known = set(known)
        self.codes: dict[str, str] = {}
        self.positions: dict[tuple[str, datetime], m.Location] = {}
        self.stores = 0

    async def register(self, terminal: str, request: m.Register) -> tuple[int, str]:
        if terminal not in self.known:
            return m.TERMINAL_UNKNOWN, ""
        self.codes[terminal] = f"code-{terminal}"
        return m.REGISTERED, self.codes[terminal]

    async def authenticate(self, terminal: str, auth_code: str) -> bool:
        return self.codes.get(terminal) == auth_code

    async def store(self, terminal: str, locations: Sequence[m.Location]) -> None:
        self.stores += 1
        for location in locations:
            self.positions.setdefault((terminal, location.time), location)

    async def logout(self, terminal: str) -> None:
        self.codes.pop(terminal, None)


def run(test: Callable[[Server, MemoryHandler], Awaitable[None]], **options: float) -> MemoryHandler:
    handler = MemoryHandler()

    async def main() -> None:
        server = Server(handler, **options)  # type: ignore[arg-type]  # the options table mixes ints and floats of the keyword arguments
        await server.start()
        try:
            await asyncio.wait_for(test(server, handler), 30)
        finally:
            await server.stop()

    asyncio.run(main())
    return handler


async def raw_exchange(port: int, frames: list[bytes], answers: int) -> list[tuple[int, m.GeneralAnswer | None]]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"".join(frames))
    await writer.drain()
    splitter, got = FrameSplitter(), []
    while len(got) < answers:
        data = await asyncio.wait_for(reader.read(4096), 5)
        assert data, "connection closed"
        got += [decode_frame(f) for f in splitter.feed(data)]
    writer.close()
    return [
        (p.header.msg_id, m.GeneralAnswer.decode(p.body) if p.header.msg_id == m.PLATFORM_ANSWER else None) for p in got
    ]


def test_register_authenticate_report_and_logout() -> None:
    async def scenario(server: Server, handler: MemoryHandler) -> None:
        terminal = Terminal("013900000001", "苏A12345", "127.0.0.1", server.port)
        await terminal.connect()
        assert terminal.auth_code == "code-13900000001"
        fixes = list(drive(ROAD, 36, 10, START))
        for fix in fixes:
            assert await terminal.report(location_of(fix))
        await terminal.heartbeat()
        await terminal.logout()
        assert len(handler.positions) == len(fixes) == terminal.acked
        assert server.counters["authenticated"] == 1

    run(scenario)


def test_a_2019_terminal_is_answered_with_a_2019_header() -> None:
    async def scenario(server: Server, handler: MemoryHandler) -> None:
        terminal = Terminal("00000000013900000002", "苏A1234D", "127.0.0.1", server.port, version=1)
        await terminal.connect()
        assert await terminal.report(location_of(next(drive(ROAD, 30, 5, START))))
        assert next(iter(handler.positions))[0] == "13900000002"

    run(scenario)


def test_unknown_terminal_and_unauthenticated_locations_are_refused() -> None:
    async def scenario(server: Server, handler: MemoryHandler) -> None:
        stranger = Terminal("013999999999", "苏A99999", "127.0.0.1", server.port)
        with pytest.raises(ConnectionError, match="result 4"):
            await stranger.connect()
        body = location_of(next(drive(ROAD, 30, 5, START))).encode()
        answers = await raw_exchange(server.port, [encode_packet(Header(m.LOCATION, "013900000001", 9), body)], 1)
        assert answers == [(m.PLATFORM_ANSWER, m.GeneralAnswer(9, m.LOCATION, m.FAILURE))]
        assert handler.positions == {} and server.counters["unauthenticated_locations"] == 1

    run(scenario)


def test_bad_checksum_is_dropped_and_counted_and_the_connection_goes_on() -> None:
    async def scenario(server: Server, handler: MemoryHandler) -> None:
        good = encode_packet(Header(m.HEARTBEAT, "013900000001", 2), b"")
        broken = bytearray(encode_packet(Header(m.HEARTBEAT, "013900000001", 1), b""))
        broken[-2] ^= 0x55
        unknown = encode_packet(Header(0x0F0F, "013900000001", 3), b"\x01")
        answers = await raw_exchange(server.port, [bytes(broken), b"garbage", good, unknown], 2)
        assert answers == [
            (m.PLATFORM_ANSWER, m.GeneralAnswer(2, m.HEARTBEAT, m.OK)),
            (m.PLATFORM_ANSWER, m.GeneralAnswer(3, 0x0F0F, m.UNSUPPORTED)),
        ]
        # the broken frame, and "garbage" (read as a frame between the broken one's flag and the next)
        assert server.counters["dropped_bad_checksum"] + server.counters["dropped_bad_length"] == 2

    run(scenario)


def test_a_split_batch_is_reassembled_and_stored() -> None:
    async def scenario(server: Server, handler: MemoryHandler) -> None:
        terminal = Terminal("013900000001", "苏A12345", "127.0.0.1", server.port)
        await terminal.connect()
        batch = m.BatchLocation(1, tuple(location_of(f) for f in list(drive(ROAD, 36, 10, START))[:12])).encode()
        half = len(batch) // 2
        frames = [
            encode_packet(Header(m.BATCH_LOCATION, "013900000001", 100 + i, total=2, index=i + 1), part)
            for i, part in enumerate((batch[:half], batch[half:]))
        ]
        assert terminal._writer is not None
        terminal._writer.write(b"".join(frames[::-1]))  # out of order on purpose
        await terminal._writer.drain()
        for _ in range(100):
            if len(handler.positions) == 12:
                break
            await asyncio.sleep(0.01)
        assert len(handler.positions) == 12

    run(scenario)


def test_idle_connections_are_closed() -> None:
    async def scenario(server: Server, handler: MemoryHandler) -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
        assert await asyncio.wait_for(reader.read(10), 5) == b""  # closed by the server
        writer.close()
        assert server.counters["idle_closed"] == 1

    run(scenario, idle_timeout_s=0.2)


def test_restart_mid_drive_loses_and_duplicates_nothing() -> None:
    handler = MemoryHandler()
    fixes = list(drive(ROAD, 54, 5, START))

    async def main() -> None:
        server = Server(handler)
        await server.start()
        port = server.port
        terminal = Terminal("013900000001", "苏A12345", "127.0.0.1", port)
        await terminal.connect()
        for index, fix in enumerate(fixes):
            if index == len(fixes) // 3:
                await server.stop()  # the platform goes down mid-drive …
            if index == len(fixes) // 2:
                server = Server(handler, port=port)  # … and comes back on the same port
                await server.start()
                await terminal.connect()  # re-authenticates and back-fills
            if not await terminal.report(location_of(fix)):
                await terminal.close()
        await terminal.connect()
        await server.stop()

    asyncio.run(asyncio.wait_for(main(), 30))
    assert sorted(t for _, t in handler.positions) == [f.time for f in fixes]


def test_a_thousand_garbage_connections_do_not_disturb_a_terminal() -> None:
    async def scenario(server: Server, handler: MemoryHandler) -> None:
        rng = random.Random(1000)
        # made beforehand: built byte by byte inside the connections, the garbage would keep this
        # process's own loop (the terminal's too) busy for seconds and time the terminal out
        payloads = [[rng.randbytes(rng.randrange(1, 3000)) for _ in range(3)] for _ in range(1000)]

        async def garbage(chunks: list[bytes]) -> None:
            _, writer = await asyncio.open_connection("127.0.0.1", server.port)
            for chunk in chunks:
                writer.write(chunk)
                await writer.drain()
            writer.close()

        terminal = Terminal("013900000001", "苏A12345", "127.0.0.1", server.port)
        await terminal.connect()

        async def drive_well() -> int:
            sent = 0
            for fix in drive(ROAD, 36, 10, START):
                assert await terminal.report(location_of(fix))
                sent += 1
            return sent

        results = await asyncio.gather(drive_well(), *(garbage(chunks) for chunks in payloads), return_exceptions=True)
        assert results[0] == len(handler.positions) > 0
        assert server.counters["frames"] >= results[0]

    run(scenario)


def test_the_fast_answer_encoder_matches_the_codec() -> None:
    """The server's template-built 0x8001 equals the codec's, for 2013 and 2019 headers and for
    serials and results whose checksum or fields need escaping."""
    from chempark.jt808.server import general_answer

    for phone, version in (("013900000001", None), ("00000000013900000002", 1), ("017077000001", None)):
        for serial in (0, 1, 0x7E, 0x7D7E, 0xFFFF):
            for result in (m.OK, m.FAILURE, m.UNSUPPORTED):
                request = Header(m.LOCATION, phone, serial, version)
                expected = encode_packet(
                    Header(m.PLATFORM_ANSWER, request.phone, serial ^ 0x55, version),
                    m.GeneralAnswer(serial, m.LOCATION, result).encode(),
                )
                assert general_answer(request, serial ^ 0x55, result) == expected


class GatedHandler(MemoryHandler):
    """Stores only when the test says so: each store's future waits in ``gates`` until resolved."""

    def __init__(self) -> None:
        super().__init__()
        self.gates: list[tuple[asyncio.Future[None], str, Sequence[m.Location]]] = []

    def store(self, terminal: str, locations: Sequence[m.Location]) -> asyncio.Future[None]:  # type: ignore[override]  # a future instead of a coroutine, as the platform's batch writer gives
        stored: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.gates.append((stored, terminal, locations))
        return stored

    def release(self, failure: Exception | None = None) -> None:
        for stored, terminal, locations in self.gates:
            if failure is not None:
                stored.set_exception(failure)
                continue
            for location in locations:
                self.positions.setdefault((terminal, location.time), location)
            stored.set_result(None)
        self.gates.clear()


def run_gated(test: Callable[[Server, GatedHandler], Awaitable[None]]) -> GatedHandler:
    handler = GatedHandler()

    async def main() -> None:
        server = Server(handler)  # type: ignore[arg-type]  # the gated handler's store gives a future
        await server.start()
        try:
            await asyncio.wait_for(test(server, handler), 30)
        finally:
            handler.release()
            await server.stop()

    asyncio.run(main())
    return handler


def test_a_location_is_answered_only_once_stored_and_a_failed_store_is_answered_failure() -> None:
    async def scenario(server: Server, handler: GatedHandler) -> None:
        terminal = Terminal("013900000001", "苏A12345", "127.0.0.1", server.port)
        await terminal.connect()
        first, second = (location_of(f) for f in list(drive(ROAD, 36, 10, START))[:2])
        report = asyncio.create_task(terminal.report(first))
        await asyncio.sleep(0.3)
        assert not report.done() and len(handler.gates) == 1  # no answer while not stored
        handler.release(OSError("database unavailable"))
        assert await report is False  # answered 0x8001 result 1: the terminal keeps the fix
        assert terminal.unacked == [first] and handler.positions == {}
        assert server.counters["store_failed"] == 1
        report = asyncio.create_task(terminal.report(second))
        await asyncio.sleep(0.1)
        handler.release()
        assert await report is True
        reconnect = asyncio.create_task(terminal.connect())  # the kept fix goes again, as a back-fill
        while not handler.gates:
            await asyncio.sleep(0.01)
        handler.release()
        await reconnect
        assert sorted(t for _, t in handler.positions) == [first.time, second.time] and not terminal.unacked

    run_gated(scenario)


def test_a_connection_with_many_locations_waiting_for_storage_is_not_read_further() -> None:
    async def scenario(server: Server, handler: GatedHandler) -> None:
        from chempark.jt808.server import MAX_UNANSWERED

        terminal = Terminal("013900000001", "苏A12345", "127.0.0.1", server.port)
        await terminal.connect()
        fixes = list(drive(ROAD, 36, 1, START))[:40]
        frames = [
            encode_packet(Header(m.LOCATION, "013900000001", 100 + i), location_of(fix).encode())
            for i, fix in enumerate(fixes)
        ]
        assert terminal._writer is not None and terminal._reader is not None
        terminal._writer.write(b"".join(frames))  # all at once, without waiting for answers
        await terminal._writer.drain()
        await asyncio.sleep(0.3)
        assert len(handler.gates) == MAX_UNANSWERED  # the rest waits, unread or undecoded
        splitter, answered = FrameSplitter(), 0
        while answered < len(frames):
            handler.release()
            with contextlib.suppress(TimeoutError):
                data = await asyncio.wait_for(terminal._reader.read(65536), 0.2)
                answered += len(splitter.feed(data))
        assert len(handler.positions) == len(fixes) and server.counters["locations"] == len(fixes)

    run_gated(scenario)


def test_connections_over_the_limit_are_refused_and_the_first_goes_on() -> None:
    async def scenario(server: Server, handler: MemoryHandler) -> None:
        terminal = Terminal("013900000001", "苏A12345", "127.0.0.1", server.port)
        await terminal.connect()
        reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
        with contextlib.suppress(ConnectionError):
            assert await asyncio.wait_for(reader.read(10), 5) == b""  # closed at once
        writer.close()
        assert server.counters["refused_connections"] == 1
        assert await terminal.report(location_of(next(drive(ROAD, 30, 5, START))))

    run(scenario, max_connections=1)
