"""Probit functions against hand-computed values and the published probit ↔ percentage table."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from chempark.consequence import probit
from chempark.consequence.errors import ConsequenceInputError


@pytest.mark.parametrize(
    ("y", "expected"),
    [
        # Finney (1971) / Crowl & Louvar (2011) Table 2-4: probit of 1, 10, 50, 90, 99 %.
        (2.67, 0.01),
        (3.72, 0.10),
        (5.00, 0.50),
        (6.28, 0.90),
        (7.33, 0.99),
    ],
)
def test_probit_to_probability_matches_published_table(y: float, expected: float) -> None:
    assert float(probit.probit_to_probability(y)) == pytest.approx(expected, abs=0.001)


def test_probit_of_zero_dose_is_zero_probability() -> None:
    assert float(probit.probit_to_probability(-math.inf)) == 0.0
    assert float(probit.thermal_lethality_eisenberg(0.0, 60.0)) == -math.inf


def test_probability_to_probit_inverts() -> None:
    p = np.array([0.01, 0.3, 0.5, 0.77, 0.999])
    assert probit.probit_to_probability(probit.probability_to_probit(p)) == pytest.approx(p, rel=1e-9)


def test_eisenberg_lethality_hand_value() -> None:
    # q = 10 kW/m², t = 60 s: q^(4/3) = 10^(16/3) = 215 443.47; dose = 1.292 660 8e7;
    # Y = -14.9 + 2.56·ln(1292.6608) = -14.9 + 2.56·7.164 46 = 3.4410
    assert float(probit.thermal_lethality_eisenberg(10e3, 60.0)) == pytest.approx(3.4410, abs=2e-4)


def test_green_book_and_burn_probits_hand_values() -> None:
    # ln(1.292 660 8e7) = 16.374 80
    # Green Book lethality: -36.38 + 2.56·16.374 80 = 5.5395
    assert float(probit.thermal_lethality_green_book(10e3, 60.0)) == pytest.approx(5.5395, abs=2e-4)
    # first-degree: -39.83 + 3.0186·16.374 80 = 9.5990; second-degree: -43.14 + … = 6.2890
    assert float(probit.first_degree_burn_probit(10e3, 60.0)) == pytest.approx(9.5990, abs=3e-4)
    assert float(probit.second_degree_burn_probit(10e3, 60.0)) == pytest.approx(6.2890, abs=3e-4)
    # Tsao & Perry: -12.8 + 2.56·7.164 46 = 5.5410
    assert float(probit.thermal_lethality_tsao_perry(10e3, 60.0)) == pytest.approx(5.5410, abs=2e-4)


def test_overpressure_probits_hand_values() -> None:
    # lung haemorrhage at 100 kPa: -77.1 + 6.91·ln(1e5) = -77.1 + 6.91·11.512 93 = 2.4543
    assert float(probit.lung_haemorrhage_death_probit(1e5)) == pytest.approx(2.4543, abs=2e-4)
    # eardrum at 20 kPa: -15.6 + 1.93·ln(2e4) = -15.6 + 1.93·9.903 49 = 3.5137
    assert float(probit.eardrum_rupture_probit(2e4)) == pytest.approx(3.5137, abs=2e-4)
    # structural damage at 20 kPa: -23.8 + 2.92·9.903 49 = 5.1182
    assert float(probit.structural_damage_probit(2e4)) == pytest.approx(5.1182, abs=2e-4)
    # glass at 5 kPa: -18.1 + 2.79·ln(5000) = -18.1 + 2.79·8.517 19 = 5.6630
    assert float(probit.glass_breakage_probit(5e3)) == pytest.approx(5.6630, abs=2e-4)


def test_green_book_lung_probit_hand_value() -> None:
    # p = 200 kPa, i = 1000 Pa·s, P0 = 101 325 Pa, m = 70 kg
    # P̄ = 1.973 85; ī = 1000/(318.316·4.121 29) = 0.762 26
    # S = 4.2/1.973 85 + 1.3/0.762 26 = 2.127 82 + 1.705 45 = 3.833 27; Y = 5 - 5.74·ln S = -2.7143
    value = probit.lung_damage_death_probit_green_book(2e5, 1000.0)
    assert float(value) == pytest.approx(-2.7143, abs=2e-3)


def test_negative_dose_is_rejected() -> None:
    with pytest.raises(ConsequenceInputError):
        probit.thermal_lethality_eisenberg(-1.0, 10.0)
    with pytest.raises(ConsequenceInputError):
        probit.probability_to_probit(1.5)


@given(
    st.floats(min_value=100.0, max_value=2e5),
    st.floats(min_value=1.0, max_value=2.0),
    st.floats(min_value=1.0, max_value=600.0),
)
def test_lethality_grows_with_flux(flux: float, factor: float, exposure: float) -> None:
    low = probit.probit_to_probability(probit.thermal_lethality_green_book(flux, exposure))
    high = probit.probit_to_probability(probit.thermal_lethality_green_book(flux * factor, exposure))
    assert float(high) >= float(low)
