"""``chempark consequence``: JSON in, JSON out, exit 2 with one error line for bad input."""

import copy
import io
import json

import pytest

from chempark.consequence import cli
from chempark.consequence.adapters import MODELS

PLUME_REQUEST = {
    "model": "gaussian_plume",
    "release": {"rate_g_s": 48.4, "height_m": 0.46},
    "weather": {"wind_speed_m_s": 7.39, "wind_height_m": 2.0, "stability": "D", "terrain": "rural"},
    "receptors": [{"x_m": 100, "y_m": 0, "z_m": 1.5}],
}


def run(request, argv=None):
    stdin = io.StringIO(request if isinstance(request, str) else json.dumps(request))
    stdout, stderr = io.StringIO(), io.StringIO()
    code = cli.main(argv or ["-"], stdin=stdin, stdout=stdout, stderr=stderr)
    return code, stdout.getvalue(), stderr.getvalue()


def test_documented_plume_request():
    code, out, err = run(PLUME_REQUEST)
    assert (code, err) == (0, "")
    # hand value in test_dispersion.test_prairie_grass_run_22_at_100_m_by_hand
    assert json.loads(out)["concentrations_g_m3"] == [pytest.approx(0.0516578, rel=1e-5)]


def test_request_from_file(tmp_path):
    path = tmp_path / "plume.json"
    path.write_text(json.dumps(PLUME_REQUEST), encoding="utf-8")
    stdout, stderr = io.StringIO(), io.StringIO()
    assert cli.main([str(path)], stdout=stdout, stderr=stderr) == 0
    assert "concentrations_g_m3" in json.loads(stdout.getvalue())


def with_change(path, value):
    request = copy.deepcopy(PLUME_REQUEST)
    node = request
    *parents, last = path
    for key in parents:
        node = node[key]
    if value is KeyError:
        del node[last]
    else:
        node[last] = value
    return request


@pytest.mark.parametrize(
    ("request_", "code", "fragment"),
    [
        (with_change(("release", "rate_g_s"), -5), "invalid_value", "release.rate_g_s"),
        (with_change(("weather", "stability"), "H"), "invalid_input", "stability"),
        (with_change(("weather", "wind_speed_m_s"), 0.5), "invalid_input", "below 1 m/s"),
        (with_change(("weather", "wind_speed_m_s"), KeyError), "missing_field", "weather.wind_speed_m_s"),
        (with_change(("release",), KeyError), "missing_field", "release"),
        (with_change(("release", "rate_g_s"), "48"), "invalid_type", "release.rate_g_s"),
        (with_change(("receptors",), []), "invalid_value", "receptors"),
        (with_change(("receptors",), [{"y_m": 1}]), "missing_field", "receptors[0].x_m"),
        (with_change(("model",), "magic"), "unknown_model", "magic"),
        (with_change(("model",), KeyError), "missing_field", "model"),
        (with_change(("weather", "terrain"), "forest"), "invalid_input", "terrain"),
    ],
)
def test_bad_requests_exit_2_with_one_error_line(request_, code, fragment):
    exit_code, out, err = run(request_)
    assert exit_code == 2
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1
    error = json.loads(lines[0])["error"]
    assert error["code"] == code
    assert fragment in error["message"]


@pytest.mark.parametrize(
    ("text", "code"),
    [("{not json", "invalid_json"), ("[1, 2]", "invalid_type"), ('{"model": NaN}', "invalid_json")],
)
def test_unparsable_input(text, code):
    exit_code, _, err = run(text)
    assert exit_code == 2
    assert json.loads(err)["error"]["code"] == code


def test_usage_and_missing_file(tmp_path):
    assert run(PLUME_REQUEST, argv=["a", "b"])[0] == 2
    exit_code, _, err = run(PLUME_REQUEST, argv=[str(tmp_path / "absent.json")])
    assert exit_code == 2
    assert json.loads(err)["error"]["code"] == "file_not_readable"


def test_warnings_outside_validity():
    request = with_change(("receptors",), [{"x_m": 30, "z_m": 1.5}, {"x_m": 500, "z_m": 1.5}])
    code, out, _ = run(request)
    assert code == 0
    assert any("closer than 100 m" in warning for warning in json.loads(out)["warnings"])


def test_puff_request():
    request = {
        "model": "gaussian_puff",
        "release": {"mass_kg": 1.0, "height_m": 0.0},
        "weather": {"wind_speed_m_s": 3.0, "stability": "D", "mixing_height_m": 1.0e6},
        "receptors": [{"x_m": 100}],
    }
    code, out, _ = run(request)
    assert code == 0
    # hand value in test_dispersion.test_puff_peak_by_hand
    assert json.loads(out)["peak_concentrations_g_m3"] == [pytest.approx(1.95599, rel=1e-5)]


def test_every_model_name_is_unique_and_callable():
    assert {"gaussian_plume", "gaussian_puff"} <= set(MODELS)
    assert all(callable(adapter) for adapter in MODELS.values())


def test_threat_zone_request_with_levels_and_map():
    request = {
        "model": "threat_zone",
        "release": {"rate_g_s": 1000, "height_m": 2},
        "weather": {"wind_speed_m_s": 3, "stability": "D", "wind_from_deg": 270},
        "chemical": {"cas": "7782-50-5"},
        "levels": ["AEGL-1", "AEGL-3", "AEGL-2"],
        "source": {"lon_deg": 118.8, "lat_deg": 32.0},
    }
    code, out, err = run(request)
    assert (code, err) == (0, "")
    result = json.loads(out)
    extents = [zone["downwind_extent_m"] for zone in result["zones"]]
    assert result["zones"][0]["label"] == "AEGL-3 (60 min)"  # innermost first
    assert extents == sorted(extents)
    # AEGL-3 for chlorine, 20 ppm at 25 C: 20 * 70.906 / 24.4654 = 57.964 mg/m3
    assert result["zones"][0]["threshold_g_m3"] == pytest.approx(0.057964, rel=1e-4)
    ring = result["geojson"]["features"][0]["geometry"]["coordinates"][0]
    assert min(lon for lon, _ in ring) >= 118.8 - 1e-6  # wind from the west: zone lies east


def test_threat_zone_needs_wind_direction_for_the_map():
    request = {
        "model": "threat_zone",
        "release": {"rate_g_s": 100},
        "weather": {"wind_speed_m_s": 3, "stability": "D"},
        "thresholds": [{"label": "x", "concentration_g_m3": 0.01}],
        "source": {"lon_deg": 118.8, "lat_deg": 32.0},
    }
    code, _, err = run(request)
    assert code == 2
    assert "wind_from_deg" in json.loads(err)["error"]["message"]


def test_dense_gas_request():
    request = {
        "model": "dense_gas",
        "release": {"rate_kg_s": 10, "density_kg_m3": 3.0, "temperature_k": 239},
        "weather": {"wind_speed_m_s": 2, "stability": "F", "ambient_temperature_k": 293},
        "distances_m": [50, 300],
        "chemical": {"cas": "7782-50-5"},
    }
    code, out, _ = run(request)
    assert code == 0
    result = json.loads(out)
    assert result["recommended_model"] == "britter_mcquaid"
    assert result["volume_fraction"][0] > result["volume_fraction"][1]


@pytest.mark.parametrize(
    "request_",
    [
        {"model": "gas_release", "hole_diameter_m": 0.01, "pressure_pa": 1e6, "temperature_k": 298,
         "heat_capacity_ratio": 1.4, "cas": "7782-50-5"},
        {"model": "liquid_release", "hole_diameter_m": 0.02, "gauge_pressure_pa": 5e5,
         "liquid_density_kg_m3": 1000},
        {"model": "pool_evaporation", "cas": "67-56-1", "temperature_k": 293, "volume_m3": 1,
         "wind_speed_10m_m_s": 3},
    ],
)  # fmt: skip
def test_source_term_requests(request_):
    code, out, err = run(request_)
    assert (code, err) == (0, "")
    assert json.loads(out)["rate_kg_s"] > 0


def test_source_term_missing_field():
    code, _, err = run({"model": "gas_release", "hole_diameter_m": 0.01})
    assert code == 2
    assert json.loads(err)["error"]["code"] == "missing_field"


def test_dense_gas_request_at_altitude_uses_thinner_air():
    # at 2000 m the air is 79.5 kPa: lighter air, a larger density excess, so a larger criterion
    base = {
        "model": "dense_gas",
        "release": {"rate_kg_s": 1, "density_kg_m3": 1.5, "temperature_k": 293},
        "weather": {"wind_speed_m_s": 5, "stability": "D", "ambient_temperature_k": 293},
        "distances_m": [100],
    }
    _, sea, _ = run(base)
    high_request = {**base, "weather": {**base["weather"], "altitude_m": 2000}}
    _, high, _ = run(high_request)
    assert json.loads(high)["dense_gas_criterion"] > json.loads(sea)["dense_gas_criterion"]
