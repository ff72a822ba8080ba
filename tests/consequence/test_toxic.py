"""Levels of concern, unit conversion, toxic load and probits against hand-worked values."""

import csv
import math
from pathlib import Path

import pytest

from chempark.common.identifiers import cas_problem
from chempark.consequence import toxic
from chempark.consequence.errors import ConsequenceInputError

DATA = Path(toxic.__file__).with_name("data")


def test_ppm_to_mg_m3_at_25_c():
    # Vm = 8.314462618 * 298.15 / 101325 = 0.0244654 m3/mol = 24.4654 L/mol
    # chlorine 20 ppm: 20 * 70.906 / 24.4654 = 57.964 mg/m3
    assert float(toxic.ppm_to_mg_m3(20.0, 70.906)) == pytest.approx(57.964, rel=1e-4)
    assert float(toxic.mg_m3_to_ppm(57.964, 70.906)) == pytest.approx(20.0, rel=1e-4)


def test_ppm_to_mg_m3_at_0_c():
    # Vm(273.15 K) = 22.4140 L/mol: 20 * 70.906 / 22.4140 = 63.270 mg/m3
    assert float(toxic.ppm_to_mg_m3(20.0, 70.906, temperature_k=273.15)) == pytest.approx(63.270, rel=1e-4)


def test_molar_mass_from_chemicals():
    assert toxic.molar_mass_g_mol("7782-50-5") == pytest.approx(70.906, rel=1e-4)
    with pytest.raises(ConsequenceInputError):
        toxic.molar_mass_g_mol("1-23-4")


def test_level_lookup():
    assert toxic.level_of_concern("7782-50-5", "AEGL-2", 60).value_ppm == 2.0
    assert toxic.level_of_concern("7783-06-4", "aegl-3", 10).value_ppm == 76.0
    with pytest.raises(ConsequenceInputError, match="no confirmed"):
        toxic.level_of_concern("7782-50-5", "ERPG-2", 60)
    with pytest.raises(ConsequenceInputError, match="no confirmed"):
        toxic.level_of_concern("7446-09-5", "AEGL-2", 10)
    with pytest.raises(ConsequenceInputError, match="unknown level"):
        toxic.level_of_concern("7782-50-5", "IDLH")


@pytest.mark.parametrize(
    ("cas", "level", "duration_min", "ppm"),
    [
        # chlorine 4 h and 8 h (Wikipedia AEGL article table, after NRC 2004)
        ("7782-50-5", "AEGL-1", 480, 0.50),
        ("7782-50-5", "AEGL-2", 240, 1.0),
        ("7782-50-5", "AEGL-3", 480, 7.1),
        # hydrogen cyanide (NRC 2002 values, restated for acetone cyanohydrin, nap.edu record 12503)
        ("74-90-8", "AEGL-1", 10, 2.5),
        ("74-90-8", "AEGL-2", 60, 7.1),
        ("74-90-8", "AEGL-3", 30, 21.0),
        ("74-90-8", "AEGL-3", 240, 8.6),
        # AEGL-1 held constant over 10 min ... 8 h
        ("7446-09-5", "AEGL-1", 60, 0.20),
        ("7647-01-0", "AEGL-1", 480, 1.8),
        ("7664-39-3", "AEGL-1", 10, 1.0),
        ("7664-39-3", "ERPG-2", 60, 20.0),
    ],
)
def test_added_levels_by_source(cas, level, duration_min, ppm):
    entry = toxic.level_of_concern(cas, level, duration_min)
    assert entry.value_ppm == ppm
    assert entry.source.strip()


def test_level_table_cas_numbers_and_names_are_consistent():
    rows = list(csv.DictReader((DATA / "toxic_levels.csv").open(encoding="utf-8")))
    names: dict[str, set[str]] = {}
    keys = set()
    for row in rows:
        assert cas_problem(row["cas"]) is None, row["cas"]
        assert row["level"] in toxic.LEVEL_NAMES, row
        assert float(row["value_ppm"]) > 0.0, row
        if not row["level"].startswith("AEGL"):
            assert float(row["duration_min"]) == 60.0, row  # ERPG and PAC are 1-h values
        key = (row["cas"], row["level"], float(row["duration_min"]))
        assert key not in keys, key
        keys.add(key)
        names.setdefault(row["cas"], set()).add(row["name"])
    assert all(len(spelled) == 1 for spelled in names.values()), names


def test_level_table_is_sourced_and_ordered():
    rows = list(csv.DictReader((DATA / "toxic_levels.csv").open(encoding="utf-8")))
    assert rows
    assert all(row["source"].strip() and row["revision"].strip() for row in rows)
    by_key = {(row["cas"], row["level"], float(row["duration_min"])): float(row["value_ppm"]) for row in rows}
    for (cas, level, duration), value in by_key.items():
        family, tier = level.split("-")
        higher = by_key.get((cas, f"{family}-{int(tier) + 1}", duration))
        if higher is not None:
            assert value < higher, (cas, level, duration)
        if family == "AEGL":  # a longer exposure never has a higher threshold
            longer = [v for (c, lv, d), v in by_key.items() if c == cas and lv == level and d > duration]
            assert all(v <= value for v in longer)


def test_chlorine_probit_by_hand():
    # Y = -8.29 + 0.92 ln(C^2 t), C = 100 ppm, t = 10 min: ln(1e5) = 11.51293
    # Y = -8.29 + 10.59189 = 2.30189; P = Phi(2.30189 - 5) = Phi(-2.69811) = 0.003487
    y = float(toxic.toxic_probit("7782-50-5", 100.0, 10.0))
    assert y == pytest.approx(2.30189, abs=1e-4)
    assert float(toxic.probability_from_probit(y)) == pytest.approx(0.003487, rel=1e-3)


def test_probit_probability_anchor_points():
    assert float(toxic.probability_from_probit(5.0)) == 0.5
    # Phi(1.28155) = 0.9
    assert float(toxic.probability_from_probit(6.28155)) == pytest.approx(0.9, abs=1e-5)
    assert float(toxic.probability_from_probit(-math.inf)) == 0.0


def test_toxic_load_by_hand():
    # constant 2 ppm for 10 min, n = 2: 2^2 * 10 = 40
    assert toxic.toxic_load([2.0, 2.0], [0.0, 10.0], 2.0) == pytest.approx(40.0)
    # load from a series equals the constant-exposure probit
    load = toxic.toxic_load([100.0, 100.0, 100.0], [0.0, 5.0, 10.0], 2.0)
    assert float(toxic.toxic_probit_from_load("7782-50-5", load)) == pytest.approx(
        float(toxic.toxic_probit("7782-50-5", 100.0, 10.0))
    )


def test_bad_toxic_input():
    with pytest.raises(ConsequenceInputError):
        toxic.toxic_load([1.0], [0.0], 1.0)
    with pytest.raises(ConsequenceInputError):
        toxic.toxic_load([1.0, 2.0], [1.0, 0.0], 1.0)
    with pytest.raises(ConsequenceInputError, match="no toxic probit"):
        toxic.toxic_probit("64-17-5", 100.0, 10.0)
    with pytest.raises(ConsequenceInputError):
        toxic.ppm_to_mg_m3(1.0, -3.0)


@pytest.mark.parametrize("cas", ["7446-09-5", "7664-39-3", "7726-95-6"])  # SO2, HF, bromine
def test_added_probits_agree_with_the_aegl3_of_the_same_chemical(cas: str):
    """AEGL-3 is the level above which death may begin (NRC): a lethality probit in ppm and minutes
    gives under 1 % there for 60 min, and most of the exposed die at a hundred times it — a unit
    mistake (mg/m3 for ppm, seconds for minutes) or a wrong sign breaks one of the two."""
    aegl3 = toxic.level_of_concern(cas, "AEGL-3", 60.0).value_ppm
    assert float(toxic.probability_from_probit(toxic.toxic_probit(cas, aegl3, 60.0))) < 0.01
    assert float(toxic.probability_from_probit(toxic.toxic_probit(cas, 100.0 * aegl3, 60.0))) > 0.5
    assert "Table 2-5" in toxic.probit_constants(cas).source
