"""Writes of the monitoring module: the ingest of a batch, alarm handling, and the scheduled jobs.

**Ingest** (``ingest_messages``) is one service call per batch of messages, whichever transport
brought them: parse and validate each (pure ``parse_batch``), store the accepted readings unique
on (point, ts), roll them up per minute, run the alarm engine over the readings new to the
database, write its events, save each touched point's latest value and alarm state, count
everything and dead-letter what was refused — all in one transaction. When it returns, the batch
is durable and the MQTT worker may acknowledge its messages. Ingest writes no audit rows (a
machine stream is counted instead); acknowledging and handling alarms do.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

import orjson
from django.db import connection, transaction
from django.db.models import F, Q, Value
from django.utils import timezone

from chempark.accounts import audit
from chempark.accounts.models import AuditAction
from chempark.config import current
from chempark.core.actors import Actor
from chempark.core.errors import Conflict, ErrorCode, Forbidden, InvalidInput
from chempark.monitoring import alarm_model as am
from chempark.monitoring import alarm_rules, point_counts, point_index, selectors, storage
from chempark.monitoring.alarm_writes import alarm_live_data, apply_point_events, escalate_row, live, refresh_warnings
from chempark.monitoring.ingest.payload import BatchResult, Reading, datetime_to_ms, parse_batch
from chempark.monitoring.models import (
    Alarm,
    AlarmHandling,
    AlarmStatus,
    DeadLetter,
    HandlingKind,
    PointLatest,
    Transport,
)

DEAD_LETTER_PAYLOAD_MAX = 64 * 1024


def dead_letter_limit() -> int:
    return current().dead_letter_max_rows


@dataclass(frozen=True)
class IncomingMessage:
    """One message as a transport received it. ``enterprise_id`` None: the transport could not
    tell who sent it, and ``reason``/``message`` say why (``bad_topic``, ``unknown_enterprise``)."""

    raw: bytes
    enterprise_id: int | None
    topic: str = ""
    reason: str = ""
    message: str = ""


@dataclass(frozen=True)
class Outcome:
    """What became of one message: its parse result, or the transport-level reason it was refused.
    ``duplicates`` of its valid readings were stored already (a resend with the same timestamps)."""

    result: BatchResult | None
    reason: str = ""
    duplicates: int = 0

    @property
    def accepted(self) -> int:
        """Readings stored by this message (a duplicate is valid but not stored again)."""
        return 0 if self.result is None else len(self.result.accepted) - self.duplicates

    def as_response(self) -> dict[str, Any]:
        """The HTTP answer: ``accepted``, ``duplicate`` (counts), ``rejected`` (each with its reason), ``error``."""
        assert self.result is not None  # an HTTP sender's message always reaches the parser
        return {**self.result.as_response(), "accepted": self.accepted, "duplicate": self.duplicates}


def ingest_messages(
    *, actor: Actor, messages: Sequence[IncomingMessage], transport: Transport, now: datetime | None = None
) -> list[Outcome]:
    """Validate, store and evaluate a batch of messages in one transaction (see the module doc)."""
    actor.require("ingest.write")
    now = now or timezone.now()
    index = point_index.current()
    outcomes: list[Outcome] = []
    rows: list[tuple[int, int, float]] = []
    counters: Counter[tuple[int, str]] = Counter()
    letters: list[DeadLetter] = []
    for message in messages:
        foreign = actor.is_enterprise_scoped and message.enterprise_id != actor.enterprise_id
        if message.enterprise_id is None or foreign:
            reason = message.reason or "other_enterprise"
            outcomes.append(Outcome(None, reason))
            counters[(message.enterprise_id or 0, reason)] += 1
            letters.append(_letter(now, transport, message, reason, message.message or reason, []))
            continue
        result = parse_batch(
            message.raw, enterprise_id=message.enterprise_id, now=now, lookup=index.lookup_for(message.enterprise_id)
        )
        outcomes.append(Outcome(result))
        rows.extend(result.accepted)
        counters[(message.enterprise_id, "messages")] += 1
        for reason, count in result.reason_counts().items():
            counters[(message.enterprise_id, reason)] += count
        if result.needs_dead_letter:
            error = result.message_error
            first = error if error is not None else result.rejected[0]
            rejected = [
                {"index": r.index, "reason": r.reason.value, "message": r.message} for r in result.rejected[:100]
            ]
            letters.append(_letter(now, transport, message, first.reason.value, first.message, rejected))
    with transaction.atomic():
        new_rows = storage.insert_readings(rows)
        outcomes = _count_duplicates(outcomes, new_rows, messages, counters)
        storage.upsert_rollups(new_rows)
        _evaluate(index, new_rows, now)
        day = timezone.localdate(now)
        storage.add_counters(
            (day, enterprise_id, transport.value, name, count) for (enterprise_id, name), count in counters.items()
        )
        if letters:
            DeadLetter.objects.bulk_create(letters)
            _prune_dead_letters(letter.enterprise_id for letter in letters)
    return outcomes


def _count_duplicates(
    outcomes: list[Outcome],
    new_rows: Sequence[tuple[int, int, float]],
    messages: Sequence[IncomingMessage],
    counters: Counter[tuple[int, str]],
) -> list[Outcome]:
    """Each outcome with its readings that were stored already (same point and timestamp) counted as
    duplicates, and the day's ``accepted``/``duplicate`` counters. A reading sent twice in one batch
    is stored by the first message that carries it."""
    stored = {(point_id, ts_ms) for point_id, ts_ms, _value in new_rows}
    counted = []
    for outcome, message in zip(outcomes, messages, strict=True):
        if outcome.result is None:
            counted.append(outcome)
            continue
        duplicates = 0
        for reading in outcome.result.accepted:
            key = (reading[0], reading[1])
            if key in stored:
                stored.discard(key)
            else:
                duplicates += 1
        counted.append(replace(outcome, duplicates=duplicates))
        enterprise_id = message.enterprise_id or 0
        if len(outcome.result.accepted) > duplicates:
            counters[(enterprise_id, "accepted")] += len(outcome.result.accepted) - duplicates
        if duplicates:
            counters[(enterprise_id, "duplicate")] += duplicates
    return counted


def ingest_batch(
    *, actor: Actor, raw: bytes, transport: Transport = Transport.HTTP, now: datetime | None = None
) -> Outcome:
    """One message from an enterprise's machine credentials (the HTTP endpoint)."""
    actor.require("ingest.write")
    if actor.enterprise_id is None:
        raise Forbidden("设备令牌未绑定企业，不能写入监测数据。", code=ErrorCode.MACHINE_WITHOUT_ENTERPRISE)
    outcome = ingest_messages(
        actor=actor, messages=[IncomingMessage(raw, actor.enterprise_id)], transport=transport, now=now
    )[0]
    assert outcome.result is not None  # the sender's enterprise is the actor's own
    return outcome


def _letter(  # noqa: PLR0917 - private constructor helper; the call sites read positionally
    now: datetime,
    transport: Transport,
    message: IncomingMessage,
    reason: str,
    text: str,
    rejected: list[dict[str, Any]],
) -> DeadLetter:
    return DeadLetter(
        received_at=now,
        transport=transport.value,
        enterprise_id=message.enterprise_id,
        topic=message.topic[:200],
        reason=reason,
        message=text[:500],
        rejected=rejected,
        payload=bytes(message.raw[:DEAD_LETTER_PAYLOAD_MAX]),
        payload_bytes=len(message.raw),
    )


def record_dead_letter(*, message: IncomingMessage, transport: Transport, reason: str, text: str) -> None:
    """Keep a message aside that could not be taken for a reason outside the parser's reach."""
    now = timezone.now()
    with transaction.atomic():
        DeadLetter.objects.create(
            received_at=now,
            transport=transport.value,
            enterprise_id=message.enterprise_id,
            topic=message.topic[:200],
            reason=reason,
            message=text[:500],
            rejected=[],
            payload=bytes(message.raw[:DEAD_LETTER_PAYLOAD_MAX]),
            payload_bytes=len(message.raw),
        )
        storage.add_counters([(timezone.localdate(now), message.enterprise_id or 0, transport.value, reason, 1)])
        _prune_dead_letters([message.enterprise_id])


def _prune_dead_letters(enterprise_ids: Iterable[int | None]) -> None:
    """Keep only each sender's newest ``CHEMPARK_DEAD_LETTER_MAX_ROWS`` dead letters: one enterprise's
    broken gateway must not push every other enterprise's evidence out of the table."""
    limit = dead_letter_limit()
    for enterprise_id in set(enterprise_ids):
        rows = DeadLetter.objects.filter(enterprise_id=enterprise_id)
        oldest_kept = next(iter(rows.order_by("-id").values_list("id", flat=True)[limit - 1 : limit]), None)
        if oldest_kept is not None:
            rows.filter(id__lt=oldest_kept).delete()


def _load_states(point_ids: Sequence[int], now_ms: int) -> dict[int, tuple[int | None, dict[str, Any]]]:
    """(ts_ms, state) of these points' latest rows, locked for this transaction (in point order on
    PostgreSQL, so that concurrent batches cannot deadlock); missing rows are made. Plain SQL: model
    instances for a thousand rows per batch cost more than the query."""
    found: dict[int, tuple[int | None, dict[str, Any]]] = {}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One array parameter: a thousand placeholders cost more to format than the query takes.
            # ``state::text``: orjson parses it several times faster than psycopg's jsonb loader.
            cursor.execute(
                "SELECT point_id, ts_ms, state::text FROM monitoring_pointlatest WHERE point_id = ANY(%s) "
                "ORDER BY point_id FOR UPDATE",
                [list(point_ids)],
            )
            rows = cursor.fetchall()
        else:
            rows = []
            for start in range(0, len(point_ids), 900):
                chunk = list(point_ids[start : start + 900])
                marks = ",".join(["%s"] * len(chunk))
                cursor.execute(
                    f"SELECT point_id, ts_ms, state FROM monitoring_pointlatest WHERE point_id IN ({marks})",  # noqa: S608 - placeholders only
                    chunk,
                )
                rows.extend(cursor.fetchall())
        for point_id, ts_ms, state in rows:
            found[point_id] = (ts_ms, orjson.loads(state) if isinstance(state, str | bytes) else state)
    missing = [pid for pid in point_ids if pid not in found]
    if missing:
        created = [
            PointLatest(point_id=pid, state=am.AlarmState.start(now_ms).to_dict(), online=True) for pid in missing
        ]
        PointLatest.objects.bulk_create(created, ignore_conflicts=True)
        found.update(_load_states(missing, now_ms))
    return found


def _latest_row(point_id: int, ts_ms: int | None, state: am.AlarmState) -> storage.LatestRow:
    """The ``PointLatest`` row of a point in this state (the same fields ``_store_state`` sets)."""
    return (
        point_id,
        state.last_ms if state.last_value is not None else ts_ms,
        state.last_value,
        state.to_dict(),
        state.detail.offline is None,
        any(a.status is am.AlarmStatus.ACTIVE_UNACK for a in state.active_alarms()),
    )


def _store_state(row: PointLatest, state: am.AlarmState) -> None:
    row.ts_ms = state.last_ms if state.last_value is not None else row.ts_ms
    row.value = state.last_value
    row.state = state.to_dict()
    row.online = state.detail.offline is None
    row.unacked = any(a.status is am.AlarmStatus.ACTIVE_UNACK for a in state.active_alarms())


def _by_ts(row: tuple[int, int, float]) -> int:
    return row[1]


def _evaluate(index: point_index.PointIndex, rows: Sequence[tuple[int, int, float]], now: datetime) -> None:
    if not rows:
        return
    by_point: dict[int, list[tuple[int, int, float]]] = {}
    for row in rows:
        by_point.setdefault(row[0], []).append(row)
    latest = _load_states(sorted(by_point), datetime_to_ms(now))
    touched: set[int] = set()
    changed: list[storage.LatestRow] = []
    for point_id, point_rows in by_point.items():
        indexed = index.points.get(point_id)
        if indexed is None:
            continue
        ts_ms, stored = latest[point_id]
        state = am.AlarmState.from_dict(stored)
        point_rows.sort(key=_by_ts)
        if state.last_value is None and point_rows[0][1] < state.last_ms:
            # First data of a point: let readings from before it was registered count as well.
            state = am.AlarmState(point_rows[0][1], None, state.detail)
        config = indexed.config
        last = point_rows[-1]
        detail = state.detail
        if detail.quiet and last[1] >= state.last_ms:
            # The no-change path for a whole batch: on a quiet point, readings inside the quiet band
            # change nothing but the last reading (what ``evaluate`` does for each of them in turn).
            low, high = config.quiet_min, config.quiet_max
            if all(low <= row[2] <= high for row in point_rows):
                changed.append(
                    (point_id, last[1], last[2], stored | {"last_ms": last[1], "last_value": last[2]}, True, False)
                )
                continue
        for row in point_rows:
            state, events = alarm_rules.evaluate(config, state, Reading(*row))
            if events:
                apply_point_events(index=index, point_id=point_id, state=state, events=events, touched=touched)
        changed.append(_latest_row(point_id, ts_ms, state))
    storage.update_latest(changed)
    refresh_warnings(touched, now)


# --- alarm handling -------------------------------------------------------------------------------


def alarm_acknowledge(*, actor: Actor, alarm_id: int, note: str = "", now: datetime | None = None) -> Alarm:
    """An enterprise user (or the duty officer) takes the alarm in hand; ``note`` starts its record."""
    actor.require("alarm.handle")
    now = now or timezone.now()
    note = note.strip()
    if len(note) > 2000:
        raise InvalidInput("处置说明不能超过 2000 字。", code=ErrorCode.NOTE_TOO_LONG)
    with transaction.atomic():
        alarm = selectors.alarm_get(actor, alarm_id, for_update=True)
        before = audit.snapshot(alarm)
        try:
            status = am.next_status(am.AlarmStatus(alarm.status), am.AlarmAction.ACKNOWLEDGE)
        except am.ForbiddenTransitionError as exc:
            raise Conflict(
                f"报警当前状态为“{alarm.get_status_display()}”，不能再次确认。",
                code=ErrorCode.TRANSITION_NOT_ALLOWED,
                details={"status": alarm.status, "allowed": [a.value for a in exc.allowed]},
            ) from exc
        if alarm.point_id is not None and alarm.active:
            _acknowledge_in_engine(alarm, actor, note, now)
        if alarm.camera_id is not None:
            # A video detection is an instant: once someone has taken it in hand it is over.
            status = am.next_status(status, am.AlarmAction.CLEAR)
            alarm.cleared_at = now
        alarm.status = status.value
        alarm.acked_at = now
        alarm.acked_by_id = actor.user_id
        alarm.save(update_fields=["status", "acked_at", "acked_by", "cleared_at"])
        AlarmHandling.objects.create(alarm=alarm, kind=HandlingKind.ACKNOWLEDGE, at=now, by_id=actor.user_id, text=note)
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            object_type="alarm",
            object_id=alarm.pk,
            before=before,
            after=audit.snapshot(alarm),
            enterprise_id=alarm.enterprise_id,
        )
        live("alarm", alarm.enterprise_id, alarm_live_data(alarm), now=now)
        if alarm.enterprise_id is not None:  # a park-level alarm (another module's) feeds no warning level
            refresh_warnings([alarm.enterprise_id], now)
    return alarm


def _acknowledge_in_engine(alarm: Alarm, actor: Actor, note: str, now: datetime) -> None:
    assert alarm.point_id is not None  # the caller checked
    queryset = PointLatest.objects.filter(point_id=alarm.point_id)
    if connection.vendor == "postgresql":
        queryset = queryset.select_for_update()
    row = queryset.first()
    if row is None:
        return
    state = am.AlarmState.from_dict(row.state)
    alarm_type = am.AlarmType(alarm.alarm_type)
    engine_alarm = state.alarm(alarm_type)
    if engine_alarm is None or engine_alarm.raised_ms != alarm.raised_ms:
        return
    state, _events = alarm_rules.acknowledge(state, alarm_type, at_ms=datetime_to_ms(now), by=actor.username, note=note)
    _store_state(row, state)
    row.save(update_fields=["state", "unacked"])


def alarm_record_handling(*, actor: Actor, alarm_id: int, text: str, now: datetime | None = None) -> AlarmHandling:
    """Add a line to the alarm's handling record (处置记录)."""
    actor.require("alarm.handle")
    text = text.strip()
    if not text:
        raise InvalidInput("处置记录不能为空。", code=ErrorCode.EMPTY_NOTE)
    if len(text) > 2000:
        raise InvalidInput("处置记录不能超过 2000 字。", code=ErrorCode.NOTE_TOO_LONG)
    now = now or timezone.now()
    with transaction.atomic():
        alarm = selectors.alarm_get(actor, alarm_id, for_update=True)
        entry = AlarmHandling.objects.create(
            alarm=alarm, kind=HandlingKind.NOTE, at=now, by_id=actor.user_id, text=text
        )
        audit.record(
            actor=actor,
            action=AuditAction.CREATE,
            object_type="alarm_handling",
            object_id=entry.pk,
            after=audit.snapshot(entry),
            enterprise_id=alarm.enterprise_id,
        )
    return entry


# --- scheduled jobs -----------------------------------------------------------------------------


def ack_timeout_s() -> int:
    return current().alarm_ack_timeout_s


def reminder_every_s() -> int:
    return current().alarm_reminder_every_s


def alarms_escalate(*, actor: Actor, now: datetime | None = None) -> int:
    """Escalate alarms left unacknowledged past the time limit, then remind; returns notices sent."""
    actor.require("monitoring.configure")
    now = now or timezone.now()
    now_ms = datetime_to_ms(now)
    index = point_index.current()
    sent = 0
    with transaction.atomic():
        queryset = PointLatest.objects.filter(unacked=True)
        if connection.vendor == "postgresql":
            queryset = queryset.select_for_update()
        touched: set[int] = set()
        for row in queryset:
            state = am.AlarmState.from_dict(row.state)
            state, events = alarm_rules.due_escalations(
                state, now_ms, ack_timeout_s=ack_timeout_s(), reminder_every_s=reminder_every_s()
            )
            if events:
                apply_point_events(index=index, point_id=row.point_id, state=state, events=events, touched=touched)
                _store_state(row, state)
                row.save(update_fields=["state", "unacked"])
                sent += len(events)
        sent += _escalate_camera_alarms(now)
    return sent


def _escalate_camera_alarms(now: datetime) -> int:
    """Video alarms have no engine state: escalate and remind from their rows."""
    from datetime import timedelta

    sent = 0
    due = now - timedelta(seconds=ack_timeout_s())
    for alarm in Alarm.objects.select_related("point", "camera").filter(
        camera__isnull=False, status=AlarmStatus.ACTIVE_UNACK, raised_at__lte=due
    ):
        last = alarm.escalated_at
        if last is None:
            escalate_row(alarm, now, reminder=False)
            sent += 1
        else:
            last_notice = last + timedelta(seconds=reminder_every_s() * alarm.reminders)
            if now - last_notice >= timedelta(seconds=reminder_every_s()):
                escalate_row(alarm, now, reminder=True)
                sent += 1
    return sent


def points_check_stale(*, actor: Actor, now: datetime | None = None) -> int:
    """Raise ``offline`` for points that sent nothing within their stale timeout; returns how many."""
    actor.require("monitoring.configure")
    now = now or timezone.now()
    now_ms = datetime_to_ms(now)
    index = point_index.current()
    went_offline = 0
    with transaction.atomic():
        # Only the candidates, found by SQL: the last reading older than the point's own timeout, or
        # no reading yet (then the engine's watch start decides). Locking and loading every online
        # point each run would hold up the ingest at hundreds of thousands of points.
        overdue = Value(now_ms) - F("point__stale_timeout_s") * 1000
        queryset = (
            PointLatest.objects.filter(online=True, point__enabled=True)
            .filter(Q(ts_ms__isnull=True) | Q(ts_ms__lt=overdue))
            .order_by("point_id")
        )
        if connection.vendor == "postgresql":  # locked in point order, like the ingest: no deadlock
            queryset = queryset.select_for_update(of=("self",))
        touched: set[int] = set()
        for row in queryset:
            indexed = index.points.get(row.point_id)
            if indexed is None:
                continue
            state = am.AlarmState.from_dict(row.state)
            if now_ms - state.last_ms < indexed.config.stale_ms:
                continue
            state, events = alarm_rules.check_stale(indexed.config, state, now_ms)
            if events:
                apply_point_events(index=index, point_id=row.point_id, state=state, events=events, touched=touched)
                _store_state(row, state)
                row.save(update_fields=["state", "online", "unacked"])
                went_offline += 1
        refresh_warnings(touched, now)
    point_counts.compact_if_large()
    return went_offline
