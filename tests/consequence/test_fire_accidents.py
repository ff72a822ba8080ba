"""Fire and explosion zones for the 事故模拟 and the people counted in zones (pure)."""

from __future__ import annotations

import numpy as np
import pytest

from chempark.consequence import explosion, exposure, fire, fire_accidents, fuels


def test_a_tnt_zone_is_the_circle_of_the_explosion_models_distance() -> None:
    result = fire_accidents.simulate_fire(
        fire_accidents.FireScenario("vce_tnt", "74-98-6", mass_kg=2000.0), wind_speed_m_s=3.0, wind_from_deg=45.0
    )
    model = explosion.tnt_explosion(2000.0, fuels.heat_of_combustion_j_kg("74-98-6"))
    for zone, pa in zip(result.zones, sorted(explosion.STANDARD_OVERPRESSURE_LEVELS_PA, reverse=True), strict=True):
        radii = np.hypot(zone.polygon_m[:, 0], zone.polygon_m[:, 1])
        # the levels are shown rounded to 0.1 kPa; the zone is drawn at the rounded level
        expected = model.distance_to_overpressure_m(round(pa / 1000.0, 1) * 1000.0)
        assert radii == pytest.approx(expected, rel=1e-3)


def test_a_pool_flame_bent_by_the_wind_reaches_farther_downwind() -> None:
    scenario = fire_accidents.FireScenario("pool_fire", "86290-81-5", pool_diameter_m=20.0)
    # wind from the north: downwind is south (negative north coordinate)
    zone = fire_accidents.simulate_fire(scenario, wind_speed_m_s=5.0, wind_from_deg=0.0).zones[-1]
    assert -zone.polygon_m[:, 1].min() > zone.polygon_m[:, 1].max() * 1.05
    # still: a vertical flame, a circle, as far as the pool-fire model's own 1.6 kW/m² distance
    still = fire_accidents.simulate_fire(scenario, wind_speed_m_s=0.0, wind_from_deg=0.0).zones[-1]
    model = fire.pool_fire(20.0, fuels.fuel_properties("86290-81-5"))
    expected = fire.distances_to_flux_levels(model.flux_w_m2, levels_w_m2=(1.6e3,), r_max_m=1500.0)[1.6e3]
    assert still.reach_m == pytest.approx(expected, rel=1e-3)


def test_people_per_zone_count_everyone_within_each_reach() -> None:
    inner = np.array([[-10.0, -10.0], [10.0, -10.0], [10.0, 10.0], [-10.0, 10.0], [-10.0, -10.0]])
    shapes = [exposure.ZoneShape("inner", inner), exposure.ZoneShape("outer", inner * 100.0)]
    places = [
        exposure.TargetInput(1, "厂", "enterprise", {"type": "Point", "coordinates": [118.2, 39.2]}, 50, "enterprise"),
        exposure.TargetInput(2, "村", "village", {"type": "Point", "coordinates": [118.205, 39.2]}, 300, "population"),
    ]
    counts = exposure.people_per_zone(shapes, places, source_lon_deg=118.2, source_lat_deg=39.2)
    assert counts[0] == {"target": 0, "enterprise": 50, "population": 0, "total": 50}
    assert counts[1] == {"target": 0, "enterprise": 50, "population": 300, "total": 350}
    affected = exposure.affected_targets(shapes, places, source_lon_deg=118.2, source_lat_deg=39.2)
    assert [(a.name, a.zone_index, a.group) for a in affected] == [("厂", 0, "enterprise"), ("村", 1, "population")]
