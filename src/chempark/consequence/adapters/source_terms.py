"""JSON adapters for the source-term models (``gas_release``, ``liquid_release``, ``pool_evaporation``).

They are merged into :data:`chempark.consequence.adapters.dispersion.MODELS`, since a source term is
the first half of every dispersion calculation. Properties can be given explicitly or looked up by
``cas`` in the ``chemicals`` package.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from chempark.consequence import source
from chempark.consequence.adapters import _fields as f


def gas_release(request: dict[str, Any]) -> dict[str, Any]:
    """``hole_diameter_m``, ``pressure_pa`` (absolute), ``temperature_k``, ``heat_capacity_ratio``,
    ``molar_mass_kg_mol`` or ``cas``, optional ``discharge_coefficient`` (1.0) and
    ``downstream_pressure_pa`` (1 atm)."""
    molar_mass = f.optional_number(request, "molar_mass_kg_mol")
    if molar_mass is None:
        molar_mass = source.chemical_properties(f.text(request, "cas")).molar_mass_kg_mol
    result = source.gas_release_rate(
        hole_diameter_m=f.positive_number(request, "hole_diameter_m"),
        upstream_pressure_pa=f.positive_number(request, "pressure_pa"),
        temperature_k=f.positive_number(request, "temperature_k"),
        molar_mass_kg_mol=molar_mass,
        heat_capacity_ratio=f.positive_number(request, "heat_capacity_ratio"),
        downstream_pressure_pa=f.positive_number(
            request, "downstream_pressure_pa", default=source.ATMOSPHERIC_PRESSURE_PA
        ),
        discharge_coefficient=f.positive_number(request, "discharge_coefficient", default=1.0),
    )
    return {
        "rate_kg_s": float(f"{result.rate_kg_s:.6g}"),
        "choked": result.choked,
        "critical_pressure_ratio": round(result.critical_pressure_ratio, 5),
    }


def liquid_release(request: dict[str, Any]) -> dict[str, Any]:
    """``hole_diameter_m``, ``gauge_pressure_pa``, ``liquid_head_m`` (0), ``liquid_density_kg_m3``
    or ``cas`` + ``temperature_k``; with ``cas`` and a temperature above the boiling point the
    flashing fraction is reported too."""
    cas = request.get("cas")
    temperature = f.optional_number(request, "temperature_k")
    density = f.optional_number(request, "liquid_density_kg_m3")
    if density is None:
        if cas is None or temperature is None:
            raise f.FieldError("missing_field", "give liquid_density_kg_m3, or cas and temperature_k")
        density = source.liquid_density_kg_m3(f.text(request, "cas"), temperature)
    rate = source.liquid_release_rate_kg_s(
        hole_diameter_m=f.positive_number(request, "hole_diameter_m"),
        liquid_density_kg_m3=density,
        gauge_pressure_pa=f.non_negative_number(request, "gauge_pressure_pa", default=0.0),
        liquid_head_m=f.non_negative_number(request, "liquid_head_m", default=0.0),
        discharge_coefficient=f.positive_number(request, "discharge_coefficient", default=0.61),
    )
    result: dict[str, Any] = {"rate_kg_s": float(f"{rate:.6g}"), "liquid_density_kg_m3": round(density, 2)}
    if cas is not None and temperature is not None:
        props = source.chemical_properties(f.text(request, "cas"))
        cp = f.optional_number(request, "liquid_heat_capacity_j_kg_k") or props.liquid_heat_capacity_j_kg_k
        hv = f.optional_number(request, "heat_of_vaporisation_j_kg") or props.heat_of_vaporisation_j_kg
        if cp is not None and hv is not None:
            fraction = source.flash_fraction(
                temperature_k=temperature,
                boiling_point_k=props.boiling_point_k,
                liquid_heat_capacity_j_kg_k=cp,
                heat_of_vaporisation_j_kg=hv,
            )
            result["flash_fraction"] = round(fraction, 4)
            result["flash_rate_kg_s"] = float(f"{fraction * rate:.6g}")
        else:
            result["warnings"] = ["flash fraction not computed: liquid heat capacity or heat of vaporisation unknown"]
    return result


def pool_evaporation(request: dict[str, Any]) -> dict[str, Any]:
    """``cas``, ``temperature_k``, ``wind_speed_10m_m_s`` and either ``pool_area_m2`` or
    ``volume_m3`` (+ ``min_thickness_m``, ``bund_area_m2``)."""
    cas = f.text(request, "cas")
    temperature = f.positive_number(request, "temperature_k")
    area = f.optional_number(request, "pool_area_m2")
    if area is None:
        area = source.pool_area_m2(
            f.positive_number(request, "volume_m3"),
            min_thickness_m=f.positive_number(request, "min_thickness_m", default=0.01),
            bund_area_m2=f.optional_number(request, "bund_area_m2"),
        )
    props = source.chemical_properties(cas)
    psat = source.vapour_pressure_pa(cas, temperature)
    rate = source.pool_evaporation_rate_kg_s(
        pool_area_m2=area,
        vapour_pressure_pa=psat,
        molar_mass_kg_mol=props.molar_mass_kg_mol,
        liquid_temperature_k=temperature,
        wind_speed_10m_m_s=f.positive_number(request, "wind_speed_10m_m_s"),
    )
    return {
        "rate_kg_s": float(f"{rate:.6g}"),
        "pool_area_m2": round(area, 2),
        "vapour_pressure_pa": round(psat, 1),
    }


MODELS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "gas_release": gas_release,
    "liquid_release": liquid_release,
    "pool_evaporation": pool_evaporation,
}
