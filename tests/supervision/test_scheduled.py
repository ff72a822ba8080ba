"""督办 needs no operator's timer: ``chempark scheduler`` escalates an overdue rectification from
07:00 in the park, once that day."""

from __future__ import annotations

import datetime as dt
import importlib
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from chempark.core.models import DailyTaskRun, RunOutcome
from chempark.supervision.models import HiddenDanger
from tests.conftest import SmallPark
from tests.supervision.conftest import ordered

CST = ZoneInfo("Asia/Shanghai")


def test_the_scheduler_escalates_overdue_dangers_from_seven_oclock(
    park: SmallPark, monkeypatch: pytest.MonkeyPatch
) -> None:
    command = importlib.import_module("chempark.core.management.commands.scheduler")
    monkeypatch.setattr(command, "close_old_connections", lambda: None)  # keep the test's transaction
    danger = ordered(park.enterprise_a, deadline_in_days=2)
    day = timezone.localdate() + dt.timedelta(days=5)  # three days past the deadline

    def scheduler_at(hour: int, minute: int) -> str:
        out = io.StringIO()
        with time_machine.travel(dt.datetime.combine(day, dt.time(hour, minute), tzinfo=CST), tick=False):
            call_command("scheduler", "--once", stdout=out)
        return out.getvalue()

    assert "supervision.daily" not in scheduler_at(6, 55)
    assert HiddenDanger.objects.get(pk=danger.pk).escalated_at is None
    assert "supervision.daily 督办 1 项，整改提醒 1 项" in scheduler_at(7, 5)
    assert HiddenDanger.objects.get(pk=danger.pk).escalated_at is not None
    assert "supervision.daily" not in scheduler_at(9, 0), "once a day"
    run = DailyTaskRun.objects.get(task="supervision.daily")
    assert (run.day, run.outcome, run.attempts) == (day, RunOutcome.SUCCEEDED, 1)
