"""The transport registry's workbook: export with Chinese headers, import all or nothing with every
problem named by sheet, row and column, matching existing rows to update them."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.test import Client
from openpyxl import Workbook, load_workbook

from chempark.core.roles import Role
from chempark.vehicles.models import Carrier, CrewMember, Vehicle
from tests.vehicles.conftest import Fleet, today


def workbook(sheets: dict[str, list[list[Any]]]) -> io.BytesIO:
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "fleet.xlsx"
    return buffer


CARRIER_HEAD = ["承运企业名称*", "道路运输经营许可证号*", "许可证有效期至*"]
VEHICLE_HEAD = ["车牌号*", "承运企业名称*", "车辆类型*", "罐体容积(m³)", "终端手机号"]
CREW_HEAD = ["姓名*", "岗位*", "身份证号*", "承运企业名称*", "从业资格证号*", "资格证有效期至*"]


def client_for(park: Any, role: Role) -> Client:
    client = Client()
    client.force_login(park.users[role])
    return client


def test_import_creates_and_updates(park: Any, fleet: Fleet) -> None:
    expires = dt.datetime.combine(today(200), dt.time())
    upload = workbook(
        {
            "承运企业": [CARRIER_HEAD, ["津港危运有限公司", "津交运危 001", expires]],
            "车辆": [
                VEHICLE_HEAD,
                ["津a·88888", "津港危运有限公司", "罐式车辆", 30, "013900000009"],
                ["苏E12345", "苏通危货运输有限公司", "tank", 35, None],  # an update of the fleet's truck
            ],
            "驾驶员与押运员": [
                CREW_HEAD,
                ["钱多", "押运员", "120101199001011234", "津港危运有限公司", "Q-1", "2030-01-31"],
            ],
        }
    )
    answer = client_for(park, Role.INSPECTOR).post("/vehicles/import/", {"file": upload})
    assert answer.status_code == 200, answer.content.decode()[:2000]
    assert "已导入" in answer.content.decode()
    assert Vehicle.objects.get(plate="津A88888").carrier.name == "津港危运有限公司"
    assert str(Vehicle.objects.get(plate="苏E12345").tank_capacity_m3) == "35.00"
    assert CrewMember.objects.get(name="钱多").certificate_expires == dt.date(2030, 1, 31)


def test_any_bad_row_refuses_the_whole_file_naming_each_problem(park: Any, fleet: Fleet) -> None:
    upload = workbook(
        {
            "承运企业": [CARRIER_HEAD, ["新承运", "P-1", "明年"]],
            "车辆": [
                VEHICLE_HEAD,
                ["苏A1234O", "苏通危货运输有限公司", "罐式车辆", 10, None],
                ["苏B22222", "无此公司", "罐车", None, None],
            ],
        }
    )
    answer = client_for(park, Role.INSPECTOR).post("/vehicles/import/", {"file": upload})
    assert answer.status_code == 422
    text = answer.content.decode()
    assert "日期格式应为 YYYY-MM-DD" in text and "C（许可证有效期至）" in text
    assert "取值须为" in text  # 罐车 is no vehicle type
    assert not Carrier.objects.filter(name="新承运").exists()
    upload = workbook(
        {
            "车辆": [
                VEHICLE_HEAD,
                ["苏A1234O", "苏通危货运输有限公司", "罐式车辆", 10, None],
                ["苏B22222", "无此公司", "tank", None, None],
            ]
        }
    )
    answer = client_for(park, Role.INSPECTOR).post("/vehicles/import/", {"file": upload})
    text = answer.content.decode()
    assert answer.status_code == 422
    assert "车牌号格式不正确" in text and "承运企业“无此公司”不存在" in text
    assert Vehicle.objects.count() == 1


def test_import_is_the_bureaus_and_not_a_zip_bomb_sink(park: Any) -> None:
    assert client_for(park, Role.ENTERPRISE).get("/vehicles/import/").status_code == 403
    junk = io.BytesIO(b"not a workbook")
    junk.name = "x.xlsx"
    answer = client_for(park, Role.INSPECTOR).post("/vehicles/import/", {"file": junk})
    assert answer.status_code == 422 and "xlsx" in answer.content.decode()


def test_template_and_export_have_chinese_headers(park: Any, fleet: Fleet) -> None:
    client = client_for(park, Role.INSPECTOR)
    template = load_workbook(io.BytesIO(client.get("/vehicles/import/template.xlsx").content))
    assert template.sheetnames == ["承运企业", "车辆", "驾驶员与押运员", "说明"]
    assert template["车辆"]["A1"].value == "车牌号*"
    export = load_workbook(io.BytesIO(client.get("/vehicles/vehicle/export.xlsx").content))
    rows = list(export["车辆"].values)
    assert rows[0][:3] == ("车牌号*", "承运企业名称*", "车辆类型*"), "the import template's columns"
    assert rows[1][:3] == ("苏E12345", fleet.carrier.name, "罐式车辆")
