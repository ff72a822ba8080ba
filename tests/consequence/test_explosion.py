"""Explosion models: Kinney–Graham and TNT equivalence against hand values and the EPA RMP
1-psi relation; the multi-energy table's structure; overpressure properties with hypothesis."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chempark.consequence import explosion, fuels
from chempark.consequence.errors import ConsequenceInputError


def test_kinney_graham_hand_value() -> None:
    # Z = 10: 808·(1 + (10/4.5)²) = 808·5.938 27 = 4798.1
    # √(1 + (10/0.048)²) = 208.336, √(1 + (10/0.32)²) = 31.266, √(1 + (10/1.35)²) = 7.4747
    # ratio = 4798.1/(208.336·31.266·7.4747) = 4798.1/48 689 = 0.098 546
    assert float(explosion.kinney_graham_overpressure_ratio(10.0)) == pytest.approx(0.098546, rel=1e-4)


def test_tnt_equivalent_hand_value() -> None:
    # 1000 kg, ΔHc 46.35 MJ/kg, η = 0.1: 0.1·1000·46.35e6/4.68e6 = 990.38 kg TNT
    assert explosion.tnt_equivalent_mass_kg(1000.0, 46.35e6, 0.1) == pytest.approx(990.38, rel=1e-4)
    # Z = 50 m / 990.38^(1/3) = 50/9.9678 = 5.0162
    assert float(explosion.scaled_distance(50.0, 990.38)) == pytest.approx(5.0162, rel=1e-4)


@pytest.mark.parametrize("fuel_mass_kg", [500.0, 4536.0, 50_000.0])
def test_distance_to_1psi_matches_epa_rmp_relation(fuel_mass_kg: float) -> None:
    """EPA 550-B-99-009 App. C eq. C-1: D(1 psi) = 17·(0.1·M·ΔHc/4680 kJ/kg)^(1/3) m, the EPA's
    published worst-case relation. Our Kinney–Graham curve with ground reflection (2W) gives the
    1-psi scaled distance 13.6·2^(1/3) = 17.1, so the two agree within 2 %."""
    propane_heat = fuels.heat_of_combustion_j_kg("74-98-6")
    blast = explosion.tnt_explosion(fuel_mass_kg, propane_heat, yield_factor=0.1)
    ours = blast.distance_to_overpressure_m(explosion.PSI_PA)
    assert ours == pytest.approx(explosion.epa_distance_to_1psi_m(fuel_mass_kg, propane_heat), rel=0.02)


def test_heat_of_combustion_from_chemicals_is_the_lower_heating_value() -> None:
    # propane LHV is 46.35 MJ/kg (HHV 50.35); methane LHV 50.0 MJ/kg
    assert fuels.heat_of_combustion_j_kg("74-98-6") == pytest.approx(46.35e6, rel=0.005)
    assert fuels.heat_of_combustion_j_kg("74-82-8") == pytest.approx(50.0e6, rel=0.005)


def test_damage_descriptions_follow_clancey_thresholds() -> None:
    assert explosion.damage_description(100.0) == "no significant damage"
    assert "partial demolition" in explosion.damage_description(1.05 * explosion.PSI_PA)
    assert "total destruction" in explosion.damage_description(12 * explosion.PSI_PA)


def test_multi_energy_plateaus_are_the_strength_definitions() -> None:
    plateaus = {1: 0.01, 2: 0.02, 3: 0.05, 4: 0.1, 5: 0.2, 6: 0.5, 7: 1.0, 8: 2.0, 9: 5.0, 10: 10.0}
    for strength, value in plateaus.items():
        assert float(explosion.multi_energy_overpressure_ratio(0.1, strength)) == pytest.approx(value)


def test_multi_energy_curves_are_ordered_by_strength() -> None:
    distances = np.geomspace(0.1, 50.0, 40)
    previous = np.zeros_like(distances)
    for strength in range(1, 11):
        current = explosion.multi_energy_overpressure_ratio(distances, strength)
        assert np.all(current >= previous - 1e-12)
        previous = current


def test_multi_energy_strength_10_is_the_tnt_curve_far_away() -> None:
    # R̄ = 5 → Z = 5·(4.68e6/101 325)^(1/3) = 5·3.5886 = 17.94 m/kg^(1/3)
    far = float(explosion.multi_energy_overpressure_ratio(5.0, 10))
    assert far == pytest.approx(float(explosion.kinney_graham_overpressure_ratio(17.943)), rel=0.02)


def test_multi_energy_energy_from_volume_and_ground_doubling() -> None:
    blast = explosion.multi_energy_explosion(strength=7, congested_volume_m3=1000.0)
    assert blast.energy_j == pytest.approx(2 * 1000.0 * 3.5e6)
    # R̄ at 100 m = 100/(7e9/101 325)^(1/3) = 100/41.04 = 2.4366
    assert float(blast.sachs_distance(100.0)) == pytest.approx(2.4366, rel=1e-3)


def test_custom_curve_file_is_used(tmp_path: Path) -> None:
    path = tmp_path / "curves.csv"
    path.write_text("# test\nstrength,scaled_distance,overpressure_ratio\n3,0.1,0.05\n3,1,0.03\n3,10,0.003\n")
    curves = explosion.load_multi_energy_curves(path)
    assert float(explosion.multi_energy_overpressure_ratio(1.0, 3, curves)) == pytest.approx(0.03)
    path.write_text("strength,scaled_distance,overpressure_ratio\n3,0.1,0.05\n3,1,0.06\n")
    with pytest.raises(ConsequenceInputError):
        explosion.load_multi_energy_curves(path)


@settings(max_examples=30, deadline=None)
@given(
    st.floats(min_value=1.0, max_value=1e5),
    st.floats(min_value=1.0, max_value=5000.0),
    st.floats(min_value=1.01, max_value=10.0),
)
def test_overpressure_falls_with_distance(mass: float, distance: float, factor: float) -> None:
    blast = explosion.tnt_explosion(mass, 46e6)
    near, far = blast.overpressure_pa(np.array([distance, distance * factor]))
    assert far < near


@settings(max_examples=30, deadline=None)
@given(st.integers(min_value=1, max_value=10), st.floats(min_value=1.0, max_value=1e4), st.floats(1.01, 10.0))
def test_multi_energy_overpressure_falls_with_distance(strength: int, distance: float, factor: float) -> None:
    blast = explosion.multi_energy_explosion(strength=strength, energy_j=1e10)
    near, far = blast.overpressure_pa(np.array([distance, distance * factor]))
    assert far <= near


@settings(max_examples=30, deadline=None)
@given(st.floats(min_value=10.0, max_value=1e5), st.floats(min_value=1.1, max_value=10.0))
def test_blast_zone_grows_with_mass(mass: float, factor: float) -> None:
    small = explosion.tnt_explosion(mass, 46e6).distance_to_overpressure_m(explosion.PSI_PA)
    large = explosion.tnt_explosion(mass * factor, 46e6).distance_to_overpressure_m(explosion.PSI_PA)
    assert large > small


def test_bad_inputs_are_rejected() -> None:
    with pytest.raises(ConsequenceInputError):
        explosion.tnt_explosion(-5.0, 46e6)
    with pytest.raises(ConsequenceInputError):
        explosion.tnt_explosion(5.0, 46e6, yield_factor=1.5)
    with pytest.raises(ConsequenceInputError):
        explosion.multi_energy_explosion(strength=11, energy_j=1e9)
    with pytest.raises(ConsequenceInputError):
        explosion.multi_energy_explosion(strength=5)
