"""JSON adapters of the fire and explosion models: shapes, units, warnings and input errors."""

from __future__ import annotations

import json
from typing import Any

import pytest

from chempark.consequence.adapters import explosion as explosion_adapters
from chempark.consequence.adapters import fire as fire_adapters
from chempark.consequence.errors import ConsequenceInputError

POOL_REQUEST: dict[str, Any] = {
    "model": "pool_fire",
    "pool": {"diameter_m": 20, "fuel_cas": "71-43-2"},
    "weather": {"wind_speed_m_s": 3, "relative_humidity": 0.6, "air_temperature_k": 293.15},
    "receptors": [{"x_m": 50, "y_m": 0}, {"x_m": 100, "y_m": 0}],
}


def _run(models: dict[str, Any], request: dict[str, Any]) -> dict[str, Any]:
    result = models[request["model"]](request)
    json.dumps(result)  # must be JSON-serialisable as is
    return dict(result)


def test_pool_fire_request_from_the_issue() -> None:
    result = _run(fire_adapters.MODELS, POOL_REQUEST)
    near, far = result["flux_kw_m2"]
    assert near > far > 0
    assert set(result["downwind_distance_to_flux_m"]) == {"37.5", "25", "12.5", "4", "1.6"}
    assert result["flame_tilt_deg"] > 0
    # Benzene is in the Babrauskas table: m″ = 0.085·(1 − e^(−2.7·20)) = 0.085
    assert result["burning_rate_kg_m2_s"] == pytest.approx(0.085)


def test_pool_fire_exposure_gives_lethality() -> None:
    request = {**POOL_REQUEST, "exposure_s": 60, "receptors": [{"x_m": 12}, {"x_m": 500}]}
    result = _run(fire_adapters.MODELS, request)
    close, distant = result["lethality_probability"]
    assert close > 0.5
    assert distant < 1e-6


def test_fuel_by_name_and_small_pool_warning() -> None:
    request = {"model": "pool_fire", "pool": {"diameter_m": 0.5, "fuel": "gasoline"}}
    result = _run(fire_adapters.MODELS, request)
    assert any("optically thin" in warning for warning in result["warnings"])
    assert result["flux_kw_m2"] == []


def test_jet_fire_and_fireball_requests() -> None:
    jet = _run(
        fire_adapters.MODELS,
        {
            "model": "jet_fire",
            "release": {"mass_rate_kg_s": 3, "fuel_cas": "74-98-6", "jet_velocity_m_s": 200},
            "receptors": [{"x_m": 30}, {"x_m": 60}],
        },
    )
    assert jet["flux_kw_m2"][0] > jet["flux_kw_m2"][1]
    # Chamberlain: 0.21·e^(−0.646) + 0.11 = 0.21·0.524 15 + 0.11 = 0.220 07
    assert jet["radiant_fraction"] == pytest.approx(0.2201, abs=1e-4)
    ball = _run(
        fire_adapters.MODELS,
        {
            "model": "fireball",
            "fireball": {"mass_kg": 10000, "fuel_cas": "74-98-6"},
            "receptors": [{"x_m": 200}],
        },
    )
    # D = 5.8·10000^(1/3) = 5.8·21.544 = 124.96 m; t = 0.45·21.544 = 9.695 s
    assert ball["diameter_m"] == pytest.approx(124.96, abs=0.01)
    assert ball["exposure_s"] == pytest.approx(9.69, abs=0.01)
    assert 0.0 <= ball["lethality_probability"][0] <= 1.0


def test_tnt_and_multi_energy_requests() -> None:
    tnt = _run(
        explosion_adapters.MODELS,
        {
            "model": "tnt_explosion",
            "cloud": {"mass_kg": 1000, "fuel_cas": "74-98-6", "yield_factor": 0.1},
            "receptors": [{"x_m": 100, "y_m": 0}, {"x_m": 0, "y_m": 400}],
        },
    )
    near, far = tnt["overpressure_kpa"]
    assert near > far
    # 1 psi = 6.894 757 kPa; the distance table is keyed by kPa
    assert tnt["distance_to_overpressure_m"]["6.89476"] == pytest.approx(169.0, rel=0.02)
    assert tnt["damage"][0] != tnt["damage"][1]
    me = _run(
        explosion_adapters.MODELS,
        {
            "model": "multi_energy",
            "blast": {"strength": 7, "congested_volume_m3": 2000},
            "receptors": [{"x_m": 50}, {"x_m": 300}],
        },
    )
    assert me["overpressure_kpa"][0] > me["overpressure_kpa"][1]
    assert me["warnings"]


@pytest.mark.parametrize(
    ("models", "request_body", "message"),
    [
        (fire_adapters.MODELS, {"model": "pool_fire"}, "pool"),
        (
            fire_adapters.MODELS,
            {"model": "pool_fire", "pool": {"diameter_m": -3, "fuel": "diesel"}},
            "diameter_m",
        ),
        (
            fire_adapters.MODELS,
            {"model": "pool_fire", "pool": {"diameter_m": 3, "fuel": "unobtainium"}},
            "fuel",
        ),
        (
            fire_adapters.MODELS,
            {"model": "pool_fire", "pool": {"diameter_m": "3", "fuel": "diesel"}},
            "number",
        ),
        (
            fire_adapters.MODELS,
            {"model": "fireball", "fireball": {"mass_kg": 0, "fuel": "diesel"}},
            "mass_kg",
        ),
        (
            fire_adapters.MODELS,
            {"model": "jet_fire", "release": {"mass_rate_kg_s": 1, "fuel": "diesel", "orientation": "up"}},
            "orientation",
        ),
        (explosion_adapters.MODELS, {"model": "tnt_explosion", "cloud": {"mass_kg": 10}}, "fuel"),
        (
            explosion_adapters.MODELS,
            {"model": "tnt_explosion", "cloud": {"mass_kg": 10, "fuel": "diesel", "yield_factor": 2}},
            "yield_factor",
        ),
        (
            explosion_adapters.MODELS,
            {"model": "multi_energy", "blast": {"strength": 12, "energy_j": 1e9}},
            "strength",
        ),
        (
            explosion_adapters.MODELS,
            {"model": "multi_energy", "blast": {"strength": 5.5, "energy_j": 1e9}},
            "integer",
        ),
    ],
)
def test_bad_requests_raise_clear_errors(models: dict[str, Any], request_body: dict[str, Any], message: str) -> None:
    with pytest.raises(ConsequenceInputError, match=message):
        models[request_body["model"]](request_body)


def test_models_are_registered_in_the_merged_table() -> None:
    from chempark.consequence.adapters import MODELS

    for name in ("pool_fire", "jet_fire", "fireball", "tnt_explosion", "multi_energy"):
        assert name in MODELS
