"""The demo: fences and routes drawn from the demo park, terminals for hazmat vehicles, and a
simulated fleet that drives the park's roads through the JT/T 808 server over TCP.

The demo park (``park/demo.py``) has two east–west roads (纬一路 at 39.196 N, 纬二路 at 39.212 N),
one north–south road (经一路 at 118.204 E) and the hazmat parking lot south-east of 纬一路's east
end. The designated routes are those roads' centre lines plus a link road to the lot; the
administration area is closed to hazmat vehicles. The park's own speed limit for them is set to
40 km/h on its roads (a park may set a lower limit than the 60 km/h of the national rule).
"""

from __future__ import annotations

import asyncio
import logging
import os
import random
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from chempark.core.actors import SYSTEM
from chempark.jt808.simulator import Terminal, drive, location_of
from chempark.park.models import Area, Park
from chempark.tracking.models import Fence, FenceKind
from chempark.tracking.schemas import FenceValues
from chempark.tracking.services import fence_create
from chempark.vehicles.models import Carrier, Vehicle, VehicleType

log = logging.getLogger("chempark.tracking.demo")

WEI1 = [(118.1715, 39.196), (118.2385, 39.196)]
WEI2 = [(118.1715, 39.212), (118.2385, 39.212)]
JING1 = [(118.204, 39.1845), (118.204, 39.2215)]
LOT_LINK = [(118.233, 39.196), (118.233, 39.1875)]
ROAD_LIMIT_KMH = 40
DEMO_PORT = 18808


def _line(points: list[tuple[float, float]]) -> dict[str, Any]:
    return {"type": "LineString", "coordinates": [list(p) for p in points]}


def _area(name: str) -> dict[str, Any] | None:
    area = Area.objects.filter(name=name).first()
    return area.geometry if area else None


def _fences() -> list[FenceValues]:
    park = Park.objects.order_by("pk").first()
    fences = []
    if park and park.boundary:
        fences.append(FenceValues(name="园区边界", kind=FenceKind.BOUNDARY, geometry=park.boundary))
    for name, line in (("纬一路危化品专用道", WEI1), ("纬二路危化品专用道", WEI2), ("经一路危化品专用道", JING1)):
        fences.append(
            FenceValues(
                name=name, kind=FenceKind.CORRIDOR, geometry=_line(line), width_m=50, speed_limit_kmh=ROAD_LIMIT_KMH
            )
        )
    fences.append(
        FenceValues(
            name="停车场连接线",
            kind=FenceKind.CORRIDOR,
            geometry=_line(LOT_LINK),
            width_m=40,
            speed_limit_kmh=20,
            windows=[(360, 1320)],
        )
    )
    lot = _area("危化品车辆停车场")
    if lot:
        fences.append(
            FenceValues(name="危化品车辆停车场", kind=FenceKind.PARKING, geometry=lot, capacity=40, speed_limit_kmh=10)
        )
    office = _area("管委会与服务区")
    if office:
        fences.append(FenceValues(name="管委会与服务区（危化品车辆禁入）", kind=FenceKind.FORBIDDEN, geometry=office))
    tanks = _area("罐区（储存区）")
    if tanks:
        fences.append(FenceValues(name="罐区装卸区", kind=FenceKind.LOADING, geometry=tanks))
    return fences


@dataclass(frozen=True)
class DemoVehicle:
    plate: str
    phone: str
    vehicle_type: str


DEMO_VEHICLES = (
    DemoVehicle("冀B3C801", "013911110801", VehicleType.TANK),
    DemoVehicle("冀B3C802", "013911110802", VehicleType.TANK),
    DemoVehicle("冀B3C803", "013911110803", VehicleType.TANK),
    DemoVehicle("冀BD12808", "013911110804", VehicleType.TANK),
    DemoVehicle("冀B3C805", "013911110805", VehicleType.TANK),
    DemoVehicle("冀B3C806", "013911110806", VehicleType.TANK),
)


def load_demo_tracking() -> str:
    """Fences once; positioning terminal numbers on the demo's hazmat vehicles (a carrier and its
    tankers when the registry has no vehicle with a terminal yet)."""
    if Fence.objects.exists():
        return "车辆定位演示数据已存在，未重复载入。"
    with transaction.atomic():
        for values in _fences():
            fence_create(actor=SYSTEM, values=values)
        if not Vehicle.objects.exclude(terminal_phone=None).exclude(terminal_phone="").exists():
            carrier, _ = Carrier.objects.get_or_create(
                name="唐山港危险货物运输有限公司（演示）",
                defaults={
                    "uscc": "",
                    "permit_no": "冀交运管许可唐字130200000808号",
                    "permit_expires": timezone.localdate() + timedelta(days=700),
                },
            )
            for item in DEMO_VEHICLES:
                Vehicle.objects.get_or_create(
                    plate=item.plate,
                    defaults={"carrier": carrier, "vehicle_type": item.vehicle_type, "terminal_phone": item.phone},
                )
    return f"载入电子围栏与指定路线 {Fence.objects.count()} 条。"


# --- the simulated fleet --------------------------------------------------------------------------

# Each vehicle loops a route: along a road, sometimes too fast, sometimes off its road through the
# administration area, sometimes parking on the road instead of in the lot.
ROUTES: tuple[tuple[str, list[tuple[float, float]]], ...] = (
    ("patrol", WEI1),
    ("north", [(118.204, 39.1845), (118.204, 39.212), (118.2385, 39.212)]),
    ("west", [(118.2385, 39.196), (118.1715, 39.196)]),
    ("deviate", [(118.1715, 39.212), (118.176, 39.212), (118.176, 39.222), (118.18, 39.212), (118.204, 39.212)]),
    ("lot", [(118.204, 39.196), (118.233, 39.196), (118.233, 39.1865)]),
    ("fast", [(118.204, 39.2215), (118.204, 39.1845)]),
)


async def run_fleet(host: str, port: int, stop: asyncio.Event, interval_s: float = 2.0, seed: int = 808) -> None:
    """Drive every vehicle with a terminal along its route, in real time, until ``stop`` is set."""
    rng = random.Random(seed)  # noqa: S311 — demo motion, not secrets
    phones = await asyncio.to_thread(
        lambda: list(
            Vehicle.objects.exclude(terminal_phone=None)
            .exclude(terminal_phone="")
            .order_by("plate")
            .values_list("plate", "terminal_phone")[:20]
        )
    )
    await asyncio.gather(
        *(
            _drive_one(
                Terminal((phone or "").rjust(12, "0"), plate, host, port),
                ROUTES[i % len(ROUTES)],
                stop,
                interval_s,
                rng,
            )
            for i, (plate, phone) in enumerate(phones)
        )
    )


async def _drive_one(
    terminal: Terminal,
    route: tuple[str, list[tuple[float, float]]],
    stop: asyncio.Event,
    interval_s: float,
    rng: random.Random,
) -> None:
    name, line = route
    while not stop.is_set():
        try:
            await terminal.connect()
        except (OSError, ConnectionError, TimeoutError):
            await asyncio.sleep(2)
            continue
        speed = {"fast": 58.0, "deviate": 30.0}.get(name, rng.uniform(25, 38))
        for fix in drive(line, speed, interval_s, timezone.now()):
            if stop.is_set():
                return
            await asyncio.sleep(interval_s)
            await terminal.report(location_of(replace(fix, time=timezone.now())))
        # A rest at the end of the route: in the lot it is allowed; on the road, past ten minutes,
        # it is illegal parking (now and then, so the demo shows one).
        rest_s = 300 if name == "lot" else (660 if rng.random() < 0.3 else 30)
        end = list(drive(line[-2:], 1, 1, timezone.now()))[-1]
        for _ in range(int(rest_s / interval_s)):
            if stop.is_set():
                return
            await asyncio.sleep(interval_s)
            await terminal.report(location_of(replace(end, time=timezone.now(), speed_kmh=0.0)))
        line = line[::-1]


def start_demo_server() -> Callable[[], None]:
    """``chempark jt808 --demo-fleet`` as a process of its own: the server and the fleet, over TCP."""
    command = [
        sys.executable,
        "-m",
        "chempark.cli",
        "jt808",
        "--port",
        str(DEMO_PORT),
        "--host",
        "127.0.0.1",
        "--demo-fleet",
    ]
    process = subprocess.Popen(command, env=dict(os.environ))  # noqa: S603 — our own command line

    def stop() -> None:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()

    return stop
