"""Sub-packet reassembly (分包): the packets of one split message are joined once all have come.

Packets of one message share terminal, message id and total, and carry consecutive serial numbers,
so ``serial - index`` names the message. Memory is bounded: at most ``max_pending`` messages wait
at once (the oldest is dropped for a new one), at most ``max_total`` packets per message, and a
message not complete within ``timeout_s`` is dropped. ``dropped`` counts what was given up.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from chempark.jt808.codec import Header, Packet

MAX_TOTAL = 256
MAX_PENDING = 16
TIMEOUT_S = 60.0


@dataclass
class _Pending:
    first_seen: float
    header: Header
    parts: dict[int, bytes] = field(default_factory=dict)


class Reassembler:
    def __init__(
        self, max_pending: int = MAX_PENDING, max_total: int = MAX_TOTAL, timeout_s: float = TIMEOUT_S
    ) -> None:
        self._pending: dict[tuple[str, int, int, int], _Pending] = {}
        self._max_pending = max_pending
        self._max_total = max_total
        self._timeout = timeout_s
        self.dropped = 0

    def add(self, packet: Packet, now: float) -> Packet | None:
        """The whole message once ``packet`` completes it; the packet itself when it is not split."""
        header = packet.header
        if header.total is None or header.index is None:
            return packet
        self.expire(now)
        if header.total > self._max_total:
            self.dropped += 1
            return None
        key = (header.phone, header.msg_id, header.total, (header.serial - header.index) & 0xFFFF)
        pending = self._pending.get(key)
        if pending is None:
            if len(self._pending) >= self._max_pending:
                oldest = min(self._pending, key=lambda k: self._pending[k].first_seen)
                del self._pending[oldest]
                self.dropped += 1
            pending = self._pending[key] = _Pending(now, header)
        pending.parts[header.index] = packet.body
        if len(pending.parts) < header.total:
            return None
        del self._pending[key]
        body = b"".join(pending.parts[i] for i in range(1, header.total + 1))
        first = pending.header
        whole = Header(first.msg_id, first.phone, (key[3] + 1) & 0xFFFF, first.version, first.encryption)
        return Packet(whole, body)

    def expire(self, now: float) -> None:
        stale = [key for key, pending in self._pending.items() if now - pending.first_seen > self._timeout]
        for key in stale:
            del self._pending[key]
            self.dropped += 1

    @property
    def pending(self) -> int:
        return len(self._pending)
