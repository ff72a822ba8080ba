"""Gaussian plume and puff against hand-worked values, plus physical properties."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chempark.consequence import dispersion
from chempark.consequence.errors import ConsequenceInputError


def plume(rate, x, y=0.0, z=0.0, **kwargs):
    options = {"wind_speed_m_s": 5.0, "release_height_m": 0.0, "stability": "D", "mixing_height_m": math.inf}
    options.update(kwargs)
    return dispersion.gaussian_plume_concentration_g_m3(rate, x, y, z, **options)


def test_ground_release_centreline_by_hand():
    # Q = 100 g/s, u = 5 m/s, D, x = 1 km, ground source and receptor, ISC3 sigmas:
    # sigma_y = 68.1267 m, sigma_z = 32.093 m; with ground reflection V = 2:
    # C = Q / (pi u sigma_y sigma_z) = 100 / (pi * 5 * 68.1267 * 32.093) = 2.91174e-3 g/m3
    assert float(plume(100.0, 1000.0)) == pytest.approx(2.91174e-3, rel=1e-5)


def test_prairie_grass_run_22_at_100_m_by_hand():
    # Q = 48.4 g/s, u = 7.39 m/s, H = 0.46 m, z = 1.5 m, D, x = 100 m:
    # sigma_y = 8.20097 m, sigma_z = 4.65117 m
    # V = exp(-0.5 (1.04/4.65117)^2) + exp(-0.5 (1.96/4.65117)^2) = 0.97531 + 0.91498
    # C = 48.4 / (2 pi 7.39 8.20097 4.65117) * V = 0.0516578 g/m3 (lid at 800 m adds < 1e-9)
    got = plume(48.4, 100.0, 0.0, 1.5, wind_speed_m_s=7.39, release_height_m=0.46, mixing_height_m=None)
    assert float(got) == pytest.approx(0.0516578, rel=1e-5)


def test_crosswind_gaussian_shape():
    # at y = sigma_y the concentration is exp(-1/2) of the centre-line value
    centre, off = plume(100.0, np.array([1000.0, 1000.0]), np.array([0.0, 68.1267]))
    assert off / centre == pytest.approx(math.exp(-0.5), rel=1e-5)


def test_well_mixed_limit_under_the_lid():
    # class A at 3 km: sigma_z = min(453.85 * 3^2.1166, 5000) = 4642.9 m > 1.6 * 500 m lid, so
    # C = Q / (sqrt(2 pi) u sigma_y zi) with sigma_y = 546.375 m: 100/(2.50663*5*546.375*500) = 2.92065e-5
    got = plume(100.0, 3000.0, stability="A", mixing_height_m=500.0)
    assert float(got) == pytest.approx(2.92065e-5, rel=1e-4)


def test_lid_raises_ground_concentration():
    # reflection from a low lid can only add material below it
    free = float(plume(100.0, 2000.0, stability="D"))
    capped = float(plume(100.0, 2000.0, stability="D", mixing_height_m=60.0))
    assert capped > free


def test_upwind_receptors_get_zero():
    assert plume(100.0, np.array([-50.0, 0.0])).tolist() == [0.0, 0.0]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"wind_speed_m_s": 0.8}, "below 1 m/s"),
        ({"stability": "G"}, "stability"),
        ({"release_height_m": -1.0}, "release_height_m"),
        ({"release_height_m": 900.0, "mixing_height_m": 800.0}, "mixing height"),
    ],
)
def test_plume_rejects_bad_input(kwargs, message):
    with pytest.raises(ConsequenceInputError, match=message):
        plume(100.0, 500.0, **kwargs)


def test_negative_rate_rejected():
    with pytest.raises(ConsequenceInputError, match="rate_g_s"):
        plume(-1.0, 500.0)


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from("ABCDEF"),
    st.floats(min_value=0.0, max_value=50.0),
    st.floats(min_value=1.0, max_value=15.0),
)
def test_concentration_falls_beyond_its_maximum(stability, height, wind):
    x = np.geomspace(20.0, 20_000.0, 400)
    values = plume(10.0, x, 0.0, 1.5, stability=stability, release_height_m=height, wind_speed_m_s=wind)
    peak = int(np.argmax(values))
    assert np.all(np.diff(values[peak:]) <= 1e-15)


@given(st.floats(min_value=1.0, max_value=20.0), st.floats(min_value=1.01, max_value=3.0))
def test_concentration_falls_with_wind_speed(wind, factor):
    slow = float(plume(10.0, 500.0, wind_speed_m_s=wind))
    fast = float(plume(10.0, 500.0, wind_speed_m_s=wind * factor))
    assert fast < slow
    assert slow / fast == pytest.approx(factor, rel=1e-9)  # C is proportional to 1/u


def test_puff_peak_by_hand():
    # M = 1 kg, ground release and receptor, D, x = 100 m, Slade puff sigmas:
    # sigma_x = sigma_y = 0.06 * 100^0.92 = 4.15099 m, sigma_z = 0.15 * 100^0.70 = 3.76783 m
    # C = 2 M / ((2 pi)^1.5 sigma_x sigma_y sigma_z) = 2000 / (15.7496 * 4.15099^2 * 3.76783) = 1.95599 g/m3
    got = dispersion.gaussian_puff_peak_concentration_g_m3(
        1000.0,
        100.0,
        0.0,
        0.0,
        wind_speed_m_s=3.0,
        release_height_m=0.0,
        stability="D",
        mixing_height_m=math.inf,
    )
    assert float(got) == pytest.approx(1.95599, rel=1e-5)


def test_puff_conserves_mass():
    # integrating the puff over all space must return the released mass
    x = np.linspace(150.0, 450.0, 121)
    y = np.linspace(-60.0, 60.0, 121)
    z = np.linspace(0.0, 60.0, 121)
    gx, gy, gz = np.meshgrid(x, y, z, indexing="ij")
    c = dispersion.gaussian_puff_concentration_g_m3(
        500.0,
        gx,
        gy,
        gz,
        time_s=100.0,
        wind_speed_m_s=3.0,
        release_height_m=0.0,
        stability="D",
        mixing_height_m=math.inf,
    )
    total = np.trapezoid(np.trapezoid(np.trapezoid(c, z, axis=2), y, axis=1), x)
    assert total == pytest.approx(500.0, rel=2e-3)


def test_puff_moves_with_the_wind():
    x = np.linspace(1.0, 1000.0, 1000)
    c = dispersion.gaussian_puff_concentration_g_m3(
        1000.0, x, 0.0, 0.0, time_s=100.0, wind_speed_m_s=4.0, release_height_m=0.0, stability="D"
    )
    assert x[int(np.argmax(c))] == pytest.approx(400.0, abs=1.0)


def test_validity_warnings():
    warnings = dispersion.plume_validity_warnings(np.array([50.0, 20_000.0]), 1.5, "F")
    assert len(warnings) == 3
    assert dispersion.plume_validity_warnings(np.array([500.0]), 5.0, "D") == []
