"""The daily risk-index history needs no operator's timer: ``chempark scheduler`` records the day's
index of every operating enterprise at 23:50 in the park, under the park's date."""

from __future__ import annotations

import datetime as dt
import importlib
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from chempark.command.models import RiskIndexDaily
from chempark.park.models import Enterprise
from tests.conftest import SmallPark

CST = ZoneInfo("Asia/Shanghai")
DAY = dt.date(2028, 12, 31)


def test_the_scheduler_records_the_risk_index_at_ten_to_midnight(
    park: SmallPark, monkeypatch: pytest.MonkeyPatch
) -> None:
    command = importlib.import_module("chempark.core.management.commands.scheduler")
    monkeypatch.setattr(command, "close_old_connections", lambda: None)  # keep the test's transaction
    for moment in (dt.time(23, 49), dt.time(23, 50), dt.time(23, 59)):
        with time_machine.travel(dt.datetime.combine(DAY, moment, tzinfo=CST), tick=False):
            call_command("scheduler", "--once", stdout=io.StringIO())
        if moment == dt.time(23, 49):
            assert not RiskIndexDaily.objects.exists()
    operating = Enterprise.objects.filter(status="operating").count()
    assert operating > 0
    assert RiskIndexDaily.objects.filter(date=DAY).count() == operating
    assert not RiskIndexDaily.objects.exclude(date=DAY).exists(), "the park's date, not UTC's (15:50)"
