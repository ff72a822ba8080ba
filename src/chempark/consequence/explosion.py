"""Vapour cloud explosions: TNT equivalence and the TNO multi-energy method; damage by overpressure.

TNT equivalence
    W_TNT = η·M·ΔHc / E_TNT (CCPS 1994 *Guidelines for Evaluating the Characteristics of VCEs, Flash
    Fires and BLEVEs* §5.3; Crowl & Louvar 2011 eq. 6-24), with η the explosion yield (typically
    0.01–0.10; 0.03 in the Yellow Book, 0.10 in the EPA worst case) and E_TNT = 4.68 MJ/kg
    (EPA 550-B-99-009 App. C). The scaled distance is Z = R / W^(1/3) (Hopkinson–Cranz), and the
    side-on overpressure of a free-air TNT burst is the Kinney & Graham (1985, *Explosive Shocks in
    Air* 2nd ed., eq. of Table XI; Crowl & Louvar eq. 6-25) fit

        p/pa = 808·[1 + (Z/4.5)²] / (√(1 + (Z/0.048)²)·√(1 + (Z/0.32)²)·√(1 + (Z/1.35)²)).

    Away from sea level the distance is Sachs-scaled as Kinney & Graham do, Z = f·R / W^(1/3)
    with f = (pa/P₀)^(1/3) (their temperature factor is left out: the model takes no air
    temperature), so the blast at altitude is scaled consistently with the multi-energy curves.

    A cloud at ground level reflects its blast: the charge is doubled (``ground_reflection_factor``
    = 2, Baker et al. 1983 *Explosion Hazards and Evaluation* §2; the EPA 1-psi distance 17·W^(1/3)
    embodies the same factor).

Multi-energy (Van den Berg 1985, J. Hazard. Mater. 12:1; Yellow Book CPR14E §5.5.3)
    The blast of each confined/congested part of the cloud is that of a charge of combustion energy
    E (3.5 MJ per m³ of stoichiometric hydrocarbon–air mixture) and strength 1–10; the dimensionless
    overpressure ΔP/P₀ is read from blast curves against the Sachs-scaled distance R̄ = R/(E/P₀)^(1/3).
    The curves are the table ``data/multi_energy_curves.csv``; see its header for their provenance.
"""

from __future__ import annotations

import csv
import functools
import math
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from chempark.consequence import radiation
from chempark.consequence._checks import FloatArray
from chempark.consequence.errors import ConsequenceInputError

TNT_BLAST_ENERGY_J_KG = 4.68e6
STOICHIOMETRIC_HYDROCARBON_AIR_ENERGY_J_M3 = 3.5e6
ATMOSPHERIC_PRESSURE_PA = 101_325.0
PSI_PA = 6_894.757

# Clancey (1972), "Diagnostic features of explosion damage", 6th Int. Meeting of Forensic Sciences,
# as tabulated in Crowl & Louvar (2011) Table 6-9; threshold in psi.
_DAMAGE_PSI: tuple[tuple[float, str], ...] = (
    (0.02, "annoying noise; occasional breaking of large windows already under strain"),
    (0.1, "breakage of small windows under strain"),
    (0.15, "typical pressure for glass breakage"),
    (0.3, "'safe distance' (probability 0.95 of no serious damage beyond); limited minor structural damage"),
    (0.5, "large and small windows usually shattered; occasional damage to window frames"),
    (0.7, "minor damage to house structures"),
    (1.0, "partial demolition of houses, made uninhabitable"),
    (2.0, "partial collapse of walls and roofs of houses"),
    (2.3, "lower limit of serious structural damage"),
    (2.5, "50 % destruction of brickwork of houses"),
    (3.0, "steel frame buildings distorted and pulled away from foundations"),
    (5.0, "wooden utility poles snapped; nearly complete destruction of houses above 7 psi"),
    (7.0, "loaded train wagons overturned"),
    (10.0, "probable total destruction of buildings; heavy machine tools moved and badly damaged"),
)

STANDARD_OVERPRESSURE_LEVELS_PA: tuple[float, ...] = (1.0 * PSI_PA, 3.5 * PSI_PA, 8.0 * PSI_PA)


def _positive(value: float, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or value <= 0:
        raise ConsequenceInputError(f"{name} must be a positive number, got {value!r}")
    return float(value)


def tnt_equivalent_mass_kg(
    fuel_mass_kg: float,
    heat_of_combustion_j_kg: float,
    yield_factor: float,
    *,
    tnt_blast_energy_j_kg: float = TNT_BLAST_ENERGY_J_KG,
) -> float:
    """W_TNT = η·M·ΔHc/E_TNT (CCPS 1994 §5.3; Crowl & Louvar eq. 6-24)."""
    _positive(fuel_mass_kg, "fuel_mass_kg")
    _positive(heat_of_combustion_j_kg, "heat_of_combustion_j_kg")
    if not 0.0 < yield_factor <= 1.0:
        raise ConsequenceInputError(f"yield_factor must be in (0, 1], got {yield_factor!r}")
    return yield_factor * fuel_mass_kg * heat_of_combustion_j_kg / tnt_blast_energy_j_kg


def scaled_distance(distance_m: FloatArray | float, tnt_mass_kg: float) -> FloatArray:
    """Hopkinson–Cranz scaled distance Z = R / W^(1/3), m/kg^(1/3)."""
    return np.asarray(np.asarray(distance_m, dtype=np.float64) / tnt_mass_kg ** (1.0 / 3.0), dtype=np.float64)


def kinney_graham_overpressure_ratio(z_m_kg13: FloatArray | float) -> FloatArray:
    """Side-on peak overpressure over ambient pressure for a free-air TNT burst (Kinney & Graham 1985)."""
    z = np.maximum(np.asarray(z_m_kg13, dtype=np.float64), 1e-6)
    numerator = 808.0 * (1.0 + (z / 4.5) ** 2)
    denominator = np.sqrt(1.0 + (z / 0.048) ** 2) * np.sqrt(1.0 + (z / 0.32) ** 2) * np.sqrt(1.0 + (z / 1.35) ** 2)
    return np.asarray(numerator / denominator, dtype=np.float64)


@dataclass(frozen=True, slots=True)
class TntExplosion:
    """A vapour cloud explosion represented by an equivalent TNT charge at the cloud centre."""

    tnt_mass_kg: float
    effective_charge_kg: float
    ambient_pressure_pa: float
    warnings: tuple[str, ...]

    def overpressure_pa(self, distance_m: FloatArray | float) -> FloatArray:
        """Peak side-on overpressure (Pa) at ``distance_m`` from the charge."""
        sachs = (self.ambient_pressure_pa / ATMOSPHERIC_PRESSURE_PA) ** (1.0 / 3.0)
        z = scaled_distance(np.asarray(distance_m, dtype=np.float64) * sachs, self.effective_charge_kg)
        return np.asarray(self.ambient_pressure_pa * kinney_graham_overpressure_ratio(z), dtype=np.float64)

    def distance_to_overpressure_m(self, overpressure_pa: float) -> float:
        """Distance at which the overpressure falls to ``overpressure_pa``."""
        return radiation.distance_to_level(
            self.overpressure_pa, _positive(overpressure_pa, "overpressure_pa"), r_min_m=0.01, r_max_m=1e5
        )


def tnt_explosion(
    fuel_mass_kg: float,
    heat_of_combustion_j_kg: float,
    *,
    yield_factor: float = 0.03,
    ground_reflection_factor: float = 2.0,
    ambient_pressure_pa: float = ATMOSPHERIC_PRESSURE_PA,
) -> TntExplosion:
    """TNT-equivalent explosion of ``fuel_mass_kg`` of flammable vapour (see the module docstring)."""
    tnt = tnt_equivalent_mass_kg(fuel_mass_kg, heat_of_combustion_j_kg, yield_factor)
    if not 1.0 <= ground_reflection_factor <= 2.0:
        raise ConsequenceInputError(
            f"ground_reflection_factor must be between 1 and 2, got {ground_reflection_factor!r}"
        )
    warnings = [
        "TNT equivalence overstates the near-field overpressure of a deflagration; "
        "use the multi-energy method where congestion is known"
    ]
    return TntExplosion(
        tnt_mass_kg=tnt,
        effective_charge_kg=tnt * ground_reflection_factor,
        ambient_pressure_pa=_positive(ambient_pressure_pa, "ambient_pressure_pa"),
        warnings=tuple(warnings),
    )


def epa_distance_to_1psi_m(fuel_mass_kg: float, heat_of_combustion_j_kg: float, yield_factor: float = 0.1) -> float:
    """EPA RMP worst-case distance to 1 psi, D = 17·(η·M·ΔHc/E_TNT)^(1/3) (EPA 550-B-99-009 App. C,
    eq. C-1, E_TNT = 4680 kJ/kg). Kept as an independent check of :func:`tnt_explosion`."""
    return 17.0 * math.cbrt(tnt_equivalent_mass_kg(fuel_mass_kg, heat_of_combustion_j_kg, yield_factor))


def damage_description(overpressure_pa: float) -> str:
    """Expected damage at a peak overpressure (Clancey 1972 via Crowl & Louvar Table 6-9)."""
    psi = overpressure_pa / PSI_PA
    description = "no significant damage"
    for threshold, text in _DAMAGE_PSI:
        if psi >= threshold:
            description = text
    return description


# --- multi-energy ---------------------------------------------------------------------------------

MultiEnergyCurves = dict[int, tuple[FloatArray, FloatArray]]


def load_multi_energy_curves(path: str | Path | None = None) -> MultiEnergyCurves:
    """Blast curves {strength: (R̄, ΔP/P₀)} from a CSV with columns strength, scaled_distance,
    overpressure_ratio (``#`` lines are comments). Without a path, the packaged table."""
    if path is None:
        text = resources.files("chempark.consequence").joinpath("data/multi_energy_curves.csv").read_text("utf-8")
    else:
        text = Path(path).read_text("utf-8")
    rows = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    points: dict[int, list[tuple[float, float]]] = {}
    for record in csv.DictReader(rows):
        strength = int(record["strength"])
        points.setdefault(strength, []).append((float(record["scaled_distance"]), float(record["overpressure_ratio"])))
    curves: MultiEnergyCurves = {}
    for strength, pairs in points.items():
        pairs.sort()
        distances = np.array([p[0] for p in pairs])
        ratios = np.array([p[1] for p in pairs])
        if np.any(np.diff(ratios) > 0.0) or np.any(ratios <= 0.0):
            raise ConsequenceInputError(f"multi-energy curve {strength} must be positive and non-increasing")
        curves[strength] = (distances, ratios)
    return curves


@functools.cache
def _packaged_curves() -> MultiEnergyCurves:
    return load_multi_energy_curves()


def multi_energy_overpressure_ratio(
    sachs_distance: FloatArray | float, strength: int, curves: MultiEnergyCurves | None = None
) -> FloatArray:
    """ΔP/P₀ at Sachs-scaled distance R̄ for a charge of strength 1–10, log–log interpolation in the
    curve table; below the first point the plateau value, beyond the last an acoustic 1/R̄ decay."""
    table = _packaged_curves() if curves is None else curves
    if strength not in table:
        raise ConsequenceInputError(f"strength must be one of {sorted(table)}, got {strength!r}")
    distances, ratios = table[strength]
    r = np.maximum(np.asarray(sachs_distance, dtype=np.float64), 1e-9)
    log_ratio = np.interp(np.log(r), np.log(distances), np.log(ratios))
    beyond = r > distances[-1]
    log_ratio = np.where(beyond, math.log(ratios[-1]) - (np.log(r) - math.log(distances[-1])), log_ratio)
    return np.asarray(np.exp(log_ratio), dtype=np.float64)


@dataclass(frozen=True, slots=True)
class MultiEnergyExplosion:
    """One multi-energy blast source: combustion energy E (J) and charge strength 1–10."""

    energy_j: float
    strength: int
    ambient_pressure_pa: float
    warnings: tuple[str, ...]

    def sachs_distance(self, distance_m: FloatArray | float) -> FloatArray:
        """R̄ = R / (E/P₀)^(1/3)."""
        scale = (self.energy_j / self.ambient_pressure_pa) ** (1.0 / 3.0)
        return np.asarray(np.asarray(distance_m, dtype=np.float64) / scale, dtype=np.float64)

    def overpressure_pa(self, distance_m: FloatArray | float) -> FloatArray:
        """Peak side-on overpressure (Pa) at ``distance_m`` from the charge centre."""
        ratio = multi_energy_overpressure_ratio(self.sachs_distance(distance_m), self.strength)
        return np.asarray(self.ambient_pressure_pa * ratio, dtype=np.float64)

    def distance_to_overpressure_m(self, overpressure_pa: float) -> float:
        """Distance at which the overpressure falls to ``overpressure_pa`` (0 if never reached)."""
        return radiation.distance_to_level(
            self.overpressure_pa, _positive(overpressure_pa, "overpressure_pa"), r_min_m=0.01, r_max_m=1e5
        )


def multi_energy_explosion(
    *,
    strength: int,
    energy_j: float | None = None,
    congested_volume_m3: float | None = None,
    ground_level: bool = True,
    ambient_pressure_pa: float = ATMOSPHERIC_PRESSURE_PA,
) -> MultiEnergyExplosion:
    """A multi-energy blast source from its energy or its congested (stoichiometric) volume.

    A cloud on the ground is a hemispherical charge: its energy is doubled to use the free-air
    curves (Yellow Book CPR14E §5.5.3).
    """
    if isinstance(strength, bool) or not isinstance(strength, int) or not 1 <= strength <= 10:
        raise ConsequenceInputError(f"strength must be an integer from 1 to 10, got {strength!r}")
    if (energy_j is None) == (congested_volume_m3 is None):
        raise ConsequenceInputError("give exactly one of energy_j and congested_volume_m3")
    if energy_j is not None:
        energy = _positive(energy_j, "energy_j")
    else:
        volume = _positive(congested_volume_m3, "congested_volume_m3")  # type: ignore[arg-type]  # not None: checked above
        energy = volume * STOICHIOMETRIC_HYDROCARBON_AIR_ENERGY_J_M3
    if ground_level:
        energy *= 2.0
    warnings = ["multi-energy curves are a reconstruction, not a digitisation of the published chart"]
    return MultiEnergyExplosion(
        energy_j=energy,
        strength=strength,
        ambient_pressure_pa=_positive(ambient_pressure_pa, "ambient_pressure_pa"),
        warnings=tuple(warnings),
    )
