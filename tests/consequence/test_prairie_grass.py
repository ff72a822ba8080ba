"""The Prairie Grass comparison runs end to end and reproduces the documented figures."""

import io
from pathlib import Path

import pytest

from chempark import config
from chempark.consequence import weather
from chempark.consequence.validation import prairie_grass

DATA_DIR = prairie_grass.PACKAGED_DATA_DIR


def test_loads_the_five_runs_with_meteorology():
    observations = prairie_grass.load_observations(DATA_DIR)
    assert sorted({arc.run for arc in observations}) == [7, 11, 22, 29, 35]
    assert len(observations) == 25
    run_22_first = next(arc for arc in observations if arc.run == 22)
    assert (run_22_first.distance_m, run_22_first.observed_max_g_m3, run_22_first.stability) == (
        50.0,
        0.224,
        "D",
    )


def test_default_scheme_meets_target_and_is_best_by_fac2():
    results = {r.scheme: r for r in prairie_grass.compare(prairie_grass.load_observations(DATA_DIR))}
    default = results[weather.DEFAULT_SIGMA_SCHEME].against_observed_max
    # figures recorded in docs/validation.md
    assert default.fac2 == pytest.approx(0.72)
    assert default.fb == pytest.approx(0.16, abs=0.005)
    assert default.fac2 >= 0.5
    assert abs(default.fb) <= 0.3
    assert default.fac2 == max(r.against_observed_max.fac2 for r in results.values())


def test_report_and_command_line(capsys):
    out = io.StringIO()
    observations = prairie_grass.load_observations(DATA_DIR)
    prairie_grass.write_report(observations, prairie_grass.compare(observations), out)
    assert "meets the target" in out.getvalue()
    assert prairie_grass.main(["--data-dir", str(DATA_DIR)]) == 0
    assert "| 22 | D | 7.39 |" in capsys.readouterr().out


def test_missing_data_dir_is_reported(tmp_path: Path, capsys):
    assert prairie_grass.main(["--data-dir", str(tmp_path)]) == 1
    assert "not found" in capsys.readouterr().err


def test_env_var_overrides_data_dir(monkeypatch, tmp_path: Path):
    monkeypatch.setattr(config, "_current", config.load({"CHEMPARK_SHARED_DIR": str(tmp_path)}))
    assert prairie_grass.default_data_dir() == tmp_path / "data" / "prairie_grass"
