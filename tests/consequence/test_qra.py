"""QRA engine: individual risk against hand-computed cases, wind-direction conventions, F-N curve,
contours, GB 36894 check and properties (non-negative, linear in frequency)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chempark.consequence import qra
from chempark.consequence.errors import ConsequenceInputError
from chempark.consequence.qra import contours, lethality
from chempark.consequence.qra.model import WeatherClass

D5 = [qra.WeatherClass("D5", "D", 5.0, 1.0)]
UNIFORM = qra.WindRose(np.full(16, 1.0 / 16.0))
GRID = qra.Grid.covering(-300.0, -300.0, 300.0, 300.0, cells=121)  # 5 m cells


def _disc(radius_m: float):  # type: ignore[no-untyped-def]  # returns a closure the test passes straight to the engine
    def lethal(downwind: np.ndarray, crosswind: np.ndarray, _w: WeatherClass) -> np.ndarray:
        return np.where(np.hypot(downwind, crosswind) <= radius_m, 1.0, 0.0)

    return lethal


def _strip(length_m: float, half_width_m: float):  # type: ignore[no-untyped-def]  # returns a closure the test passes straight to the engine
    def lethal(downwind: np.ndarray, crosswind: np.ndarray, _w: WeatherClass) -> np.ndarray:
        inside = (downwind > 0.0) & (downwind <= length_m) & (np.abs(crosswind) <= half_width_m)
        return np.where(inside, 1.0, 0.0)

    return lethal


def _value_at(risk: np.ndarray, grid: qra.Grid, x: float, y: float) -> float:
    return float(risk[round((y - grid.y0_m) / grid.cell_m), round((x - grid.x0_m) / grid.cell_m)])


def test_ring_outcome_gives_frequency_times_branch_probability_inside() -> None:
    # f = 1e-4/yr, P(outcome) = 0.3, lethal disc of 100 m: IR = 3e-5 inside, 0 outside
    scenario = qra.ReleaseScenario("tank", 0.0, 0.0, 1e-4, (qra.Outcome("fire", 0.3, _disc(100.0), False),))
    risk = qra.individual_risk_grid([scenario], D5, UNIFORM, GRID)
    assert _value_at(risk, GRID, 50.0, 0.0) == pytest.approx(3e-5, rel=1e-9)
    assert _value_at(risk, GRID, 0.0, -90.0) == pytest.approx(3e-5, rel=1e-9)
    assert _value_at(risk, GRID, 150.0, 0.0) == 0.0


def test_directional_plume_with_uniform_rose_matches_angular_integral() -> None:
    # lethality exp(−c²/(2s²)) downwind of the source (s = 5 m), uniform wind direction: at r = 50 m
    # IR = f·(1/2π)·∫exp(−(r·sinψ)²/(2s²))dψ ≈ f·s/(r·√(2π)) = 1e-4·5/(50·2.506 63) = 3.9894e-6
    def plume(downwind: np.ndarray, crosswind: np.ndarray, _w: WeatherClass) -> np.ndarray:
        return np.where(downwind > 0.0, np.exp(-0.5 * (crosswind / 5.0) ** 2), 0.0)

    scenario = qra.ReleaseScenario("line", 0.0, 0.0, 1e-4, (qra.Outcome("plume", 1.0, plume),))
    risk = qra.individual_risk_grid([scenario], D5, UNIFORM, GRID)
    expected = 1e-4 * 5.0 / (50.0 * math.sqrt(2.0 * math.pi))
    assert _value_at(risk, GRID, 50.0, 0.0) == pytest.approx(expected, rel=0.03)
    assert _value_at(risk, GRID, 0.0, -50.0) == pytest.approx(expected, rel=0.03)
    point, _, _ = qra.point_risk_and_events([scenario], D5, UNIFORM, np.array([[0.0, 50.0]]), np.ones(1))
    assert float(point[0]) == pytest.approx(expected, rel=0.03)


def test_wind_from_north_puts_the_risk_to_the_south() -> None:
    north_only = np.zeros(16)
    north_only[0] = 1.0
    scenario = qra.ReleaseScenario("line", 0.0, 0.0, 1e-4, (qra.Outcome("plume", 1.0, _strip(200.0, 5.0)),))
    risk = qra.individual_risk_grid([scenario], D5, qra.WindRose(north_only), GRID, smear_sectors=False)
    assert _value_at(risk, GRID, 0.0, -100.0) == pytest.approx(1e-4)
    assert _value_at(risk, GRID, 0.0, 100.0) == 0.0
    assert _value_at(risk, GRID, 100.0, 0.0) == 0.0
    east_only = np.zeros(16)
    east_only[4] = 1.0  # wind from the east blows towards the west
    risk = qra.individual_risk_grid([scenario], D5, qra.WindRose(east_only), GRID, smear_sectors=False)
    assert _value_at(risk, GRID, -100.0, 0.0) == pytest.approx(1e-4)


def test_fn_curve_hand_example() -> None:
    # events: N = 2 at 1e-5, N = 10 at 1e-6, N = 0.5 at 1e-3 (below N = 1, ignored)
    n, f = qra.fn_curve(np.array([2.0, 10.0, 0.5]), np.array([1e-5, 1e-6, 1e-3]))
    assert n.tolist() == [2.0, 10.0]
    assert f == pytest.approx([1.1e-5, 1e-6])


def test_target_fatalities_and_gb36894_check() -> None:
    # a school of 200 people 50 m from a tank whose fire kills everyone within 100 m:
    # one event N = 200 at f·P = 1e-5·0.5 = 5e-6/yr; IR = 5e-6 > 3e-6 (high-sensitivity, existing)
    scenario = qra.ReleaseScenario("tank", 0.0, 0.0, 1e-5, (qra.Outcome("fire", 0.5, _disc(100.0), False),))
    school = qra.ProtectiveTarget("school", "high_sensitivity", 200.0, np.array([[50.0, 0.0]]))
    result = qra.run_qra([scenario], D5, UNIFORM, GRID, targets=[school], installation_status="existing")
    (check,) = result.target_checks
    assert check.individual_risk_per_year == pytest.approx(5e-6)
    assert check.limit_per_year == 3e-6
    assert not check.acceptable
    assert result.fn_n.tolist() == [200.0]
    assert result.fn_f_per_year == pytest.approx([5e-6])
    line = qra.FnCriterion("test", 1e-3, 2.0, 1e-5, 2.0, "hand", "test")
    # at N = 200: intolerable line 2.5e-8 < 5e-6 → intolerable
    assert line.assess(result.fn_n, result.fn_f_per_year) == "intolerable"


def test_polygon_target_shares_population() -> None:
    scenario = qra.ReleaseScenario("tank", 0.0, 0.0, 1e-5, (qra.Outcome("fire", 1.0, _disc(100.0), False),))
    # square from x = 50 to 150: half of it within the lethal disc (roughly) → N ≈ half the people
    block = qra.ProtectiveTarget(
        "block",
        "general_class_2",
        100.0,
        polygon_xy_m=np.array([[50.0, -50], [150, -50], [150, 50], [50, 50]]),
    )
    result = qra.run_qra([scenario], D5, UNIFORM, GRID, targets=[block])
    assert result.fn_n[0] == pytest.approx(40.0, abs=15.0)


def test_contour_of_a_disc_is_a_closed_circle() -> None:
    scenario = qra.ReleaseScenario("tank", 0.0, 0.0, 1e-4, (qra.Outcome("fire", 1.0, _disc(100.0), False),))
    smooth = qra.ReleaseScenario(
        "smooth",
        0.0,
        0.0,
        1e-4,
        (qra.Outcome("fade", 1.0, lambda d, c, w: np.exp(-np.hypot(d, c) / 50.0), False),),
    )
    result = qra.run_qra([smooth], D5, UNIFORM, GRID, contour_levels_per_year=(1e-5,))
    (ring,) = result.contours[1e-5]
    # 1e-4·exp(-r/50) = 1e-5 → r = 50·ln 10 = 115.13 m
    assert np.hypot(ring[:, 0], ring[:, 1]) == pytest.approx(115.13, abs=1.5)
    assert ring[0].tolist() == ring[-1].tolist()
    del scenario


def test_marching_squares_on_a_hand_grid() -> None:
    field = np.array([[0.0, 0.0, 0.0], [0.0, 2.0, 0.0], [0.0, 0.0, 0.0]])
    (line,) = contours.contour_lines(field, np.array([0.0, 1.0, 2.0]), np.array([0.0, 1.0, 2.0]), 1.0)
    # crossings half-way along the four edges around the centre: a closed diamond of 4 points + repeat
    assert len(line) == 5
    assert {tuple(p) for p in line.tolist()} == {(0.5, 1.0), (1.0, 0.5), (1.5, 1.0), (1.0, 1.5)}


def test_outcome_tree_probabilities() -> None:
    outcomes = qra.flammable_outcome_tree(
        p_direct_ignition=0.2,
        p_delayed_ignition=0.5,
        direct_fire=_disc(10.0),
        direct_fire_directional=False,
        flash_fire=_disc(10.0),
        explosion=_disc(10.0),
        toxic=_disc(10.0),
    )
    # direct 0.2; delayed 0.8·0.5 = 0.4 → flash 0.24, explosion 0.16; none 0.4 → toxic
    assert [(o.name, round(o.probability, 10)) for o in outcomes] == [
        ("direct_fire", 0.2),
        ("flash_fire", 0.24),
        ("explosion", 0.16),
        ("toxic_cloud", 0.4),
    ]


def test_default_data_tables() -> None:
    assert qra.release_frequency("pressure_vessel", "10mm") == 1e-5
    assert qra.direct_ignition_probability("gas_average_high_reactivity", "continuous", 20.0) == 0.5
    limits = qra.gb36894_limits()
    assert limits["general_class_3"].new_per_year == 1e-5
    assert limits["general_class_3"].existing_per_year == 3e-5
    assert all(row.confidence == "unconfirmed" for row in limits.values())
    with pytest.raises(ConsequenceInputError):
        qra.release_frequency("pressure_vessel", "huge")


def test_toxic_plume_lethality_is_high_near_and_zero_far() -> None:
    chlorine = lethality.toxic_plume_lethality(5.0, "7782-50-5", exposure_min=30.0)
    near, far = chlorine(np.array([100.0, 20_000.0]), np.zeros(2), D5[0])
    assert near > 0.9
    assert far < 1e-6


def test_progress_is_reported_up_to_one() -> None:
    scenario = qra.ReleaseScenario("tank", 0.0, 0.0, 1e-5, (qra.Outcome("fire", 1.0, _disc(50.0), False),))
    seen: list[float] = []
    qra.run_qra([scenario, scenario], D5, UNIFORM, GRID, on_progress=seen.append)
    assert seen == sorted(seen)
    assert seen[-1] == pytest.approx(1.0)


def test_inconsistent_inputs_are_rejected() -> None:
    scenario = qra.ReleaseScenario("tank", 0.0, 0.0, 1e-5, (qra.Outcome("fire", 1.0, _disc(50.0), False),))
    with pytest.raises(ConsequenceInputError, match="sum to 1"):
        qra.individual_risk_grid([scenario], [qra.WeatherClass("D5", "D", 5.0, 0.5)], UNIFORM, GRID)
    with pytest.raises(ConsequenceInputError, match="16 sectors"):
        qra.individual_risk_grid([scenario], D5, qra.WindRose(np.full(8, 1 / 8)), GRID)
    with pytest.raises(ConsequenceInputError, match="category"):
        qra.check_individual_risk("x", "palace", 1e-6, "new")


@settings(max_examples=15, deadline=None)
@given(st.floats(min_value=1e-8, max_value=1e-3), st.floats(min_value=1.5, max_value=100.0))
def test_risk_is_non_negative_and_linear_in_frequency(frequency: float, factor: float) -> None:
    def scenario(f: float) -> qra.ReleaseScenario:
        return qra.ReleaseScenario("s", 10.0, -20.0, f, (qra.Outcome("strip", 0.7, _strip(120.0, 8.0)),))

    small = qra.Grid.covering(-200.0, -200.0, 200.0, 200.0, cells=41)
    low = qra.individual_risk_grid([scenario(frequency)], D5, UNIFORM, small)
    high = qra.individual_risk_grid([scenario(frequency * factor)], D5, UNIFORM, small)
    assert np.all(low >= 0.0)
    assert np.all(high >= low)
    assert high == pytest.approx(low * factor, rel=1e-9, abs=1e-300)
