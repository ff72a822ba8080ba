"""Fixtures of the emergency tests: request bodies for a chlorine leak west of the small park's
tanks, toward its school (中心小学 at 118.16 E, 39.2 N)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache

from chempark.core.actors import SYSTEM
from chempark.emergency import services
from chempark.emergency.models import QraStudy
from tests.conftest import SmallPark

SOURCE = {"lon": 118.18, "lat": 39.2}


@pytest.fixture(autouse=True)
def _no_cached_leak_fits() -> None:
    """The leak-source layer keeps its fits in the process's cache by enterprise; a test's ids may
    be an earlier test's (SQLite reuses them after a rollback), so each test starts without any."""
    cache.clear()  # 1.72 km east of the school


def chlorine_leak(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "chemical_cas": "7782-50-5",
        "source": dict(SOURCE),
        "release": {"kind": "continuous", "rate_kg_s": 1.0, "height_m": 1.0},
        "weather": {"wind_speed_m_s": 3.0, "wind_from_deg": 90.0, "stability": "D"},
    }
    body.update(changes)
    return body


@pytest.fixture
def small_study(park: SmallPark) -> QraStudy:
    """A QRA study of the small park's two chlorine tanks on a coarse grid (kept small: 2 cores)."""
    return services.qra_study_create(
        actor=SYSTEM, name="测试研究", park_id=park.park.pk, values={"grid_cell_m": 50.0, "grid_margin_m": 700.0}
    )


@pytest.fixture
def finished_study(small_study: QraStudy, run_jobs: Callable[[], int]) -> QraStudy:
    services.qra_start(actor=SYSTEM, pk=small_study.pk)
    assert run_jobs() == 1
    small_study.refresh_from_db()
    return small_study
