"""Positions from another platform over MQTT, against a real Mosquitto and the test database: the
worker (`chempark ingest-positions`) stores each fix once through the HTTP ingest's schema and filter,
survives bad messages (counted and logged), and loses or duplicates nothing when it is killed and a
message is delivered again."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest

from chempark.tracking.models import Position, Terminal
from chempark.tracking.services import terminal_register
from tests.monitoring.broker import Mosquitto
from tests.tracking.conftest import ROAD_LAT, Fleet
from tests.worker_processes import CommandProcess, Publisher, real_now_ms, running_broker

TOPIC = "chempark/positions/provincial-platform"


@pytest.fixture
def broker(tmp_path: Path) -> Iterator[Mosquitto]:
    with running_broker(tmp_path) as server:
        yield server


class PositionsWorker(CommandProcess):
    """``chempark ingest-positions`` on the broker at ``port``."""

    def __init__(self, port: int, log: Path) -> None:
        super().__init__(["ingest-positions", "--url", f"mqtt://127.0.0.1:{port}"], log)


def fixes(first: int, count: int, base_ms: int, **name: str) -> bytes:
    """``count`` fixes 10 s apart driving east along the road at about 31 km/h."""
    return orjson.dumps(
        {
            "positions": [
                {
                    **name,
                    "time_ms": base_ms + i * 10_000,
                    "lon": 118.19 + i * 0.001,
                    "lat": ROAD_LAT,
                    "speed_kmh": 31,
                    "heading": 90,
                }
                for i in range(first, first + count)
            ]
        }
    )


def wait_positions(expected: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if Position.objects.count() >= expected:
            return
        time.sleep(0.2)
    raise AssertionError(f"{Position.objects.count()} of {expected} positions stored")


@pytest.mark.usefixtures("transactional_db")
def test_mqtt_positions_stored_once_bad_messages_counted_worker_restart(
    fleet: Fleet, broker: Mosquitto, tmp_path: Path
) -> None:
    terminal_register("13900000001")  # the tanker's terminal; the van is named by plate only
    base = real_now_ms() - 3_600_000
    log = tmp_path / "worker.log"
    worker = PositionsWorker(broker.port, log)
    publisher: Publisher | None = None
    try:
        worker.wait_logged("connected to")
        publisher = Publisher(broker.port)
        by_plate: dict[str, Any] = {"plate": fleet.van.plate}
        by_terminal: dict[str, Any] = {"terminal": "013900000001"}
        publisher.publish(TOPIC, fixes(0, 5, base, **by_plate))
        publisher.publish(TOPIC, fixes(0, 5, base, **by_terminal))
        publisher.publish(TOPIC, fixes(0, 5, base, **by_plate))  # the same message again: stored once
        publisher.publish(TOPIC, b"{broken")
        bad_schema = orjson.loads(fixes(5, 2, base, **by_plate))
        bad_schema["positions"][1]["lat"] = 95
        publisher.publish(TOPIC, orjson.dumps(bad_schema))  # refused whole, like the HTTP ingest
        publisher.publish(TOPIC, orjson.dumps({"positions": [{"time_ms": base, "lon": 118.2, "lat": ROAD_LAT}]}))
        wait_positions(10)
        worker.wait_logged("invalid_json")
        worker.wait_logged("invalid_schema", times=2)
        assert worker.process.poll() is None, "bad messages do not stop the worker"

        worker.kill()
        publisher.publish(TOPIC, fixes(5, 5, base, **by_plate))  # kept by the broker while the worker is down
        worker = PositionsWorker(broker.port, log)
        publisher.publish(TOPIC, fixes(5, 5, base, **by_plate))  # and the same fixes delivered again
        publisher.publish(TOPIC, fixes(5, 5, base, **by_terminal))
        publisher.publish(TOPIC, fixes(0, 1, base, plate="冀B99999"))
        wait_positions(20)
        worker.wait_logged("unknown vehicles: 冀B99999")
        time.sleep(1.0)  # a straggling redelivery would show up now
        assert Position.objects.count() == 20
        for vehicle in (fleet.van, fleet.tanker):
            terminal = Terminal.objects.get(vehicle=vehicle)
            stored = sorted(Position.objects.filter(terminal=terminal).values_list("ts_ms", flat=True))
            assert stored == [base + i * 10_000 for i in range(10)]
            assert terminal.last_ms == base + 90_000  # the live position follows
    finally:
        if publisher is not None:
            publisher.close()
        worker.stop()
