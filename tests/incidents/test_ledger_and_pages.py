"""The resources ledger: xlsx export and all-or-nothing import with row errors, the low-stock and
expiry reminders, and the pages a dispatcher and the bureau use (call form, resource form, roads)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

from django.test import Client
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from chempark.core.actors import SYSTEM
from chempark.core.roles import Role
from chempark.incidents import ledger_services, ledger_workbook, selectors
from chempark.incidents.models import Dispatch, Incident, Resource, RoadSegment
from tests.conftest import PASSWORD, SmallPark
from tests.incidents.conftest import Command


def _sheet(rows: list[list[Any]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "应急资源"
    sheet.append([c.header for c in ledger_workbook.SHEET.columns])
    for row in rows:
        sheet.append(row + [None] * (len(ledger_workbook.SHEET.columns) - len(row)))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_export_then_import_updates_and_creates(park: SmallPark, command: Command) -> None:
    exported = load_workbook(io.BytesIO(ledger_workbook.export_workbook(selectors.resources(SYSTEM))))
    rows = [list(r) for r in exported["应急资源"].iter_rows(min_row=2, values_only=True)]
    assert {r[1] for r in rows} == {"消防站", "水罐车", "中学操场"}
    shelter = next(r for r in rows if r[1] == "中学操场")
    shelter[17] = 1200  # 容纳人数
    new = ["消防水鹤", "3 号水鹤", "企业", park.enterprise_a.uscc, 118.21, 39.21]
    result = ledger_workbook.import_workbook(actor=SYSTEM, content=_sheet([shelter, new]))
    assert (result.created, result.updated, result.errors) == (1, 1, [])
    assert Resource.objects.get(name="中学操场").capacity == 1200
    crane = Resource.objects.get(name="3 号水鹤")
    assert (crane.kind, crane.enterprise_id) == ("water_crane", park.enterprise_a.pk)


def test_a_file_with_errors_imports_nothing_and_names_each_row(park: SmallPark, command: Command) -> None:
    content = _sheet(
        [
            ["消防水鹤", "好的水鹤", "", "", 118.2, 39.2],
            ["潜艇", "无效类别"],
            ["消火栓", "没有的企业", "企业", "91000000000000000X", 118.2, 39.2],
            ["应急物资", "坏日期", "", "", None, None, "", "", "", None, "", "", "", 5, 2, "箱", "明年"],
        ]
    )
    result = ledger_workbook.import_workbook(actor=SYSTEM, content=content)
    assert [e.row for e in result.errors] == [3, 4, 5]
    assert "类别" in result.errors[0].column and "91000000000000000X" in result.errors[1].message
    assert "YYYY-MM-DD" in result.errors[2].message
    assert not Resource.objects.filter(name="好的水鹤").exists()
    assert ledger_workbook.import_workbook(actor=SYSTEM, content=b"PK\x03\x04 not a zip").errors


def test_reminders_list_low_stock_and_expiry(park: SmallPark) -> None:
    today = timezone.localdate()
    for name, quantity, minimum, expires in (
        ("吸附棉", "80", "200", None),
        ("滤毒罐", "120", "100", today + dt.timedelta(days=20)),
        ("急救包", "40", "30", today - dt.timedelta(days=1)),
        ("洗消剂", "500", "300", today + dt.timedelta(days=31)),
    ):
        ledger_services.resource_save(
            actor=SYSTEM,
            values={
                "kind": "supply",
                "name": name,
                "quantity": Decimal(quantity),
                "min_stock": Decimal(minimum),
                "expires_on": expires,
            },
        )
    assert [r.name for r in selectors.low_stock(SYSTEM)] == ["吸附棉"]
    assert [r.name for r in selectors.expiring(SYSTEM)] == ["急救包", "滤毒罐"]


def _login(role: Role) -> Client:
    client = Client()
    assert client.login(username=role.value, password=PASSWORD)
    return client


def test_a_call_taken_on_the_page_with_the_unit_picker(park: SmallPark, command: Command) -> None:
    client = _login(Role.DISPATCHER)
    form = {
        "title": "储罐区起火",
        "kind": "fire",
        "unit": str(park.unit_b.pk),
        "injured": "1",
        "chemicals": [str(park.chlorine.pk)],
    }
    response = client.post("/incidents/new/", form)
    incident = Incident.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/incidents/{incident.pk}/"
    assert (incident.enterprise_id, incident.injured, incident.lon) == (park.enterprise_b.pk, 1, 118.2)
    refused = client.post("/incidents/new/", {"title": "无位置", "kind": "fire"}, follow=True)
    assert "请在地图上点选事发位置" in refused.content.decode() and Incident.objects.count() == 1
    page = client.get(f"/incidents/{incident.pk}/").content.decode()
    assert "可调派力量" in page and "水罐车" in page and "leak" not in page


def test_resource_and_road_pages(park: SmallPark, command: Command) -> None:
    client = _login(Role.BUREAU_ADMIN)
    saved = client.post(
        "/incidents/resources/new/",
        {"kind": "shelter", "name": "文化广场", "lon": "118.19", "lat": "39.21", "capacity": "500", "signage": "on"},
    )
    shelter = Resource.objects.get(name="文化广场")
    assert saved.status_code == 302 and (shelter.capacity, shelter.signage, shelter.owner_kind) == (500, True, "bureau")
    refused = client.post(
        "/incidents/resources/new/", {"kind": "shelter", "name": "半个坐标", "lon": "118.19"}, follow=True
    )
    assert "经度和纬度须同时填写" in refused.content.decode()
    segment = RoadSegment.objects.first()
    assert segment is not None
    client.post("/incidents/roads/", {"segment": str(segment.pk), "speed_kmh": "20", "blocked": "on"})
    segment.refresh_from_db()
    assert not segment.blocked  # a block needs its reason
    client.post(
        "/incidents/roads/", {"segment": str(segment.pk), "speed_kmh": "20", "blocked": "on", "blocked_reason": "抢修"}
    )
    segment.refresh_from_db()
    assert (segment.blocked, segment.speed_kmh, segment.blocked_reason) == (True, 20, "抢修")


def test_a_simulation_run_becomes_an_incident_with_its_zones(park: SmallPark, api: Any, command: Command) -> None:
    body = {
        "chemical_cas": "7782-50-5",
        "source": {"lon": 118.2, "lat": 39.2},
        "release": {"kind": "continuous", "rate_kg_s": 2.0, "phase": "gas"},
        "weather": {"wind_speed_m_s": 3.0, "wind_from_deg": 270.0, "stability": "D"},
        "title": "氯气泄漏推演",
    }
    run = api(Role.DISPATCHER).call("POST", "/simulations/accident", body).json()
    client = _login(Role.DISPATCHER)
    assert f"run-to-incident-{run['id']}" in client.get("/incidents/").content.decode()
    client.post(f"/incidents/from-simulation/{run['id']}/")
    incident = Incident.objects.get()
    assert (incident.source, incident.simulation_id, incident.title) == ("simulation", run["id"], "氯气泄漏推演")
    assert incident.zone["geojson"] == run["results"]["geojson"]
    assert incident.zone["wind_from_deg"] == 270.0


def test_an_enterprise_user_adds_its_own_resource_on_the_page(park: SmallPark) -> None:
    client = _login(Role.ENTERPRISE)
    form = client.get("/incidents/resources/new/").content.decode()
    assert f'<option value="{park.enterprise_a.pk}" selected>' in form
    client.post(
        "/incidents/resources/new/",
        {
            "kind": "equipment",
            "name": "厂内泡沫车",
            "owner_kind": "enterprise",
            "enterprise": str(park.enterprise_a.pk),
            "equipment_type": "foam_tender",
        },
    )
    assert Resource.objects.get(name="厂内泡沫车").enterprise_id == park.enterprise_a.pk
    client.post(
        "/incidents/resources/new/",
        {"kind": "equipment", "name": "越权车", "owner_kind": "enterprise", "enterprise": str(park.enterprise_b.pk)},
    )
    assert not Resource.objects.filter(name="越权车").exists()


def test_deleting_a_resource_on_the_page_unless_it_has_orders(park: SmallPark, command: Command) -> None:
    client = _login(Role.BUREAU_ADMIN)
    incident = Incident.objects.create(
        title="旧警情", kind="fire", source="phone", reported_at=timezone.now(), lon=118.2, lat=39.2
    )
    Dispatch.objects.create(
        incident=incident,
        resource=command.truck,
        state="available",
        dispatched_at=timezone.now(),
        updated_at=timezone.now(),
    )
    refused = client.post(f"/incidents/resources/{command.truck.pk}/delete/", follow=True)
    assert "仍有调派记录" in refused.content.decode() and Resource.objects.filter(pk=command.truck.pk).exists()
    client.post(f"/incidents/resources/{command.shelter.pk}/delete/")
    assert not Resource.objects.filter(pk=command.shelter.pk).exists()
    assert _login(Role.EXPERT).post(f"/incidents/resources/{command.team.pk}/delete/").status_code == 403
