"""Every toxic chemical of the demo catalogue has a complete family of levels of concern, so 事故模拟
never asks the duty officer to type thresholds for a chemical the park actually holds."""

import pytest

from chempark.consequence import accident, toxic
from chempark.park.demo_data import CHEMICALS


def _is_toxic(cas: str, ghs: tuple[str, ...]) -> bool:
    """Toxic as the platform understands it: a GHS acute-toxicity class, or a lethality probit (the
    QRA's toxic trees)."""
    if any(category.startswith("急性毒性") for category in ghs):
        return True
    try:
        toxic.probit_constants(cas)
    except ValueError:
        return False
    return True


TOXIC = [(name, cas) for name, _en, _aliases, cas, _un, ghs in CHEMICALS if _is_toxic(cas, ghs)]


def test_the_catalogue_has_toxic_chemicals():
    names = {name for name, _cas in TOXIC}
    assert {"氯", "氨", "碳酰氯", "氟化氢", "二氧化硫", "溴", "一氧化碳"} <= names


@pytest.mark.parametrize(("name", "cas"), TOXIC)
def test_every_toxic_demo_chemical_has_a_complete_family(name, cas):
    levels = accident.default_thresholds(cas, 60.0, 293.15)
    family = {level.level.split("-")[0] for level in levels}
    assert len(levels) == 3 and len(family) == 1, (name, levels)
    assert all(level.source.strip() for level in levels), name
    ordered = [level.concentration_g_m3 for level in levels]
    assert ordered == sorted(ordered, reverse=True), name  # level 3 > 2 > 1


@pytest.mark.parametrize(("name", "cas"), TOXIC)
def test_the_family_chosen_is_the_first_complete_one(name, cas):
    chosen = accident.default_thresholds(cas, 60.0, 293.15)[0].level.split("-")[0]
    for family in ("AEGL", "ERPG", "PAC"):
        complete = all(
            any(e.level == f"{family}-{tier}" and e.duration_min == 60.0 for e in toxic.levels_of_concern(cas))
            for tier in (1, 2, 3)
        )
        if complete:
            assert chosen == family, name
            return
    pytest.fail(f"{name}: no complete family")
