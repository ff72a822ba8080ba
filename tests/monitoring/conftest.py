"""Monitoring fixtures: points on the small park's two enterprises."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from chempark.core.actors import SYSTEM
from chempark.monitoring import point_index
from chempark.monitoring.config_services import point_create
from tests.conftest import SmallPark


@pytest.fixture(autouse=True)
def _fresh_point_index() -> Iterator[None]:
    point_index.invalidate()
    yield
    point_index.invalidate()


def point_values(enterprise: Any, unit: Any, code: str, **extra: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "enterprise": enterprise.pk,
        "unit": unit.pk,
        "code": code,
        "name": f"点位 {code}",
        "kind": "level",
        "unit_of_measure": "m",
        "range_min": 0.0,
        "range_max": 10.0,
        "l": 1.0,
        "h": 8.0,
        "hh": 9.0,
        "deadband": 0.2,
        "lon": 118.2,
        "lat": 39.2,
    }
    values.update(extra)
    return values


@dataclass
class Points:
    level_a: Any
    gas_a: Any
    level_b: Any
    only_b: Any


@pytest.fixture
def points(park: SmallPark) -> Points:
    level_a = point_create(actor=SYSTEM, values=point_values(park.enterprise_a, park.unit_a, "LT-101"))
    gas_a = point_create(
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
    level_b = point_create(actor=SYSTEM, values=point_values(park.enterprise_b, park.unit_b, "LT-101"))
    only_b = point_create(actor=SYSTEM, values=point_values(park.enterprise_b, park.unit_b, "B-ONLY"))
    return Points(level_a, gas_a, level_b, only_b)
