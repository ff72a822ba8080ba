"""JSON adapters for the explosion models (``tnt_explosion``, ``multi_energy``).

Receptors are metres from the explosion centre (x, y; the blast is symmetric). Overpressures go
out in kPa with the Eisenberg probit probabilities and the Clancey damage description. Request and
response shapes are documented in ``docs/consequence-fire-explosion.md``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from chempark.consequence import explosion, fuels, probit
from chempark.consequence._checks import FloatArray
from chempark.consequence.adapters import _fields as f
from chempark.consequence.adapters.fire import _guarded, _rounded

DEFAULT_LEVELS_KPA = tuple(level / 1e3 for level in explosion.STANDARD_OVERPRESSURE_LEVELS_PA)


def _distances_from_origin(request: dict[str, Any]) -> FloatArray:
    if "receptors" not in request:
        return np.zeros(0)
    xs, ys, _ = f.parse_receptors(request)
    return np.asarray(np.hypot(np.array(xs), np.array(ys)), dtype=np.float64)


def _levels_pa(request: dict[str, Any]) -> tuple[float, ...]:
    if "overpressure_levels_kpa" not in request:
        return explosion.STANDARD_OVERPRESSURE_LEVELS_PA
    levels = []
    for index, value in enumerate(f.array(request, "overpressure_levels_kpa")):
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            raise f.FieldError("invalid_value", f"overpressure_levels_kpa[{index}] must be a positive number")
        levels.append(float(value) * 1e3)
    return tuple(levels)


def _effects(overpressure_pa: FloatArray) -> dict[str, Any]:
    return {
        "overpressure_kpa": _rounded(overpressure_pa / 1e3),
        "lung_haemorrhage_death_probability": _rounded(
            probit.probit_to_probability(probit.lung_haemorrhage_death_probit(overpressure_pa))
        ),
        "eardrum_rupture_probability": _rounded(
            probit.probit_to_probability(probit.eardrum_rupture_probit(overpressure_pa))
        ),
        "structural_damage_probability": _rounded(
            probit.probit_to_probability(probit.structural_damage_probit(overpressure_pa))
        ),
        "damage": [explosion.damage_description(float(value)) for value in overpressure_pa],
    }


def _distance_table(distance_to: Callable[[float], float], levels: tuple[float, ...]) -> dict[str, float]:
    return {f"{level / 1e3:g}": round(distance_to(level), 2) for level in levels}


def _heat_of_combustion(block: dict[str, Any]) -> float:
    given = f.optional_number(block, "heat_of_combustion_j_kg", "cloud")
    if given is not None:
        if given <= 0.0:
            raise f.FieldError("invalid_value", "cloud.heat_of_combustion_j_kg must be > 0")
        return given
    key = "fuel_cas" if "fuel_cas" in block else "fuel"
    return fuels.heat_of_combustion_j_kg(f.text(block, key, "cloud"))


def tnt_explosion(request: dict[str, Any]) -> dict[str, Any]:
    """``cloud {mass_kg, fuel_cas | fuel | heat_of_combustion_j_kg, yield_factor? (0.03),
    ground_reflection_factor? (2)}``, optional ``receptors`` and ``overpressure_levels_kpa``."""
    block = f.obj(request, "cloud")
    mass = f.positive_number(block, "mass_kg", "cloud")
    model = explosion.tnt_explosion(
        mass,
        _heat_of_combustion(block),
        yield_factor=f.number(block, "yield_factor", "cloud", default=0.03),
        ground_reflection_factor=f.number(block, "ground_reflection_factor", "cloud", default=2.0),
    )
    distances = _distances_from_origin(request)
    overpressure = model.overpressure_pa(distances)
    warnings = list(model.warnings)
    if distances.size and np.any(distances / model.effective_charge_kg ** (1.0 / 3.0) < 1.0):
        warnings.append("receptors at scaled distance below 1 m/kg^(1/3) are inside the cloud's near field")
    result: dict[str, Any] = {
        "model": "tnt_explosion",
        "tnt_mass_kg": round(model.tnt_mass_kg, 3),
        "effective_charge_kg": round(model.effective_charge_kg, 3),
        "scaled_distance_m_kg13": _rounded(distances / model.effective_charge_kg ** (1.0 / 3.0)),
        **_effects(overpressure),
        "distance_to_overpressure_m": _distance_table(model.distance_to_overpressure_m, _levels_pa(request)),
        "warnings": warnings,
    }
    return result


def multi_energy(request: dict[str, Any]) -> dict[str, Any]:
    """``blast {strength (1–10), energy_j | congested_volume_m3, ground_level? (true)}``, optional
    ``receptors`` and ``overpressure_levels_kpa``."""
    block = f.obj(request, "blast")
    strength_value = f.raw(block, "strength", "blast")
    if isinstance(strength_value, bool) or not isinstance(strength_value, int):
        raise f.FieldError("invalid_type", "blast.strength must be an integer from 1 to 10")
    ground = block.get("ground_level", True)
    if not isinstance(ground, bool):
        raise f.FieldError("invalid_type", "blast.ground_level must be true or false")
    model = explosion.multi_energy_explosion(
        strength=strength_value,
        energy_j=f.optional_number(block, "energy_j", "blast"),
        congested_volume_m3=f.optional_number(block, "congested_volume_m3", "blast"),
        ground_level=ground,
    )
    distances = _distances_from_origin(request)
    overpressure = model.overpressure_pa(distances)
    return {
        "model": "multi_energy",
        "energy_j": model.energy_j,
        "sachs_scaled_distance": _rounded(model.sachs_distance(distances)),
        **_effects(overpressure),
        "distance_to_overpressure_m": _distance_table(model.distance_to_overpressure_m, _levels_pa(request)),
        "warnings": list(model.warnings),
    }


MODELS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "tnt_explosion": _guarded(tnt_explosion),
    "multi_energy": _guarded(multi_energy),
}
