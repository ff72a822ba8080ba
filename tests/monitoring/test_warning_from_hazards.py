"""The enterprise warning level takes the major hazard level computed from the inventories: a regrade
of a unit reaches its enterprise's warning in the same transaction."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from chempark.core.actors import SYSTEM
from chempark.core.roles import Role
from chempark.hazards import services as hazard_services
from chempark.hazards.models import MajorHazard
from chempark.hazards.selectors import enterprise_major_hazard_levels
from chempark.monitoring.models import EnterpriseWarning, LiveEvent
from chempark.park.services import registry_update
from tests.conftest import SmallPark
from tests.monitoring.conftest import Points
from tests.monitoring.test_ingest import body, now_ms


def _warning(park: SmallPark) -> tuple[str, str]:
    row = EnterpriseWarning.objects.get(enterprise=park.enterprise_a)
    return row.level, row.rule


def _set_chlorine(park: SmallPark, design_max_t: str) -> None:
    registry_update(
        actor=SYSTEM,
        kind="inventory",
        pk=park.inventory_a.pk,
        values={"design_max_t": Decimal(design_max_t), "current_t": Decimal("1")},
    )


def test_a_regrade_of_a_unit_changes_its_enterprises_warning_level(api: Any, points: Points, park: SmallPark) -> None:
    a = park.enterprise_a.pk
    assert enterprise_major_hazard_levels([a, park.enterprise_b.pk]) == {a: 2, park.enterprise_b.pk: 2}
    api(Role.MACHINE).call("POST", "/ingest/readings", body(("LT-101", now_ms() - 1000, 9.6)))  # HH, unacknowledged
    assert _warning(park) == ("red", "一、二级重大危险源企业有未确认的高高/低低报警")

    _set_chlorine(park, "20")  # 40 t of chlorine → 20 t: R 64 → 32, level 2 → 3
    assert enterprise_major_hazard_levels([a]) == {a: 3}
    assert _warning(park) == ("orange", "三、四级重大危险源企业有未确认的高高/低低报警")
    pushed = LiveEvent.objects.filter(kind="warning", enterprise_id=a).order_by("-id").first()
    assert pushed is not None and pushed.data["level"] == "orange"

    _set_chlorine(park, "2")  # below the 5 t threshold: no longer a major hazard
    assert enterprise_major_hazard_levels([a]) == {}
    assert _warning(park) == ("yellow", "有高高/低低报警")

    _set_chlorine(park, "80")  # R 128: level 1
    assert enterprise_major_hazard_levels([a]) == {a: 1}
    assert _warning(park)[0] == "red"
    assert not EnterpriseWarning.objects.filter(enterprise=park.enterprise_b).exists(), "B has no alarm: no warning"


def test_a_cancelled_major_hazard_no_longer_counts(park: SmallPark) -> None:
    hazard = MajorHazard.objects.get(enterprise=park.enterprise_a)
    MajorHazard.objects.filter(pk=hazard.pk).update(status="cancelled")
    assert enterprise_major_hazard_levels([park.enterprise_a.pk, park.enterprise_b.pk]) == {park.enterprise_b.pk: 2}


def test_hazard_services_tell_the_listeners_only_of_level_changes(park: SmallPark, monkeypatch: Any) -> None:
    told: list[int] = []
    monkeypatch.setattr("chempark.hazards.listeners._listeners", [told.append])
    _set_chlorine(park, "39")  # S changes, the level (2) does not
    assert told == []
    _set_chlorine(park, "20")
    assert told == [park.enterprise_a.pk]
    hazard_services.unit_reassess(actor=SYSTEM, unit_id=park.unit_b.pk)  # nothing changed
    assert told == [park.enterprise_a.pk]
