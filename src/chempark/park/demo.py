"""Loads the deterministic demo park through the registry services (so it is validated and audited
like any other data). Running it twice changes nothing: the park's name marks it as loaded."""

from __future__ import annotations

import math
import random
from decimal import ROUND_DOWN, Decimal
from typing import Any

from django.db import transaction

from chempark.common.identifiers import uscc_check_character
from chempark.core.actors import SYSTEM
from chempark.park.demo_data import (
    CHEMICALS,
    ENTERPRISE_TEMPLATES,
    PARK_BOUNDARY,
    PARK_NAME,
    PLACE_NAMES,
    PROTECTIVE_TARGETS,
)
from chempark.park.demo_storage import (
    PLANT_VOLUMES,
    PROCESS_VOLUMES,
    SMALL_VESSEL_VOLUMES,
    SPHERE_MIN_M3,
    TERMINAL_VOLUMES,
    WAREHOUSE_T,
    Phase,
    Storage,
    storage_for,
    tank_design_max_t,
)
from chempark.park.models import Park
from chempark.park.services import registry_create

ENTERPRISE_COUNT = 44
SEED = 20261128
# Residents within 500 m of each enterprise's boundary (GB 18218 α), by enterprise index in turn;
# None = not yet reported. Chosen so that the demo has major hazards of all four levels.
POPULATION_500M: tuple[int | None, ...] = (0, 25, 40, 0, 80, 150, 0, 12, None, 35, 0, 60)
# Metres per degree near 39.2 N, for placing things a given distance apart.
M_PER_DEG_LAT = 111_000.0
M_PER_DEG_LON = 111_000.0 * math.cos(math.radians(39.2))


BUND_EFFECTIVE_HEIGHT_M = Decimal("1.0")
"""Liquid depth a demo bund holds. GB 50074 石油库设计规范 §6.5.1 and §6.5.3 (as published at
jianbiaoku.com/webarbs/book/392/1726056.shtml): a tank group's bund holds at least its largest
tank, and the dike stands at least 1.0 m above the floor inside and 0.2 m above the computed liquid
level; a 1.2 m dike holding the tank at 1.0 m depth meets both."""


def bund_area_m2(tank_volume_m3: Decimal) -> Decimal:
    """Floor area of a demo atmospheric tank's bund: large enough to hold the full tank at
    :data:`BUND_EFFECTIVE_HEIGHT_M` (invented layout, sized by the code's capacity rule)."""
    return (tank_volume_m3 / BUND_EFFECTIVE_HEIGHT_M).quantize(Decimal("0.01"))


def demo_uscc(index: int) -> str:
    """A syntactically valid, fictional USCC: 91 (enterprise), 130209 (Caofeidian), MA + serial."""
    body = f"91130209MA{index:07d}"
    return body + uscc_check_character(body)


def _rectangle(lon: float, lat: float, width_m: float, height_m: float) -> dict[str, Any]:
    dx, dy = width_m / 2 / M_PER_DEG_LON, height_m / 2 / M_PER_DEG_LAT
    corners = [(-dx, -dy), (dx, -dy), (dx, dy), (-dx, dy), (-dx, -dy)]
    ring = [[lon + x, lat + y] for x, y in corners]
    return {"type": "Polygon", "coordinates": [[[round(x, 6), round(y, 6)] for x, y in ring]]}


def _circle(lon: float, lat: float, radius_m: float, points: int = 24) -> dict[str, Any]:
    ring = [
        [round(lon + radius_m * math.cos(a) / M_PER_DEG_LON, 6), round(lat + radius_m * math.sin(a) / M_PER_DEG_LAT, 6)]
        for a in (2 * math.pi * k / points for k in range(points))
    ]
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


def _areas(park_id: int) -> list[dict[str, Any]]:
    areas = [
        ("西区生产区", "production", _rectangle(118.186, 39.203, 2300, 3600)),
        ("东区生产区", "production", _rectangle(118.222, 39.205, 2300, 3200)),
        ("罐区（储存区）", "storage", _rectangle(118.204, 39.186, 2000, 900)),
        ("管委会与服务区", "office", _rectangle(118.176, 39.222, 700, 350)),
        ("危化品车辆停车场", "parking", _rectangle(118.233, 39.186, 500, 400)),
        ("纬一路", "public_road", _rectangle(118.205, 39.196, 5800, 40)),
        ("纬二路", "public_road", _rectangle(118.205, 39.212, 5800, 40)),
        ("经一路", "public_road", _rectangle(118.204, 39.203, 40, 4200)),
    ]
    return [{"park": park_id, "name": n, "kind": k, "geometry": g} for n, k, g in areas]


def load_demo_park() -> str:
    """Load the demo park once; says whether it did."""
    if Park.objects.filter(name=PARK_NAME).exists():
        return "演示园区已存在，未重复载入。"
    rng = random.Random(SEED)  # noqa: S311 — reproducible demo data, not secrets
    with transaction.atomic():
        park = registry_create(
            actor=SYSTEM,
            kind="park",
            values={
                "name": PARK_NAME,
                "address": "河北省唐山市沿海（虚构）",
                "boundary": {"type": "Polygon", "coordinates": [[list(p) for p in PARK_BOUNDARY]]},
            },
        )
        for values in _areas(park.pk):
            registry_create(actor=SYSTEM, kind="area", values=values)
        chemicals = {}
        for name_zh, name_en, aliases, cas, un, ghs in CHEMICALS:
            chemicals[name_zh] = registry_create(
                actor=SYSTEM,
                kind="chemical",
                values={
                    "name_zh": name_zh,
                    "name_en": name_en,
                    "aliases": aliases,
                    "cas": cas,
                    "un_number": un,
                    "ghs_categories": list(ghs),
                },
            )
        for index in range(ENTERPRISE_COUNT):
            _load_enterprise(index, park.pk, chemicals, rng)
        for name, kind, lon, lat, population, radius in PROTECTIVE_TARGETS:
            geometry = _circle(lon, lat, radius) if radius else {"type": "Point", "coordinates": [lon, lat]}
            registry_create(
                actor=SYSTEM,
                kind="protectivetarget",
                values={
                    "park": park.pk,
                    "name": name,
                    "kind": kind,
                    "geometry": geometry,
                    "population": population,
                    "address": "临港镇（虚构）",
                },
            )
    return "演示园区已载入。"


def _load_enterprise(index: int, park_id: int, chemicals: dict[str, Any], rng: random.Random) -> None:
    stem, kind, industry, substances = ENTERPRISE_TEMPLATES[index % len(ENTERPRISE_TEMPLATES)]
    # Plots on a grid inside the boundary, 11 columns by 4 rows.
    column, row = index % 11, index // 11
    lon = 118.176 + column * 0.0057 + rng.uniform(-0.0008, 0.0008)
    lat = 39.190 + row * 0.0085 + rng.uniform(-0.0008, 0.0008)
    enterprise = registry_create(
        actor=SYSTEM,
        kind="enterprise",
        values={
            "park": park_id,
            "name": f"唐山{PLACE_NAMES[index]}{stem}有限公司",
            "uscc": demo_uscc(index + 1),
            "kind": kind,
            "industry": industry,
            "address": f"临港化工园区纬{row + 1}路{column * 10 + 8}号",
            "lon": round(lon, 6),
            "lat": round(lat, 6),
            "legal_representative": f"{'王李张刘陈杨赵黄'[index % 8]}总",
            "safety_contact": f"{'周吴郑孙马朱胡林'[index % 8]}工",
            "safety_phone": f"0315-89{index:05d}",
            "employees": rng.randint(60, 900),
            "status": "suspended" if index % 15 == 14 else "operating",
            "population_500m": POPULATION_500M[index % len(POPULATION_500M)],
        },
    )
    scale = "terminal" if kind in ("storage", "operation") else "plant"
    for unit_number in range(1, 3 + index % 3 + 1):
        unit_kind = "storage" if unit_number % 2 == 0 or kind in ("storage", "operation") else "production"
        unit = registry_create(
            actor=SYSTEM,
            kind="unit",
            values={
                "enterprise": enterprise.pk,
                "code": f"U{unit_number:02d}",
                "name": f"{'储罐区' if unit_kind == 'storage' else '生产装置'}{unit_number}",
                "kind": unit_kind,
                "lon": round(lon + rng.uniform(-0.0015, 0.0015), 6),
                "lat": round(lat + rng.uniform(-0.0012, 0.0012), 6),
                "description": "",
            },
        )
        for position, substance in enumerate(_held(substances, unit_kind, rng), start=1):
            _load_holding(
                unit, position, chemicals[substance], substance=substance, unit_kind=unit_kind, scale=scale, rng=rng
            )


def _held(substances: tuple[str, ...], unit_kind: str, rng: random.Random) -> list[str]:
    """What a unit holds: a storage unit the enterprise's main storable product and one or two
    others; a production unit its process gases and intermediates, and one or two liquids."""
    storable = [name for name in substances if storage_for(name).in_tanks or storage_for(name).phase is Phase.SOLID]
    if unit_kind == "storage":
        return [storable[0], *rng.sample(storable[1:], k=min(len(storable) - 1, rng.randint(0, 2)))]
    process = [name for name in substances if storage_for(name).phase is Phase.PROCESS]
    return [*process, *rng.sample(storable, k=min(len(storable), rng.randint(1, 2)))]


def _load_holding(
    unit: Any, position: int, chemical: Any, *, substance: str, unit_kind: str, scale: str, rng: random.Random
) -> None:
    """The tanks of one chemical in one unit and the unit's inventory of it (the tanks' sum)."""
    storage = storage_for(substance)
    designs: list[Decimal] = []
    if storage.phase is Phase.PROCESS:
        low, high = storage.holdup_t
        designs.append(Decimal(str(round(rng.uniform(low, high), 1))))
    elif storage.phase is Phase.SOLID:
        design = Decimal(rng.choice(WAREHOUSE_T[scale]))
        registry_create(
            actor=SYSTEM,
            kind="tank",
            values={
                "unit": unit.pk,
                "code": f"W{position}01",
                "name": f"{substance}仓库",
                "kind": "warehouse",
                "chemical": chemical.pk,
                "volume_m3": None,
                "design_max_t": design,
                "bund_area_m2": None,
            },
        )
        designs.append(design)
    else:
        if unit_kind == "production":
            volumes, count = PROCESS_VOLUMES[storage.phase], rng.randint(1, 2)
        elif storage.small_vessels:
            volumes, count = SMALL_VESSEL_VOLUMES, rng.randint(2, 3)
        else:
            volumes = (TERMINAL_VOLUMES if scale == "terminal" else PLANT_VOLUMES)[storage.phase]
            count = rng.randint(2, 4)
        volume = rng.choice(volumes)
        for tank_number in range(1, count + 1):
            design = tank_design_max_t(substance, chemical.cas, volume)
            registry_create(
                actor=SYSTEM,
                kind="tank",
                values={
                    "unit": unit.pk,
                    "code": f"T{position}{tank_number:02d}",
                    "name": f"{substance}储罐{tank_number}",
                    "kind": _tank_kind(storage, volume),
                    "chemical": chemical.pk,
                    "volume_m3": volume,
                    "design_max_t": design,
                    "bund_area_m2": bund_area_m2(Decimal(volume)) if storage.phase is Phase.LIQUID else None,
                },
            )
            designs.append(design)
    design_total = sum(designs, Decimal(0))
    registry_create(
        actor=SYSTEM,
        kind="inventory",
        values={
            "unit": unit.pk,
            "chemical": chemical.pk,
            "design_max_t": design_total,
            "current_t": (design_total * Decimal(rng.randint(20, 90)) / 100).quantize(Decimal("0.01"), ROUND_DOWN),
            "mass_fraction": storage.mass_fraction,
        },
    )


def _tank_kind(storage: Storage, volume_m3: int) -> str:
    if storage.phase is Phase.REFRIGERATED:
        return "cryogenic"
    if storage.phase is Phase.LIQUEFIED:
        return "sphere" if volume_m3 >= SPHERE_MIN_M3 else "pressure"
    return "floating_roof" if storage.floating_roof and volume_m3 >= 1000 else "fixed_roof"
