"""Default levels of concern: AEGL first, then the next family the table has (ALOHA's order)."""

import pytest

from chempark.consequence import accident
from chempark.consequence.errors import ConsequenceInputError


def test_chlorine_uses_its_aegls():
    levels = accident.default_thresholds("7782-50-5", 60.0, 298.15)
    assert [t.level for t in levels] == ["AEGL-3", "AEGL-2", "AEGL-1"]
    # AEGL-3 60 min is 20 ppm; 20 ppm x 70.906 g/mol / 24.465 L/mol = 57.97 mg/m3 at 25 C
    assert levels[0].concentration_g_m3 == pytest.approx(0.05797, rel=1e-3)


def test_ammonia_uses_its_aegls_before_its_erpgs():
    levels = accident.default_thresholds("7664-41-7", 60.0, 298.15)
    assert [t.level for t in levels] == ["AEGL-3", "AEGL-2", "AEGL-1"]
    # AEGL-3 60 min is 1100 ppm; x 17.031 g/mol / 24.465 L/mol = 765.7 mg/m3
    assert levels[0].concentration_g_m3 == pytest.approx(0.7657, rel=2e-3)
    assert "PAC Rev. 29" in levels[0].source  # the revision travels with the value
    erpg = accident.default_thresholds("7664-41-7", 60.0, 298.15, ["ERPG-3"])
    assert erpg[0].concentration_g_m3 == pytest.approx(0.6961, rel=2e-3)  # 1000 ppm, still there by name


def test_phosgene_falls_back_to_the_pac_family():
    # no AEGL-1 (not recommended) and no ERPG in the table: DOE PAC-3/2/1
    levels = accident.default_thresholds("75-44-5", 60.0, 298.15)
    assert [t.level for t in levels] == ["PAC-3", "PAC-2", "PAC-1"]
    # PAC-3 0.75 ppm x 98.92 g/mol / 24.465 L/mol = 3.03 mg/m3
    assert levels[0].concentration_g_m3 == pytest.approx(0.003033, rel=2e-3)


def test_no_family_complete_names_the_aegl_gap():
    with pytest.raises(ConsequenceInputError, match="AEGL-3"):
        accident.default_thresholds("64-17-5", 60.0, 298.15)


def test_default_thresholds_need_a_complete_family():
    assert accident.has_default_thresholds("7782-50-5")  # AEGL-3/2/1
    assert accident.has_default_thresholds("7446-09-5")  # AEGL-1/2/3 at 60 min
    assert not accident.has_default_thresholds("7446-09-5", 10.0)  # AEGL-1 alone at 10 min
    assert not accident.has_default_thresholds("64-17-5")  # nothing tabulated
