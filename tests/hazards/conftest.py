"""Fixtures of the major hazard tests: the small park's two chlorine units are major hazards from the
start (40 t of chlorine, Q = 5 t: S = 8), one per enterprise."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from chempark.core.actors import SYSTEM
from chempark.hazards.models import HazardStatus, MajorHazard
from chempark.park.services import registry_create
from tests.conftest import SmallPark


def days_ago(days: int) -> str:
    """An ISO date that many days before today in the park: filing, assessment and check dates may not
    lie in the future, whatever the date the tests run on."""
    return (timezone.localdate() - dt.timedelta(days=days)).isoformat()


@pytest.fixture
def hazard_a(park: SmallPark) -> MajorHazard:
    return MajorHazard.objects.get(unit=park.unit_a)


@pytest.fixture
def hazard_b(park: SmallPark) -> MajorHazard:
    return MajorHazard.objects.get(unit=park.unit_b)


def set_status(hazard: MajorHazard, status: HazardStatus, previous: str = "") -> MajorHazard:
    """Put a record in a status directly (the workflow itself is tested through the services)."""
    MajorHazard.objects.filter(pk=hazard.pk).update(status=status, status_before_request=previous)
    hazard.refresh_from_db()
    return hazard


def make_unit(park: SmallPark, enterprise: Any, code: str = "U02") -> Any:
    return registry_create(
        actor=SYSTEM,
        kind="unit",
        values={
            "enterprise": enterprise.pk,
            "code": code,
            "name": "二氧化硫储罐区",
            "kind": "storage",
            "lon": 118.21,
            "lat": 39.21,
            "description": "",
        },
    )


def make_chemical(
    name: str,
    cas: str | None,
    ghs: list[str],
    categories: list[str] | None = None,
    boiling_point_k: float | None = None,
) -> Any:
    chemical = registry_create(
        actor=SYSTEM,
        kind="chemical",
        values={
            "name_zh": name,
            "name_en": "",
            "aliases": "",
            "cas": cas,
            "un_number": "",
            "ghs_categories": ghs,
            "gb18218_categories": categories or [],
        },
    )
    if boiling_point_k is not None:
        type(chemical).objects.filter(pk=chemical.pk).update(boiling_point_k=boiling_point_k)
        chemical.refresh_from_db()
    return chemical


def add_inventory(unit: Any, chemical: Any, design_max_t: str) -> Any:
    return registry_create(
        actor=SYSTEM,
        kind="inventory",
        values={
            "unit": unit.pk,
            "chemical": chemical.pk,
            "design_max_t": Decimal(design_max_t),
            "current_t": Decimal(0),
        },
    )
