"""The ``chempark`` command routes to the pure tools and passes their exit codes through."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

CHEMPARK = [sys.executable, "-m", "chempark.cli"]


def run(*args: str, stdin: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CHEMPARK, *args], input=stdin, capture_output=True, text=True, timeout=120, check=False)


def test_gb18218_published_example() -> None:
    result = run("gb18218", "-", stdin='{"population_500m": 60, "holdings": [{"cas": "7446-09-5", "quantity_t": 200}]}')
    assert result.returncode == 0, result.stderr
    body = json.loads(result.stdout)
    assert (body["R"], body["level"], body["alpha"]) == (30, 3, 1.5)


UNKNOWN_SUBSTANCE = '{"population_500m": 5, "holdings": [{"name": "x", "quantity_t": 1}]}'


@pytest.mark.parametrize("stdin", ["{", '{"holdings": []}', UNKNOWN_SUBSTANCE])
def test_gb18218_bad_input_exit_2(stdin: str) -> None:
    result = run("gb18218", "-", stdin=stdin)
    assert result.returncode == 2
    assert "error" in json.loads(result.stderr.strip().splitlines()[-1])


def test_consequence_plume_and_bad_input() -> None:
    request = {
        "model": "gaussian_plume",
        "release": {"rate_g_s": 48.4, "height_m": 0.46},
        "weather": {"wind_speed_m_s": 7.39, "wind_height_m": 2.0, "stability": "D", "terrain": "rural"},
        "receptors": [{"x_m": 100, "y_m": 0, "z_m": 1.5}],
    }
    result = run("consequence", "-", stdin=json.dumps(request))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["concentrations_g_m3"][0] > 0
    request["weather"]["stability"] = "Q"  # type: ignore[index]  # the request is a nested dict of mixed value types
    assert run("consequence", "-", stdin=json.dumps(request)).returncode == 2
