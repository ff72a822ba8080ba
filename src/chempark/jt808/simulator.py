"""Simulated JT/T 808 terminals: drive a polyline at a speed and report over TCP like a real one.

A terminal registers (once; it keeps its auth code), authenticates on every connection, reports
its fixes and keeps each one until the platform acknowledges it; after a lost connection it
reconnects and sends the unacknowledged fixes again as a 0x0704 blind-area batch, as terminals
do with what they stored while out of coverage. Device time is given by the caller, so a test
can drive an hour in a second.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from chempark.common.projection import LocalProjection
from chempark.jt808 import messages as m
from chempark.jt808.codec import Header, Packet, decode_frame, encode_packet
from chempark.jt808.framing import CodecError, FrameSplitter

BATCH_MAX = 20  # locations per 0x0704 (body ≤ 1023 bytes: 3 + 20 × (2 + 28 + extras))
ANSWER_TIMEOUT_S = 5.0


@dataclass(frozen=True)
class Fix:
    time: datetime
    lon: float
    lat: float
    speed_kmh: float
    heading: int


def drive(
    polyline: Sequence[tuple[float, float]], speed_kmh: float, interval_s: float, start: datetime
) -> Iterator[Fix]:
    """Fixes every ``interval_s`` along ``polyline`` ((lon, lat) vertices) at a constant speed."""
    projection = LocalProjection(*polyline[0])
    x, y = projection.forward([p[0] for p in polyline], [p[1] for p in polyline])
    step = speed_kmh / 3.6 * interval_s
    leg, at_leg = 0, 0.0
    moment = start
    while leg < len(polyline) - 1:
        dx, dy = float(x[leg + 1] - x[leg]), float(y[leg + 1] - y[leg])
        length = math.hypot(dx, dy)
        if at_leg > length:
            at_leg -= length
            leg += 1
            continue
        share = at_leg / length if length else 0.0
        lon, lat = projection.inverse(float(x[leg]) + dx * share, float(y[leg]) + dy * share)
        heading = round(math.degrees(math.atan2(dx, dy))) % 360
        yield Fix(moment, float(lon), float(lat), speed_kmh, heading)
        at_leg += step
        moment += timedelta(seconds=interval_s)


def location_of(fix: Fix, mileage_km: float = 0.0) -> m.Location:
    extras = ((m.EXTRA_MILEAGE, round(mileage_km * 10).to_bytes(4, "big")), (m.EXTRA_SATELLITES, bytes((12,))))
    return m.Location(
        0, m.STATUS_ACC | m.STATUS_FIXED, fix.lat, fix.lon, 10, fix.speed_kmh, fix.heading, fix.time, extras
    )


@dataclass
class Terminal:
    """One simulated terminal. ``phone`` is its 12-digit BCD number (2013) or 20-digit (2019)."""

    phone: str
    plate: str
    host: str
    port: int
    version: int | None = None  # a 2019 terminal when set
    auth_code: str = ""
    unacked: list[m.Location] = field(default_factory=list)
    acked: int = 0
    _serial: int = 0
    _reader: asyncio.StreamReader | None = None
    _writer: asyncio.StreamWriter | None = None
    _splitter: FrameSplitter = field(default_factory=FrameSplitter)
    _answers: list[Packet] = field(default_factory=list)

    async def connect(self) -> None:
        """Open a connection, register if need be, authenticate, and resend what was not acknowledged."""
        self._reader, self._writer = await asyncio.open_connection(self.host, self.port)
        self._splitter = FrameSplitter()
        self._answers.clear()
        if not self.auth_code:
            answer = await self.request(
                m.REGISTER, m.Register(32, 100, "CPK", "SIM-1", self.phone[-7:], 2, self.plate).encode(self.is_2019)
            )
            registered = m.RegisterAnswer.decode(answer.body)
            if registered.result != m.REGISTERED:
                raise ConnectionError(f"register refused: result {registered.result}")
            self.auth_code = registered.auth_code
        answer = await self.request(
            m.AUTHENTICATE,
            m.Authenticate(self.auth_code, "86" + self.phone[-13:].rjust(13, "0"), "1.0").encode(self.is_2019),
        )
        if m.GeneralAnswer.decode(answer.body).result != m.OK:
            raise ConnectionError("authentication refused")
        while self.unacked:
            chunk = self.unacked[:BATCH_MAX]
            await self._send_locations(m.BATCH_LOCATION, m.BatchLocation(1, tuple(chunk)).encode(), chunk)

    @property
    def is_2019(self) -> bool:
        return self.version is not None

    async def report(self, location: m.Location) -> bool:
        """Send one location; True when it was acknowledged (else it waits for the next connection)."""
        self.unacked.append(location)
        try:
            await self._send_locations(m.LOCATION, location.encode(), [location])
        except (ConnectionError, TimeoutError, asyncio.IncompleteReadError):
            return False
        return True

    async def _send_locations(self, msg_id: int, body: bytes, sent: Sequence[m.Location]) -> None:
        answer = m.GeneralAnswer.decode((await self.request(msg_id, body)).body)
        if answer.result != m.OK:
            raise ConnectionError(f"location refused: result {answer.result}")
        # the answered ones, not the oldest: a refused fix sent earlier stays for the back-fill
        for location in sent:
            self.unacked.remove(location)
        self.acked += len(sent)

    async def heartbeat(self) -> None:
        await self.request(m.HEARTBEAT, b"")

    async def logout(self) -> None:
        await self.request(m.LOGOUT, b"")
        await self.close()

    async def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            with contextlib.suppress(ConnectionError):
                await self._writer.wait_closed()
            self._writer = None

    async def request(self, msg_id: int, body: bytes) -> Packet:
        """Send a message and wait for the platform's answer to its serial number."""
        if self._writer is None or self._reader is None:
            raise ConnectionError("not connected")
        self._serial = (self._serial + 1) & 0xFFFF
        serial = self._serial
        self._writer.write(encode_packet(Header(msg_id, self.phone, serial, self.version), body))
        await self._writer.drain()
        return await asyncio.wait_for(self._answer_to(serial), ANSWER_TIMEOUT_S)

    async def _answer_to(self, serial: int) -> Packet:
        assert self._reader is not None
        while True:
            for packet in self._answers:
                if packet.body[:2] == serial.to_bytes(2, "big"):
                    self._answers.remove(packet)
                    return packet
            data = await self._reader.read(4096)
            if not data:
                raise ConnectionError("closed by the platform")
            for frame in self._splitter.feed(data):
                try:
                    self._answers.append(decode_frame(frame))
                except CodecError:
                    continue
