"""How the demo park keeps each chemical, so that its tanks and quantities are physically possible.

A tank's design maximum is its volume × the liquid's density at storage conditions × a fill
fraction: 0.85 for an atmospheric tank (the roof, the floating deck and the high-level alarm take
the rest) and 0.90 for a pressure or refrigerated vessel of liquefied gas (room for the liquid to
expand when it warms). Densities come from the property data (:func:`liquid_density_kg_m3`); only
the solutions the data cannot describe (formalin, 98 % sulphuric acid, 32 % caustic soda) carry
their own published density. Gases that are not liquefied for storage (hydrogen, methane, carbon
monoxide, hydrogen sulphide) and the intermediates made on demand and used at once (phosgene,
hydrogen cyanide) are held only in the process equipment of production units, in small
quantities; solids are kept in warehouses.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from enum import StrEnum

from chempark.park.chemical_properties import liquid_density_kg_m3

AMBIENT_K = 293.15
ATMOSPHERIC_FILL = Decimal("0.85")
LIQUEFIED_FILL = Decimal("0.90")


class Phase(StrEnum):
    LIQUID = "liquid"  # atmospheric tank
    LIQUEFIED = "liquefied"  # pressure vessel (bullet or sphere) at ambient temperature, saturated
    REFRIGERATED = "refrigerated"  # cryogenic tank at the normal boiling point
    PROCESS = "process"  # in process equipment only (gas or made on demand): no tank
    SOLID = "solid"  # warehouse


@dataclass(frozen=True)
class Storage:
    """How the demo keeps one chemical."""

    phase: Phase
    temperature_k: float = AMBIENT_K
    # For a solution: its density at 20 °C and the chemical's mass fraction in it.
    solution_density_kg_m3: float | None = None
    mass_fraction: Decimal | None = None
    # Process holdup of a production unit, tonnes (low, high): what the pipes and vessels hold.
    holdup_t: tuple[float, float] = (0.0, 0.0)
    floating_roof: bool = False  # volatile liquids in large tanks
    small_vessels: bool = False  # highly toxic: kept in small vessels even in a storage unit

    @property
    def in_tanks(self) -> bool:
        return self.phase in (Phase.LIQUID, Phase.LIQUEFIED, Phase.REFRIGERATED)

    @property
    def fill(self) -> Decimal:
        return ATMOSPHERIC_FILL if self.phase is Phase.LIQUID else LIQUEFIED_FILL


_LIQUID = Storage(Phase.LIQUID)
_VOLATILE = Storage(Phase.LIQUID, floating_roof=True)
_LIQUEFIED = Storage(Phase.LIQUEFIED)
_TOXIC_LIQUEFIED = Storage(Phase.LIQUEFIED, small_vessels=True)

STORAGE: dict[str, Storage] = {
    "氯": _TOXIC_LIQUEFIED,
    "氨": _LIQUEFIED,
    "液化石油气": _LIQUEFIED,
    "甲醇": _LIQUID,
    "苯": _VOLATILE,
    "硫化氢": Storage(Phase.PROCESS, holdup_t=(0.2, 1.0)),
    "氢": Storage(Phase.PROCESS, holdup_t=(0.1, 0.6)),
    "甲苯": _VOLATILE,
    "二甲苯异构体混合物": _LIQUID,
    "乙醇": _LIQUID,
    "丙酮": _VOLATILE,
    "环氧乙烷": _TOXIC_LIQUEFIED,
    "氯化氢": _TOXIC_LIQUEFIED,
    "氰化氢": Storage(Phase.PROCESS, holdup_t=(0.3, 1.5)),
    # Made on demand and consumed at once; a plant holds a few tonnes at most, never a store.
    "碳酰氯": Storage(Phase.PROCESS, holdup_t=(0.5, 2.0)),
    "二氧化硫": _TOXIC_LIQUEFIED,
    "丙烯": _LIQUEFIED,
    "乙烯": Storage(Phase.REFRIGERATED, temperature_k=169.15),  # -104 °C, just below its boiling point
    "甲烷": Storage(Phase.PROCESS, holdup_t=(1.0, 5.0)),
    "丙烯腈": _VOLATILE,
    "苯乙烯": _LIQUID,
    "硝酸铵": Storage(Phase.SOLID),
    # 98 %: 1,830 kg/m³ at 20 °C (CRC Handbook, concentrative properties of aqueous solutions).
    "硫酸": Storage(Phase.LIQUID, solution_density_kg_m3=1830.0, mass_fraction=Decimal("0.98")),
    # 32 % caustic soda, as chlor-alkali plants ship it: 1,350 kg/m³ at 20 °C (CRC Handbook).
    "氢氧化钠": Storage(Phase.LIQUID, solution_density_kg_m3=1350.0, mass_fraction=Decimal("0.32")),
    # Formalin, 37 % formaldehyde stabilised with methanol: 1,090 kg/m³ at 20 °C (producers' data sheets).
    "甲醛溶液": Storage(Phase.LIQUID, solution_density_kg_m3=1090.0, mass_fraction=Decimal("0.37")),
    "汽油": _VOLATILE,
    "柴油": _LIQUID,
    "氟化氢": _TOXIC_LIQUEFIED,
    "1,3-丁二烯": _LIQUEFIED,
    "氯乙烯": _LIQUEFIED,
    "溴": Storage(Phase.LIQUID, small_vessels=True),
    "乙酸乙酯": _LIQUID,
    "一氧化碳": Storage(Phase.PROCESS, holdup_t=(0.5, 3.0)),
}

# Tank volumes (m³) to choose from. Storage terminals: 1,000–50,000 m³; a plant's own tank farm is
# smaller, and the buffer vessels inside a production unit smaller still.
TERMINAL_VOLUMES = {
    Phase.LIQUID: (2000, 5000, 10000, 20000, 30000),
    Phase.LIQUEFIED: (1000, 2000, 3000),
    Phase.REFRIGERATED: (10000, 20000),
}
PLANT_VOLUMES = {
    Phase.LIQUID: (200, 500, 1000, 2000),
    Phase.LIQUEFIED: (100, 200, 400, 1000),
    Phase.REFRIGERATED: (2000, 5000),
}
SMALL_VESSEL_VOLUMES = (20, 30, 50, 100)
PROCESS_VOLUMES = {Phase.LIQUID: (10, 20, 50), Phase.LIQUEFIED: (5, 10, 20), Phase.REFRIGERATED: (50, 100)}
SPHERE_MIN_M3 = 400  # larger pressure vessels are spheres, smaller ones horizontal bullets
WAREHOUSE_T = {"terminal": (300, 500, 1000), "plant": (50, 100, 200)}


def storage_for(name_zh: str) -> Storage:
    return STORAGE[name_zh]


def density_kg_m3(name_zh: str, cas: str) -> float:
    """The liquid's density at its storage conditions; raises ``LookupError`` when unknown."""
    storage = storage_for(name_zh)
    if storage.solution_density_kg_m3 is not None:
        return storage.solution_density_kg_m3
    density = liquid_density_kg_m3(cas, storage.temperature_k)
    if density is None:
        raise LookupError(f"no liquid density for {name_zh} (CAS {cas}) at {storage.temperature_k} K")
    return density


def tank_design_max_t(name_zh: str, cas: str, volume_m3: int) -> Decimal:
    """Volume × density × fill fraction, in tonnes, rounded down to 0.1 t."""
    tonnes = Decimal(volume_m3) * Decimal(str(density_kg_m3(name_zh, cas))) / 1000 * storage_for(name_zh).fill
    return tonnes.quantize(Decimal("0.1"), rounding=ROUND_DOWN)
