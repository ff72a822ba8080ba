"""What a hole in a registry tank is computed with — one rule for 事故模拟 and for the release an
incident reports, so the two give the same source term for the same tank and inputs.

The tank's measured storage temperature unless one is given (without either the model is refused:
the air temperature is not the tank's), its design maximum as the inventory that can leak unless
given, and for a tank that is not pressurised the air's pressure (it breathes through its vent).
Read only, through the monitoring points the actor sees."""

from __future__ import annotations

from dataclasses import replace

from chempark.consequence import accident, simulations
from chempark.core.actors import Actor
from chempark.core.errors import ErrorCode, InvalidInput
from chempark.emergency import selectors
from chempark.park.models import Tank

PRESSURISED_TANKS = frozenset({"pressure", "sphere", "cryogenic"})


def with_measured_temperature(actor: Actor, tank: Tank, release: accident.ReleaseInput) -> accident.ReleaseInput:
    """The release at the tank's measured storage temperature unless one is given; refused (422,
    naming ``release.storage_temperature_k``) when the tank has no online temperature reading."""
    if release.kind != "tank_hole" or release.storage_temperature_k is not None:
        return release
    measured = selectors.tank_conditions(actor, tank).temperature
    if measured is None:
        raise InvalidInput(
            f"储罐“{tank}”没有储存温度：该罐及其单元没有在线的温度测点读数。储罐孔洞泄漏模型需要储存温度，请填写。",
            code=ErrorCode.INVALID_MODEL_INPUT,
            details={"release.storage_temperature_k": ["required"], "model": "tank_hole"},
        )
    return replace(release, storage_temperature_k=measured.value)


def tank_hole_release(
    actor: Actor, tank: Tank, release: accident.ReleaseInput, met: accident.WeatherInput
) -> accident.ReleaseInput:
    """A hole in ``tank`` with what the registry and its points know filled in (see the module)."""
    release = with_measured_temperature(actor, tank, release)
    return simulations.tank_release(
        release,
        inventory_kg=float(tank.design_max_t) * 1000.0,
        pressurised=tank.kind in PRESSURISED_TANKS,
        ambient_pressure_pa=met.pressure_pa,
    )
