"""Frame level of JT/T 808: 0x7E delimiters, 0x7D escaping, XOR checksum, stream splitting.

Send order is build → checksum → escape; receive order is unescape → verify → parse
(JT/T 808 §4.4). The stream splitter is bounded so a sender of garbage cannot grow its buffer.
"""

from __future__ import annotations

FLAG = 0x7E
ESCAPE = 0x7D
#: Largest escaped frame content accepted: a 2019 header with packet fields (21 bytes), a body of
#: at most 1023 bytes (10-bit length) and the checksum, every byte possibly escaped to two.
MAX_FRAME_BYTES = 2 * (21 + 1023 + 1)


class CodecError(ValueError):
    """A frame or body that breaks the protocol; ``reason`` is a short machine-readable word."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason


def checksum(data: bytes) -> int:
    """XOR of every byte from the first header byte to the last body byte.

    Folded as one integer (halves XORed together until one byte is left): a few big-integer
    operations instead of a Python step per byte, which cost 3 µs of every 45-byte frame.
    """
    number, size = int.from_bytes(data, "little"), len(data)
    while size > 1:
        half = (size + 1) // 2
        number = (number >> (8 * half)) ^ (number & ((1 << (8 * half)) - 1))
        size = half
    return number


def escape(data: bytes) -> bytes:
    return data.replace(b"\x7d", b"\x7d\x01").replace(b"\x7e", b"\x7d\x02")


def unescape(data: bytes) -> bytes:
    """Reverse of :func:`escape`; a 0x7D followed by anything but 0x01/0x02 is an error."""
    if b"\x7d" not in data:
        return data
    out = bytearray()
    index, size = 0, len(data)
    while index < size:
        byte = data[index]
        if byte != ESCAPE:
            out.append(byte)
            index += 1
            continue
        if index + 1 >= size or data[index + 1] not in (1, 2):
            raise CodecError("bad_escape", f"0x7D at offset {index}")
        out.append(ESCAPE if data[index + 1] == 1 else FLAG)
        index += 2
    return bytes(out)


def wrap(content: bytes) -> bytes:
    """Header + body → a complete frame on the wire (checksum appended, escaped, delimited)."""
    return bytes((FLAG,)) + escape(content + bytes((checksum(content),))) + bytes((FLAG,))


def unwrap(frame: bytes) -> bytes:
    """Escaped frame content (without the 0x7E delimiters) → verified header + body."""
    raw = unescape(frame)
    if len(raw) < 2:
        raise CodecError("too_short", f"{len(raw)} bytes")
    if checksum(raw[:-1]) != raw[-1]:
        raise CodecError("bad_checksum", f"expected {checksum(raw[:-1]):#04x}, got {raw[-1]:#04x}")
    return raw[:-1]


class FrameSplitter:
    """Cuts a TCP byte stream into frame contents between 0x7E flags.

    Bytes before the first flag are noise and dropped. A run longer than :data:`MAX_FRAME_BYTES`
    without a closing flag is dropped too (``oversized`` counts them), so memory stays bounded
    whatever the peer sends. Two adjacent flags (an end and the next start) give no empty frame.
    """

    def __init__(self, max_frame: int = MAX_FRAME_BYTES) -> None:
        self._buffer = bytearray()
        self._inside = False
        self._max = max_frame
        self.oversized = 0
        self.noise_bytes = 0

    def feed(self, data: bytes) -> list[bytes]:
        frames: list[bytes] = []
        start = 0
        while start < len(data):
            flag = data.find(FLAG, start)
            chunk = data[start:] if flag < 0 else data[start:flag]
            if self._inside:
                self._buffer += chunk
                if len(self._buffer) > self._max:
                    self.oversized += 1
                    self._buffer.clear()
                    self._inside = False
            else:
                self.noise_bytes += len(chunk)
            if flag < 0:
                break
            if self._inside and self._buffer:
                frames.append(bytes(self._buffer))
                self._buffer.clear()
                # This flag closed a frame; it may also open the next one, which a following flag
                # would otherwise read as an empty frame. Treat it as an opening flag.
            self._inside = True
            start = flag + 1
        return frames

    @property
    def buffered(self) -> int:
        return len(self._buffer)
