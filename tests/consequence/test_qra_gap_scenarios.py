"""Default QRA scenarios for the tanks the QRA used to skip: compressed gases (hydrogen, methane,
ethylene, CO), phosgene, hydrogen cyanide and formaldehyde (vapour pressure), sulfur dioxide,
hydrogen fluoride and bromine (probits, toxic pools) and acrylonitrile (burning rate) — each source
term against a worked example or reference figure, and a small park's QRA judging them all."""

from __future__ import annotations

import math

import numpy as np
import pytest

from chempark.consequence import accident, fire, fuels, qra, qra_platform, qra_rows, qra_tank_scenarios, source, zones

ORIGIN = (118.2, 39.2)
HYDROGEN, METHANE, ETHYLENE, CARBON_MONOXIDE = "1333-74-0", "74-82-8", "74-85-1", "630-08-0"
BROMINE, HYDROGEN_FLUORIDE, ACRYLONITRILE = "7726-95-6", "7664-39-3", "107-13-1"


def tank(
    cas: str, inventory_kg: float = 50_000.0, pressurised: bool = True, **extra: object
) -> qra_tank_scenarios.TankInput:
    return qra_tank_scenarios.TankInput(1, 1, f"测试 {cas} 储罐", *ORIGIN, cas, cas, inventory_kg, pressurised, **extra)  # type: ignore[arg-type]  # deliberately outside the declared type: the test checks the refusal


def test_choked_gas_flow_matches_the_textbook_nitrogen_example() -> None:
    """Crowl & Louvar (2011) Example 4-5 (recalled): nitrogen at 200 psig and 80 degF through a
    0.1-in hole, Cd 1.0 — 0.0380 lbm/s."""
    vessel = source.compressed_gas_vessel_release(
        volume_m3=1.0,
        storage_pressure_pa=(200.0 + 14.7) * 6894.757,
        temperature_k=(80.0 - 32.0) / 1.8 + 273.15,
        molar_mass_kg_mol=0.028013,
        heat_capacity_ratio=1.41,
        hole_diameter_m=0.1 * 0.0254,
    )
    assert vessel.choked
    assert vessel.initial_rate_kg_s / 0.45359237 == pytest.approx(0.0380, rel=0.01)


def test_isothermal_blowdown_conserves_the_inventory() -> None:
    """m0 = V p M / (R T); the exponential decay releases m0 in total and its rate integrates to the
    mass released (checked numerically, not by the closed form)."""
    vessel = source.compressed_gas_vessel_release(
        volume_m3=50.0,
        storage_pressure_pa=1.7e6,
        temperature_k=293.15,
        molar_mass_kg_mol=0.002016,
        heat_capacity_ratio=1.405,
        hole_diameter_m=0.01,
    )
    assert vessel.inventory_kg == pytest.approx(50.0 * 1.7e6 * 0.002016 / (8.314462618 * 293.15), rel=1e-9)
    assert vessel.time_constant_s == pytest.approx(vessel.inventory_kg / vessel.initial_rate_kg_s)
    times = np.linspace(0.0, 3.0 * vessel.time_constant_s, 3001)
    numeric = float(np.trapezoid([vessel.rate_kg_s(t) for t in times], times))
    assert numeric == pytest.approx(vessel.released_kg(times[-1]), rel=1e-5)
    assert vessel.released_kg(1e9) == pytest.approx(vessel.inventory_kg)


def test_heat_capacity_ratios_from_the_ideal_gas_cp() -> None:
    # diatomic gases 1.40, methane about 1.30 (ideal-gas values at 25 degC)
    assert source.ideal_gas_heat_capacity_ratio(HYDROGEN) == pytest.approx(1.40, abs=0.01)
    assert source.ideal_gas_heat_capacity_ratio(CARBON_MONOXIDE) == pytest.approx(1.40, abs=0.01)
    assert source.ideal_gas_heat_capacity_ratio(METHANE) == pytest.approx(1.30, abs=0.015)


def test_gases_above_their_critical_temperature_are_stored_as_gas() -> None:
    assert all(source.stored_as_gas(cas, 293.15) for cas in (HYDROGEN, METHANE, ETHYLENE, CARBON_MONOXIDE))
    assert not any(source.stored_as_gas(cas, 293.15) for cas in ("74-98-6", "7782-50-5", "68476-85-7"))


def test_a_hydrogen_vessel_holds_its_volume_of_compressed_gas_and_gets_the_flammable_gas_tree() -> None:
    rows, skip = qra_tank_scenarios.default_tank_scenarios(tank(HYDROGEN, volume_m3=50.0))
    assert skip is None
    by_class = {row["hole_size_class"]: row for row in rows}
    density = qra_tank_scenarios.DEFAULT_GAS_STORAGE_PRESSURE_PA * 0.002016 / (8.314462618 * 293.15)
    held = 50.0 * density  # about 70 kg, not the registry's 50 t
    assert by_class["instantaneous"]["fireball_mass_kg"] == pytest.approx(held, rel=1e-3)
    assert by_class["instantaneous"]["cloud_mass_kg"] == pytest.approx(held, rel=1e-3)
    assert by_class["ten_minutes"]["rate_kg_s"] == pytest.approx(held / 600.0, rel=1e-3)
    hole = by_class["10mm"]
    assert hole["direct_fire"] == "jet_fire" and hole["ignition_category"] == "gas_average_high_reactivity"
    assert hole["exposure_min"] == pytest.approx(held / hole["rate_kg_s"] / 60.0, rel=1e-2)
    assert "choked" in hole["notes"] and "placeholder" in hole["notes"]
    # without a volume the registry's maximum quantity is the inventory
    rows, _ = qra_tank_scenarios.default_tank_scenarios(tank(HYDROGEN))
    assert rows[-1]["fireball_mass_kg"] == pytest.approx(50_000.0)


def test_carbon_monoxide_burns_and_poisons() -> None:
    rows, skip = qra_tank_scenarios.default_tank_scenarios(tank(CARBON_MONOXIDE, volume_m3=500.0))
    assert skip is None and {row["outcome"] for row in rows} == {"flammable"}
    assert all(row["toxic"] for row in rows)  # the unignited branch is the toxic cloud (CO probit)
    assert rows[0]["ignition_category"] == "gas_low_reactivity"


def test_a_cryogenic_ethylene_tank_is_named_not_modelled_as_compressed_gas() -> None:
    rows, skip = qra_tank_scenarios.default_tank_scenarios(tank(ETHYLENE, refrigerated=True))
    assert rows == [] and skip is not None and "refrigerated" in skip.message


def test_bromine_and_hydrogen_fluoride_evaporate_from_a_pool() -> None:
    rows, skip = qra_tank_scenarios.default_tank_scenarios(tank(BROMINE, pressurised=False, bund_area_m2=300.0))
    assert skip is None and [row["hole_size_class"] for row in rows] == ["10mm", "ten_minutes", "instantaneous"]
    assert {row["outcome"] for row in rows} == {"toxic"}
    # the whole inventory fills the 300 m2 bund: Mackay-Matsugu by hand at 5 m/s, 23.1 kPa (bromine at 20 degC)
    diameter = math.sqrt(4.0 * 300.0 / math.pi)
    k = 0.0048 * 5.0 ** (7 / 9) * diameter ** (-1 / 9) * 0.8 ** (-2 / 3)
    psat = source.vapour_pressure_pa(BROMINE, 293.15)
    assert psat == pytest.approx(23_300.0, rel=0.02)  # ICSC 0107: 23.3 kPa at 20 degC (recalled)
    expected = k * 300.0 * psat * 0.159808 / (8.314462618 * 293.15)
    assert rows[1]["rate_kg_s"] == pytest.approx(expected, rel=1e-3)
    unbunded, _ = qra_tank_scenarios.default_tank_scenarios(tank(BROMINE, pressurised=False))
    assert unbunded[1]["rate_kg_s"] > rows[1]["rate_kg_s"]
    hf, skip = qra_tank_scenarios.default_tank_scenarios(tank(HYDROGEN_FLUORIDE, pressurised=False))
    assert skip is None and "boiling point" in hf[0]["notes"]


def test_burgess_rate_agrees_with_babrauskas_where_both_exist_and_fills_in_acrylonitrile() -> None:
    """Burgess-Strasser-Grumer from ``chemicals`` properties against Babrauskas' m-infinity (the
    pool-fire table) for methanol, benzene and acetone: within 20 %. Acrylonitrile is not in the
    table; its liquid cp comes from Perry's Table 2-153 (108.7 J/mol/K at 25 degC; CRC: 108.8)."""
    for cas in ("67-56-1", "71-43-2", "67-64-1"):
        table = fuels.fuel_properties(cas)
        burgess = fire.burning_rate_burgess(
            table.heat_of_combustion_j_kg,
            table.heat_of_vaporisation_j_kg or 0.0,
            table.liquid_heat_capacity_j_kg_k or 0.0,
            table.boiling_point_k or 0.0,
            293.15,
        )
        assert burgess == pytest.approx(table.burning_rate_inf_kg_m2_s, rel=0.2)
    assert source.perry_liquid_heat_capacity_j_kg_k(ACRYLONITRILE, 298.15, 0.05306) * 0.05306 == pytest.approx(
        108.8, rel=0.02
    )
    acrylonitrile = fuels.fuel_properties(ACRYLONITRILE)
    assert acrylonitrile.burning_rate_inf_kg_m2_s is None
    assert 0.02 < fire.pool_burning_rate(acrylonitrile, 20.0, 293.15) < 0.08
    rows, skip = qra_tank_scenarios.default_tank_scenarios(tank(ACRYLONITRILE, pressurised=False))
    assert skip is None and rows[0]["direct_fire"] == "pool_fire"


GAP_TANKS = {  # cas: (pressurised, volume)
    HYDROGEN: (True, 200.0),
    METHANE: (True, 200.0),
    ETHYLENE: (True, 200.0),
    CARBON_MONOXIDE: (True, 200.0),
    "75-44-5": (True, None),
    "74-90-8": (False, None),
    "50-00-0": (True, None),
    "7446-09-5": (True, None),
    HYDROGEN_FLUORIDE: (False, None),
    BROMINE: (False, None),
    ACRYLONITRILE: (False, None),
}


def test_a_park_of_the_once_skipped_tanks_is_judged_and_has_risk_next_to_each_tank() -> None:
    """Eleven tanks 1.5 km apart on a ring, one per chemical the QRA used to skip: none is skipped,
    so the targets get a verdict other than "incomplete"; each tank raises the individual risk next
    to it."""
    radius_m = 1500.0
    angles = np.linspace(0.0, 2.0 * math.pi, len(GAP_TANKS), endpoint=False)
    positions = zones.local_to_lonlat(np.column_stack([radius_m * np.sin(angles), radius_m * np.cos(angles)]), *ORIGIN)
    tanks = [
        qra_tank_scenarios.TankInput(
            i, 1, f"T{i} {cas}", float(lon), float(lat), cas, cas, 20_000.0, pressurised, volume_m3=volume
        )
        for i, ((cas, (pressurised, volume)), (lon, lat)) in enumerate(zip(GAP_TANKS.items(), positions, strict=True))
    ]
    rows, skips = qra_tank_scenarios.default_study_scenarios(tanks)
    assert skips == []
    assert {row["tank_id"] for row in rows} == set(range(len(tanks)))
    target = accident.TargetInput(1, "学校", "school", {"type": "Point", "coordinates": list(ORIGIN)}, 500)
    result = qra_platform.run_study(
        scenario_rows=rows,
        weather_rows=list(qra_rows.DEFAULT_WEATHER_CLASSES),
        wind_rose=list(qra_rows.DEFAULT_WIND_ROSE),
        limit_rows=qra_rows.default_limits_rows(),
        fn_row=None,
        targets=[target],
        origin_lon=ORIGIN[0],
        origin_lat=ORIGIN[1],
        installation_status="existing",
        cell_m=100.0,
        margin_m=600.0,
        skipped=[],
    )
    assert result["missing"] == []
    assert result["target_checks"][0]["verdict"] in ("acceptable", "unacceptable")
    # the individual risk next to each tank (the engine's grid, same inputs as the study)
    scenarios = qra_rows.scenarios_from_rows(rows, *ORIGIN)
    grid, _note = qra_rows.grid_around(scenarios, 600.0, 100.0)
    risk = qra.run_qra(
        scenarios,
        qra_rows.weathers_from_rows(list(qra_rows.DEFAULT_WEATHER_CLASSES)),
        qra.WindRose(np.asarray(qra_rows.DEFAULT_WIND_ROSE)),
        grid,
    ).individual_risk_per_year
    release_point = {row["tank_id"]: (s.x_m, s.y_m) for row, s in zip(rows, scenarios, strict=True)}
    for tank_ in tanks:
        x, y = release_point[tank_.tank_id]
        column, row_ = int(np.argmin(np.abs(grid.x_m - (x + 100.0)))), int(np.argmin(np.abs(grid.y_m - y)))
        assert risk[row_, column] > 1e-9, tank_.cas  # 100 m from the tank


def test_a_compressed_gas_is_a_pressure_vessel_whatever_the_tank_kind() -> None:
    rows, _ = qra_tank_scenarios.default_tank_scenarios(tank(METHANE, pressurised=False, volume_m3=100.0))
    assert {row["equipment"] for row in rows} == {"pressure_vessel"}
    assert [row["hole_size_class"] for row in rows] == ["10mm", "ten_minutes", "instantaneous"]
