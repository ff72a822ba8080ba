"""Bodies of the JT/T 808 messages the platform speaks, each with ``decode`` and ``encode``.

Strings are GBK. Times in a location report are BCD ``YYMMDDhhmmss`` in Beijing time (UTC+8);
decoded they are aware datetimes, and encoding converts any aware datetime to UTC+8.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from chempark.jt808.codec import bcd_encode
from chempark.jt808.framing import CodecError

BEIJING = timezone(timedelta(hours=8))

TERMINAL_ANSWER = 0x0001
HEARTBEAT = 0x0002
LOGOUT = 0x0003
REGISTER = 0x0100
AUTHENTICATE = 0x0102
LOCATION = 0x0200
BATCH_LOCATION = 0x0704
PLATFORM_ANSWER = 0x8001
REGISTER_ANSWER = 0x8100

# 0x8001 results
OK, FAILURE, MESSAGE_ERROR, UNSUPPORTED, ALARM_CONFIRMED = 0, 1, 2, 3, 4
# 0x8100 results
REGISTERED, VEHICLE_TAKEN, VEHICLE_UNKNOWN, TERMINAL_TAKEN, TERMINAL_UNKNOWN = 0, 1, 2, 3, 4

# additional items of a location report
EXTRA_MILEAGE = 0x01  # DWORD, 1/10 km
EXTRA_FUEL = 0x02  # WORD, 1/10 L
EXTRA_RECORDER_SPEED = 0x03  # WORD, 1/10 km/h
EXTRA_SIGNAL = 0x30  # BYTE
EXTRA_SATELLITES = 0x31  # BYTE

STATUS_ACC = 1 << 0
STATUS_FIXED = 1 << 1
STATUS_SOUTH = 1 << 2
STATUS_WEST = 1 << 3


def _gbk(data: bytes) -> str:
    try:
        return data.rstrip(b"\x00").decode("gbk")
    except UnicodeDecodeError as exc:
        raise CodecError("bad_string", str(exc)) from exc


def _fixed(text: str, size: int) -> bytes:
    data = text.encode("gbk")
    if len(data) > size:
        raise CodecError("string_too_long", f"{text!r} over {size} bytes")
    return data.ljust(size, b"\x00")


def _need(body: bytes, size: int, what: str) -> None:
    if len(body) < size:
        raise CodecError("short_body", f"{what} needs {size} bytes, has {len(body)}")


@dataclass(frozen=True)
class GeneralAnswer:
    """0x8001 (platform) and 0x0001 (terminal): the answered serial and id, and a result."""

    ack_serial: int
    ack_id: int
    result: int

    @classmethod
    def decode(cls, body: bytes) -> GeneralAnswer:
        _need(body, 5, "general answer")
        return cls(*struct.unpack_from(">HHB", body))

    def encode(self) -> bytes:
        return struct.pack(">HHB", self.ack_serial, self.ack_id, self.result)


@dataclass(frozen=True)
class Register:
    """0x0100. Field widths differ between 2013 (5/20/7) and 2019 (11/30/30)."""

    province: int
    city: int
    maker: str
    model: str
    terminal_id: str
    plate_colour: int
    plate: str

    @staticmethod
    def _widths(is_2019: bool) -> tuple[int, int, int]:
        return (11, 30, 30) if is_2019 else (5, 20, 7)

    @classmethod
    def decode(cls, body: bytes, is_2019: bool) -> Register:
        maker_w, model_w, id_w = cls._widths(is_2019)
        fixed = 4 + maker_w + model_w + id_w + 1
        _need(body, fixed, "register")
        province, city = struct.unpack_from(">HH", body)
        at = 4
        maker = _gbk(body[at : at + maker_w])
        at += maker_w
        model = _gbk(body[at : at + model_w])
        at += model_w
        terminal_id = _gbk(body[at : at + id_w])
        at += id_w
        return cls(province, city, maker, model, terminal_id, body[at], _gbk(body[at + 1 :]))

    def encode(self, is_2019: bool) -> bytes:
        maker_w, model_w, id_w = self._widths(is_2019)
        return (
            struct.pack(">HH", self.province, self.city)
            + _fixed(self.maker, maker_w)
            + _fixed(self.model, model_w)
            + _fixed(self.terminal_id, id_w)
            + bytes((self.plate_colour,))
            + self.plate.encode("gbk")
        )


@dataclass(frozen=True)
class RegisterAnswer:
    """0x8100: the answered serial, a result and, only on success, the auth code."""

    ack_serial: int
    result: int
    auth_code: str = ""

    @classmethod
    def decode(cls, body: bytes) -> RegisterAnswer:
        _need(body, 3, "register answer")
        serial, result = struct.unpack_from(">HB", body)
        return cls(serial, result, _gbk(body[3:]) if result == REGISTERED else "")

    def encode(self) -> bytes:
        code = self.auth_code.encode("gbk") if self.result == REGISTERED else b""
        return struct.pack(">HB", self.ack_serial, self.result) + code


@dataclass(frozen=True)
class Authenticate:
    """0x0102. 2013: the code fills the body; 2019: length-prefixed code, IMEI[15], software[20]."""

    auth_code: str
    imei: str = ""
    software: str = ""

    @classmethod
    def decode(cls, body: bytes, is_2019: bool) -> Authenticate:
        if not is_2019:
            return cls(_gbk(body))
        _need(body, 1, "authenticate")
        size = body[0]
        _need(body, 1 + size + 35, "authenticate 2019")
        rest = body[1 + size :]
        return cls(_gbk(body[1 : 1 + size]), _gbk(rest[:15]), _gbk(rest[15:35]))

    def encode(self, is_2019: bool) -> bytes:
        code = self.auth_code.encode("gbk")
        if not is_2019:
            return code
        if len(code) > 255:
            raise CodecError("string_too_long", "auth code over 255 bytes")
        return bytes((len(code),)) + code + _fixed(self.imei, 15) + _fixed(self.software, 20)


def _bcd_time(moment: datetime) -> bytes:
    local = moment.astimezone(BEIJING)
    if not 2000 <= local.year <= 2099:
        raise CodecError("bad_time", f"{local.year} outside 2000–2099")
    return bcd_encode(local.strftime("%y%m%d%H%M%S"), 6)


# byte → the two-digit number its BCD nibbles make; 0xFF for a byte with a nibble over 9
_BCD_VALUE = bytes(((b >> 4) * 10 + (b & 0x0F)) if (b >> 4) < 10 and (b & 0x0F) < 10 else 0xFF for b in range(256))


def _parse_bcd_time(data: bytes) -> datetime:
    """BCD ``YYMMDDhhmmss`` → aware datetime, through a byte table (no ``strptime``, which took
    30 µs of every location, nor a hex string)."""
    values = data.translate(_BCD_VALUE)
    if 0xFF in values:
        raise CodecError("bad_bcd", data.hex())
    if len(values) != 6:
        raise CodecError("bad_time", data.hex())
    yy, mo, dd, hh, mi, ss = values
    try:
        return datetime(2000 + yy, mo, dd, hh, mi, ss, tzinfo=BEIJING)
    except ValueError as exc:
        raise CodecError("bad_time", data.hex()) from exc


@dataclass(frozen=True)
class Location:
    """0x0200 basic information (28 bytes) and its additional items, kept raw and in order."""

    alarm: int
    status: int
    lat: float  # degrees, negative when the south bit is set
    lon: float  # degrees, negative when the west bit is set
    altitude_m: int
    speed_kmh: float  # sent in 1/10 km/h
    heading: int  # 0–359, north = 0, clockwise
    time: datetime
    extras: tuple[tuple[int, bytes], ...] = field(default=())

    @property
    def fixed(self) -> bool:
        return bool(self.status & STATUS_FIXED)

    def item(self, item: int) -> bytes | None:
        return next((value for key, value in self.extras if key == item), None)

    def _scaled(self, item: int, fmt: str, scale: float) -> float | None:
        value = self.item(item)
        if value is None or len(value) != struct.calcsize(fmt):
            return None
        number: int = struct.unpack(fmt, value)[0]
        return number / scale

    @property
    def mileage_km(self) -> float | None:
        return self._scaled(EXTRA_MILEAGE, ">I", 10)

    @property
    def fuel_l(self) -> float | None:
        return self._scaled(EXTRA_FUEL, ">H", 10)

    @property
    def recorder_speed_kmh(self) -> float | None:
        return self._scaled(EXTRA_RECORDER_SPEED, ">H", 10)

    @property
    def satellites(self) -> int | None:
        value = self._scaled(EXTRA_SATELLITES, ">B", 1)
        return None if value is None else int(value)

    @property
    def signal(self) -> int | None:
        value = self._scaled(EXTRA_SIGNAL, ">B", 1)
        return None if value is None else int(value)

    @classmethod
    def decode(cls, body: bytes) -> Location:
        _need(body, 28, "location")
        alarm, status, lat_raw, lon_raw, altitude, speed, heading = struct.unpack_from(">IIIIHHH", body)
        time = _parse_bcd_time(body[22:28])
        extras: list[tuple[int, bytes]] = []
        at = 28
        while at < len(body):
            _need(body[at:], 2, "additional item header")
            item, size = body[at], body[at + 1]
            _need(body[at + 2 :], size, f"additional item {item:#04x}")
            extras.append((item, body[at + 2 : at + 2 + size]))
            at += 2 + size
        lat = lat_raw / 1e6 * (-1 if status & STATUS_SOUTH else 1)
        lon = lon_raw / 1e6 * (-1 if status & STATUS_WEST else 1)
        return cls(alarm, status, lat, lon, altitude, speed / 10, heading, time, tuple(extras))

    def encode(self) -> bytes:
        status = self.status & ~(STATUS_SOUTH | STATUS_WEST)
        status |= STATUS_SOUTH if self.lat < 0 else 0
        status |= STATUS_WEST if self.lon < 0 else 0
        head = struct.pack(
            ">IIIIHHH",
            self.alarm,
            status,
            round(abs(self.lat) * 1e6),
            round(abs(self.lon) * 1e6),
            self.altitude_m,
            round(self.speed_kmh * 10),
            self.heading,
        )
        items = b"".join(bytes((item, len(value))) + value for item, value in self.extras)
        return head + _bcd_time(self.time) + items


@dataclass(frozen=True)
class BatchLocation:
    """0x0704: type 0 a normal batch, 1 a blind-area back-fill; each item a length + 0x0200 body."""

    kind: int
    locations: tuple[Location, ...]

    @classmethod
    def decode(cls, body: bytes) -> BatchLocation:
        _need(body, 3, "batch")
        count, kind = struct.unpack_from(">HB", body)
        at, locations = 3, []
        for _ in range(count):
            _need(body[at:], 2, "batch item length")
            (size,) = struct.unpack_from(">H", body, at)
            _need(body[at + 2 :], size, "batch item")
            locations.append(Location.decode(body[at + 2 : at + 2 + size]))
            at += 2 + size
        if at != len(body):
            raise CodecError("bad_length", f"{len(body) - at} bytes after {count} batch items")
        return cls(kind, tuple(locations))

    def encode(self) -> bytes:
        parts = [struct.pack(">HB", len(self.locations), self.kind)]
        for location in self.locations:
            item = location.encode()
            parts.append(struct.pack(">H", len(item)) + item)
        return b"".join(parts)
