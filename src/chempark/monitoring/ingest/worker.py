"""``chempark ingest``: the asyncio MQTT worker.

It subscribes to ``chempark/+/readings`` at QoS 1 with a persistent session (fixed client id,
``clean_session`` off), so the broker keeps messages for it while it is down. Messages that are
waiting are taken together (up to ``batch_messages``), handed to the ingest service in one call and
one transaction, and **acknowledged only after that transaction committed**. If the worker dies
before, the broker delivers them again and the (point, ts) key stores each reading once.

* Broker gone: reconnect with exponential backoff (0.5 s doubling to 30 s).
* Database gone: keep the batch unacknowledged and retry it with the same backoff; nothing is
  acknowledged that is not stored.
* Bad input never stops it: the pure parser never raises; a message the service still cannot take
  for an unexpected reason is dead-lettered alone and acknowledged.

Scaling out: ``--shares N`` workers (``--share 0`` … ``N-1``, each with its own client id) split the
enterprises between them by a hash of the USCC in the topic. Every worker receives every message
but stores only its own share's and acknowledges the rest with its batch, so each point is owned
by exactly one worker: its readings are evaluated in order, by one alarm state machine, and two
workers never lock the same points. A message whose topic names no USCC belongs to share 0.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

import aiomqtt
from django.db import DatabaseError, close_old_connections, connections

from chempark.core.actors import Actor
from chempark.core.roles import Role
from chempark.monitoring import point_index
from chempark.monitoring.ingest.payload import TopicError, parse_topic
from chempark.monitoring.models import Transport
from chempark.monitoring.services import IncomingMessage, ingest_messages, record_dead_letter

log = logging.getLogger("chempark.ingest")

TOPIC_FILTER = "chempark/+/readings"
WORKER = Actor(user_id=None, username="mqtt-ingest", role=Role.BUREAU_ADMIN, is_system=True)


@dataclass(frozen=True)
class WorkerConfig:
    host: str
    port: int
    username: str | None = None
    password: str | None = None
    client_id: str = "chempark-ingest"
    batch_messages: int = 200
    max_backoff_s: float = 30.0
    share: int = 0
    shares: int = 1
    topic_filter: str = TOPIC_FILTER  # other modules reuse the worker for their own topics

    def __post_init__(self) -> None:
        if not 0 <= self.share < self.shares:
            raise ValueError(f"share must be 0 … {self.shares - 1}, got {self.share}")

    def owns(self, topic: str) -> bool:
        """Whether this worker stores the messages of ``topic`` (see the module's docstring)."""
        return self.shares == 1 or share_of(topic, self.shares) == self.share


def share_of(topic: str, shares: int) -> int:
    """The share a topic's messages belong to: CRC-32 of its USCC modulo ``shares`` (stable across
    processes and restarts, unlike ``hash``)."""
    uscc = parse_topic(topic)
    if isinstance(uscc, TopicError):
        return 0
    return zlib.crc32(uscc.encode()) % shares


def config_from_url(url: str, **extra: Any) -> WorkerConfig:
    """``mqtt://user:password@host:port``."""
    parts = urlsplit(url)
    if parts.scheme != "mqtt" or not parts.hostname:
        raise ValueError(f"MQTT URL must look like mqtt://user:password@host:1883, got {url!r}")
    return WorkerConfig(
        host=parts.hostname,
        port=parts.port or 1883,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        **extra,
    )


def to_incoming(topic: str, payload: bytes, usccs: dict[str, int]) -> IncomingMessage:
    """Who sent a message, from its topic; a bad topic or unknown USCC is said so."""
    uscc = parse_topic(topic)
    if isinstance(uscc, TopicError):
        return IncomingMessage(payload, None, topic, uscc.reason, uscc.message)
    enterprise_id = usccs.get(uscc)
    if enterprise_id is None:
        return IncomingMessage(payload, None, topic, "unknown_enterprise", f"no enterprise with USCC {uscc}")
    return IncomingMessage(payload, enterprise_id, topic)


def store_batch(batch: list[tuple[str, bytes]]) -> int:
    """Store a batch (runs in a worker thread); returns readings accepted. Raises DatabaseError."""
    close_old_connections()
    try:
        usccs = point_index.current().usccs
        messages = [to_incoming(topic, payload, usccs) for topic, payload in batch]
        try:
            outcomes = ingest_messages(actor=WORKER, messages=messages, transport=Transport.MQTT)
        except DatabaseError:
            raise
        except Exception:  # a message the service cannot take: find it, keep it aside, go on
            log.exception("batch failed unexpectedly; storing its messages one by one")
            return _store_one_by_one(messages)
        return sum(outcome.accepted for outcome in outcomes)
    except DatabaseError:
        for connection in connections.all():
            connection.close_if_unusable_or_obsolete()
            connection.close()
        raise


def _store_one_by_one(messages: list[IncomingMessage]) -> int:
    accepted = 0
    for message in messages:
        try:
            accepted += ingest_messages(actor=WORKER, messages=[message], transport=Transport.MQTT)[0].accepted
        except DatabaseError:
            raise
        except Exception as exc:
            record_dead_letter(
                message=message, transport=Transport.MQTT, reason="internal_error", text=f"{type(exc).__name__}: {exc}"
            )
    return accepted


StoreBatch = Callable[[list[tuple[str, bytes]]], int]


class Worker:
    """``store`` takes a batch of (topic, payload) in a worker thread and returns how many records it
    accepted; it raises ``DatabaseError`` to have the batch kept unacknowledged and retried."""

    def __init__(
        self,
        config: WorkerConfig,
        *,
        on_stored: Callable[[int, int], None] | None = None,
        store: StoreBatch = store_batch,
    ) -> None:
        self.config = config
        self.store = store
        self.stopping = asyncio.Event()
        self.on_stored = on_stored
        self.stored_messages = 0
        self.stored_readings = 0

    async def run(self) -> None:
        backoff = 0.5
        while not self.stopping.is_set():
            client = aiomqtt.Client(
                self.config.host,
                self.config.port,
                identifier=self.config.client_id,
                clean_session=False,
                username=self.config.username,
                password=self.config.password,
                keepalive=30,
            )
            # aiomqtt 2.5 has no switch for manual acknowledgement, paho (underneath) has: set it before
            # connecting, because a persistent session's queued messages arrive right after CONNACK.
            client._client.manual_ack_set(True)  # aiomqtt exposes no manual-ack switch; see above
            try:
                async with client:
                    await client.subscribe(self.config.topic_filter, qos=1)
                    log.info("connected to %s:%s", self.config.host, self.config.port)
                    backoff = 0.5
                    await self._consume(client)
            except aiomqtt.MqttError as exc:
                if self.stopping.is_set():
                    break
                log.warning("broker connection lost (%s); retrying in %.1f s", exc, backoff)
                await self._sleep(backoff)
                backoff = min(backoff * 2, self.config.max_backoff_s)

    async def _sleep(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.stopping.wait(), timeout=seconds)

    async def _consume(self, client: aiomqtt.Client) -> None:
        messages = client.messages
        iterator = aiter(messages)
        stop_task = asyncio.ensure_future(self.stopping.wait())
        try:
            while not self.stopping.is_set():
                next_task = asyncio.ensure_future(anext(iterator))
                done, _pending = await asyncio.wait({next_task, stop_task}, return_when=asyncio.FIRST_COMPLETED)
                if next_task not in done:
                    next_task.cancel()
                    return
                batch = [next_task.result()]
                while len(messages) > 0 and len(batch) < self.config.batch_messages:
                    batch.append(await anext(iterator))
                await self._store(batch)
                for message in batch:
                    if message.qos > 0:
                        client._client.ack(message.mid, message.qos)  # manual acknowledgement, see run()
        finally:
            stop_task.cancel()

    async def _store(self, batch: list[aiomqtt.Message]) -> None:
        items = [
            (str(m.topic), bytes(m.payload) if isinstance(m.payload, bytes | bytearray) else b"")
            for m in batch
            if self.config.owns(str(m.topic))
        ]
        if not items:
            return
        backoff = 0.5
        while True:
            try:
                readings = await asyncio.to_thread(self.store, items)
                break
            except DatabaseError as exc:
                log.warning(
                    "database unavailable (%s); batch of %d kept unacknowledged, retry in %.1f s",
                    exc,
                    len(items),
                    backoff,
                )
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, self.config.max_backoff_s)
        self.stored_messages += len(items)
        self.stored_readings += readings
        if self.on_stored is not None:
            self.on_stored(len(items), readings)


def run_forever(config: WorkerConfig, store: StoreBatch = store_batch) -> None:
    """Run until SIGTERM or SIGINT; report throughput every 10 s."""

    async def main() -> None:
        worker = Worker(config, store=store)
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, worker.stopping.set)
        reporter = asyncio.ensure_future(_report(worker))
        try:
            await worker.run()
        finally:
            reporter.cancel()

    asyncio.run(main())


async def _report(worker: Worker) -> None:
    last, last_t = 0, time.monotonic()
    while True:
        await asyncio.sleep(10)
        now = time.monotonic()
        rate = (worker.stored_readings - last) / (now - last_t)
        log.info(
            "stored %d messages, %d readings (%.0f readings/s)", worker.stored_messages, worker.stored_readings, rate
        )
        last, last_t = worker.stored_readings, now
