"""Britter–McQuaid correlations and the dense-gas criterion against hand-worked values."""

import math

import numpy as np
import pytest

from chempark.consequence import dense_gas, dispersion
from chempark.consequence.errors import ConsequenceInputError

# 1 kg/s of a gas of density 2 kg/m3 in air of 1.2 kg/m3, 2 m/s wind at 10 m:
# q0 = 0.5 m3/s, D = sqrt(0.5/2) = 0.5 m, g0' = 9.80665 * 0.8/1.2 = 6.53777 m/s2
# alpha = 0.2 log10(6.53777^2 * 0.5 / 2^5) = 0.2 log10(0.667850) = -0.0350640
PLUME = {
    "release_density_kg_m3": 2.0,
    "ambient_density_kg_m3": 1.2,
    "wind_speed_10m_m_s": 2.0,
    "release_temperature_k": 293.0,
    "ambient_temperature_k": 293.0,
}


def test_plume_alpha_and_length_scale():
    result = dense_gas.britter_mcquaid_plume(1.0, 100.0, **PLUME)
    assert result.alpha == pytest.approx(-0.0350640, abs=1e-6)
    assert result.length_scale_m == pytest.approx(0.5)


def test_plume_near_field_by_hand():
    # x = 5 m -> x' = 10 < 30: C = 306/10^2 / (1 + 306/10^2) = 0.753695
    result = dense_gas.britter_mcquaid_plume(1.0, 5.0, **PLUME)
    assert float(result.volume_fraction) == pytest.approx(0.753695, rel=1e-5)


def test_plume_on_a_curve_by_hand():
    # curve Cm/C0 = 0.01, alpha > -0.20: beta = -0.52 alpha + 2.35 = 2.368233 -> x' = 233.45, x = 116.73 m
    x = 0.5 * 10 ** (-0.52 * -0.0350640 + 2.35)
    result = dense_gas.britter_mcquaid_plume(1.0, x, **PLUME)
    assert float(result.volume_fraction) == pytest.approx(0.01, rel=1e-6)


def test_cold_release_correction_by_hand():
    # Mole and heat balance (Britter & McQuaid 1988 §4.4): the curve gives the volume dilution C'
    # (gas and air at their own initial temperatures); n0 ~ C'/T0, na ~ (1 - C')/Ta, so
    # C = C' / (C' + (1 - C') T0/Ta). C' = 0.753695 (x' = 10), T0/Ta = 239/293:
    # C = 0.753695 / (0.753695 + 0.246305 * 0.815700) = 0.789539 -- higher than isothermal.
    cold = {**PLUME, "release_temperature_k": 239.0}
    result = dense_gas.britter_mcquaid_plume(1.0, 5.0, **cold)
    assert float(result.volume_fraction) == pytest.approx(0.789539, rel=1e-5)
    assert float(result.volume_fraction) > float(dense_gas.britter_mcquaid_plume(1.0, 5.0, **PLUME).volume_fraction)


def test_cold_release_far_field_tends_to_temperature_ratio():
    # far downwind (C' << 1) a cold cloud is Ta/T0 times the isothermal one: its moles of gas were
    # counted at T0 but mix with air counted at Ta
    cold = {**PLUME, "release_temperature_k": 150.0}
    ratio = (
        dense_gas.britter_mcquaid_plume(1.0, 3000.0, **cold).volume_fraction
        / dense_gas.britter_mcquaid_plume(1.0, 3000.0, **PLUME).volume_fraction
    )
    assert float(ratio) == pytest.approx(293.0 / 150.0, rel=2e-3)


# CCPS (1999) *Guidelines for Consequence Analysis of Chemical Releases* §2.3.2, the Britter-McQuaid
# LNG example (p. 122, adapted from the Burro trials): LNG spilled at 0.23 m3/s of liquid
# (425.6 kg/m3) for 174 s, vapour 1.76 kg/m3 at its boiling point -162 C, wind 10.9 m/s at 10 m,
# ambient 298 K and 1 atm; distance to the LFL of 5 % by volume. Published answer: 367 m.
CCPS_LNG = {
    "release_density_kg_m3": 1.76,
    "ambient_density_kg_m3": 101_325.0 * 0.028964 / (8.314462618 * 298.0),
    "wind_speed_10m_m_s": 10.9,
    "release_temperature_k": 273.15 - 162.0,
    "ambient_temperature_k": 298.0,
}
CCPS_LNG_RATE_KG_S = 0.23 * 425.6
CCPS_LNG_DISTANCE_TO_LFL_M = 367.0


def test_ccps_lng_example_distance_to_lfl():
    distance = dense_gas.distance_to_fraction_m("plume", CCPS_LNG_RATE_KG_S, 0.05, **CCPS_LNG)
    assert distance == pytest.approx(CCPS_LNG_DISTANCE_TO_LFL_M, rel=0.10)
    # the worked example reads the curves at the corrected target C* = C / (C + (1 - C) Ta/T0)
    # (0.0192 here); reading our isothermal curves at C* gives the same distance
    c_star = 0.05 / (0.05 + 0.95 * 298.0 / (273.15 - 162.0))
    isothermal = {**CCPS_LNG, "release_temperature_k": 298.0}
    assert dense_gas.distance_to_fraction_m("plume", CCPS_LNG_RATE_KG_S, c_star, **isothermal) == pytest.approx(
        distance, rel=1e-6
    )


def test_distance_to_fraction_edges():
    assert dense_gas.distance_to_fraction_m("puff", 1.0, 1e-9, **PLUME, max_distance_m=500.0) == 500.0
    with pytest.raises(ConsequenceInputError):
        dense_gas.distance_to_fraction_m("plume", 1.0, 1.5, **PLUME)


def test_concentration_falls_with_distance():
    distances = [2.0, 10.0, 50.0, 100.0, 300.0, 1000.0, 3000.0]
    for model in (dense_gas.britter_mcquaid_plume, dense_gas.britter_mcquaid_puff):
        values = model(1.0, distances, **PLUME).volume_fraction
        assert all(np.diff(values) <= 0)


def test_puff_on_a_curve_by_hand():
    # 1 kg -> V0 = 0.5 m3, V0^(1/3) = 0.793701 m; alpha = 0.5 log10(6.537767 * 0.793701 / 4) = 0.0565130
    # curve 0.01: -0.71 < alpha <= 0.37: beta = 0.34 alpha + 1.39 = 1.409054 -> x = 0.793701 * 10^beta
    alpha = 0.5 * math.log10(6.53777 * 0.5 ** (1 / 3) / 4)
    x = 0.5 ** (1 / 3) * 10 ** (0.34 * alpha + 1.39)
    result = dense_gas.britter_mcquaid_puff(1.0, x, **PLUME)
    assert result.alpha == pytest.approx(0.0565130, abs=1e-6)
    assert float(result.volume_fraction) == pytest.approx(0.01, rel=1e-6)


def test_selector_by_hand():
    # continuous: (g0' q0 / (u^3 D))^(1/3) = (6.537767 * 0.5 / (8 * 0.5))^(1/3) = 0.934932 >= 0.15
    choice = dispersion.select_dispersion_model(
        release="continuous",
        amount=1.0,
        release_density_kg_m3=2.0,
        ambient_density_kg_m3=1.2,
        wind_speed_10m_m_s=2.0,
    )
    assert choice.model == "britter_mcquaid"
    assert choice.criterion == pytest.approx(0.934932, rel=1e-5)
    light = dispersion.select_dispersion_model(
        release="instantaneous",
        amount=1.0,
        release_density_kg_m3=0.7,
        ambient_density_kg_m3=1.2,
        wind_speed_10m_m_s=2.0,
    )
    assert light.model == "gaussian"
    # a barely dense gas in strong wind is passive: sqrt(g0' V0^(1/3)) / u < 0.2
    weak = dispersion.select_dispersion_model(
        release="instantaneous",
        amount=1.0,
        release_density_kg_m3=1.21,
        ambient_density_kg_m3=1.2,
        wind_speed_10m_m_s=10.0,
    )
    assert weak.model == "gaussian"


def test_light_gas_rejected_by_dense_model():
    with pytest.raises(ConsequenceInputError, match="not denser"):
        dense_gas.britter_mcquaid_plume(1.0, 100.0, **{**PLUME, "release_density_kg_m3": 0.7})
