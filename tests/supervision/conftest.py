"""Fixtures of the supervision tests: hidden dangers of the small park's two enterprises, photos."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.utils import timezone
from PIL import Image

from chempark.core.actors import SYSTEM
from chempark.supervision import services
from chempark.supervision.models import HiddenDanger
from tests.conftest import SmallPark


def days_from_today(days: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


def png(width: int = 8, height: int = 6) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (10, 200, 10)).save(buffer, format="PNG")
    return buffer.getvalue()


def report(enterprise: Any, found_days_ago: int = 10, **extra: Any) -> HiddenDanger:
    values: dict[str, Any] = {
        "source": "bureau_inspection",
        "grade": "general",
        "description": "防火堤排水阀常开",
        "found_on": days_from_today(-found_days_ago),
        **extra,
    }
    return services.danger_report(actor=SYSTEM, enterprise_id=enterprise.pk, **values)


def ordered(enterprise: Any, deadline_in_days: int = 10, found_days_ago: int = 10) -> HiddenDanger:
    danger = report(enterprise, found_days_ago)
    return services.danger_order(
        actor=SYSTEM,
        danger_id=danger.pk,
        plan="关闭排水阀并上锁",
        owner="李工",
        deadline=days_from_today(deadline_in_days),
        interim_measures="专人巡查",
    )


def rectifying(enterprise: Any, deadline_in_days: int = 10) -> HiddenDanger:
    danger = ordered(enterprise, deadline_in_days)
    return services.danger_start(actor=SYSTEM, danger_id=danger.pk)


@pytest.fixture
def own_danger(park: SmallPark) -> HiddenDanger:
    return report(park.enterprise_a)
