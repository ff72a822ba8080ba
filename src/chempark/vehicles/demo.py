"""The demo park's vehicles and access control: carriers, tank trucks with positioning terminals,
drivers and escorts (one certificate expired), a blacklisted truck, gates at the park's west
entrance, today's reservations (approved, awaiting, refused), passages at the gates — one truck
inside past the 6-hour limit — and an enterprise's access areas with the morning's badge reads.

Everything goes through the services, relative to the demo's clock. Running it twice changes
nothing: the first carrier marks it as loaded.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from chempark.core.actors import SYSTEM, Actor
from chempark.core.roles import Role
from chempark.park.models import Enterprise, Inventory
from chempark.vehicles import access, gates, services
from chempark.vehicles.models import Carrier
from chempark.vehicles.tasks import run_checks

CARRIERS = (
    ("唐山顺达危险货物运输有限公司", "冀交运管许可唐字130200001234号", 400),
    ("天津港化危运物流有限公司", "津交运管许可危字120000005678号", 200),
    ("沧州渤海化工运输有限公司", "冀交运管许可沧字130900009012号", 25),
)
# plate, carrier index, type, tank m³
VEHICLES = (
    ("冀B12345", 0, "tank", "30"),
    ("冀B23456", 0, "tank", "25"),
    ("冀B34567D", 0, "tank", "28"),
    ("冀BA6789", 0, "van", None),
    ("津A45678", 1, "tank", "32"),
    ("津A56789", 1, "tractor", None),
    ("冀J67890", 2, "tank", "20"),
    ("冀J7890挂", 2, "trailer", "40"),
)
# name, duty, carrier index, days until the certificate expires
CREW = (
    ("王建国", "driver", 0, 500),
    ("李志强", "driver", 0, 300),
    ("张卫东", "escort", 0, 420),
    ("刘海燕", "escort", 0, 260),
    ("陈立军", "driver", 1, 380),
    ("杨晓梅", "escort", 1, -12),  # expired: her carrier's reservations fail until she renews
    ("赵国庆", "driver", 2, 220),
    ("孙丽", "escort", 2, 190),
)
GATES = (
    ("G01", "1号门（危化品专用卡口）", True, 118.1715, 39.1960),
    ("G02", "2号门（普货卡口）", False, 118.1715, 39.2120),
    ("G03", "3号门（停车场危化品卡口）", True, 118.2390, 39.1900),
)
WORKERS = (
    "周建华",
    "吴俊",
    "徐斌",
    "孙涛",
    "胡海",
    "朱明",
    "高峰",
    "林静",
    "何平",
    "郭勇",
    "马丽",
    "罗成",
    "梁宇",
    "宋佳",
)


def _create(kind: str, values: dict[str, Any]) -> Any:
    return services.entity_create(actor=SYSTEM, kind=kind, values=values)


def load_demo_vehicles() -> str:
    if Carrier.objects.filter(name=CARRIERS[0][0]).exists():
        return "车辆与门禁演示数据已存在，未重复载入。"
    enterprises = list(Enterprise.objects.order_by("id")[:6])
    if not enterprises:
        return "没有企业（园区演示数据未载入），跳过车辆演示数据。"
    now = timezone.now()
    today = timezone.localdate(now)
    carriers = [
        _create("carrier", {"name": name, "permit_no": permit, "permit_expires": today + dt.timedelta(days=days)})
        for name, permit, days in CARRIERS
    ]
    vehicles = [
        _create(
            "vehicle",
            {
                "plate": plate,
                "carrier": carriers[carrier].pk,
                "vehicle_type": kind,
                "tank_capacity_m3": None if tank is None else Decimal(tank),
                "terminal_phone": f"0138{index + 1:08d}",
                "road_permit_no": f"冀交运危{130200100 + index}",
            },
        )
        for index, (plate, carrier, kind, tank) in enumerate(VEHICLES)
    ]
    crew = [
        _create(
            "crew",
            {
                "carrier": carriers[carrier].pk,
                "name": name,
                "duty": duty,
                "id_number": f"13020019850{index:03d}1234"[:18],
                "phone": f"1390315{index:04d}",
                "certificate_no": f"130200{index:06d}",
                "certificate_expires": today + dt.timedelta(days=days),
            },
        )
        for index, (name, duty, carrier, days) in enumerate(CREW)
    ]
    _create(
        "blacklist",
        {
            "target": "vehicle",
            "vehicle": vehicles[3].pk,
            "reason": "多次在园区道路违规停车，禁止入园一年",
            "starts_on": today - dt.timedelta(days=30),
            "expires_on": today + dt.timedelta(days=335),
        },
    )
    for code, name, hazmat, lon, lat in GATES:
        _create("gate", {"code": code, "name": name, "hazmat": hazmat, "lon": lon, "lat": lat})
    passages = _reservations_and_passages(enterprises, vehicles, crew, now)
    people = _access(enterprises[0], now)
    report = run_checks(now)
    return (
        f"车辆演示数据：{len(carriers)} 家承运企业、{len(vehicles)} 辆车、{len(crew)} 名驾驶员/押运员、"
        f"{len(GATES)} 个卡口、{passages} 条过车记录（{report.overstaying} 辆超时滞留）；"
        f"门禁：{people} 名人员。"
    )


def _cargo(enterprise: Enterprise) -> Any:
    inventory = (
        Inventory.objects.select_related("chemical")
        .filter(unit__enterprise=enterprise)
        .exclude(chemical__un_number="")
        .order_by("id")
        .first()
    )
    return None if inventory is None else inventory.chemical


def _reservations_and_passages(
    enterprises: list[Enterprise], vehicles: list[Any], crew: list[Any], now: dt.datetime
) -> int:
    """Trucks of the first carrier: one entered 7 hours ago (over the limit), one entered this hour,
    one approved and on its way, one awaiting approval; a refused one; then a truck without a
    reservation and the blacklisted van turned away at the gate."""
    inspector = Actor(user_id=None, username="system", role=Role.INSPECTOR, is_system=True)
    gate_machine = Actor(user_id=None, username="卡口系统", role=Role.MACHINE, is_system=True)
    plans = (  # vehicle, driver, escort (of its carrier), enterprise, hours ago it entered (None: not yet), decision
        (0, 0, 2, 0, 7.0, "approve"),
        (1, 1, 3, 1, 0.5, "approve"),
        (2, 1, 2, 2, None, "approve"),
        (6, 6, 7, 3, None, ""),
        (7, 6, 7, 4, None, "refuse"),
    )
    passages = 0
    for vehicle, driver, escort, enterprise, entered_h, decision in plans:
        chemical = _cargo(enterprises[enterprise % len(enterprises)])
        if chemical is None:
            continue
        # a reservation is for the day of its entry: the 7-hour stay may have begun yesterday
        at = now - dt.timedelta(hours=entered_h or 0)
        reservation = services.reservation_create(
            actor=SYSTEM,
            now=at,
            values={
                "enterprise": enterprises[enterprise % len(enterprises)].pk,
                "vehicle": vehicles[vehicle].pk,
                "driver": crew[driver].pk,
                "escort": crew[escort].pk,
                "chemical": chemical.pk,
                "un_number": chemical.un_number,
                "quantity_t": Decimal("18.5"),
                "date": timezone.localdate(at),
            },
        )
        if decision == "approve":
            services.reservation_transition(actor=inspector, reservation_id=reservation.pk, action="approve", now=at)
        elif decision == "refuse":
            services.reservation_transition(
                actor=inspector,
                reservation_id=reservation.pk,
                action="refuse",
                reason="该企业当日卸货时段已约满，请改约次日",
                now=at,
            )
        if entered_h is not None:
            gates.gate_event_ingest(
                actor=gate_machine, gate_code="G01", plate=vehicles[vehicle].plate, direction="in", at=at, now=at
            )
            passages += 1
    for vehicle, gate, minutes in ((4, "G01", 40), (3, "G01", 25), (0, "G02", 90)):
        gates.gate_event_ingest(
            actor=gate_machine,
            gate_code=gate,
            plate=vehicles[vehicle].plate,
            direction="in",
            at=now - dt.timedelta(minutes=minutes),
            now=now,
        )
        passages += 1
    return passages


def _access(enterprise: Enterprise, now: dt.datetime) -> int:
    """The first enterprise's production area (certificate required, at most 8 people), its control
    room (certificate, at most 4: the morning's shift change puts 5 in it) and its office building."""
    areas = {
        "production": ("生产装置区", "production", True, 8, "P1"),
        "control": ("中控室", "control_room", True, 4, "C1"),
        "office": ("办公楼", "office", False, None, "O1"),
    }
    created = {}
    for key, (name, kind, certificate, limit, door) in areas.items():
        area = _create(
            "accessarea",
            {
                "enterprise": enterprise.pk,
                "name": name,
                "kind": kind,
                "requires_certificate": certificate,
                "headcount_limit": limit,
                "lon": enterprise.lon,
                "lat": enterprise.lat,
            },
        )
        _create("accessgate", {"area": area.pk, "code": door, "name": f"{name}门禁"})
        created[key] = area
    today = timezone.localdate(now)
    for index, name in enumerate(WORKERS):
        certified = index not in (11, 12, 13)  # office staff hold no operating certificate
        expires = today + dt.timedelta(days=-5 if index == 10 else 200 + index)
        _create(
            "worker",
            {
                "enterprise": enterprise.pk,
                "name": name,
                "badge": f"E{enterprise.pk:03d}{index + 1:04d}",
                "post": "办公室" if not certified else ("中控操作工" if index < 5 else "外操巡检"),
                "certificate_no": f"T1302{index:06d}" if certified else "",
                "certificate_expires": expires if certified else None,
            },
        )
    reader = Actor(user_id=None, username="门禁系统", role=Role.MACHINE, enterprise_id=enterprise.pk)
    start = now - dt.timedelta(hours=2)
    reads = [(i, "C1") for i in range(5)] + [(i, "P1") for i in range(5, 11)] + [(i, "O1") for i in (11, 12, 13)]
    reads += [(12, "P1")]  # an office clerk without a certificate tries the production area: refused
    for minute, (index, code) in enumerate(reads):
        access.access_event_ingest(
            actor=reader,
            gate_code=code,
            badge=f"E{enterprise.pk:03d}{index + 1:04d}",
            direction="in",
            at=start + dt.timedelta(minutes=3 * minute),
            now=now,
        )
    return len(WORKERS)
