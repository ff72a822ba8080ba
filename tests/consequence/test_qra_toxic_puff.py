"""The toxic branch of an instantaneous release: the toxic load of a passing puff, checked against a
numerical time integral of the puff model, and its place in the default tank scenarios."""

from __future__ import annotations

import numpy as np
import pytest

from chempark.consequence import dispersion, qra_rows, qra_tank_scenarios, toxic
from chempark.consequence.qra import lethality
from chempark.consequence.qra.model import WeatherClass

D5 = WeatherClass("D5", "D", 5.0, 1.0)
CHLORINE = "7782-50-5"


@pytest.mark.parametrize("cas", [CHLORINE, "7783-06-4"])  # n = 2 and n = 1.43 (hydrogen sulfide)
def test_puff_load_matches_the_time_integral_of_the_passing_puff(cas: str) -> None:
    mass_kg, x_m = 1000.0, 800.0
    load = float(lethality.puff_toxic_load_ppm_n_min(mass_kg, cas, np.array([x_m]), np.array([0.0]), D5)[0])
    # Integrate C(t)^n at the receptor from the time-resolved puff (σ grow with travel, so the
    # closed form, σ taken at x, is expected within a few per cent).
    times = np.linspace(1.0, 2 * x_m / D5.wind_speed_m_s, 1_001)
    g_m3 = np.array(
        [
            float(
                dispersion.gaussian_puff_concentration_g_m3(
                    mass_kg * 1000.0, x_m, 0.0, 0.0, time_s=t, wind_speed_m_s=5.0, release_height_m=0.0, stability="D"
                )
            )
            for t in times
        ]
    )
    ppm = toxic.mg_m3_to_ppm(g_m3 * 1000.0, toxic.molar_mass_g_mol(cas), D5.air_temperature_k)
    numeric = toxic.toxic_load(ppm, times / 60.0, toxic.probit_constants(cas).n)
    assert load == pytest.approx(numeric, rel=0.05)


def test_puff_lethality_falls_with_distance_and_grows_with_mass() -> None:
    distances = np.array([200.0, 500.0, 1000.0, 2000.0, 5000.0])
    small = lethality.toxic_puff_lethality(2000.0, CHLORINE)(distances, np.zeros(5), D5)
    large = lethality.toxic_puff_lethality(20000.0, CHLORINE)(distances, np.zeros(5), D5)
    assert np.all(np.diff(small) <= 0.0) and small[0] > 0.5
    assert np.all(large >= small) and large[2] > small[2]
    upwind = lethality.toxic_puff_lethality(2000.0, CHLORINE)(np.array([-200.0]), np.array([0.0]), D5)
    assert float(upwind[0]) == 0.0


def test_a_pressurised_chlorine_tank_gets_its_catastrophic_rupture() -> None:
    tank = qra_tank_scenarios.TankInput(1, 1, "液氯储罐", 118.2, 39.2, CHLORINE, "氯", 40_000.0, True)
    rows, reason = qra_tank_scenarios.default_tank_scenarios(tank)
    assert reason is None
    rupture = [r for r in rows if r["hole_size_class"] == "instantaneous"]
    assert len(rupture) == 1 and rupture[0]["release_kind"] == "instantaneous"
    assert 0.0 < rupture[0]["mass_kg"] <= 40_000.0
    scenarios = qra_rows.scenarios_from_rows(rows, 118.2, 39.2)
    built = next(s for s in scenarios if s.hole_size_class == "instantaneous")
    assert built.outcomes[0].name == "toxic_cloud"
    near = built.outcomes[0].lethality(np.array([300.0]), np.array([0.0]), D5)
    assert float(near[0]) > 0.9
    atmospheric = qra_tank_scenarios.TankInput(1, 1, "液氯储罐", 118.2, 39.2, CHLORINE, "氯", 40_000.0, False)
    rows, _reason = qra_tank_scenarios.default_tank_scenarios(atmospheric)
    assert all(r["hole_size_class"] != "instantaneous" for r in rows)


def test_an_unignited_ammonia_cloud_is_judged_as_a_toxic_puff() -> None:
    tank = qra_tank_scenarios.TankInput(1, 1, "液氨储罐", 118.2, 39.2, "7664-41-7", "氨", 20_000.0, True)
    rows, _reason = qra_tank_scenarios.default_tank_scenarios(tank)
    bleve = next(r for r in rows if r["hole_size_class"] == "instantaneous")
    assert bleve["toxic"] is True
    outcomes = qra_rows.flammable_outcomes(bleve, "row")
    assert "toxic_cloud" in [o.name for o in outcomes]
