"""Mixtures the ``chemicals`` package lacks (gasoline, diesel, mixed xylenes, LPG): the sourced table
is complete and well-formed, the property lookups read it, and the QRA defaults of a tank holding
one of them are built from it instead of being skipped."""

from __future__ import annotations

import math

import pytest

from chempark.common.identifiers import cas_problem
from chempark.consequence import fuels, gas_units, mixtures, qra_rows, qra_tank_scenarios, source
from chempark.consequence.qra.lethality import lower_flammability_limit_g_m3

GASOLINE, DIESEL, XYLENES, LPG, PROPANE = "86290-81-5", "68334-30-5", "1330-20-7", "68476-85-7", "74-98-6"


def tank(cas: str, name: str, inventory_kg: float, pressurised: bool) -> qra_tank_scenarios.TankInput:
    return qra_tank_scenarios.TankInput(1, 1, f"测试 {name}罐", 118.2, 39.2, cas, name, inventory_kg, pressurised)


def test_every_figure_has_a_source_and_every_reference_resolves() -> None:
    table = {m.cas: m for m in mixtures.mixtures()}
    assert set(table) == {GASOLINE, DIESEL, XYLENES, LPG}
    for mixture in table.values():
        assert cas_problem(mixture.cas) is None
        assert mixture.sources and all(len(text) > 10 for text in mixture.sources.values())
        for alias in mixture.also_cas:
            assert cas_problem(alias) is None and mixtures.mixture(alias) is mixture
        if mixture.representative_cas:
            assert source.chemical_properties(mixture.representative_cas).molar_mass_kg_mol > 0.0
        if mixture.pool_fire_fuel:
            assert fuels.fuel_properties(mixture.pool_fire_fuel).burning_rate_inf_kg_m2_s is not None
    # a product without a representative must give every figure the models need itself
    for cas in (GASOLINE, DIESEL):
        found = table[cas]
        assert None not in (
            found.molar_mass_g_mol,
            found.boiling_point_k,
            found.liquid_density_kg_m3,
            found.heat_of_vaporisation_j_kg,
            found.lfl_volume_fraction,
            found.vapour_pressure_pa_20c,
            found.flash_point_k,
        )


def test_gasoline_figures_come_from_the_table() -> None:
    # DOE AFDC: MW 100-105 (100 taken), 6.0-6.5 lb/gal (6.25 × 119.826 = 749 kg/m³), LFL 1.4 %,
    # flash point -45 °F; MSDS 9950: 275-475 mmHg at 20 °C (375 mmHg = 50.0 kPa).
    props = source.chemical_properties(GASOLINE)
    assert props.molar_mass_kg_mol == pytest.approx(0.100)
    assert source.liquid_density_kg_m3(GASOLINE, 293.15) == pytest.approx(749.0)
    assert source.vapour_pressure_pa(GASOLINE, 293.15) == pytest.approx(50_000.0)
    # Clausius–Clapeyron with 349 kJ/kg × 0.1 kg/mol = 34.9 kJ/mol: ×1.60 from 20 to 30 °C
    ratio = math.exp(34_900.0 / 8.314462618 * (1.0 / 293.15 - 1.0 / 303.15))
    assert source.vapour_pressure_pa(GASOLINE, 303.15) == pytest.approx(50_000.0 * ratio, rel=1e-9)
    assert gas_units.lower_flammability_limit(GASOLINE) == 0.014
    # LFL as g/m³ at 20 °C: 0.014 × 101 325 × 100 / (8.314 × 293.15) = 58.2 g/m³
    assert lower_flammability_limit_g_m3(GASOLINE) == pytest.approx(58.2, abs=0.1)
    fuel = fuels.fuel_properties(GASOLINE)
    assert (fuel.boiling_point_k, fuel.burning_rate_inf_kg_m2_s) == (pytest.approx(299.82), 0.055)
    assert fuels.fuel_properties("8006-61-9").molar_mass_kg_mol == pytest.approx(0.100)  # the older CAS


def test_lpg_and_xylenes_are_their_representative_components() -> None:
    propane = source.chemical_properties(PROPANE)
    lpg = source.chemical_properties(LPG)
    assert (lpg.molar_mass_kg_mol, lpg.boiling_point_k) == (propane.molar_mass_kg_mol, propane.boiling_point_k)
    assert source.vapour_pressure_pa(LPG, 293.15) == source.vapour_pressure_pa(PROPANE, 293.15)
    assert gas_units.lower_flammability_limit(LPG) == gas_units.lower_flammability_limit(PROPANE)
    assert fuels.fuel_properties(LPG).heat_of_combustion_j_kg == fuels.fuel_properties(PROPANE).heat_of_combustion_j_kg
    assert source.molar_mass_g_mol(XYLENES) == pytest.approx(106.165, abs=0.01)  # m-xylene, C8H10
    assert fuels.fuel_properties(XYLENES).heat_of_combustion_j_kg == 40.8e6  # Babrauskas xylene row


def test_qra_defaults_of_a_gasoline_tank_use_the_table() -> None:
    rows, reason = qra_tank_scenarios.default_tank_scenarios(tank(GASOLINE, "汽油", 50_000.0, False))
    assert reason is None
    assert [(r["hole_size_class"], r["direct_fire"]) for r in rows] == [
        ("10mm", "pool_fire"),
        ("ten_minutes", "pool_fire"),
        ("instantaneous", "pool_fire"),
    ]
    assert {r["ignition_category"] for r in rows} == {"liquid_k1"}  # flash point -45 °F < 21 °C
    assert all("liquid 749 kg/m3" in r["notes"] for r in rows)
    # 50 t at 749 kg/m³ spread to 10 mm: 6 676 m², D = 92.2 m
    assert rows[2]["pool_diameter_m"] == pytest.approx(math.sqrt(4.0 * 50_000.0 / 749.0 / 0.01 / math.pi), abs=0.01)
    scenarios = qra_rows.scenarios_from_rows(rows, 118.2, 39.2)
    assert [[o.name for o in s.outcomes] for s in scenarios] == [["direct_fire", "flash_fire", "explosion"]] * 3


def test_qra_defaults_of_an_lpg_tank_are_those_of_propane() -> None:
    rows, reason = qra_tank_scenarios.default_tank_scenarios(tank(LPG, "液化石油气", 20_000.0, True))
    assert reason is None
    assert [(r["hole_size_class"], r["direct_fire"]) for r in rows] == [
        ("10mm", "jet_fire"),
        ("ten_minutes", "jet_fire"),
        ("instantaneous", "fireball"),
    ]
    propane_rows, _ = qra_tank_scenarios.default_tank_scenarios(tank(PROPANE, "丙烷", 20_000.0, True))
    assert [r["rate_kg_s"] for r in rows[:2]] == [r["rate_kg_s"] for r in propane_rows[:2]]
    assert rows[2]["cloud_mass_kg"] == propane_rows[2]["cloud_mass_kg"]
    assert len(qra_rows.scenarios_from_rows(rows, 118.2, 39.2)) == 3


@pytest.mark.parametrize(("cas", "category"), [(DIESEL, "liquid_k2_k3"), (XYLENES, "liquid_k2_k3")])
def test_diesel_and_xylene_tanks_get_pool_fires(cas: str, category: str) -> None:
    rows, reason = qra_tank_scenarios.default_tank_scenarios(tank(cas, cas, 50_000.0, False))
    assert reason is None
    assert {r["direct_fire"] for r in rows} == {"pool_fire"}
    assert {r["ignition_category"] for r in rows} == {category}
