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
    # C' = 0.753695 (x' = 10); Ta/T0 = 293/239: C = C' / (C' + (1 - C') 1.225941) = 0.713705
    cold = {**PLUME, "release_temperature_k": 239.0}
    result = dense_gas.britter_mcquaid_plume(1.0, 5.0, **cold)
    c = 0.753695
    assert float(result.volume_fraction) == pytest.approx(c / (c + (1 - c) * 293 / 239), rel=1e-5)


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
