"""Flammable outcomes in the platform's QRA: default event trees for flammable tanks, and the
individual risk of one simple scenario computed by hand."""

from __future__ import annotations

import numpy as np
import pytest

from chempark.consequence import qra, qra_rows, qra_tank_scenarios
from chempark.consequence.errors import ConsequenceInputError

ORIGIN = (118.2, 39.2)
PROPANE = "74-98-6"


def explosion_only_row(**changes: object) -> dict[str, object]:
    """A propane release at the origin whose only outcome is an explosion: no direct ignition,
    every delayed ignition explodes (explosion_fraction 1), so the tree leaves p_delayed × 1."""
    row: dict[str, object] = {
        "name": "丙烷 测试",
        "lon": ORIGIN[0],
        "lat": ORIGIN[1],
        "cas": PROPANE,
        "outcome": "flammable",
        "frequency_per_year": 2.0e-5,
        "rate_kg_s": 1.0,
        "airborne_rate_kg_s": 1.0,
        "height_m": 1.0,
        "direct_fire": "jet_fire",
        "p_direct_ignition": 0.0,
        "p_delayed_ignition": 0.5,
        "explosion_fraction": 1.0,
        "explosion_mass_kg": 100.0,
    }
    row.update(changes)
    return row


def risk_at(rows: list[dict[str, object]], points: list[tuple[float, float]]) -> np.ndarray:
    scenarios = qra_rows.scenarios_from_rows(rows, *ORIGIN)
    weathers = qra_rows.weathers_from_rows(qra_rows.DEFAULT_WEATHER_CLASSES)
    rose = qra.WindRose(np.asarray(qra_rows.DEFAULT_WIND_ROSE))
    risk, _, _ = qra.point_risk_and_events(
        scenarios, weathers, rose, np.asarray(points, dtype=np.float64), np.ones(len(points))
    )
    return risk


def test_individual_risk_of_an_explosion_by_hand() -> None:
    # 100 kg propane, yield 3 %: W = 0.03 × 100 × 46.3 MJ/kg / 4.68 MJ/kg ≈ 30 kg TNT, ×2 ground
    # reflection ≈ 59 kg; at 5 m Z = 5 / 59^(1/3) ≈ 1.3 m/kg^(1/3): far above 0.3 bar, lethality 1;
    # at 2 km Z ≈ 513: a few Pa, lethality 0. The explosion is not directional and the weather
    # shares sum to 1, so IR(5 m) = f × (1 − 0) × p_delayed × 1 = 2e-5 × 0.5 = 1.0e-5 per year.
    [scenario] = qra_rows.scenarios_from_rows([explosion_only_row()], *ORIGIN)
    assert [(o.name, o.probability, o.directional) for o in scenario.outcomes] == [("explosion", 0.5, False)]
    risk = risk_at([explosion_only_row()], [(5.0, 0.0), (0.0, -5.0), (2000.0, 0.0)])
    assert risk[0] == pytest.approx(1.0e-5, rel=1e-9)
    assert risk[1] == pytest.approx(1.0e-5, rel=1e-9)
    assert risk[2] == 0.0


def test_the_event_tree_probabilities_by_hand() -> None:
    # p_direct 0.2, p_delayed 0.5, explosion fraction 0.4:
    # jet fire 0.2; flash fire 0.8 × 0.5 × 0.6 = 0.24; explosion 0.8 × 0.5 × 0.4 = 0.16
    [scenario] = qra_rows.scenarios_from_rows(
        [explosion_only_row(p_direct_ignition=0.2, explosion_fraction=0.4)], *ORIGIN
    )
    probabilities = {o.name: o.probability for o in scenario.outcomes}
    assert probabilities == pytest.approx({"direct_fire": 0.2, "flash_fire": 0.24, "explosion": 0.16})
    # without a given p_direct, the Purple Book table: average/high reactivity gas, 1 kg/s → 0.2
    row = explosion_only_row(ignition_category="gas_average_high_reactivity")
    del row["p_direct_ignition"]
    [scenario] = qra_rows.scenarios_from_rows([row], *ORIGIN)
    assert scenario.outcomes[0].probability == pytest.approx(0.2)


def test_bad_flammable_rows_are_refused() -> None:
    with pytest.raises(ConsequenceInputError, match="p_delayed_ignition"):
        qra_rows.scenarios_from_rows([explosion_only_row(p_delayed_ignition=1.5)], *ORIGIN)
    with pytest.raises(ConsequenceInputError, match="direct_fire"):
        qra_rows.scenarios_from_rows([explosion_only_row(direct_fire="fire_whirl")], *ORIGIN)
    with pytest.raises(ConsequenceInputError, match="fireball_mass_kg"):
        qra_rows.scenarios_from_rows([explosion_only_row(direct_fire="fireball")], *ORIGIN)
    with pytest.raises(ConsequenceInputError, match="outcome"):
        qra_rows.scenarios_from_rows([explosion_only_row(outcome="boom")], *ORIGIN)
    row = explosion_only_row()
    del row["p_direct_ignition"]
    with pytest.raises(ConsequenceInputError, match="ignition_category"):
        qra_rows.scenarios_from_rows([row], *ORIGIN)


def test_default_scenarios_of_flammable_tanks() -> None:
    propane = qra_tank_scenarios.TankInput(1, 1, "甲公司 丙烷球罐", *ORIGIN, PROPANE, "丙烷", 50_000.0, True)
    rows, reason = qra_tank_scenarios.default_tank_scenarios(propane)
    assert reason is None and [r["outcome"] for r in rows] == ["flammable", "flammable", "flammable"]
    assert [r["direct_fire"] for r in rows] == ["jet_fire", "jet_fire", "fireball"]
    assert rows[0]["ignition_category"] == "gas_average_high_reactivity"
    assert rows[0]["p_direct_ignition"] == 0.2  # continuous < 10 kg/s
    assert rows[1]["rate_kg_s"] == pytest.approx(50_000.0 / 600.0)  # whole inventory in 10 minutes
    assert rows[1]["p_direct_ignition"] == 0.5  # continuous 10–100 kg/s
    assert rows[0]["toxic"] is False and rows[0]["frequency_per_year"] == qra.release_frequency(
        "pressure_vessel", "10mm"
    )
    assert "placeholder" in rows[0]["p_delayed_source"]
    assert qra_rows.scenarios_from_rows(rows, *ORIGIN)[0].outcomes[0].name == "direct_fire"
    # chlorine stays a toxic scenario; a substance neither flammable nor toxic gets none
    chlorine = qra_tank_scenarios.TankInput(2, 1, "液氯储罐", *ORIGIN, "7782-50-5", "氯", 40_000.0, True)
    assert {r["outcome"] for r in qra_tank_scenarios.default_tank_scenarios(chlorine)[0]} == {"toxic"}
    nitrogen = qra_tank_scenarios.TankInput(3, 1, "液氮储罐", *ORIGIN, "7727-37-9", "氮", 10_000.0, True)
    assert qra_tank_scenarios.default_tank_scenarios(nitrogen)[0] == []
