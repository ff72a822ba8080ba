"""The tracking pages for every role, the fence form's refusals, replay data and the xlsx report."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from chempark.core.roles import Role
from chempark.tracking.models import Fence, Terminal
from chempark.tracking.services import PositionIn, positions_store, terminal_register
from chempark.vehicles.models import CrewDuty, CrewMember, Reservation, ReservationStatus
from tests.conftest import SmallPark
from tests.tracking.conftest import ROAD_LAT, Fleet

PERSONS = [r for r in Role if r is not Role.MACHINE]
READERS = {Role.BUREAU_ADMIN, Role.INSPECTOR, Role.DISPATCHER, Role.EXPERT}
T0_MS = 1_778_032_800_000  # 2026-05-06 02:00 UTC = 10:00 Beijing


def signed_in(park: SmallPark, role: Role) -> Client:
    client = Client()
    client.force_login(park.users[role])
    return client


@pytest.fixture
def driven(fleet: Fleet) -> int:
    """The tanker's drive: 20 fixes at 80 km/h on a 40 km/h road, then a stop."""
    terminal_register("13900000001")
    fixes = [
        PositionIn("13900000001", T0_MS + i * 5000, 118.19 + i * 0.0013, ROAD_LAT, 80, heading=90) for i in range(20)
    ]
    fixes += [PositionIn("13900000001", T0_MS + (20 + i) * 60_000, 118.216, ROAD_LAT, 0) for i in range(12)]
    positions_store(fixes)
    return Terminal.objects.get().pk


@pytest.mark.parametrize("role", PERSONS, ids=lambda r: r.value)
def test_pages_for_every_role(park: SmallPark, driven: int, role: Role) -> None:
    client = signed_in(park, role)
    for url in (
        "/tracking/",
        f"/tracking/replay/?terminal={driven}",
        "/tracking/violations/",
        "/tracking/fences/",
        "/tracking/report/?month=2026-05",
    ):
        assert client.get(url).status_code == (200 if role in READERS else 403), (role, url)
    editable = client.get("/tracking/fences/new/").status_code
    assert editable == (200 if role in {Role.BUREAU_ADMIN, Role.INSPECTOR} else 403)


def test_replay_page_carries_the_track_and_its_violations(park: SmallPark, driven: int) -> None:
    html = (
        signed_in(park, Role.DISPATCHER)
        .get(f"/tracking/replay/?terminal={driven}&start=2026-05-06T09:55&end=2026-05-06T10:40")
        .content.decode()
    )
    data = json.loads(
        re.search(r'<script id="replay-track" type="application/json">(.*?)</script>', html, re.S).group(1)
    )
    assert len(data["points"]) == 32 and data["points"][0]["t"] == T0_MS
    assert [v["kind"] for v in data["violations"]] == ["超速", "违规停车"]


def test_replay_refuses_a_bad_range_in_words(park: SmallPark, driven: int) -> None:
    response = signed_in(park, Role.DISPATCHER).get(
        f"/tracking/replay/?terminal={driven}&start=2026-05-01T10:00&end=2026-05-20T10:00"
    )
    assert response.status_code == 422 and "不超过 7 天" in response.content.decode()
    response = signed_in(park, Role.DISPATCHER).get("/tracking/replay/?terminal=abc")
    assert response.status_code == 422 and "车辆编号无效" in response.content.decode()


def test_fence_form_creates_and_refuses_with_reasons(park: SmallPark, fleet: Fleet) -> None:
    client = signed_in(park, Role.INSPECTOR)
    geometry = json.dumps({"type": "LineString", "coordinates": [[118.2, 39.21], [118.22, 39.21]]})
    bad = client.post("/tracking/fences/new/", {"name": "经路", "kind": "corridor", "geometry": geometry})
    assert bad.status_code == 422 and "路线宽度" in bad.content.decode()
    broken = client.post("/tracking/fences/new/", {"name": "经路", "kind": "corridor", "geometry": "{oops"})
    assert broken.status_code == 422 and "不是有效的 JSON" in broken.content.decode()
    bow_tie = {
        "type": "Polygon",
        "coordinates": [[[118.2, 39.2], [118.21, 39.21], [118.21, 39.2], [118.2, 39.21], [118.2, 39.2]]],
    }
    crossed = client.post(
        "/tracking/fences/new/", {"name": "经路", "kind": "forbidden", "geometry": json.dumps(bow_tie)}
    )
    assert crossed.status_code == 422 and "位置：几何对象无效：多边形的边自相交" in crossed.content.decode()
    far = json.dumps({"type": "LineString", "coordinates": [[116.4, 39.9], [116.41, 39.9]]})  # Beijing
    away = client.post("/tracking/fences/new/", {"name": "经路", "kind": "corridor", "geometry": far, "width_m": "30"})
    assert away.status_code == 422 and "位置：位置在园区边界以外" in away.content.decode()
    assert not Fence.objects.filter(name="经路").exists()
    form = client.get("/tracking/fences/new/").content.decode()
    assert 'data-geometry-types="LineString"' in form and 'data-types-from="f-kind"' in form
    ok = client.post(
        "/tracking/fences/new/",
        {
            "name": "经路",
            "kind": "corridor",
            "geometry": geometry,
            "width_m": "30",
            "speed_limit_kmh": "30",
            "windows": "[[360, 1320]]",
        },
    )
    assert ok.status_code == 302
    fence = Fence.objects.get(name="经路")
    assert (fence.width_m, fence.speed_limit_kmh, fence.windows) == (30, 30, [[360, 1320]])


def test_monthly_report_counts_trips_stops_and_violations(park: SmallPark, driven: int) -> None:
    client = signed_in(park, Role.INSPECTOR)
    response = client.get("/tracking/report/?month=2026-05&format=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("承运企业", "车辆数", "行程数", "行驶里程（km）", "停车次数")
    carrier = rows[1]
    # 20 steps of 0.0013° of longitude at 39.2° N (86.2 km per degree) = 2.24 km
    assert carrier[:5] == ("测试危货运输公司", 1, 1, pytest.approx(2.2, abs=0.05), 1)
    assert carrier[5] == 1 and carrier[-1] == 2  # one overspeed, two violations in all
    assert client.get("/tracking/report/?month=2026-13").status_code == 422


def test_live_vehicle_layer_has_state_and_heading(park: SmallPark, driven: int, api: Any) -> None:
    layer = api(Role.DISPATCHER).call("GET", "/map/layers/vehicles").json()
    point = next(f for f in layer["features"] if f["geometry"]["type"] == "Point")
    tick = next(f for f in layer["features"] if f["geometry"]["type"] == "LineString")
    assert point["properties"]["name"] == "冀B12345"
    assert point["properties"]["state"] in {"offline", "violation", "stopped"}
    assert "冀B12345" in point["properties"]["popup"] and "测试危货运输公司" in point["properties"]["popup"]
    (lon0, lat0), (lon1, lat1) = tick["geometry"]["coordinates"]
    assert (lon0, lat0) == (pytest.approx(118.216), ROAD_LAT)
    assert lon1 == pytest.approx(lon0) and lat1 > lat0  # standing with heading 0: the tick points north
    violations = api(Role.DISPATCHER).call("GET", "/map/layers/vehicle_violations").json()
    assert {f["properties"]["name"] for f in violations["features"]} == {"超速 冀B12345", "违规停车 冀B12345"}


def test_vehicle_popup_names_todays_cargo_and_crew(park: SmallPark, fleet: Fleet, driven: int, api: Any) -> None:
    crew = [
        CrewMember.objects.create(carrier=fleet.carrier, name=name, duty=duty, id_number=f"13020019800101{i:04d}",
                                  certificate_no=f"C{i}", certificate_expires=dt.date(2099, 1, 1))
        for i, (name, duty) in enumerate((("张师傅", CrewDuty.DRIVER), ("李押运", CrewDuty.ESCORT)))
    ]  # fmt: skip
    Reservation.objects.create(
        enterprise=park.enterprise_a, vehicle=fleet.tanker, driver=crew[0], escort=crew[1], chemical=park.chlorine,
        un_number="1017", quantity_t=Decimal("12.5"), date=timezone.localdate(), status=ReservationStatus.APPROVED,
    )  # fmt: skip
    layer = api(Role.INSPECTOR).call("GET", "/map/layers/vehicles").json()
    popup = next(f for f in layer["features"] if f["geometry"]["type"] == "Point")["properties"]["popup"]
    assert park.enterprise_a.name in popup and "UN1017" in popup and "张师傅" in popup and "李押运" in popup
