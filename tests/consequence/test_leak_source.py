"""Leak-source estimation recovers a synthetic source and flags problems it cannot solve."""

import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from chempark.consequence import dispersion, leak_source
from chempark.consequence.errors import ConsequenceInputError
from tests.consequence.test_cli import run

DETECTORS_X = np.array([0.0, 100.0, 200.0, 300.0, 400.0, 150.0, 250.0, 350.0])
DETECTORS_Y = np.array([0.0, 30.0, -40.0, 60.0, -80.0, -100.0, 100.0, 0.0])


def readings(source_x, source_y, rate, noise, seed=0):
    # wind from the west (270 deg): downwind = +x (east), crosswind = +y (north)
    clean = dispersion.gaussian_plume_concentration_g_m3(
        rate, DETECTORS_X - source_x, DETECTORS_Y - source_y, 1.5,
        wind_speed_m_s=4.0, release_height_m=0.0, stability="D", mixing_height_m=math.inf,
    )  # fmt: skip
    return clean * np.exp(np.random.default_rng(seed).normal(0.0, noise, clean.size))


def estimate(values):
    return leak_source.estimate_leak_source(
        DETECTORS_X, DETECTORS_Y, values, wind_speed_m_s=4.0, wind_from_deg=270.0, stability="D"
    )


def test_exact_readings_give_the_exact_source():
    result = estimate(readings(-300.0, 20.0, 50.0, noise=0.0))
    assert result.x_m == pytest.approx(-300.0, abs=0.5)
    assert result.y_m == pytest.approx(20.0, abs=0.5)
    assert result.rate_g_s == pytest.approx(50.0, rel=1e-3)


@settings(max_examples=8, deadline=None)
@given(
    st.floats(min_value=-500.0, max_value=-150.0),
    st.floats(min_value=-40.0, max_value=40.0),
    st.floats(min_value=1.0, max_value=500.0),
    st.integers(min_value=0, max_value=1000),
)
def test_recovers_noisy_source_within_its_uncertainty(source_x, source_y, rate, seed):
    result = estimate(readings(source_x, source_y, rate, noise=0.1, seed=seed))
    assert not result.ill_posed
    # a 99.9 % Student-t interval on the detecting readings' degrees of freedom (the linearised
    # standard errors rest on few residuals); a wrong answer is far outside it
    k = stats.t.ppf(0.9995, result.residual_dof)
    assert abs(result.x_m - source_x) <= k * result.standard_error_x_m + 1.0
    assert abs(result.y_m - source_y) <= k * result.standard_error_y_m + 1.0
    assert abs(math.log(result.rate_g_s / rate)) <= k * math.log(result.rate_factor_1sigma) + 0.01


def test_readings_below_the_floor_do_not_count_as_degrees_of_freedom():
    # seed 137 puts two of the eight detectors below the detection floor
    result = estimate(readings(-150.0, 0.0, 1.0, noise=0.1, seed=137))
    assert int(np.sum(result.residuals_ln != 0)) == 8
    assert result.residual_dof == 8 - 2 - 3


def test_two_detectors_are_flagged_ill_posed():
    result = leak_source.estimate_leak_source(
        [0.0, 100.0], [0.0, 10.0], [0.01, 0.002], wind_speed_m_s=3.0, wind_from_deg=270.0, stability="D"
    )
    assert result.ill_posed
    assert any("degrees of freedom" in reason for reason in result.reasons)
    assert math.isinf(result.standard_error_x_m)


def test_bad_leak_input():
    with pytest.raises(ConsequenceInputError, match="all readings are zero"):
        leak_source.estimate_leak_source([0, 1], [0, 1], [0, 0], wind_speed_m_s=3, wind_from_deg=0, stability="D")
    with pytest.raises(ConsequenceInputError, match="at least 2"):
        leak_source.estimate_leak_source([0], [0], [1.0], wind_speed_m_s=3, wind_from_deg=0, stability="D")


def test_cli_leak_source_in_lon_lat():
    values = readings(-300.0, 20.0, 50.0, noise=0.0)
    # place the local frame at 118.8 E, 32.0 N; 1 deg lat = 110.85 km, 1 deg lon = 94.5 km there (approx.)
    detectors = [
        {"lon_deg": 118.8 + x / 94_500.0, "lat_deg": 32.0 + y / 110_850.0, "concentration_g_m3": float(c)}
        for x, y, c in zip(DETECTORS_X, DETECTORS_Y, values, strict=True)
    ]
    request = {
        "model": "leak_source",
        "detectors": detectors,
        "weather": {"wind_speed_m_s": 4.0, "stability": "D", "wind_from_deg": 270.0},
    }
    code, out, err = run(request)
    assert (code, err) == (0, "")
    result = json.loads(out)
    assert result["lon_deg"] == pytest.approx(118.8 - 300.0 / 94_500.0, abs=2e-5)
    assert result["ill_posed"] is False


def test_a_diverging_fit_is_refused_not_an_overflow(monkeypatch):
    """Found at scale (1,000 gas alarms on the one-map): a start whose log-rate overflows ``exp``
    raised OverflowError, a 500; now the rate is clipped inside the fit and a fit left at the clip is
    refused as input the model cannot use."""
    monkeypatch.setattr(leak_source, "_grid_start", lambda *args: np.array([-300.0, 20.0, 800.0]))
    with pytest.raises(ConsequenceInputError, match="diverged"):
        estimate(readings(-300.0, 20.0, 50.0, noise=0.0))
