"""Every xlsx import names a refused row's column by the sheet's own Chinese heading and says why in
Chinese, also when the refusal comes from a service after the cell was read (a uniqueness, a missing
enterprise, a date): the registry, the transport registry and the emergency resources ledger. (The
budget workbook reports by its own sheet names and headings: tests/budget.)"""

from __future__ import annotations

import io
import re
from typing import Any

from openpyxl import Workbook

from chempark.core.actors import SYSTEM
from chempark.core.roles import Role
from chempark.incidents import ledger_workbook
from chempark.park.demo import demo_uscc
from chempark.park.imports import import_workbook
from chempark.park.workbook import SHEETS
from chempark.vehicles import imports as transport
from tests.conftest import SmallPark
from tests.vehicles.conftest import make_fleet

RAW = re.compile(r"UNIQUE|constraint|\b[a-z]+_[a-z_]+\b")


def workbook(title: str, headers: list[str], rows: list[list[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_registry_import_names_the_column_of_a_duplicate(park: SmallPark) -> None:
    sheet = next(s for s in SHEETS if s.key == "enterprise")
    row = [demo_uscc(77), park.enterprise_a.name, "生产", "", "", 118.2, 39.2, "", "", "", 10, "正常生产"]
    content = workbook(sheet.title, [c.header for c in sheet.columns], [row])
    errors, counts, _n = import_workbook(actor=park.actor(Role.INSPECTOR), content=content)
    assert counts == {}
    assert [(e["sheet"], e["row"], e["column"]) for e in errors] == [("企业", 2, "企业名称")]
    assert "「企业名称」相同的企业已存在" in errors[0]["message"] and not RAW.search(errors[0]["message"])


def test_transport_import_names_the_column_of_a_duplicate(park: SmallPark) -> None:
    fleet = make_fleet()
    sheet = next(s for s in transport.SHEETS if s.key == "vehicle")
    row = ["苏E99999", fleet.carrier.name, "罐式车辆", 20, "", fleet.truck.terminal_phone]
    content = workbook(sheet.title, [c.header for c in sheet.columns], [row])
    outcome = transport.import_transport_workbook(actor=park.actor(Role.INSPECTOR), content=content)
    assert outcome.counts == {}
    assert [(e["sheet"], e["row"], e["column"]) for e in outcome.errors] == [("车辆", 2, "终端手机号")]
    assert "终端手机号" in outcome.errors[0]["message"] and not RAW.search(outcome.errors[0]["message"])


def test_ledger_import_names_the_column_of_a_refused_row(park: SmallPark) -> None:
    headers = [c.header for c in ledger_workbook.SHEET.columns]
    blank = [None] * (len(headers) - 6)
    rows = [
        ["消火栓", "没有的企业", "企业", "91000000000000000X", 118.2, 39.2, *blank],
        ["应急物资", "坏日期", "", "", None, None, "", "", "", None, "", "", "", 5, 2, "箱", "明年", None, None, None],
    ]
    result = ledger_workbook.import_workbook(actor=SYSTEM, content=workbook("应急资源", headers, rows))
    assert [(e.row, e.column) for e in result.errors] == [(2, "所属企业统一社会信用代码"), (3, "有效期至")]
    assert (result.created, result.updated) == (0, 0)
