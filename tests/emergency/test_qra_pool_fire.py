"""Pool fires of flammable liquids and BLEVE fireballs of pressurised liquefied gases in the
platform's QRA: which tanks get which trees, pool sizes, and the individual risk of one simple
scenario of each kind computed by hand."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

from chempark.consequence import qra, qra_rows, qra_tank_scenarios, source, spills
from chempark.consequence.errors import ConsequenceInputError
from chempark.core.actors import SYSTEM
from chempark.core.roles import Role
from chempark.emergency import services
from chempark.emergency.models import QraStatus, QraStudy

ORIGIN = (118.2, 39.2)
METHANOL = "67-56-1"
PROPANE = "74-98-6"


def tank(
    cas: str, substance: str, inventory_kg: float, pressurised: bool, bund_area_m2: float | None = None
) -> qra_tank_scenarios.TankInput:
    return qra_tank_scenarios.TankInput(
        1, 1, f"测试 {substance}罐", *ORIGIN, cas, substance, inventory_kg, pressurised, bund_area_m2
    )


def risk_at(rows: list[dict[str, object]], points: list[tuple[float, float]]) -> np.ndarray:
    scenarios = qra_rows.scenarios_from_rows(rows, *ORIGIN)
    weathers = qra_rows.weathers_from_rows(qra_rows.DEFAULT_WEATHER_CLASSES)
    rose = qra.WindRose(np.asarray(qra_rows.DEFAULT_WIND_ROSE))
    risk, _, _ = qra.point_risk_and_events(
        scenarios, weathers, rose, np.asarray(points, dtype=np.float64), np.ones(len(points))
    )
    return risk


@pytest.mark.parametrize(
    ("cas", "substance"),
    [(METHANOL, "甲醇"), ("71-43-2", "苯"), ("108-88-3", "甲苯"), ("64-17-5", "乙醇"), ("67-64-1", "丙酮")],
)
def test_flammable_liquids_get_pool_fire_trees(cas: str, substance: str) -> None:
    rows, reason = qra_tank_scenarios.default_tank_scenarios(tank(cas, substance, 50_000.0, False))
    assert reason is None
    assert [r["hole_size_class"] for r in rows] == ["10mm", "ten_minutes", "instantaneous"]
    assert {r["direct_fire"] for r in rows} == {"pool_fire"}
    assert [r["release_kind"] for r in rows] == ["continuous", "continuous", "instantaneous"]
    for row in rows:
        assert row["frequency_per_year"] == qra.release_frequency("atmospheric_tank_single", row["hole_size_class"])
        assert "Purple Book" in row["frequency_source"] and "Purple Book" in row["ignition_source"]
        assert row["ignition_category"] == "liquid_k1"  # all five have flash points below 21 °C
        assert row["p_direct_ignition"] == 0.065
        assert 0.0 < row["pool_diameter_m"] <= spills.MAX_POOL_DIAMETER_M
        assert row["airborne_rate_kg_s"] > 0.0  # vapour of the unignited pool for the flash fire
        assert "Mackay" in row["notes"]
    names = [[o.name for o in s.outcomes] for s in qra_rows.scenarios_from_rows(rows, *ORIGIN)]
    assert names == [["direct_fire", "flash_fire", "explosion"]] * 3


def test_liquefied_gases_get_a_fireball_only_when_pressurised() -> None:
    for cas in (PROPANE, "115-07-1", "106-99-0", "75-01-4"):  # LPG, propylene, butadiene, vinyl chloride
        rows, reason = qra_tank_scenarios.default_tank_scenarios(tank(cas, cas, 20_000.0, True))
        assert reason is None
        assert [(r["hole_size_class"], r["direct_fire"]) for r in rows] == [
            ("10mm", "jet_fire"),
            ("ten_minutes", "jet_fire"),
            ("instantaneous", "fireball"),
        ]
        bleve = rows[2]
        assert bleve["fireball_mass_kg"] == 20_000.0  # the whole inventory
        assert bleve["frequency_per_year"] == qra.release_frequency("pressure_vessel", "instantaneous")
        assert 0.0 < bleve["cloud_mass_kg"] <= 20_000.0
        [scenario] = qra_rows.scenarios_from_rows([bleve], *ORIGIN)
        assert [o.name for o in scenario.outcomes] == ["direct_fire", "flash_fire", "explosion"]
    # the same gas in an unpressurised tank: no BLEVE
    rows, _ = qra_tank_scenarios.default_tank_scenarios(tank(PROPANE, "丙烷", 20_000.0, False))
    assert "fireball" not in {r["direct_fire"] for r in rows}
    # a toxic-only substance keeps its toxic rows
    rows, _ = qra_tank_scenarios.default_tank_scenarios(tank("7782-50-5", "氯", 20_000.0, True))
    assert {r["outcome"] for r in rows} == {"toxic"}


def test_pool_diameter_from_spread_or_bund() -> None:
    # 1 t of methanol. COSTALD gives ρ ≈ 854 kg/m³ at 20 °C (measured ≈ 792: COSTALD is 8 % high
    # for this polar liquid, the pool diameter ≈ 4 % small): V ≈ 1.171 m³, spread to 10 mm →
    # A ≈ 117 m², D = √(4A/π) ≈ 12.2 m for the instantaneous loss; a 40 m² bund holds it to
    # √(160/π) = 7.14 m.
    rho = source.liquid_density_kg_m3(METHANOL, 293.15)
    assert rho == pytest.approx(854.0, rel=0.01)
    rows, _ = qra_tank_scenarios.default_tank_scenarios(tank(METHANOL, "甲醇", 1000.0, False))
    expected = math.sqrt(4.0 * (1000.0 / rho / 0.01) / math.pi)
    assert rows[2]["pool_diameter_m"] == pytest.approx(expected, abs=0.01)
    assert expected == pytest.approx(12.2, abs=0.1)
    rows, _ = qra_tank_scenarios.default_tank_scenarios(tank(METHANOL, "甲醇", 1000.0, False, bund_area_m2=40.0))
    assert rows[2]["pool_diameter_m"] == pytest.approx(math.sqrt(160.0 / math.pi), abs=0.01)
    assert "bund area" in rows[2]["notes"]
    # 500 t unbunded spreads past 100 m: capped
    rows, _ = qra_tank_scenarios.default_tank_scenarios(tank(METHANOL, "甲醇", 500_000.0, False))
    assert rows[2]["pool_diameter_m"] == spills.MAX_POOL_DIAMETER_M
    # a continuous leak burns as the pool whose burning consumes the outflow: m = m''·πD²/4,
    # methanol m'' = 0.017 kg/m²/s (Babrauskas, kβ = 100/m so m'' is m∞ at these sizes)
    rows, _ = qra_tank_scenarios.default_tank_scenarios(tank(METHANOL, "甲醇", 100_000.0, False))
    rate = rows[0]["rate_kg_s"]
    assert rows[0]["pool_diameter_m"] == pytest.approx(math.sqrt(4.0 * rate / (math.pi * 0.017)), abs=0.01)


def test_individual_risk_of_a_pool_fire_by_hand() -> None:
    # Methanol pool fire, D = 10 m. Mudan–Croce SEP = 140·e^(−0.12·10) + 20·(1 − e^(−1.2))
    # = 140 × 0.3012 + 20 × 0.6988 = 56.1 kW/m²; a receptor 2 m from the centre is inside the pool
    # (radius 5 m): view factor 1, no air path, q = 56.1 kW/m² ≥ 35 kW/m² → lethality 1.
    # At 500 m the flux is nil → 0 (the probit tail leaves < 1e-30). Only direct ignition (p_delayed 0, no vapour), not
    # directional, weather shares sum to 1:
    # IR(2 m) = f × p_direct × 1 = 1e-4 × 0.065 = 6.5e-6 per year.
    row = {
        "name": "甲醇池火 测试",
        "lon": ORIGIN[0],
        "lat": ORIGIN[1],
        "cas": METHANOL,
        "outcome": "flammable",
        "frequency_per_year": 1.0e-4,
        "release_kind": "continuous",
        "rate_kg_s": 1.0,
        "airborne_rate_kg_s": 0.0,
        "direct_fire": "pool_fire",
        "pool_diameter_m": 10.0,
        "p_direct_ignition": 0.065,
        "p_delayed_ignition": 0.0,
    }
    [scenario] = qra_rows.scenarios_from_rows([row], *ORIGIN)
    assert [(o.name, o.probability, o.directional) for o in scenario.outcomes] == [("direct_fire", 0.065, False)]
    risk = risk_at([row], [(2.0, 0.0), (0.0, -2.0), (500.0, 0.0)])
    assert risk[0] == pytest.approx(6.5e-6, rel=1e-9)
    assert risk[1] == pytest.approx(6.5e-6, rel=1e-9)
    assert risk[2] < 1e-30


def test_individual_risk_of_a_bleve_fireball_by_hand() -> None:
    # 10 t propane fireball (CCPS 1994): D = 5.8 × 10000^(1/3) = 125.0 m, centre at 0.75 D = 93.7 m,
    # SEP 350 kW/m², duration 0.45 × 10000^(1/3) = 9.7 s. At 50 m from the vessel: distance to the
    # centre √(50² + 93.7²) = 106.2 m, view factor (R/d)² = (62.5/106.2)² = 0.346, q ≈ 350 × 0.346
    # × τ (≈ 0.74 over the 44 m air path) ≈ 90 kW/m² ≥ 35 → lethality 1. At 2 km: nil → 0 (the
    # probit tail leaves < 1e-30).
    # p_direct 0.7 (average/high-reactivity gas, instantaneous ≥ 10 t), p_delayed 0:
    # IR(50 m) = 5e-7 × 0.7 = 3.5e-7 per year.
    row = {
        "name": "丙烷火球 测试",
        "lon": ORIGIN[0],
        "lat": ORIGIN[1],
        "cas": PROPANE,
        "outcome": "flammable",
        "frequency_per_year": 5.0e-7,
        "release_kind": "instantaneous",
        "mass_kg": 10_000.0,
        "direct_fire": "fireball",
        "fireball_mass_kg": 10_000.0,
        "ignition_category": "gas_average_high_reactivity",
        "p_delayed_ignition": 0.0,
    }
    [scenario] = qra_rows.scenarios_from_rows([row], *ORIGIN)
    assert [(o.name, o.probability, o.directional) for o in scenario.outcomes] == [("direct_fire", 0.7, False)]
    risk = risk_at([row], [(50.0, 0.0), (0.0, 50.0), (2000.0, 0.0)])
    assert risk[0] == pytest.approx(3.5e-7, rel=1e-9)
    assert risk[1] == pytest.approx(3.5e-7, rel=1e-9)
    assert risk[2] < 1e-30


def test_instantaneous_flash_fire_is_a_puff() -> None:
    # delayed ignition only, every delayed ignition a flash fire: lethal inside the puff's LFL
    # contour just downwind, nothing upwind (the puff never goes there) and nothing far away
    row = {
        "name": "丙烷闪火 测试",
        "lon": ORIGIN[0],
        "lat": ORIGIN[1],
        "cas": PROPANE,
        "outcome": "flammable",
        "frequency_per_year": 1.0e-6,
        "release_kind": "instantaneous",
        "mass_kg": 1000.0,
        "direct_fire": "fireball",
        "fireball_mass_kg": 1000.0,
        "cloud_mass_kg": 1000.0,
        "p_direct_ignition": 0.0,
        "p_delayed_ignition": 1.0,
        "explosion_fraction": 0.0,
    }
    [scenario] = qra_rows.scenarios_from_rows([row], *ORIGIN)
    [flash] = scenario.outcomes
    weather = qra.WeatherClass("D5", "D", 5.0, 1.0)
    values = flash.lethality(np.array([20.0, -20.0, 5000.0]), np.zeros(3), weather)
    assert values.tolist() == [1.0, 0.0, 0.0]


def test_bad_inputs_are_refused() -> None:
    with pytest.raises(ConsequenceInputError, match="bund_area_m2"):
        qra_tank_scenarios.default_tank_scenarios(tank(METHANOL, "甲醇", 1000.0, False, bund_area_m2=-5.0))
    with pytest.raises(ConsequenceInputError, match="bund_area_m2"):
        spills.spread_pool_diameter_m(1.0, bund_area_m2=0.0)
    rows, reason = qra_tank_scenarios.default_tank_scenarios(tank(METHANOL, "甲醇", 0.0, False))
    assert rows == [] and reason is not None and reason.code == "no_inventory"
    rows, reason = qra_tank_scenarios.default_tank_scenarios(tank(PROPANE, "丙烷", float("nan"), True))
    assert rows == [] and reason is not None and reason.code == "no_inventory"
    base = {
        "name": "x",
        "lon": ORIGIN[0],
        "lat": ORIGIN[1],
        "cas": PROPANE,
        "outcome": "flammable",
        "frequency_per_year": 1e-6,
        "release_kind": "instantaneous",
        "mass_kg": 1000.0,
        "direct_fire": "fireball",
        "fireball_mass_kg": 1000.0,
        "p_direct_ignition": 0.5,
    }
    for change, message in (
        ({"fireball_mass_kg": None}, "fireball_mass_kg"),
        ({"mass_kg": -1.0}, "mass_kg"),
        ({"direct_fire": "jet_fire"}, "jet fire"),
        ({"release_kind": "puff"}, "release_kind"),
        ({"direct_fire": "pool_fire", "pool_diameter_m": -3.0}, "pool_diameter_m"),
    ):
        with pytest.raises(ConsequenceInputError, match=message):
            qra_rows.scenarios_from_rows([{**base, **change}], *ORIGIN)


def test_flammable_rows_through_the_api_run_and_report(small_study: QraStudy, api: Any, run_jobs: Any) -> None:
    client = api(Role.EXPERT)
    path = f"/qra/studies/{small_study.pk}"
    methanol, _ = qra_tank_scenarios.default_tank_scenarios(tank(METHANOL, "甲醇", 20_000.0, False, bund_area_m2=300.0))
    propane, _ = qra_tank_scenarios.default_tank_scenarios(tank(PROPANE, "丙烷", 20_000.0, True))
    rows = [methanol[0], methanol[2], propane[2]]
    response = client.call("PATCH", path, {"scenarios": rows})
    assert response.status_code == 200, response.json()
    small_study.refresh_from_db()
    assert small_study.scenarios == rows  # stored as given, no empty fields added
    bad = {k: v for k, v in propane[2].items() if k != "fireball_mass_kg"}
    refused = client.call("PATCH", path, {"scenarios": [bad]})
    assert refused.status_code == 422 and "fireball_mass_kg" in refused.json()["message"]
    negative = client.call("PATCH", path, {"scenarios": [{**propane[2], "fireball_mass_kg": -1.0}]})
    assert negative.status_code == 422
    services.qra_start(actor=SYSTEM, pk=small_study.pk)
    run_jobs()
    study = QraStudy.objects.get(pk=small_study.pk)
    assert study.status == QraStatus.SUCCEEDED, study.error
    assert (study.results or {})["scenario_count"] == 3
    report = api(Role.INSPECTOR).call("GET", f"/qra/studies/{small_study.pk}/report")
    assert report.status_code == 200 and report.content.startswith(b"%PDF")


def _pool_fire_reach_m(row: dict[str, Any]) -> float:
    """Farthest distance (1 m steps) where the direct pool fire of ``row`` still kills 1 %."""
    [scenario] = qra_rows.scenarios_from_rows([{**row, "lon": ORIGIN[0], "lat": ORIGIN[1]}], *ORIGIN)
    direct = next(o for o in scenario.outcomes if o.name == "direct_fire")
    distances = np.arange(1.0, 400.0, 1.0)
    weather = qra_rows.weathers_from_rows(qra_rows.DEFAULT_WEATHER_CLASSES)[0]
    lethal = direct.lethality(distances, np.zeros_like(distances), weather) >= 0.01
    return float(distances[lethal].max()) if lethal.any() else 0.0


def test_a_bund_on_a_registry_tank_shrinks_its_pool_fire(park: Any) -> None:
    from chempark.park.services import registry_create, registry_update

    methanol = registry_create(actor=SYSTEM, kind="chemical", values={"name_zh": "甲醇", "cas": METHANOL})
    tank_row = registry_create(
        actor=SYSTEM,
        kind="tank",
        values={
            "unit": park.unit_a.pk,
            "code": "T09",
            "name": "甲醇储罐",
            "kind": "fixed_roof",
            "chemical": methanol.pk,
            "design_max_t": 50,
        },
    )

    def instantaneous_row() -> dict[str, Any]:
        rows, _notes = services.default_scenarios(SYSTEM)
        return next(r for r in rows if r["tank_id"] == tank_row.pk and r["hole_size_class"] == "instantaneous")

    open_row = instantaneous_row()
    # 50 t of methanol at 854 kg/m³ spread to 10 mm: 5 855 m², D ≈ 86.3 m
    spread_m2 = 50_000.0 / source.liquid_density_kg_m3(METHANOL, 293.15) / 0.01
    assert open_row["pool_diameter_m"] == pytest.approx(math.sqrt(4.0 * spread_m2 / math.pi), abs=0.01)
    registry_update(actor=SYSTEM, kind="tank", pk=tank_row.pk, values={"bund_area_m2": 200})
    bunded_row = instantaneous_row()
    assert bunded_row["pool_diameter_m"] == pytest.approx(math.sqrt(4.0 * 200.0 / math.pi), abs=0.01)
    assert "bund area 200 m2" in bunded_row["notes"]
    assert bunded_row["airborne_rate_kg_s"] < open_row["airborne_rate_kg_s"]  # less pool, less vapour
    open_reach, bunded_reach = _pool_fire_reach_m(open_row), _pool_fire_reach_m(bunded_row)
    assert 0.0 < bunded_reach < open_reach


def test_registry_tanks_of_gasoline_and_lpg_get_default_scenarios(park: Any) -> None:
    from chempark.park.services import registry_create

    for index, (name, cas, kind) in enumerate(
        (("汽油", "86290-81-5", "fixed_roof"), ("液化石油气", "68476-85-7", "sphere"))
    ):
        chemical = registry_create(actor=SYSTEM, kind="chemical", values={"name_zh": name, "cas": cas})
        registry_create(
            actor=SYSTEM,
            kind="tank",
            values={
                "unit": park.unit_a.pk,
                "code": f"M{index}",
                "name": f"{name}储罐",
                "kind": kind,
                "chemical": chemical.pk,
                "design_max_t": 30,
            },
        )
    rows, notes = services.default_scenarios(SYSTEM)
    fires = {(r["cas"], r["direct_fire"]) for r in rows if r["outcome"] == "flammable"}
    assert {("86290-81-5", "pool_fire"), ("68476-85-7", "jet_fire"), ("68476-85-7", "fireball")} <= fires
    assert not [n for n in notes if "汽油" in n["subject"] or "液化石油气" in n["subject"]]
