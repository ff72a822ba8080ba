"""The codec against the published sample packets, random messages and random or mutated frames."""

from __future__ import annotations

import contextlib
import random
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chempark.jt808 import messages as m
from chempark.jt808.codec import Header, Packet, decode_frame, encode_packet, terminal_key
from chempark.jt808.framing import CodecError, FrameSplitter, escape, unescape, wrap
from chempark.jt808.reassembly import Reassembler

# JT/T 808 worked examples (published with the SmallChi/JT808 README): the same location report with
# serial 126 (0x007E, so escaped) and serial 1.
SAMPLE_126 = bytes.fromhex(
    "7E02000026123456789012007D02000000010000000200BA7F0E07E4F11C0028003C00001810151010100104000000640202007D01137E"
)
SAMPLE_1 = bytes.fromhex(
    "7E020000261234567890120001000000010000000200BA7F0E07E4F11C0028003C00001810151010100104000000640202007D016C7E"
)


@pytest.mark.parametrize(("frame", "serial"), [(SAMPLE_126, 126), (SAMPLE_1, 1)])
def test_published_location_packets_decode_and_encode_byte_exactly(frame: bytes, serial: int) -> None:
    packet = decode_frame(frame[1:-1])
    assert packet.header == Header(m.LOCATION, "123456789012", serial)
    location = m.Location.decode(packet.body)
    assert (location.alarm, location.status) == (1, 2)
    assert (location.lat, location.lon) == (12.222222, 132.444444)
    assert (location.altitude_m, location.speed_kmh, location.heading) == (40, 6.0, 0)
    assert location.time == datetime(2018, 10, 15, 2, 10, 10, tzinfo=UTC)  # 10:10:10 Beijing time
    assert (location.mileage_km, location.fuel_l) == (10.0, 12.5)  # raw 100 and 125 (0x7D escaped)
    assert location.fixed
    assert encode_packet(packet.header, location.encode()) == frame


def test_escaping_example_from_the_standard() -> None:
    assert escape(bytes.fromhex("307E087D55")) == bytes.fromhex("307D02087D0155")
    assert unescape(bytes.fromhex("307D02087D0155")) == bytes.fromhex("307E087D55")


def test_bad_checksum_and_bad_escape_are_codec_errors() -> None:
    broken = bytearray(SAMPLE_1[1:-1])
    broken[-1] ^= 0xFF
    with pytest.raises(CodecError) as info:
        decode_frame(bytes(broken))
    assert info.value.reason == "bad_checksum"
    with pytest.raises(CodecError) as info:
        decode_frame(b"\x02\x00\x7d\x05")
    assert info.value.reason == "bad_escape"


def test_2019_header_has_version_and_20_digit_phone() -> None:
    header = Header(m.HEARTBEAT, "00000000013912345678", 7, version=1)
    frame = encode_packet(header, b"")
    assert len(frame) == 2 + 17 + 1  # flags, 17-byte header, checksum
    assert decode_frame(frame[1:-1]) == Packet(header, b"")
    assert terminal_key(header.phone) == terminal_key("013912345678") == "13912345678"


def test_register_answer_carries_the_code_only_on_success() -> None:
    ok = m.RegisterAnswer(5, m.REGISTERED, "AB12")
    assert m.RegisterAnswer.decode(ok.encode()) == ok
    refused = m.RegisterAnswer(5, m.TERMINAL_UNKNOWN)
    assert refused.encode() == bytes.fromhex("000504")


def test_sub_packets_reassemble_in_any_order_and_stale_ones_expire() -> None:
    body = bytes(range(200)) * 3
    parts = [body[i : i + 250] for i in range(0, len(body), 250)]
    packets = [
        Packet(Header(m.BATCH_LOCATION, "013912345678", 40 + i, total=len(parts), index=i + 1), part)
        for i, part in enumerate(parts)
    ]
    joiner = Reassembler()
    assert joiner.add(packets[2], 0.0) is None
    assert joiner.add(packets[0], 1.0) is None
    whole = joiner.add(packets[1], 2.0)
    assert whole is not None and whole.body == body and whole.header.serial == 40
    assert joiner.add(packets[0], 3.0) is None
    joiner.expire(100.0)
    assert (joiner.pending, joiner.dropped) == (0, 1)


def test_reassembly_is_bounded() -> None:
    joiner = Reassembler(max_pending=4, max_total=8)
    for serial in range(100):
        joiner.add(Packet(Header(0x0200, "1", serial * 10 + 1, total=2, index=1), b"x"), float(serial))
    assert joiner.pending == 4
    assert joiner.add(Packet(Header(0x0200, "1", 1, total=9, index=1), b"x"), 0.0) is None
    assert joiner.pending == 4


def test_splitter_drops_noise_and_oversized_runs() -> None:
    splitter = FrameSplitter(max_frame=100)
    assert splitter.feed(b"noise" + SAMPLE_1[:10]) == []
    assert splitter.feed(SAMPLE_1[10:] + SAMPLE_126) == [SAMPLE_1[1:-1], SAMPLE_126[1:-1]]
    assert splitter.feed(b"\x7e" + b"a" * 1000) == []
    assert splitter.oversized == 1 and splitter.buffered <= 100


# --- property-based round trips ---------------------------------------------------------------

# hypothesis takes naive bounds and attaches the zone itself
FIRST, LAST = datetime(2000, 1, 2, tzinfo=UTC), datetime(2099, 12, 30, tzinfo=UTC)
times = st.datetimes(FIRST.replace(tzinfo=None), LAST.replace(tzinfo=None), timezones=st.just(UTC)).map(
    lambda t: t.replace(microsecond=0)
)
extras = st.lists(st.tuples(st.integers(0, 255), st.binary(max_size=20)), max_size=6).map(tuple)
locations = st.builds(
    m.Location,
    alarm=st.integers(0, 2**32 - 1),
    status=st.integers(0, 2**32 - 1),
    lat=st.integers(-90_000_000, 90_000_000).map(lambda v: v / 1e6),
    lon=st.integers(-180_000_000, 180_000_000).map(lambda v: v / 1e6),
    altitude_m=st.integers(0, 65535),
    speed_kmh=st.integers(0, 65535).map(lambda v: v / 10),
    heading=st.integers(0, 359),
    time=times,
    extras=extras,
)
phones_2013 = st.from_regex(r"\A[0-9]{12}\Z")
phones_2019 = st.from_regex(r"\A[0-9]{20}\Z")
headers = st.one_of(
    st.builds(Header, msg_id=st.integers(0, 0xFFFF), phone=phones_2013, serial=st.integers(0, 0xFFFF)),
    st.builds(
        Header,
        msg_id=st.integers(0, 0xFFFF),
        phone=phones_2019,
        serial=st.integers(0, 0xFFFF),
        version=st.integers(0, 255),
        encryption=st.integers(0, 7),
    ),
)


def _normal(location: m.Location) -> m.Location:
    """Sign bits of the status follow the coordinates' signs; zero has no sign."""
    status = location.status & ~(m.STATUS_SOUTH | m.STATUS_WEST)
    status |= m.STATUS_SOUTH if location.lat < 0 else 0
    status |= m.STATUS_WEST if location.lon < 0 else 0
    return m.Location(
        location.alarm, status, location.lat, location.lon, location.altitude_m, location.speed_kmh,
        location.heading, location.time, location.extras,
    )  # fmt: skip


@settings(max_examples=300)
@given(header=headers, location=locations)
def test_location_round_trips_through_a_frame(header: Header, location: m.Location) -> None:
    frame = encode_packet(header, location.encode())
    assert frame.count(0x7E) == 2
    packet = decode_frame(frame[1:-1])
    assert packet.header == header
    assert m.Location.decode(packet.body) == _normal(location)


@settings(max_examples=100)
@given(kind=st.integers(0, 1), items=st.lists(locations, max_size=5))
def test_batch_round_trips(kind: int, items: list[m.Location]) -> None:
    batch = m.BatchLocation(kind, tuple(items))
    assert m.BatchLocation.decode(batch.encode()) == m.BatchLocation(kind, tuple(_normal(i) for i in items))


gbk_text = st.text(st.sampled_from("0123456789ABCDEFGHJKLMNPQRSTUVWXYZ京沪苏浙鲁危险品"), max_size=5)


@settings(max_examples=100)
@given(
    is_2019=st.booleans(),
    register=st.builds(
        m.Register,
        st.integers(0, 0xFFFF),
        st.integers(0, 0xFFFF),
        gbk_text.map(lambda s: s[:2]),
        gbk_text,
        gbk_text.map(lambda s: s[:3]),
        st.integers(0, 255),
        gbk_text,
    ),
    auth=st.builds(m.Authenticate, gbk_text, st.from_regex(r"\A[0-9]{15}\Z"), gbk_text),
)
def test_register_and_authenticate_round_trip(is_2019: bool, register: m.Register, auth: m.Authenticate) -> None:
    assert m.Register.decode(register.encode(is_2019), is_2019) == register
    expected = auth if is_2019 else m.Authenticate(auth.auth_code)
    assert m.Authenticate.decode(auth.encode(is_2019), is_2019) == expected


@settings(max_examples=100)
@given(answer=st.builds(m.GeneralAnswer, st.integers(0, 0xFFFF), st.integers(0, 0xFFFF), st.integers(0, 4)))
def test_general_answer_round_trips(answer: m.GeneralAnswer) -> None:
    assert m.GeneralAnswer.decode(answer.encode()) == answer


# --- fuzz -------------------------------------------------------------------------------------


def _decode_everything(frame: bytes) -> None:
    """Decode a frame and then its body as every message the platform reads."""
    packet = decode_frame(frame)
    is_2019 = packet.header.is_2019
    for decode in (
        m.Location.decode,
        m.BatchLocation.decode,
        m.GeneralAnswer.decode,
        m.RegisterAnswer.decode,
        lambda b: m.Register.decode(b, is_2019),
        lambda b: m.Authenticate.decode(b, is_2019),
    ):
        with contextlib.suppress(CodecError):
            decode(packet.body)


def unwrap_unchecked(frame: bytes) -> bytes:
    """Frame content without its checksum byte, escaping undone where it is valid."""
    try:
        return unescape(frame)[:-1]
    except CodecError:
        return frame[:-1]


def test_fuzz_random_and_mutated_frames_raise_only_codec_errors() -> None:
    rng = random.Random(808)
    seeds = [SAMPLE_1[1:-1], SAMPLE_126[1:-1], encode_packet(Header(m.HEARTBEAT, "0" * 20, 1, version=1), b"")[1:-1]]
    for case in range(20_000):
        if case % 2:
            frame = bytes(rng.getrandbits(8) for _ in range(rng.randrange(0, 80)))
        else:
            frame = bytearray(rng.choice(seeds))
            for _ in range(rng.randrange(1, 4)):
                at = rng.randrange(len(frame))
                action = rng.randrange(3)
                if action == 0:
                    frame[at] = rng.getrandbits(8)
                elif action == 1:
                    del frame[at]
                else:
                    frame.insert(at, rng.getrandbits(8))
            # Half the mutants get a valid checksum again, so the header and body parsers see them.
            frame = wrap(unwrap_unchecked(bytes(frame)))[1:-1] if case % 4 == 0 else bytes(frame)
        with contextlib.suppress(CodecError):
            _decode_everything(frame)
