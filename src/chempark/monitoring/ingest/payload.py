"""Parse and validate reading batches sent by enterprise gateways.

Both transports (MQTT topic ``chempark/<USCC>/readings`` and ``POST /api/v1/ingest/readings``)
hand the raw bytes to :func:`parse_batch`, so a gateway gets the same verdict whichever way it
sends. The function never raises on input: every problem becomes a stable reason code that the
platform counts, returns to the sender and keeps (with the raw payload) in the dead-letter table.

Payload contract::

    {"readings": [{"point": "<code>", "ts": <ISO 8601 or epoch ms>, "value": <number>}, ...]}

Timestamps come out as integer epoch milliseconds (UTC). Integers keep the hot path cheap (no
datetime object per reading) and are exact; :func:`ms_to_datetime` converts at the edges.

Naive ISO timestamps (no offset) are read as China Standard Time (UTC+08:00). Gateways of the
national hazchem monitoring system and most DCS/SIS historians stamp readings with local wall-clock
time and no offset; rejecting those would silently drop the data of whole enterprises, while China
has used one fixed offset without daylight saving since 1991, so the reading is unambiguous.
A deployment that wants strictness passes ``naive_utc_offset=None`` and gets ``bad_timestamp``.

Out-of-range values are *not* rejected here: a value outside the instrument's physical range is
stored and raises a "data abnormal" alarm in :mod:`chempark.monitoring.alarm_rules`, because the
fact that an instrument reports nonsense is itself something the duty officer must see.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from enum import StrEnum
from typing import Any, Final, NamedTuple

import orjson

__all__ = [
    "CHINA_STANDARD_TIME",
    "BatchResult",
    "PointRef",
    "Reading",
    "RejectReason",
    "Rejection",
    "TopicError",
    "datetime_to_ms",
    "ms_to_datetime",
    "parse_batch",
    "parse_topic",
    "rejection_reasons",
    "uscc_check_char",
]

CHINA_STANDARD_TIME: Final = timezone(timedelta(hours=8), "CST")
_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)
_ONE_MS: Final = timedelta(milliseconds=1)
# Anything before 2000-01-01 is a device clock that was never set, or epoch *seconds* sent where
# milliseconds were expected (1.7e9 ms is January 1970) — both are errors worth telling the sender.
MIN_TS_MS: Final = 946_684_800_000
# Finite floats beyond this are instrument garbage; the bound also stops huge JSON integers
# (which the fallback parser can produce) from overflowing float().
_MAX_ABS_VALUE: Final = 1e300
_MESSAGE_CODE_CHARS: Final = 40

DEFAULT_MAX_BATCH: Final = 10_000
DEFAULT_MAX_BYTES: Final = 4 * 1024 * 1024


class RejectReason(StrEnum):
    """Stable reason codes; the HTTP answer, metrics and dead-letter rows use these values."""

    INVALID_JSON = "invalid_json"
    PAYLOAD_TOO_LARGE = "payload_too_large"
    NOT_AN_OBJECT = "not_an_object"
    MISSING_FIELD = "missing_field"
    WRONG_TYPE = "wrong_type"
    TOO_MANY_READINGS = "too_many_readings"
    NOT_FINITE = "not_finite"
    BAD_TIMESTAMP = "bad_timestamp"
    FUTURE_TIMESTAMP = "future_timestamp"
    UNKNOWN_POINT = "unknown_point"
    FOREIGN_POINT = "foreign_point"
    DUPLICATE = "duplicate"


class PointRef(NamedTuple):
    """What the caller's lookup knows about a point code: its id and the enterprise it belongs to.

    Carrying the owner lets one lookup answer both "unknown" (``None``) and "someone else's"
    (a ref whose ``enterprise_id`` differs from the sender's).
    """

    point_id: int
    enterprise_id: int


class Reading(NamedTuple):
    """One accepted reading, ready for storage and alarm evaluation."""

    point_id: int
    ts_ms: int
    value: float


@dataclass(frozen=True, slots=True)
class Rejection:
    """Why one reading (``index`` in the ``readings`` list) or the whole message (``index`` None) failed."""

    index: int | None
    reason: RejectReason
    message: str


@dataclass(frozen=True, slots=True)
class BatchResult:
    """The verdict on one message.

    Either ``message_error`` is set and nothing was accepted, or every one of the
    ``reading_count`` entries is in exactly one of ``accepted`` and ``rejected``.
    """

    accepted: list[Reading] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    message_error: Rejection | None = None
    reading_count: int = 0

    @property
    def needs_dead_letter(self) -> bool:
        """True when the raw payload should be kept for the sender's engineers to inspect."""
        return self.message_error is not None or bool(self.rejected)

    def reason_counts(self) -> Counter[str]:
        """Rejections by reason code, for the ingest metrics counters."""
        counts: Counter[str] = Counter(r.reason.value for r in self.rejected)
        if self.message_error is not None:
            counts[self.message_error.reason.value] += 1
        return counts

    def as_response(self) -> dict[str, Any]:
        """The JSON body of the HTTP answer (the MQTT path logs the same structure)."""
        error = self.message_error
        return {
            "accepted": len(self.accepted),
            "rejected": [{"index": r.index, "reason": r.reason.value, "message": r.message} for r in self.rejected],
            "error": None if error is None else {"reason": error.reason.value, "message": error.message},
        }


@dataclass(frozen=True, slots=True)
class TopicError:
    """Why an MQTT topic is not a readings topic; reasons ``bad_topic`` or ``bad_uscc``."""

    reason: str
    message: str


# GB 32100-2015: 18 characters from this alphabet (no I, O, S, V, Z); the last is a check character.
_USCC_ALPHABET: Final = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS: Final = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_USCC_SHAPE: Final = re.compile(r"[0-9A-HJ-NPQRTUWXY]{18}")


def uscc_check_char(first17: str) -> str:
    """The GB 32100-2015 check character for the first 17 characters of a USCC."""
    total = sum(_USCC_ALPHABET.index(ch) * weight for ch, weight in zip(first17, _USCC_WEIGHTS, strict=True))
    return _USCC_ALPHABET[(31 - total % 31) % 31]


def parse_topic(topic: str) -> str | TopicError:
    """Return the sender's USCC from ``chempark/<USCC>/readings``, or why the topic is not one.

    Upper case only: broker ACLs compare topics byte for byte, so accepting a lower-case USCC here
    would let a topic through that the ACL for that enterprise never granted.
    """
    parts = topic.split("/")
    if len(parts) != 3 or parts[0] != "chempark" or parts[2] != "readings":
        return TopicError("bad_topic", f"expected chempark/<USCC>/readings, got {_clip(topic)}")
    uscc = parts[1]
    if not _USCC_SHAPE.fullmatch(uscc):
        return TopicError("bad_uscc", f"{_clip(uscc)} is not 18 characters of the USCC alphabet")
    if uscc_check_char(uscc[:17]) != uscc[17]:
        return TopicError("bad_uscc", f"{uscc} fails the GB 32100 check character")
    return uscc


def ms_to_datetime(ts_ms: int) -> datetime:
    """Aware UTC datetime for epoch milliseconds."""
    return _EPOCH + timedelta(milliseconds=ts_ms)


def datetime_to_ms(moment: datetime) -> int:
    """Epoch milliseconds for an aware datetime (exact, floor to the millisecond)."""
    if moment.tzinfo is None:
        raise ValueError("datetime_to_ms needs an aware datetime")
    return (moment - _EPOCH) // _ONE_MS


def _clip(text: object) -> str:
    shown = repr(text)
    return shown if len(shown) <= _MESSAGE_CODE_CHARS else shown[: _MESSAGE_CODE_CHARS - 3] + "..."


def _load_json(raw: bytes) -> tuple[Any, str | None]:
    """Decode with orjson; fall back to the standard parser only to read NaN/Infinity literals.

    orjson refuses ``NaN``, ``Infinity`` and ``1e400`` for the whole document. Falling back lets
    the one non-finite reading be rejected as ``not_finite`` while its neighbours are kept.
    """
    try:
        return orjson.loads(raw), None
    except orjson.JSONDecodeError as first_error:
        try:
            return json.loads(raw), None
        except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
            return None, str(first_error)


def _parse_iso_ms(text: str, naive_offset: timezone | None) -> int | str:
    """Epoch ms for an ISO 8601 string, or the complaint as a string."""
    if "T" not in text and " " not in text:
        return f"ISO timestamp {_clip(text)} has no time of day"
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return f"{_clip(text)} is not an ISO 8601 timestamp"
    if moment.tzinfo is None:
        if naive_offset is None:
            return f"ISO timestamp {_clip(text)} has no UTC offset"
        moment = moment.replace(tzinfo=naive_offset)
    try:
        return (moment - _EPOCH) // _ONE_MS
    except OverflowError:
        return f"{_clip(text)} is outside the representable range"


def _message_failure(reason: RejectReason, message: str, count: int = 0) -> BatchResult:
    return BatchResult(message_error=Rejection(None, reason, message), reading_count=count)


def parse_batch(  # noqa: PLR0911, PLR0912, PLR0915 - one flat loop is the fast path; splitting it costs a call per reading
    raw: bytes,
    *,
    enterprise_id: int,
    now: datetime,
    lookup: Callable[[str], PointRef | None],
    max_future_s: float = 300,
    max_batch: int = DEFAULT_MAX_BATCH,
    max_bytes: int = DEFAULT_MAX_BYTES,
    naive_utc_offset: timezone | None = CHINA_STANDARD_TIME,
) -> BatchResult:
    """Validate one message from ``enterprise_id``; never raises on any ``raw``.

    ``lookup`` resolves a point code to a :class:`PointRef`. It should look among the sender's own
    points first; if it can also resolve codes of other enterprises (e.g. a global index of
    national indicator codes), a hit there is reported as ``foreign_point`` instead of
    ``unknown_point``. Passing ``own_points.get`` of a dict is the fastest form.

    Per-reading checks run in this order, and the first failure is the reported reason:
    shape (object, fields) → value type and finiteness → timestamp → point → duplicate.
    """
    now_ms = datetime_to_ms(now)  # first: a naive ``now`` is the caller's bug, whatever the payload
    if len(raw) > max_bytes:
        return _message_failure(RejectReason.PAYLOAD_TOO_LARGE, f"{len(raw)} bytes exceeds {max_bytes}")
    document, json_error = _load_json(raw)
    if json_error is not None:
        return _message_failure(RejectReason.INVALID_JSON, f"not valid JSON: {json_error}")
    if type(document) is not dict:
        return _message_failure(RejectReason.NOT_AN_OBJECT, "the message must be a JSON object")
    if "readings" not in document:
        return _message_failure(RejectReason.MISSING_FIELD, "the message has no 'readings' field")
    readings = document["readings"]
    if type(readings) is not list:
        return _message_failure(RejectReason.WRONG_TYPE, "'readings' must be a list")
    if len(readings) > max_batch:
        return _message_failure(
            RejectReason.TOO_MANY_READINGS, f"{len(readings)} readings exceeds {max_batch}", len(readings)
        )

    latest_ms = now_ms + int(max_future_s * 1000)
    accepted: list[Reading] = []
    rejected: list[Rejection] = []
    reject = rejected.append
    accept = accepted.append
    seen: set[tuple[int, int]] = set()
    isfinite = math.isfinite

    for index, item in enumerate(readings):
        if type(item) is not dict:
            reject(Rejection(index, RejectReason.NOT_AN_OBJECT, "a reading must be a JSON object"))
            continue
        try:
            code = item["point"]
            ts = item["ts"]
            value = item["value"]
        except KeyError as missing:
            reject(Rejection(index, RejectReason.MISSING_FIELD, f"missing field {missing.args[0]!r}"))
            continue
        if type(code) is not str:
            reject(Rejection(index, RejectReason.WRONG_TYPE, "'point' must be a string"))
            continue
        value_type = type(value)
        if value_type is float:
            if not isfinite(value):
                reject(Rejection(index, RejectReason.NOT_FINITE, f"value {value!r} is not a finite number"))
                continue
        elif value_type is int:
            if not -_MAX_ABS_VALUE < value < _MAX_ABS_VALUE:
                reject(Rejection(index, RejectReason.NOT_FINITE, "integer value is too large"))
                continue
            value = float(value)
        else:
            reject(Rejection(index, RejectReason.WRONG_TYPE, "'value' must be a number (not a string or boolean)"))
            continue

        ts_type = type(ts)
        if ts_type is int:
            ts_ms = ts
        elif ts_type is str:
            parsed = _parse_iso_ms(ts, naive_utc_offset)
            if type(parsed) is str:
                reject(Rejection(index, RejectReason.BAD_TIMESTAMP, parsed))
                continue
            ts_ms = parsed
        elif ts_type is float:
            reject(Rejection(index, RejectReason.BAD_TIMESTAMP, "epoch milliseconds must be an integer"))
            continue
        else:
            reject(Rejection(index, RejectReason.WRONG_TYPE, "'ts' must be an ISO 8601 string or epoch ms"))
            continue
        if ts_ms > latest_ms:
            reject(
                Rejection(
                    index,
                    RejectReason.FUTURE_TIMESTAMP,
                    f"timestamp is {(ts_ms - now_ms) / 1000:.0f} s ahead of the server clock "
                    f"(limit {max_future_s:g} s)",
                )
            )
            continue
        if ts_ms < MIN_TS_MS:
            reject(Rejection(index, RejectReason.BAD_TIMESTAMP, "timestamp before 2000-01-01 (epoch seconds?)"))
            continue

        ref = lookup(code)
        if ref is None:
            reject(Rejection(index, RejectReason.UNKNOWN_POINT, f"no point {_clip(code)} in this enterprise"))
            continue
        if ref.enterprise_id != enterprise_id:
            reject(Rejection(index, RejectReason.FOREIGN_POINT, f"point {_clip(code)}: 不属于本企业"))
            continue
        point_id = ref.point_id
        key = (point_id, ts_ms)
        if key in seen:
            reject(Rejection(index, RejectReason.DUPLICATE, f"point {_clip(code)} already has a reading at this ts"))
            continue
        seen.add(key)
        accept(Reading(point_id, ts_ms, value))

    return BatchResult(accepted=accepted, rejected=rejected, reading_count=len(readings))


def rejection_reasons() -> Sequence[str]:
    """Every reason code, for documentation and metrics pre-registration."""
    return [reason.value for reason in RejectReason]
