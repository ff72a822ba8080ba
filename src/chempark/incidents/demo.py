"""The demo park's emergency command: its roads as a network, the resources ledger (teams with
their equipment, experts, supplies in a warehouse, 消防水鹤 and hydrants, shelters, a medical
point), two past incidents and one live incident a dispatcher can work (its hazmat team en route,
reporting its GPS position).

The ledger and the live incident go through the services. The past incidents are records entered
as they happened, with their own times (a service stamps the present), so they are written directly.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from shapely.geometry import shape

from chempark.core.actors import SYSTEM
from chempark.incidents import dispatch_services, ledger_services, services
from chempark.incidents.models import (
    Dispatch,
    Incident,
    IncidentEvent,
    IncidentKind,
    IncidentSource,
    IncidentStatus,
    Resource,
)
from chempark.incidents.roads import RoadLine
from chempark.park.models import Area, AreaKind, Chemical, Enterprise, Tank

CHLORINE, AMMONIA = "7782-50-5", "7664-41-7"
# Roads beyond the park's own (which come from its road areas): the access roads to the towns and
# the production areas' internal roads, (name, points, km/h).
EXTRA_ROADS: tuple[tuple[str, tuple[tuple[float, float], ...], float], ...] = (
    ("临港大道", ((118.1725, 39.212), (118.150, 39.212)), 50),
    ("滨海路", ((118.204, 39.222), (118.204, 39.245)), 50),
    ("南堡路", ((118.2375, 39.196), (118.257, 39.200)), 40),
    ("西区一路", ((118.186, 39.186), (118.186, 39.221)), 30),
    ("东区一路", ((118.222, 39.186), (118.222, 39.221)), 30),
)
PUBLIC_ROAD_KMH = 40.0


def _centreline(geometry: dict[str, Any]) -> tuple[tuple[float, float], tuple[float, float]]:
    """The long axis of a road area's rectangle."""
    minx, miny, maxx, maxy = shape(geometry).bounds
    midx, midy = (minx + maxx) / 2, (miny + maxy) / 2
    if (maxx - minx) * 0.78 >= maxy - miny:  # degrees of longitude are shorter at 39° N
        return (round(minx, 6), round(midy, 6)), (round(maxx, 6), round(midy, 6))
    return (round(midx, 6), round(miny, 6)), (round(midx, 6), round(maxy, 6))


def demo_roads() -> list[RoadLine]:
    roads = [
        RoadLine(area.name, _centreline(area.geometry), PUBLIC_ROAD_KMH)
        for area in Area.objects.filter(kind=AreaKind.PUBLIC_ROAD).order_by("id")
    ]
    return roads + [RoadLine(name, points, speed) for name, points, speed in EXTRA_ROADS]


def _resources(enterprise: Enterprise | None) -> None:
    save = ledger_services.resource_save
    station = save(
        actor=SYSTEM,
        values={
            "kind": "team",
            "name": "园区消防救援站",
            "lon": 118.196,
            "lat": 39.214,
            "members": 36,
            "specialty": "灭火、危化品泄漏处置",
            "phone": "0315-8911119",
            "contact": "李站长",
        },
    )
    hazmat = save(
        actor=SYSTEM,
        values={
            "kind": "team",
            "name": "危化品专业救援队",
            "lon": 118.230,
            "lat": 39.190,
            "members": 24,
            "specialty": "堵漏、洗消、侦检",
            "phone": "0315-8912345",
            "contact": "王队长",
        },
    )
    save(
        actor=SYSTEM,
        values={
            "kind": "team",
            "name": "园区医疗救护队",
            "lon": 118.172,
            "lat": 39.224,
            "members": 12,
            "specialty": "现场救护",
            "phone": "0315-8910120",
        },
    )
    if enterprise is not None:
        save(
            actor=SYSTEM,
            values={
                "kind": "team",
                "name": f"{enterprise.name}专职消防队",
                "owner_kind": "enterprise",
                "enterprise": enterprise.pk,
                "lon": enterprise.lon,
                "lat": enterprise.lat,
                "members": 15,
                "specialty": "厂内初期处置",
                "phone": "0315-8913001",
            },
        )
    today = timezone.localdate()
    for name, kind, team, lon, lat, availability in (
        ("水罐消防车 冀B-119A1", "fire_truck", station, 118.1962, 39.2142, "available"),
        ("泡沫消防车 冀B-119A2", "foam_tender", station, 118.1958, 39.2138, "available"),
        ("举高喷射消防车 冀B-119A3", "fire_truck", station, 118.1965, 39.2136, "maintenance"),
        ("大流量排水泵", "pump", hazmat, 118.2302, 39.1902, "available"),
        ("便携式多种气体检测仪（4台）", "gas_detector", hazmat, 118.2298, 39.1898, "available"),
        ("重型防化服（10套）", "protective_suit", hazmat, 118.2305, 39.1897, "available"),
    ):
        save(
            actor=SYSTEM,
            values={
                "kind": "equipment",
                "name": name,
                "equipment_type": kind,
                "team": team.pk,
                "lon": lon,
                "lat": lat,
                "availability": availability,
                "last_inspected_on": today - dt.timedelta(days=40),
            },
        )
    depot = save(
        actor=SYSTEM,
        values={
            "kind": "warehouse",
            "name": "园区应急物资储备库",
            "lon": 118.214,
            "lat": 39.208,
            "contact": "赵主任",
            "phone": "0315-8914000",
        },
    )
    for name, quantity, minimum, unit, expires in (
        ("堵漏工具组", "6", "4", "套", None),
        ("吸附棉", "80", "200", "kg", None),
        ("防毒面具滤毒罐", "120", "100", "个", today + dt.timedelta(days=20)),
        ("洗消剂", "500", "300", "kg", today + dt.timedelta(days=300)),
        ("医用急救包", "40", "30", "个", today - dt.timedelta(days=5)),
    ):
        stock = {
            "quantity": Decimal(quantity),
            "min_stock": Decimal(minimum),
            "unit_of_measure": unit,
            "expires_on": expires,
        }
        save(
            actor=SYSTEM,
            values={"kind": "supply", "name": name, "warehouse": depot.pk, "lon": depot.lon, "lat": depot.lat, **stock},
        )
    for index, (lon, lat) in enumerate(((118.190, 39.196), (118.204, 39.205), (118.222, 39.212)), start=1):
        save(actor=SYSTEM, values={"kind": "water_crane", "name": f"消防水鹤 {index} 号", "lon": lon, "lat": lat})
    for index, (lon, lat) in enumerate(
        ((118.180, 39.212), (118.200, 39.196), (118.215, 39.196), (118.230, 39.212)), start=1
    ):
        save(actor=SYSTEM, values={"kind": "hydrant", "name": f"市政消火栓 {index} 号", "lon": lon, "lat": lat})
    for name, lon, lat, capacity, signage in (
        ("临港镇第一中学操场", 118.150, 39.214, 3000, True),
        ("渔港新村广场", 118.200, 39.243, 2000, True),
        ("南堡村文化广场", 118.258, 39.201, 1500, False),
        ("园区管委会广场", 118.170, 39.224, 800, True),
    ):
        save(
            actor=SYSTEM,
            values={"kind": "shelter", "name": name, "lon": lon, "lat": lat, "capacity": capacity, "signage": signage},
        )
    save(
        actor=SYSTEM,
        values={
            "kind": "medical",
            "name": "临港镇卫生院急救点",
            "lon": 118.156,
            "lat": 39.208,
            "phone": "0315-8910121",
        },
    )
    chemicals = {c.cas: c.pk for c in Chemical.objects.filter(cas__in=[CHLORINE, AMMONIA])}
    for name, specialty, phone, known in (
        ("张工（化工安全）", "氯碱工艺、有毒气体泄漏处置", "13900000001", [CHLORINE]),
        ("刘工（制冷与液氨）", "液氨储运、制冷系统", "13900000002", [AMMONIA]),
        ("陈工（消防）", "石化火灾扑救", "13900000003", []),
    ):
        save(
            actor=SYSTEM,
            values={"kind": "expert", "name": name, "specialty": specialty, "phone": phone},
            chemical_ids=[chemicals[c] for c in known if c in chemicals],
        )


def _past_incident(title: str, kind: str, tank: Tank | None, *, days_ago: int, summary: str, team: Resource) -> None:
    """A closed incident as it was recorded, with its own times."""
    start = timezone.now() - dt.timedelta(days=days_ago, hours=3)
    lon, lat = (tank.unit.lon, tank.unit.lat) if tank else (118.21, 39.20)
    incident = Incident.objects.create(
        title=title,
        kind=kind,
        source=IncidentSource.PHONE,
        status=IncidentStatus.CLOSED,
        reported_at=start,
        lon=lon,
        lat=lat,
        enterprise=tank.unit.enterprise if tank else None,
        unit=tank.unit if tank else None,
        reporter="企业值班室",
        closed_at=start + dt.timedelta(hours=2),
        summary=summary,
        suggested_level=4,
    )
    if tank is not None and tank.chemical is not None:
        incident.chemicals.set([tank.chemical])
    Dispatch.objects.create(
        incident=incident,
        resource=team,
        state="available",
        eta_min=6.0,
        dispatched_at=start + dt.timedelta(minutes=3),
        updated_at=start + dt.timedelta(hours=2),
    )
    for minutes, text in (
        (0, f"接警（电话报警）：{title}"),
        (3, f"调派 救援队伍“{team.name}”，预计 6 分钟到达"),
        (10, f"“{team.name}”到达现场"),
        (70, f"“{team.name}”撤离现场，返回"),
        (120, f"结案：{summary}"),
    ):
        IncidentEvent.objects.create(
            incident=incident, at=start + dt.timedelta(minutes=minutes), actor="值班调度", action="record", text=text
        )


def load_demo_incidents() -> str:
    """Load once; says what it did."""
    if Resource.objects.filter(name="园区消防救援站").exists():
        return "应急指挥演示数据已存在，未重复载入。"
    with transaction.atomic():
        segments = ledger_services.road_network_replace(actor=SYSTEM, roads=demo_roads())
        chlorine = (
            Tank.objects.filter(chemical__cas=CHLORINE)
            .select_related("unit__enterprise", "chemical")
            .order_by("id")
            .first()
        )
        ammonia = (
            Tank.objects.filter(chemical__cas=AMMONIA)
            .select_related("unit__enterprise", "chemical")
            .order_by("id")
            .first()
        )
        _resources(chlorine.unit.enterprise if chlorine else None)
        station = Resource.objects.get(name="园区消防救援站")
        hazmat = Resource.objects.get(name="危化品专业救援队")
        leak_summary = "紧固法兰、喷雾稀释，无人员伤亡。"
        fire_summary = "泡沫覆盖扑灭，过火面积约 20 m²，无人员伤亡。"
        _past_incident("液氨储罐法兰泄漏", IncidentKind.LEAK, ammonia, days_ago=45, summary=leak_summary, team=hazmat)
        _past_incident("罐区围堰内油品起火", IncidentKind.FIRE, None, days_ago=120, summary=fire_summary, team=station)
        if chlorine is not None:
            live = services.incident_create(
                actor=SYSTEM,
                data=services.IncidentInput(
                    title=f"{chlorine.unit.enterprise.name} 液氯泄漏",
                    kind=IncidentKind.LEAK,
                    unit_id=chlorine.unit_id,
                    chemical_ids=[chlorine.chemical_id] if chlorine.chemical_id else [],
                    injured=2,
                    description="储罐区闻到刺激性气味，两名巡检工咳嗽，现场有黄绿色气体。",
                    reporter="企业值班长",
                    reporter_phone="13800000000",
                ),
            )
            order = dispatch_services.dispatch_create(actor=SYSTEM, incident_id=live.pk, resource_id=hazmat.pk)
            dispatch_services.dispatch_transition(actor=SYSTEM, pk=order.pk, action="depart")
            if hazmat.lon is not None and hazmat.lat is not None:  # on its way: halfway, by its GPS
                halfway = ((hazmat.lon + live.lon) / 2, (hazmat.lat + live.lat) / 2)
                ledger_services.resource_position(actor=SYSTEM, pk=hazmat.pk, lon=halfway[0], lat=halfway[1])
    return f"应急指挥：道路网络 {segments} 个路段、{Resource.objects.count()} 项应急资源、3 起事件（1 起处置中）。"
