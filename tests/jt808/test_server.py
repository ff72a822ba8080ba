"""The TCP server with an in-memory handler: sessions, refusals, bad frames, restarts, garbage."""

from __future__ import annotations

import asyncio
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

        async def garbage() -> None:
            _, writer = await asyncio.open_connection("127.0.0.1", server.port)
            for _ in range(3):
                writer.write(bytes(rng.getrandbits(8) for _ in range(rng.randrange(1, 3000))))
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

        results = await asyncio.gather(drive_well(), *(garbage() for _ in range(1000)), return_exceptions=True)
        assert results[0] == len(handler.positions) > 0
        assert server.counters["frames"] >= results[0]

    run(scenario)
