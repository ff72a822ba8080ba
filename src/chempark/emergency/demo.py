"""The demo's QRA study: the demo park's default scenarios (toxic clouds, jet and pool fires,
BLEVE fireballs, flash fires and explosions), ready to run (not run at load,
which would take a while). Loading twice changes nothing: the study's name marks it as loaded."""

from __future__ import annotations

import math
from typing import Any

from chempark.core.actors import SYSTEM
from chempark.emergency.models import PopulatedArea, QraStudy
from chempark.emergency.services import populated_area_save, qra_study_create
from chempark.park.demo_data import PARK_NAME
from chempark.park.models import Park

DEMO_STUDY_NAME = "演示园区定量风险评价（默认情景）"


def load_demo_study() -> str:
    park = Park.objects.filter(name=PARK_NAME).first()
    if park is None:
        return "没有演示园区，未创建风险评价。"
    if QraStudy.objects.filter(name=DEMO_STUDY_NAME).exists():
        return "演示风险评价已存在，未重复创建。"
    study = qra_study_create(actor=SYSTEM, name=DEMO_STUDY_NAME, park_id=park.pk)
    return f"演示风险评价已创建（{len(study.scenarios)} 个泄漏情景，待计算）。"


# Villages around the demo park (illustrative figures, not a census): (name, kind, centre offset east
# and north of the middle of the park's boundary in metres, half-size in metres, people).
DEMO_VILLAGES = (
    ("西河村", "village", -4000.0, 300.0, 350.0, 860),
    ("南湾村", "village", 400.0, -3600.0, 300.0, 540),
    ("临港新苑小区", "residential", 4300.0, 900.0, 250.0, 2300),
    ("北岭村", "village", -600.0, 3600.0, 300.0, 410),
)


def _square(lon: float, lat: float, half_m: float) -> dict[str, Any]:
    dlon = half_m / (111_320.0 * math.cos(math.radians(lat)))
    dlat = half_m / 110_540.0
    ring = [
        [lon - dlon, lat - dlat],
        [lon + dlon, lat - dlat],
        [lon + dlon, lat + dlat],
        [lon - dlon, lat + dlat],
        [lon - dlon, lat - dlat],
    ]
    return {"type": "Polygon", "coordinates": [[[round(x, 6), round(y, 6)] for x, y in ring]]}


def load_demo_population() -> str:
    """A few villages and a residential area around the demo park (the population layer); idempotent."""
    park = Park.objects.filter(name=PARK_NAME).first()
    if park is None:
        return "没有演示园区，未创建人口分布。"
    if PopulatedArea.objects.filter(park=park).exists():
        return "人口分布已存在，未重复创建。"
    ring = park.boundary["coordinates"][0]
    lon0 = (min(p[0] for p in ring) + max(p[0] for p in ring)) / 2
    lat0 = (min(p[1] for p in ring) + max(p[1] for p in ring)) / 2
    for name, kind, east, north, half, people in DEMO_VILLAGES:
        lon = lon0 + east / (111_320.0 * math.cos(math.radians(lat0)))
        lat = lat0 + north / 110_540.0
        populated_area_save(
            actor=SYSTEM,
            values={
                "park": park.pk,
                "name": name,
                "kind": kind,
                "geometry": _square(lon, lat, half),
                "population": people,
                "source": "演示数据",
            },
        )
    return f"人口分布：{len(DEMO_VILLAGES)} 个村庄、居民区。"
