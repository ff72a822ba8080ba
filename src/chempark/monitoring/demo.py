"""The demo's monitoring part: points on the demo park's tanks and units, and the simulator that
feeds them through the same ingest service the MQTT worker and the HTTP endpoint use."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime

import orjson
from django.db import transaction
from django.utils import timezone

from chempark.accounts import audit
from chempark.accounts.models import AuditAction
from chempark.config import current
from chempark.core import demo
from chempark.core.actors import SYSTEM
from chempark.monitoring import alarm_model as am
from chempark.monitoring import gas_detection, point_index
from chempark.monitoring.ingest.payload import datetime_to_ms
from chempark.monitoring.models import Camera, Point, PointKind, PointLatest, Transport
from chempark.monitoring.simulation import PointKind as SimKind
from chempark.monitoring.simulation import SimPoint, simulate
from chempark.park.models import Enterprise, Inventory, Tank, Unit

# code prefix, kind, unit of measure, range, L, H, HH (LL none)
UNIT_POINTS = (
    ("TT", PointKind.TEMPERATURE, "°C", 0.0, 100.0, None, 45.0, 60.0),
    ("PT", PointKind.PRESSURE, "MPa", 0.0, 2.5, None, 1.6, 2.0),
)
TANK_POINT = ("LT", PointKind.LEVEL, "m", 0.0, 20.0, 2.0, 16.0, 18.0)
# The weather mast on the first enterprise's site: wind at 10 m, what the leak-source estimate uses.
# Code, kind, name, unit of measure, range; no alarm limits.
WIND_POINTS = (
    ("WS-01", PointKind.WIND_SPEED, "气象站风速", "m/s", 0.0, 60.0),
    ("WD-01", PointKind.WIND_DIRECTION, "气象站风向", "°", 0.0, 360.0),
)
M_PER_DEG = 111_000.0


def load_demo_monitoring() -> str:
    """Points for every demo unit and tank (idempotent: skipped when points exist)."""
    if Point.objects.exists():
        return f"监测：已有 {Point.objects.count()} 个点位，跳过"
    enterprises = list(Enterprise.objects.order_by("pk"))
    if not enterprises:
        return "监测：没有企业，跳过"
    points: list[Point] = []
    cameras: list[Camera] = []
    for unit in Unit.objects.order_by("pk"):
        for n, (prefix, kind, uom, low, high, l_limit, h_limit, hh_limit) in enumerate(UNIT_POINTS):
            points.append(
                Point(
                    enterprise_id=unit.enterprise_id,
                    unit=unit,
                    code=f"{prefix}-{unit.code}",
                    name=f"{unit.name}{kind.label}",
                    kind=kind,
                    unit_of_measure=uom,
                    range_min=low,
                    range_max=high,
                    l=l_limit,
                    h=h_limit,
                    hh=hh_limit,
                    deadband=(high - low) * 0.01,
                    on_delay_s=0,
                    lon=unit.lon + (n - 1) * 30 / M_PER_DEG,
                    lat=unit.lat + 20 / M_PER_DEG,
                )
            )
        points.extend(_gas_detectors(unit))
        cameras.append(
            Camera(
                enterprise_id=unit.enterprise_id,
                code=f"CAM-{unit.code}",
                name=f"{unit.name}摄像机",
                lon=unit.lon,
                lat=unit.lat - 60 / M_PER_DEG,
                stream_url=f"rtsp://video.example.invalid/{unit.enterprise_id}/{unit.code}",
            )
        )
    for n, tank in enumerate(Tank.objects.select_related("unit").order_by("pk")):
        prefix, kind, uom, low, high, l_limit, h_limit, hh_limit = TANK_POINT
        unit = tank.unit
        points.append(
            Point(
                enterprise_id=unit.enterprise_id,
                unit=unit,
                tank=tank,
                code=f"{prefix}-{unit.code}-{tank.code}",
                name=f"{tank.name}液位",
                kind=kind,
                unit_of_measure=uom,
                range_min=low,
                range_max=high,
                l=l_limit,
                h=h_limit,
                hh=hh_limit,
                deadband=0.2,
                lon=unit.lon + ((n % 5) - 2) * 15 / M_PER_DEG,
                lat=unit.lat - 25 / M_PER_DEG,
            )
        )
    points.extend(_weather_station())
    start = am.AlarmState.start(datetime_to_ms(timezone.now())).to_dict()
    with transaction.atomic():
        created = Point.objects.bulk_create(points, batch_size=500)
        # Not online until their first reading, which the simulator of ``chempark demo`` sends within
        # one step (5 s). Marked online before it, a demo copy with no simulator beside it (the browser
        # tests load one) showed every point online yet almost none connected (接入率 0.1 %, one
        # enterprise of ninety). The first reading makes a point online (the engine's state has no
        # offline alarm), as for any point; only points once online can go offline.
        PointLatest.objects.bulk_create(
            [PointLatest(point=p, state=start, online=False) for p in created], batch_size=500
        )
        Camera.objects.bulk_create(cameras, batch_size=500)
        audit.record(
            actor=SYSTEM,
            action=AuditAction.IMPORT,
            object_type="monitoring_point",
            after={"points": len(created), "cameras": len(cameras), "source": "演示数据"},
        )
    point_index.invalidate()
    raised = _practice_alarms(enterprises[0].pk)
    return f"监测：{len(created)} 个点位、{len(cameras)} 台摄像机，企业用户练习用报警 {raised} 条"


def _practice_alarms(enterprise_id: int) -> int:
    """Alarms for the demo's enterprise user (ent1, the first enterprise) to practise acknowledging
    and handling from the first minute, whatever the simulator later raises at random: a tank level
    past its high-high limit and a unit temperature past its high limit, read in the last half hour
    (never in the future) and sent through the ingest service, so the alarm engine raises them."""
    from chempark.monitoring.models import Alarm
    from chempark.monitoring.services import IncomingMessage, ingest_messages

    # its last level and temperature points: the first ones are where the browser tests raise their own
    own = Point.objects.filter(enterprise_id=enterprise_id).order_by("-pk")
    level = own.filter(kind=PointKind.LEVEL).first()
    heat = own.filter(kind=PointKind.TEMPERATURE).first()
    now_ms = datetime_to_ms(timezone.now())
    readings: list[dict[str, object]] = []
    for point, values in ((level, (12.0, 18.6)), (heat, (30.0, 48.5))):
        if point is None:
            continue
        for minutes_ago, value in zip((30, 20), values, strict=True):
            readings.append({"point": point.code, "ts": now_ms - minutes_ago * 60_000, "value": value})
    if not readings:
        return 0
    before = Alarm.objects.filter(enterprise_id=enterprise_id).count()
    message = IncomingMessage(orjson.dumps({"readings": readings}), enterprise_id)
    ingest_messages(actor=SYSTEM, messages=[message], transport=Transport.DEMO)
    return Alarm.objects.filter(enterprise_id=enterprise_id).count() - before


def _gas_detectors(unit: Unit) -> list[Point]:
    """The unit's gas detectors (GB/T 50493-2019, :mod:`chempark.monitoring.gas_detection`): for each
    chemical it holds, a toxic-gas detector (ppm) if it is a tabulated toxic gas and a combustible-gas
    detector (%LEL) if it is flammable — one per tank holding it, else one for the unit's process."""
    detectors: list[Point] = []
    tanks = list(Tank.objects.filter(unit=unit).order_by("pk"))
    for inventory in Inventory.objects.filter(unit=unit).select_related("chemical").order_by("pk"):
        chemical = inventory.chemical
        toxic = gas_detection.toxic_alarm(chemical.cas) if chemical.cas else None
        flammable = gas_detection.is_flammable(chemical.ghs_categories or [])
        watched: list[Tank | None] = [tank for tank in tanks if tank.chemical_id == chemical.pk] or [None]
        for tank in watched:
            where = tank.name if tank is not None else f"{unit.name}{chemical.name_zh}"
            offset = len(detectors)
            lon = unit.lon + ((offset % 6) - 2.5) * 12 / M_PER_DEG
            lat = unit.lat + (15 + 10 * (offset // 6)) / M_PER_DEG
            if toxic is not None:
                detectors.append(
                    Point(
                        enterprise_id=unit.enterprise_id,
                        unit=unit,
                        tank=tank,
                        code=f"GT-{unit.code}-{len(detectors) + 1:02d}",
                        name=f"{where}有毒气体检测",
                        kind=PointKind.GAS_PPM,
                        unit_of_measure="ppm",
                        range_min=0.0,
                        range_max=toxic.range_max_ppm,
                        h=toxic.first_alarm_ppm,
                        hh=toxic.second_alarm_ppm,
                        deadband=toxic.range_max_ppm * 0.01,
                        on_delay_s=0,
                        lon=lon,
                        lat=lat,
                    )
                )
            if flammable:
                detectors.append(
                    Point(
                        enterprise_id=unit.enterprise_id,
                        unit=unit,
                        tank=tank,
                        code=f"GD-{unit.code}-{len(detectors) + 1:02d}",
                        name=f"{where}可燃气体检测",
                        kind=PointKind.GAS_LEL,
                        unit_of_measure="%LEL",
                        range_min=0.0,
                        range_max=100.0,
                        h=gas_detection.COMBUSTIBLE_FIRST_ALARM_LEL,
                        hh=gas_detection.COMBUSTIBLE_SECOND_ALARM_LEL,
                        deadband=1.0,
                        on_delay_s=0,
                        lon=lon + 6 / M_PER_DEG,
                        lat=lat,
                    )
                )
    return detectors


def _weather_station() -> list[Point]:
    unit = Unit.objects.order_by("pk").first()
    if unit is None:
        return []
    return [
        Point(
            enterprise_id=unit.enterprise_id,
            unit=unit,
            code=code,
            name=name,
            kind=kind,
            unit_of_measure=uom,
            range_min=low,
            range_max=high,
            on_delay_s=0,
            lon=unit.lon + 40 / M_PER_DEG,
            lat=unit.lat + 40 / M_PER_DEG,
        )
        for code, kind, name, uom, low, high in WIND_POINTS
    ]


def sim_points() -> list[tuple[int, str, SimPoint]]:
    """The enabled points as simulator input: (enterprise id, code, SimPoint)."""
    result = []
    for point in Point.objects.filter(enabled=True).order_by("pk"):
        result.append(
            (
                point.enterprise_id,
                point.code,
                SimPoint(
                    code=f"{point.enterprise_id}/{point.code}",
                    kind=SimKind(point.kind),
                    range_min=point.range_min,
                    range_max=point.range_max,
                    high=point.h,
                    low=point.l,
                ),
            )
        )
    return result


def simulated_messages(start: datetime, step_s: float, seed: int) -> Iterator[tuple[datetime, dict[int, bytes]]]:
    """Endless (time, {enterprise id: readings message}) for the registered points."""
    points = sim_points()
    for moment, batch in simulate([p for _e, _c, p in points], start, step_s, seed):
        ts = datetime_to_ms(moment)
        per: dict[int, list[dict[str, object]]] = {}
        for key, value in batch:
            enterprise, code = key.split("/", 1)
            per.setdefault(int(enterprise), []).append({"point": code, "ts": ts, "value": round(value, 4)})
        yield moment, {e: orjson.dumps({"readings": r}) for e, r in per.items()}


def start_demo_simulator() -> Callable[[], None]:
    """Run the simulator (``chempark simulate --direct``, in real time through the ingest service) as a
    process beside the demo server, as production runs its ingest (the monitoring jobs run in the
    demo's ``chempark scheduler``, started by the core). Returns the function that stops it."""
    config = current()
    return demo.command_process(
        "simulate",
        "--direct",
        "--interval",
        str(config.demo_sim_step_s),
        "--seed",
        str(config.demo_sim_seed),
        "-v",
        "0",
    )
