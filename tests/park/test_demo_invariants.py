"""The demo park is physically possible: its tanks hold no more than their volume of liquid, its
inventories agree with its tanks, and its gas detectors are where GB/T 50493-2019 wants them, set
within its limits. Checked on whatever the demo loader writes, not on its figures."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import pytest

from chempark.monitoring.demo import load_demo_monitoring
from chempark.monitoring.gas_detection import toxic_alarm
from chempark.monitoring.models import Point, PointKind
from chempark.park.chemical_properties import liquid_density_kg_m3
from chempark.park.demo import load_demo_park
from chempark.park.demo_storage import storage_for
from chempark.park.models import Inventory, Tank

AMBIENT_K = 293.15
PHOSGENE = "75-44-5"


@pytest.fixture
def demo(db: None) -> None:
    load_demo_park()
    load_demo_monitoring()


def _density_kg_m3(tank: Tank) -> float:
    """The liquid's density where the tank keeps it: a solution's own, else the property data's at
    the tank's temperature (the boiling point in a refrigerated tank, 20 °C otherwise)."""
    chemical = tank.chemical
    storage = storage_for(chemical.name_zh)
    if storage.solution_density_kg_m3 is not None:
        return storage.solution_density_kg_m3
    temperature = storage.temperature_k if tank.kind == "cryogenic" else AMBIENT_K
    density = liquid_density_kg_m3(chemical.cas, temperature)
    assert density is not None, chemical.name_zh
    return density


def test_no_tank_holds_more_than_its_volume_of_liquid(demo: None) -> None:
    tanks = list(Tank.objects.select_related("chemical", "unit__enterprise"))
    assert tanks
    for tank in tanks:
        if tank.kind == "warehouse":
            continue
        assert tank.volume_m3 is not None and tank.chemical is not None
        assert tank.design_max_t <= tank.volume_m3 * Decimal(_density_kg_m3(tank)) / 1000, tank
        critical = tank.chemical.critical_temperature_k
        if tank.kind != "cryogenic" and critical is not None:
            assert critical > AMBIENT_K, f"{tank}: a permanent gas cannot be kept liquid at ambient temperature"
        boiling = tank.chemical.boiling_point_k
        if (
            tank.kind in ("fixed_roof", "floating_roof")
            and boiling is not None
            and not tank.chemical.name_zh.endswith("溶液")
        ):
            assert boiling > AMBIENT_K, f"{tank}: a liquefied gas in an atmospheric tank"
        if tank.unit.enterprise.kind in ("storage", "operation"):
            assert 1000 <= tank.volume_m3 <= 50000, f"{tank}: a terminal's tank"


def test_inventories_agree_with_their_tanks(demo: None) -> None:
    in_tanks: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    for tank in Tank.objects.exclude(chemical=None):
        in_tanks[(tank.unit_id, tank.chemical_id)] += tank.design_max_t
    phosgene_by_enterprise: dict[int, Decimal] = defaultdict(Decimal)
    for inventory in Inventory.objects.select_related("chemical", "unit"):
        assert inventory.current_t <= inventory.design_max_t
        key = (inventory.unit_id, inventory.chemical_id)
        if key in in_tanks:
            assert inventory.design_max_t == in_tanks[key], inventory
        if inventory.chemical.cas == PHOSGENE:
            assert not Tank.objects.filter(chemical=inventory.chemical).exists()
            phosgene_by_enterprise[inventory.unit.enterprise_id] += inventory.design_max_t
    assert phosgene_by_enterprise and max(phosgene_by_enterprise.values()) <= 5


def test_every_toxic_gas_has_its_detectors_within_gb_t_50493_limits(demo: None) -> None:
    checked = 0
    for inventory in Inventory.objects.select_related("chemical", "unit"):
        chemical = inventory.chemical
        gas = (chemical.boiling_point_k or 999) <= AMBIENT_K and any("吸入" in c for c in chemical.ghs_categories)
        if not gas:
            continue
        alarm = toxic_alarm(chemical.cas)
        assert alarm is not None, f"{chemical}: a toxic gas without an exposure limit"
        detectors = Point.objects.filter(unit=inventory.unit, kind=PointKind.GAS_PPM)
        assert detectors.exists(), f"{inventory.unit}: holds {chemical} but has no toxic-gas detector"
        for tank in Tank.objects.filter(unit=inventory.unit, chemical=chemical):
            assert detectors.filter(tank=tank).exists(), f"{tank}: no toxic-gas detector"
        checked += 1
    assert checked > 10
    for point in Point.objects.filter(kind=PointKind.GAS_LEL):
        assert point.unit_of_measure == "%LEL" and point.h <= 25 and point.hh <= 50
    for point in Point.objects.filter(kind=PointKind.GAS_PPM).exclude(tank=None).select_related("tank__chemical"):
        alarm = toxic_alarm(point.tank.chemical.cas)
        assert alarm is not None and point.h <= alarm.oel_ppm and point.hh <= 2 * alarm.oel_ppm
