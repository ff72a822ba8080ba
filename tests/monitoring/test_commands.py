"""``chempark simulate`` (deterministic with a seed) and ``chempark scheduler --once``."""

from __future__ import annotations

import importlib
import io
from datetime import UTC, datetime, timedelta

import orjson
import pytest
import time_machine
from django.core.management import call_command

from chempark.core.actors import SYSTEM
from chempark.monitoring.config_services import point_create
from chempark.monitoring.ingest.payload import datetime_to_ms
from chempark.monitoring.models import Alarm, LiveEvent, Point, Reading, Transport
from chempark.monitoring.services import IncomingMessage, ingest_messages
from tests.conftest import SmallPark
from tests.monitoring.conftest import Points, point_values

RAISED = datetime(2028, 2, 29, 15, 30, tzinfo=UTC)  # 23:30 on a leap day in the park
RUN = RAISED + timedelta(minutes=75)  # 00:45 on 1 March: past the 15 min to acknowledge, the 5 min offline


def _run(seed: int) -> list[tuple[int, float]]:
    call_command(
        "simulate",
        "--direct",
        "--steps",
        "3",
        "--interval",
        "0",
        "--step",
        "60",
        "--seed",
        str(seed),
        stdout=io.StringIO(),
    )
    rows = list(Reading.objects.order_by("point_id", "ts_ms").values_list("point_id", "value"))
    Reading.objects.all().delete()
    return rows


def test_simulate_is_deterministic_with_a_seed(points: Points) -> None:
    first = _run(11)
    assert len(first) >= 8, "four points, three steps, allowing for a dropout"
    assert _run(11) == first
    assert _run(12) != first


def _push(point: Point, ts: datetime, value: float) -> None:
    raw = orjson.dumps({"readings": [{"point": point.code, "ts": datetime_to_ms(ts), "value": value}]})
    ingest_messages(actor=SYSTEM, messages=[IncomingMessage(raw, point.enterprise_id)], transport=Transport.DEMO)


def test_scheduler_once_runs_the_jobs(park: SmallPark, monkeypatch: pytest.MonkeyPatch) -> None:
    scheduler = importlib.import_module("chempark.core.management.commands.scheduler")
    monkeypatch.setattr(scheduler, "close_old_connections", lambda: None)  # keep the test's transaction
    with time_machine.travel(RAISED, tick=False) as clock:
        gas = point_create(
            actor=SYSTEM,
            values=point_values(
                park.enterprise_a,
                park.unit_a,
                "GD-301",
                kind="gas_lel",
                unit_of_measure="%LEL",
                range_max=100.0,
                l=None,
                h=20.0,
                hh=40.0,
            ),
        )
        level = point_create(actor=SYSTEM, values=point_values(park.enterprise_a, park.unit_a, "LT-101"))
        _push(gas, RAISED, 45.0)  # past HH, and nobody acknowledges it
        _push(level, RAISED, 5.0)
        _push(level, RAISED - timedelta(days=100), 5.0)  # older than the 30 days raw readings are kept
        clock.move_to(RUN)
        out = io.StringIO()
        call_command("scheduler", "--once", stdout=out)

    line = "00:45:00 monitoring.alarms 升级与提醒 1 条，离线点位 2 个\n"
    assert line in out.getvalue(), "the time of day in the park"
    assert Alarm.objects.get(point=gas, alarm_type="high").escalated_at == RUN
    assert set(Alarm.objects.filter(alarm_type="offline").values_list("point_id", flat=True)) == {gas.pk, level.pk}
    assert set(Reading.objects.values_list("point_id", "ts_ms")) == {
        (gas.pk, datetime_to_ms(RAISED)),
        (level.pk, datetime_to_ms(RAISED)),
    }, "the 100-day-old reading pruned"
    assert not LiveEvent.objects.filter(created_at__lt=RUN - timedelta(hours=1)).exists(), "events kept an hour"
    assert LiveEvent.objects.filter(kind="escalated", created_at=RUN).exists()
