"""``chempark simulate`` (deterministic with a seed) and ``chempark scheduler --once``."""

from __future__ import annotations

import io

from django.core.management import call_command

from chempark.monitoring.models import Reading
from tests.monitoring.conftest import Points


def _run(seed: int) -> list[tuple[int, float]]:
    call_command("simulate", "--direct", "--steps", "3", "--interval", "0", "--step", "60", "--seed", str(seed),
                 stdout=io.StringIO())
    rows = list(Reading.objects.order_by("point_id", "ts_ms").values_list("point_id", "value"))
    Reading.objects.all().delete()
    return rows


def test_simulate_is_deterministic_with_a_seed(points: Points) -> None:
    first = _run(11)
    assert len(first) >= 8, "four points, three steps, allowing for a dropout"
    assert _run(11) == first
    assert _run(12) != first


def test_scheduler_once_runs_the_jobs(points: Points) -> None:
    out = io.StringIO()
    call_command("scheduler", "--once", stdout=out)
