"""The MQTT worker against a real Mosquitto and the test database: the broker restarts mid-stream
and the worker is killed with SIGKILL mid-batch, the database goes away while the broker takes
messages — and afterwards every reading the broker acknowledged is stored exactly once (its rollup
counted once)."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import orjson
import pytest
from django.db import connection
from django.db.models import Max, Sum

from chempark.monitoring.models import DeadLetter, PointLatest, Reading, Rollup
from tests.monitoring.broker import Mosquitto
from tests.monitoring.conftest import Points
from tests.worker_processes import OUTAGE_ENV, CommandProcess, Publisher, real_now_ms, running_broker


@pytest.fixture
def broker(tmp_path: Path) -> Iterator[Mosquitto]:
    with running_broker(tmp_path) as server:
        yield server


class WorkerProcess(CommandProcess):
    """``chempark ingest`` on the broker at ``port``: batches of 10 messages, the point index reread
    every second (a test adds points while it runs)."""

    def __init__(
        self,
        port: int,
        log: Path,
        *,
        client_id: str = "test-worker",
        share: int = 0,
        shares: int = 1,
        env: dict[str, str] | None = None,
    ) -> None:
        args = ["ingest", "--url", f"mqtt://127.0.0.1:{port}", "--client-id", client_id, "--batch-messages", "10"]
        args += ["--shares", str(shares), "--share", str(share)]
        super().__init__(args, log, env={"CHEMPARK_POINT_INDEX_TTL_S": "1", **(env or {})})


def message(codes: tuple[str, ...], base_ms: int, number: int, per_message: int = 100) -> bytes:
    readings = [
        {"point": codes[j % len(codes)], "ts": base_ms + number * per_message + j, "value": 4.0 + j % 3}
        for j in range(per_message)
    ]
    return orjson.dumps({"readings": readings})


def wait_for_readings(expected: int, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if Reading.objects.count() >= expected:
            return
        time.sleep(0.25)
    raise AssertionError(f"{Reading.objects.count()} of {expected} readings stored")


def assert_exactly_once(points: Points, expected: int, last_ts: int) -> None:
    assert Reading.objects.count() == expected
    assert Rollup.objects.aggregate(n=Sum("count"))["n"] == expected, "each reading rolled up exactly once"
    assert Reading.objects.aggregate(t=Max("ts_ms"))["t"] == last_ts
    assert PointLatest.objects.get(point=points.level_a).ts_ms is not None


@pytest.mark.usefixtures("transactional_db")
def test_broker_restart_and_worker_sigkill_lose_and_duplicate_nothing(
    points: Points, broker: Mosquitto, tmp_path: Path
) -> None:
    topic = f"chempark/{points.level_a.enterprise.uscc}/readings"
    codes = ("LT-101", "GD-301")
    base = real_now_ms() - 600_000
    log = tmp_path / "worker.log"
    worker = WorkerProcess(broker.port, log)
    publisher = None
    try:
        worker.wait_connected()
        publisher = Publisher(broker.port)
        for number in range(20):
            publisher.publish(topic, message(codes, base, number))
        broker.restart()  # mid-stream; the worker and the gateway reconnect by themselves
        for number in range(20, 40):
            publisher.publish(topic, message(codes, base, number))
        worker.kill()  # SIGKILL while batches are being stored
        for number in range(40, 50):
            publisher.publish(topic, message(codes, base, number))
        worker = WorkerProcess(broker.port, log)
        for number in range(50, 60):
            publisher.publish(topic, message(codes, base, number))
        # bad input on the way: counted and dead-lettered, the worker carries on
        publisher.publish(topic, b"{broken")
        publisher.publish("chempark/not-a-uscc/readings", message(codes, base, 99))
        wait_for_readings(6000)
        time.sleep(1.0)  # a straggling redelivery would show up now
        assert_exactly_once(points, 6000, base + 5999)
        reasons = set(DeadLetter.objects.values_list("reason", flat=True))
        assert {"invalid_json", "bad_uscc"} <= reasons
        assert worker.process.poll() is None, "the worker survived the bad input"
    finally:
        if publisher is not None:
            publisher.close()
        worker.stop()


def _take_the_database_away() -> Callable[[], None]:
    """Take the test database away from other processes; returns the function that gives it back.

    On PostgreSQL connections are refused and the open ones ended; on SQLite a writer holds the
    exclusive lock (the worker waits ``CHEMPARK_TEST_SQLITE_BUSY_MS`` for it, then gives up)."""
    name = str(connection.settings_dict["NAME"])
    if connection.vendor == "postgresql":
        import psycopg

        connection.close()  # the test's own connection goes too; it reconnects afterwards
        params = connection.get_connection_params()
        params.pop("cursor_factory", None)
        params["dbname"] = "postgres"
        admin = psycopg.connect(**params, autocommit=True)
        admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [name],
        )

        def give_back() -> None:
            admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
            admin.close()
    else:
        lock = sqlite3.connect(name)
        lock.execute("BEGIN EXCLUSIVE")

        def give_back() -> None:
            lock.rollback()
            lock.close()

    return give_back


@pytest.mark.usefixtures("transactional_db")
def test_database_outage_loses_nothing_acknowledged(points: Points, broker: Mosquitto, tmp_path: Path) -> None:
    topic = f"chempark/{points.level_a.enterprise.uscc}/readings"
    codes = ("LT-101", "GD-301")
    base = real_now_ms() - 600_000
    worker = WorkerProcess(broker.port, tmp_path / "worker.log", env=OUTAGE_ENV)
    publisher = None
    try:
        worker.wait_connected()
        publisher = Publisher(broker.port)
        for number in range(10):
            publisher.publish(topic, message(codes, base, number))
        wait_for_readings(1000)
        give_back = _take_the_database_away()
        try:
            for number in range(10, 40):  # each acknowledged by the broker while the database is away
                publisher.publish(topic, message(codes, base, number))
            # the worker tried to store them, failed, kept them unacknowledged and tried again
            worker.wait_logged("database unavailable", times=2)
        finally:
            give_back()
        wait_for_readings(4000)
        time.sleep(1.0)  # a straggling redelivery would show up now
        assert_exactly_once(points, 4000, base + 3999)
    finally:
        if publisher is not None:
            publisher.close()
        worker.stop()


@pytest.mark.usefixtures("transactional_db")
def test_workers_split_the_enterprises_and_each_stores_only_its_share(
    points: Points, broker: Mosquitto, tmp_path: Path
) -> None:
    from chempark.monitoring.ingest.worker import share_of

    topic_a = f"chempark/{points.level_a.enterprise.uscc}/readings"
    topic_b = f"chempark/{points.level_b.enterprise.uscc}/readings"
    assert (share_of(topic_a, 2), share_of(topic_b, 2)) == (0, 1), "the fixture's USCCs should fall apart"
    base = real_now_ms() - 600_000
    first = WorkerProcess(broker.port, tmp_path / "w0.log", client_id="w0", share=0, shares=2)
    second = WorkerProcess(broker.port, tmp_path / "w1.log", client_id="w1", share=1, shares=2)
    publisher = None
    try:
        first.wait_connected()
        second.wait_connected()
        second.kill()  # its session stays with the broker, which keeps its share's messages
        publisher = Publisher(broker.port)
        for number in range(10):
            publisher.publish(topic_a, message(("LT-101", "GD-301"), base, number))
            publisher.publish(topic_b, message(("LT-101", "B-ONLY"), base, number))
        wait_for_readings(1000)
        time.sleep(1.0)
        enterprise_b = points.level_b.enterprise_id
        assert Reading.objects.filter(point__enterprise_id=enterprise_b).count() == 0, "share 1 is not share 0's"
        assert Reading.objects.count() == 1000
        second = WorkerProcess(broker.port, tmp_path / "w1.log", client_id="w1", share=1, shares=2)
        wait_for_readings(2000)
        time.sleep(1.0)
        assert Reading.objects.filter(point__enterprise_id=enterprise_b).count() == 1000
        assert Reading.objects.count() == 2000
        assert Rollup.objects.aggregate(n=Sum("count"))["n"] == 2000
    finally:
        if publisher is not None:
            publisher.close()
        first.stop()
        second.stop()


def test_shares_are_stable_and_checked() -> None:
    from chempark.monitoring.ingest.payload import uscc_check_char
    from chempark.monitoring.ingest.worker import WorkerConfig, share_of

    bodies = [f"91130209MA{n:07d}" for n in range(200)]
    topics = [f"chempark/{body}{uscc_check_char(body)}/readings" for body in bodies]
    assert share_of("no/such/topic", 3) == 0
    counts = [sum(share_of(t, 3) == k for t in topics) for k in range(3)]
    assert min(counts) > 40, counts  # spread over the shares, not all in one
    assert all(WorkerConfig("h", 1, share=share_of(t, 3), shares=3).owns(t) for t in topics)
    assert WorkerConfig("h", 1).owns(topics[0])
    with pytest.raises(ValueError, match="share must be 0"):
        WorkerConfig("h", 1, share=3, shares=3)


def test_topic_names_the_sender() -> None:
    from chempark.monitoring.ingest.worker import to_incoming

    assert to_incoming("chempark/x/readings", b"{}", {}).reason == "bad_uscc"
    assert to_incoming("other/topic", b"{}", {}).reason == "bad_topic"
