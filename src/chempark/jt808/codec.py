"""JT/T 808 message header (2013 and 2019) and packets: header + body inside a frame.

Header 2013: id WORD | properties WORD | phone BCD[6] | serial WORD | [total WORD, index WORD].
Header 2019: id | properties | version BYTE | phone BCD[10] | serial | [total, index].
Properties: bits 0–9 body length, 10–12 encryption, 13 split, 14 the 2019 version flag.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from chempark.jt808.framing import CodecError, unwrap, wrap

MAX_BODY = 0x03FF
_SPLIT = 1 << 13
_VERSION_FLAG = 1 << 14


def bcd_encode(digits: str, size: int) -> bytes:
    """Decimal digits → packed BCD of ``size`` bytes, zero-padded on the left."""
    if not digits.isdigit() or len(digits) > 2 * size:
        raise CodecError("bad_bcd", f"{digits!r} does not fit BCD[{size}]")
    return bytes.fromhex(digits.rjust(2 * size, "0"))


def bcd_decode(data: bytes) -> str:
    text = data.hex()
    if not text.isdigit():
        raise CodecError("bad_bcd", text)
    return text


@dataclass(frozen=True)
class Header:
    msg_id: int
    phone: str  # the BCD digits as sent: 12 (2013) or 20 (2019), leading zeros kept
    serial: int
    version: int | None = None  # protocol version byte of a 2019 header; None for 2013
    encryption: int = 0
    total: int | None = None  # sub-packet fields, only on a split message
    index: int | None = None

    @property
    def is_2019(self) -> bool:
        return self.version is not None

    @property
    def split(self) -> bool:
        return self.total is not None


@dataclass(frozen=True)
class Packet:
    header: Header
    body: bytes


def terminal_key(phone: str) -> str:
    """The terminal's number without BCD padding: the same terminal under a 2013 or 2019 header."""
    return phone.lstrip("0") or "0"


def encode_packet(header: Header, body: bytes) -> bytes:
    """A complete wire frame for ``header`` and ``body``."""
    if len(body) > MAX_BODY:
        raise CodecError("body_too_long", f"{len(body)} bytes; split it")
    if (header.total is None) != (header.index is None):
        raise CodecError("bad_split", "total and index go together")
    properties = len(body) | (header.encryption & 0b111) << 10
    if header.split:
        properties |= _SPLIT
    parts = []
    if header.version is not None:
        properties |= _VERSION_FLAG
        parts.append(struct.pack(">HHB", header.msg_id, properties, header.version))
        parts.append(bcd_encode(header.phone, 10))
    else:
        parts.append(struct.pack(">HH", header.msg_id, properties))
        parts.append(bcd_encode(header.phone, 6))
    parts.append(struct.pack(">H", header.serial))
    if header.total is not None and header.index is not None:
        parts.append(struct.pack(">HH", header.total, header.index))
    return wrap(b"".join(parts) + body)


def decode_content(raw: bytes) -> Packet:
    """Verified, unescaped header + body → :class:`Packet`."""
    if len(raw) < 4:
        raise CodecError("too_short", f"{len(raw)} header bytes")
    msg_id, properties = struct.unpack_from(">HH", raw)
    length = properties & MAX_BODY
    offset, version = 4, None
    if properties & _VERSION_FLAG:
        if len(raw) < 17:
            raise CodecError("too_short", "2019 header")
        version = raw[4]
        phone = bcd_decode(raw[5:15])
        offset = 15
    else:
        if len(raw) < 12:
            raise CodecError("too_short", "2013 header")
        phone = bcd_decode(raw[4:10])
        offset = 10
    (serial,) = struct.unpack_from(">H", raw, offset)
    offset += 2
    total = index = None
    if properties & _SPLIT:
        if len(raw) < offset + 4:
            raise CodecError("too_short", "sub-packet fields")
        total, index = struct.unpack_from(">HH", raw, offset)
        offset += 4
        if total == 0 or not 1 <= index <= total:
            raise CodecError("bad_split", f"packet {index} of {total}")
    body = raw[offset:]
    if len(body) != length:
        raise CodecError("bad_length", f"properties say {length}, body has {len(body)}")
    header = Header(msg_id, phone, serial, version, (properties >> 10) & 0b111, total, index)
    return Packet(header, body)


def decode_frame(frame: bytes) -> Packet:
    """Escaped frame content (between the 0x7E flags) → :class:`Packet`; :class:`CodecError` otherwise."""
    return decode_content(unwrap(frame))
