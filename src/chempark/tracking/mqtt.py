"""Positions pushed over MQTT by another platform (a carrier's or a provincial monitoring platform).

The platform publishes to ``chempark/positions/<its name>`` at QoS 1 a JSON body of the same shape
as ``POST /api/v1/ingest/positions`` (``{"positions": [...]}``, up to 5,000 fixes, each named by
terminal number or plate). ``chempark ingest-positions`` takes them with monitoring's MQTT worker
(persistent session, batches, acknowledgement only after the batch's transaction committed,
reconnection and database-outage retries), so the guarantees are the readings' ones:

* every fix goes through the same schema, the same filter and the same storage path as the HTTP
  ingest (``services.positions_ingest``), keyed (terminal, device time): a message delivered twice
  (the worker died before acknowledging it) stores nothing twice;
* a bad message (not JSON, not the schema, too large) is counted by reason, logged with its topic
  and dropped (acknowledged with its batch): it is not the sender's to resend, and a message that
  can never be stored must not block those behind it;
* a batch the service cannot take for an unexpected reason is retried message by message, so one
  poisoned message is dropped and counted alone.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter

from django.db import DatabaseError, close_old_connections, connections
from pydantic import ValidationError

from chempark.core.actors import Actor
from chempark.core.roles import Role
from chempark.tracking.schemas import PositionItem, PositionsIn
from chempark.tracking.services import StoreOutcome, positions_ingest

log = logging.getLogger("chempark.tracking.mqtt")

TOPIC_FILTER = "chempark/positions/+"
CLIENT_ID = "chempark-positions"
MAX_PAYLOAD_BYTES = 2 * 1024 * 1024  # 5,000 fixes of ~200 bytes each fit with room to spare
PLATFORM = Actor(user_id=None, username="mqtt-positions", role=Role.MACHINE, is_system=True)

_lock = threading.Lock()
counts: Counter[str] = Counter()  # reason → messages or fixes, for this process's reports and tests


def _count(reason: str, n: int = 1) -> None:
    with _lock:
        counts[reason] += n


def parse(topic: str, payload: bytes) -> list[PositionItem] | None:
    """The fixes of one message, or None after counting and logging why it cannot be taken."""
    if len(payload) > MAX_PAYLOAD_BYTES:
        _count("too_large")
        log.warning("message on %s dropped: %d bytes, at most %d", topic, len(payload), MAX_PAYLOAD_BYTES)
        return None
    try:
        return PositionsIn.model_validate_json(payload).positions
    except ValidationError as exc:
        first = exc.errors()[0]
        reason = "invalid_json" if first["type"] == "json_invalid" else "invalid_schema"
        _count(reason)
        where = ".".join(str(part) for part in first["loc"])
        log.warning("message on %s dropped (%s): %s %s", topic, reason, where, first["msg"])
        return None


def _tally(outcome: StoreOutcome) -> None:
    _count("stored", outcome.stored)
    for reason, n in outcome.rejected.items():
        _count(reason, n)
    if outcome.unknown_terminals:
        _count("unknown_vehicle", len(outcome.unknown_terminals))
        log.warning("positions for unknown vehicles: %s", ", ".join(outcome.unknown_terminals[:20]))


def store_batch(batch: list[tuple[str, bytes]]) -> int:
    """Store a batch of (topic, payload) in one transaction (runs in the worker's thread); returns
    the fixes stored. Raises ``DatabaseError`` so the worker keeps the batch and retries it."""
    close_old_connections()
    messages = [(topic, items) for topic, payload in batch if (items := parse(topic, payload)) is not None]
    _count("messages", len(batch))
    if not messages:
        return 0
    try:
        try:
            outcome = positions_ingest(actor=PLATFORM, items=[item for _, items in messages for item in items])
        except DatabaseError:
            raise
        except Exception:
            log.exception("batch of %d messages failed unexpectedly; storing them one by one", len(messages))
            return _one_by_one(messages)
    except DatabaseError:
        for connection in connections.all():
            connection.close_if_unusable_or_obsolete()
            connection.close()
        raise
    _tally(outcome)
    return outcome.stored


def _one_by_one(messages: list[tuple[str, list[PositionItem]]]) -> int:
    stored = 0
    for topic, items in messages:
        try:
            outcome = positions_ingest(actor=PLATFORM, items=items)
        except DatabaseError:
            raise
        except Exception as exc:
            _count("internal_error")
            log.error("message on %s dropped: %s: %s", topic, type(exc).__name__, exc)
            continue
        _tally(outcome)
        stored += outcome.stored
    return stored
