"""Default levels of concern: AEGL first, then the next family the table has (ALOHA's order)."""

import pytest

from chempark.consequence import accident
from chempark.consequence.errors import ConsequenceInputError


def test_chlorine_uses_its_aegls():
    levels = accident.default_thresholds("7782-50-5", 60.0, 298.15)
    assert [t.level for t in levels] == ["AEGL-3", "AEGL-2", "AEGL-1"]
    # AEGL-3 60 min is 20 ppm; 20 ppm x 70.906 g/mol / 24.465 L/mol = 57.97 mg/m3 at 25 C
    assert levels[0].concentration_g_m3 == pytest.approx(0.05797, rel=1e-3)


def test_ammonia_falls_back_to_erpgs():
    levels = accident.default_thresholds("7664-41-7", 60.0, 298.15)
    assert [t.level for t in levels] == ["ERPG-3", "ERPG-2", "ERPG-1"]
    # ERPG-3 is 1000 ppm; x 17.031 g/mol / 24.465 L/mol = 696 mg/m3
    assert levels[0].concentration_g_m3 == pytest.approx(0.6961, rel=2e-3)


def test_no_family_complete_names_the_aegl_gap():
    with pytest.raises(ConsequenceInputError, match="AEGL-3"):
        accident.default_thresholds("67-56-1", 60.0, 298.15)


def test_default_thresholds_need_a_complete_family():
    assert accident.has_default_thresholds("7782-50-5")  # AEGL-3/2/1
    assert accident.has_default_thresholds("7664-41-7")  # ERPG-3/2/1 only
    assert not accident.has_default_thresholds("7446-09-5")  # AEGL-1 alone: the user gives thresholds
    assert not accident.has_default_thresholds("64-17-5")  # nothing tabulated
