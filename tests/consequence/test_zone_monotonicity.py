"""Zones never shrink when the release grows or the wind weakens, inside each model's range.

Where physics lets a zone shrink, the property is restricted and the reason given:

* Gaussian puff: the peak concentration of a passing puff depends on the distance travelled, not on
  the wind speed (the σ are functions of distance), so only "not shorter" (equal) is asserted.
* Britter–McQuaid: a weaker wind raises α (the cloud is more buoyancy-dominated and slumps wider),
  which can shorten the distance to a given concentration; only the release size is varied.
* Pool fire in wind: a stronger wind tilts the flame towards downwind receptors but shortens it
  (Thomas), so the downwind distance may grow or shrink with wind; only the pool size is varied.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from chempark.consequence import dense_gas, explosion, fire, fuels, zones

THRESHOLD_G_M3 = 0.01
GROWTH = st.floats(min_value=1.05, max_value=5.0)
STABILITY = st.sampled_from("ABCDEF")


def _plume_extent(rate_g_s: float, wind: float, stability: str) -> float:
    profile = zones.plume_profile(rate_g_s, wind_speed_m_s=wind, release_height_m=1.0, stability=stability)
    return zones.threat_zone(profile, THRESHOLD_G_M3).downwind_extent_m


def _puff_extent(mass_g: float, wind: float, stability: str) -> float:
    profile = zones.puff_profile(mass_g, wind_speed_m_s=wind, release_height_m=1.0, stability=stability)
    return zones.threat_zone(profile, THRESHOLD_G_M3).downwind_extent_m


@settings(max_examples=30, deadline=None)
@given(st.floats(min_value=1.0, max_value=1e4), STABILITY, st.floats(min_value=1.0, max_value=15.0), GROWTH)
def test_gaussian_plume_zone_grows_with_rate_and_weaker_wind(
    rate: float, stability: str, wind: float, factor: float
) -> None:
    base = _plume_extent(rate, wind, stability)
    assert _plume_extent(rate * factor, wind, stability) >= base
    assert _plume_extent(rate, max(wind / factor, 1.0), stability) >= base


@settings(max_examples=30, deadline=None)
@given(st.floats(min_value=10.0, max_value=1e6), STABILITY, st.floats(min_value=1.0, max_value=15.0), GROWTH)
def test_gaussian_puff_zone_grows_with_mass_and_does_not_shrink_in_weaker_wind(
    mass: float, stability: str, wind: float, factor: float
) -> None:
    base = _puff_extent(mass, wind, stability)
    assert _puff_extent(mass * factor, wind, stability) >= base
    assert _puff_extent(mass, max(wind / factor, 1.0), stability) >= base * (1 - 1e-9)


@settings(max_examples=30, deadline=None)
@given(
    st.floats(min_value=0.1, max_value=100.0),
    st.floats(min_value=1.0, max_value=10.0),
    st.sampled_from(["plume", "puff"]),
    GROWTH,
    st.floats(min_value=1e-3, max_value=0.05),
)
def test_dense_gas_distance_grows_with_release(
    amount: float, wind: float, kind: str, factor: float, fraction: float
) -> None:
    common = {
        "release_density_kg_m3": 3.0,
        "ambient_density_kg_m3": 1.2,
        "wind_speed_10m_m_s": wind,
        "release_temperature_k": 239.0,
        "ambient_temperature_k": 293.0,
    }
    base = dense_gas.distance_to_fraction_m(kind, amount, fraction, **common)
    assert dense_gas.distance_to_fraction_m(kind, amount * factor, fraction, **common) >= base


def _downwind(flux_at: object, level: float = 4e3) -> float:
    return fire.distances_to_flux_levels(flux_at, levels_w_m2=(level,))[level]


@settings(max_examples=20, deadline=None)
@given(st.floats(min_value=2.0, max_value=80.0), st.sampled_from(["lng", "gasoline", "methanol"]), GROWTH)
def test_pool_fire_zone_grows_with_diameter_for_every_sep_model(diameter: float, fuel: str, factor: float) -> None:
    properties = fuels.fuel_properties(fuel)
    small = fire.pool_fire(diameter, properties, wind_speed_m_s=3.0)
    large = fire.pool_fire(diameter * factor, properties, wind_speed_m_s=3.0)
    assert _downwind(large.flux_w_m2) >= _downwind(small.flux_w_m2)


@settings(max_examples=20, deadline=None)
@given(st.floats(min_value=0.1, max_value=500.0), GROWTH)
def test_jet_fire_zone_grows_with_rate(rate: float, factor: float) -> None:
    methane = fuels.fuel_properties("74-82-8")
    larger = fire.jet_fire(rate * factor, methane)
    assert _downwind(larger.flux_w_m2) >= _downwind(fire.jet_fire(rate, methane).flux_w_m2)


@settings(max_examples=20, deadline=None)
@given(st.floats(min_value=10.0, max_value=1e5), GROWTH)
def test_fireball_zone_grows_with_mass(mass: float, factor: float) -> None:
    propane = fuels.fuel_properties("74-98-6")
    small = fire.fireball(mass, propane)
    large = fire.fireball(mass * factor, propane)
    assert _downwind(large.flux_w_m2, 12.5e3) >= _downwind(small.flux_w_m2, 12.5e3)


@settings(max_examples=30, deadline=None)
@given(st.floats(min_value=1.0, max_value=1e6), GROWTH, st.floats(min_value=2e3, max_value=1e5))
def test_tnt_overpressure_distance_grows_with_mass(mass: float, factor: float, level_pa: float) -> None:
    distances = np.geomspace(1.0, 1e5, 2000)
    small = explosion.tnt_explosion(mass, 46e6).overpressure_pa(distances)
    large = explosion.tnt_explosion(mass * factor, 46e6).overpressure_pa(distances)
    # at every distance the larger charge gives at least the overpressure of the smaller one
    assert np.all(large >= small * (1 - 1e-12))
    assert np.sum(large >= level_pa) >= np.sum(small >= level_pa)
