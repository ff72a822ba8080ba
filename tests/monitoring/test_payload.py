"""Reading-batch parser: every reason code, mixed batches, and properties on arbitrary input."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chempark.monitoring.ingest.payload import (
    CHINA_STANDARD_TIME,
    BatchResult,
    PointRef,
    Reading,
    RejectReason,
    TopicError,
    datetime_to_ms,
    ms_to_datetime,
    parse_batch,
    parse_topic,
)

NOW = datetime(2025, 6, 1, 8, 0, tzinfo=UTC)
NOW_MS = datetime_to_ms(NOW)
OWN_ENTERPRISE = 7
POINTS = {
    "LT-101": PointRef(101, OWN_ENTERPRISE),
    "TT-102": PointRef(102, OWN_ENTERPRISE),
    "GD-301": PointRef(301, OWN_ENTERPRISE),
    "PT-900": PointRef(900, 8),  # resolvable, but another enterprise's point
}
VALID_USCC = "91350100M000100Y43"


def parse(payload: object, **kwargs: object) -> BatchResult:
    raw = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    return parse_batch(raw, enterprise_id=OWN_ENTERPRISE, now=NOW, lookup=POINTS.get, **kwargs)  # type: ignore[arg-type]  # deliberately outside the declared type: the test checks the refusal


def one(reading: dict[str, object], **kwargs: object) -> BatchResult:
    return parse({"readings": [reading]}, **kwargs)


def reason_of(result: BatchResult) -> str:
    if result.message_error is not None:
        return result.message_error.reason.value
    assert len(result.rejected) == 1, result
    return result.rejected[0].reason.value


# --- topic --------------------------------------------------------------------------------------


def test_topic_gives_uscc() -> None:
    assert parse_topic(f"chempark/{VALID_USCC}/readings") == VALID_USCC


@pytest.mark.parametrize(
    ("topic", "reason"),
    [
        ("chempark/readings", "bad_topic"),
        (f"other/{VALID_USCC}/readings", "bad_topic"),
        (f"chempark/{VALID_USCC}/alarms", "bad_topic"),
        (f"chempark/{VALID_USCC.lower()}/readings", "bad_uscc"),
        ("chempark/91350100M000100Y4/readings", "bad_uscc"),
        ("chempark/91350100M000100Y44/readings", "bad_uscc"),  # wrong check character
        ("chempark/91350100M0001O0Y43/readings", "bad_uscc"),  # letter O is not in the alphabet
    ],
)
def test_bad_topics(topic: str, reason: str) -> None:
    result = parse_topic(topic)
    assert isinstance(result, TopicError)
    assert result.reason == reason


# --- accepted readings --------------------------------------------------------------------------


def test_epoch_ms_and_iso_with_offset_are_accepted() -> None:
    result = parse(
        {
            "readings": [
                {"point": "LT-101", "ts": NOW_MS - 1000, "value": 3.5},
                {"point": "TT-102", "ts": "2025-06-01T15:59:00+08:00", "value": 21},
                {"point": "GD-301", "ts": "2025-06-01T07:58:00Z", "value": 0},
            ]
        }
    )
    assert result.message_error is None
    assert result.rejected == []
    assert result.accepted == [
        Reading(101, NOW_MS - 1000, 3.5),
        Reading(102, NOW_MS - 60_000, 21.0),
        Reading(301, NOW_MS - 120_000, 0.0),
    ]
    assert all(type(r.value) is float for r in result.accepted)


def test_naive_iso_is_china_standard_time() -> None:
    result = one({"point": "LT-101", "ts": "2025-06-01 15:30:00", "value": 1.0})
    assert result.accepted[0].ts_ms == datetime_to_ms(datetime(2025, 6, 1, 7, 30, tzinfo=UTC))


def test_naive_iso_rejected_when_strict() -> None:
    result = one({"point": "LT-101", "ts": "2025-06-01T15:30:00", "value": 1.0}, naive_utc_offset=None)
    assert reason_of(result) == "bad_timestamp"


def test_out_of_range_values_are_accepted_for_the_alarm_engine() -> None:
    assert one({"point": "LT-101", "ts": NOW_MS, "value": -1e9}).accepted


def test_extra_fields_are_ignored() -> None:
    assert one({"point": "LT-101", "ts": NOW_MS, "value": 1, "quality": "good"}).accepted


def test_future_limit_is_inclusive_and_configurable() -> None:
    assert one({"point": "LT-101", "ts": NOW_MS + 300_000, "value": 1}).accepted
    assert reason_of(one({"point": "LT-101", "ts": NOW_MS + 300_001, "value": 1})) == "future_timestamp"
    assert one({"point": "LT-101", "ts": NOW_MS + 600_000, "value": 1}, max_future_s=600).accepted


def test_time_conversions_round_trip() -> None:
    moment = datetime(2024, 2, 29, 23, 59, 59, 999_000, tzinfo=CHINA_STANDARD_TIME)
    assert ms_to_datetime(datetime_to_ms(moment)) == moment
    with pytest.raises(ValueError, match="aware"):
        datetime_to_ms(datetime(2024, 1, 1))  # noqa: DTZ001 - the naive datetime is the point of the test


# --- message-level rejections -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"{not json", "invalid_json"),
        (b"", "invalid_json"),
        (b"\xff\xfe", "invalid_json"),
        (b"[1, 2]", "not_an_object"),
        (b'"readings"', "not_an_object"),
        (b"{}", "missing_field"),
        (b'{"readings": {"point": "LT-101"}}', "wrong_type"),
        (b'{"readings": null}', "wrong_type"),
    ],
)
def test_whole_message_rejections(raw: bytes, reason: str) -> None:
    result = parse(raw)
    assert result.message_error is not None
    assert result.message_error.reason.value == reason
    assert result.message_error.index is None
    assert result.accepted == []
    assert result.needs_dead_letter


def test_too_many_readings_rejects_the_message() -> None:
    result = parse({"readings": [{"point": "LT-101", "ts": NOW_MS, "value": 1}] * 3}, max_batch=2)
    assert reason_of(result) == "too_many_readings"
    assert result.reading_count == 3
    assert result.accepted == []


def test_payload_too_large() -> None:
    assert reason_of(parse(b"{}" + b" " * 100, max_bytes=50)) == "payload_too_large"


# --- per-reading rejections ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reading", "reason"),
    [
        (5, "not_an_object"),
        ({"ts": NOW_MS, "value": 1}, "missing_field"),
        ({"point": "LT-101", "value": 1}, "missing_field"),
        ({"point": "LT-101", "ts": NOW_MS}, "missing_field"),
        ({"point": 101, "ts": NOW_MS, "value": 1}, "wrong_type"),
        ({"point": "LT-101", "ts": NOW_MS, "value": "1.5"}, "wrong_type"),
        ({"point": "LT-101", "ts": NOW_MS, "value": True}, "wrong_type"),
        ({"point": "LT-101", "ts": NOW_MS, "value": None}, "wrong_type"),
        ({"point": "LT-101", "ts": [NOW_MS], "value": 1}, "wrong_type"),
        ({"point": "LT-101", "ts": True, "value": 1}, "wrong_type"),
        ({"point": "LT-101", "ts": NOW_MS, "value": 10**400}, "not_finite"),
        ({"point": "LT-101", "ts": float(NOW_MS), "value": 1}, "bad_timestamp"),
        ({"point": "LT-101", "ts": "yesterday noon", "value": 1}, "bad_timestamp"),
        ({"point": "LT-101", "ts": "2025-06-01", "value": 1}, "bad_timestamp"),
        ({"point": "LT-101", "ts": NOW_MS // 1000, "value": 1}, "bad_timestamp"),  # epoch seconds
        ({"point": "LT-101", "ts": "2025-06-01T08:06:00Z", "value": 1}, "future_timestamp"),
        ({"point": "LT-999", "ts": NOW_MS, "value": 1}, "unknown_point"),
        ({"point": "PT-900", "ts": NOW_MS, "value": 1}, "foreign_point"),
    ],
)
def test_reading_rejections(reading: object, reason: str) -> None:
    result = parse({"readings": [reading]})
    assert result.message_error is None
    assert result.accepted == []
    assert [r.reason.value for r in result.rejected] == [reason]
    assert result.rejected[0].index == 0
    assert result.rejected[0].message


@pytest.mark.parametrize("literal", [b"NaN", b"Infinity", b"-Infinity", b"1e400"])
def test_non_finite_values_reject_only_their_reading(literal: bytes) -> None:
    raw = b'{"readings": [{"point": "LT-101", "ts": %d, "value": %s}, {"point": "TT-102", "ts": %d, "value": 2.5}]}' % (
        NOW_MS,
        literal,
        NOW_MS,
    )
    result = parse(raw)
    assert [(r.index, r.reason) for r in result.rejected] == [(0, RejectReason.NOT_FINITE)]
    assert result.accepted == [Reading(102, NOW_MS, 2.5)]


def test_duplicates_keep_the_first() -> None:
    result = parse(
        {
            "readings": [
                {"point": "LT-101", "ts": NOW_MS, "value": 1},
                {"point": "LT-101", "ts": "2025-06-01T16:00:00+08:00", "value": 2},
                {"point": "LT-101", "ts": NOW_MS - 1, "value": 3},
            ]
        }
    )
    assert [r.value for r in result.accepted] == [1.0, 3.0]
    assert [(r.index, r.reason.value) for r in result.rejected] == [(1, "duplicate")]


def test_mixed_batch_answer() -> None:
    result = parse(
        {
            "readings": [
                {"point": "LT-101", "ts": NOW_MS, "value": 1},
                {"point": "nope", "ts": NOW_MS, "value": 1},
                {"point": "TT-102", "ts": NOW_MS, "value": False},
                {"point": "GD-301", "ts": NOW_MS, "value": 12.5},
                {"point": "PT-900", "ts": NOW_MS, "value": 1},
            ]
        }
    )
    assert result.as_response() == {
        "accepted": 2,
        "rejected": [
            {"index": 1, "reason": "unknown_point", "message": result.rejected[0].message},
            {"index": 2, "reason": "wrong_type", "message": result.rejected[1].message},
            {"index": 4, "reason": "foreign_point", "message": result.rejected[2].message},
        ],
        "error": None,
    }
    assert result.reason_counts() == {"unknown_point": 1, "wrong_type": 1, "foreign_point": 1}
    assert result.needs_dead_letter


def test_clean_batch_needs_no_dead_letter() -> None:
    result = one({"point": "LT-101", "ts": NOW_MS, "value": 1})
    assert not result.needs_dead_letter
    assert result.as_response() == {"accepted": 1, "rejected": [], "error": None}


def test_message_error_answer() -> None:
    response = parse(b"[]").as_response()
    assert response["accepted"] == 0
    assert response["error"]["reason"] == "not_an_object"


# --- properties ---------------------------------------------------------------------------------


def check_invariants(result: BatchResult) -> None:
    if result.message_error is not None:
        assert result.accepted == []
        assert result.rejected == []
    else:
        assert len(result.accepted) + len(result.rejected) == result.reading_count
        indexes = [r.index for r in result.rejected]
        assert indexes == sorted(set(indexes))
    for reading in result.accepted:
        assert reading.ts_ms <= NOW_MS + 300_000


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200))
def test_never_raises_on_arbitrary_bytes(raw: bytes) -> None:
    check_invariants(parse(raw))


json_scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=12,
)
reading_like = st.fixed_dictionaries(
    {},
    optional={
        "point": st.sampled_from([*POINTS, "unknown"]) | json_scalars,
        "ts": st.integers(NOW_MS - 10**9, NOW_MS + 10**6)
        | st.sampled_from(["2025-06-01T08:00:00Z", "2025-06-01 16:00", "garbage"])
        | json_scalars,
        "value": st.floats() | st.integers() | json_scalars,
    },
)


@settings(max_examples=300, deadline=None)
@given(st.lists(reading_like | json_values, max_size=8))
def test_accepted_plus_rejected_is_total(readings: list[object]) -> None:
    raw = json.dumps({"readings": readings}).encode()  # the standard encoder writes NaN/Infinity too
    check_invariants(parse(raw))


@settings(max_examples=200, deadline=None)
@given(json_values)
def test_never_raises_on_arbitrary_json(document: object) -> None:
    check_invariants(parse(orjson.dumps(document) if _orjson_safe(document) else json.dumps(document).encode()))


def _orjson_safe(document: object) -> bool:
    try:
        orjson.dumps(document)
    except (TypeError, orjson.JSONEncodeError):
        return False
    return True


def test_deeply_nested_json_is_invalid_not_a_crash() -> None:
    assert reason_of(parse(b"[" * 100_000)) == "invalid_json"
    nested = b'{"readings": [' + b"[" * 5000 + b"]" * 5000 + b"]}"
    result = parse(nested)
    assert result.message_error is not None or result.rejected


def test_now_must_be_aware() -> None:
    naive_now = datetime(2025, 6, 1)  # noqa: DTZ001 - deliberately naive
    with pytest.raises(ValueError, match="aware"):
        parse_batch(b"{}", enterprise_id=1, now=naive_now, lookup=POINTS.get)


def test_iso_far_past_is_bad_timestamp() -> None:
    assert reason_of(one({"point": "LT-101", "ts": "0001-01-01T00:00:00+14:00", "value": 1})) == "bad_timestamp"
    assert one({"point": "LT-101", "ts": (NOW - timedelta(days=30)).isoformat(), "value": 1}).accepted
