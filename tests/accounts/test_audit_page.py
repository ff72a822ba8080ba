"""The audit page in the auditor's words: object types and fields by their Chinese names, values as
words, filters by type, object name, actor and day, and the same rows as a workbook."""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import unquote

import openpyxl
import time_machine

from chempark.accounts.audit_display import changes, type_label, value_text
from chempark.core.roles import Role
from chempark.gb18218.wording import in_chinese
from chempark.park.models import Enterprise, ProtectiveTarget
from chempark.park.services import registry_update
from tests.conftest import SmallPark


def test_changes_read_as_labels_and_words() -> None:
    before = {"name": "甲", "status": "operating", "kind": "production", "employees": 10, "closed": False}
    after = {"name": "乙", "status": "suspended", "kind": "production", "employees": 10, "closed": None}
    listed = [(c.label, c.old, c.new) for c in changes("enterprise", before, after)]
    assert ("企业名称", "甲", "乙") in listed
    assert ("状态", "正常生产", "停产") in listed
    assert not [c for c in listed if c[0] in ("企业类型", "从业人数")], "unchanged values are not listed"
    assert type_label("enterprise") == "企业" and type_label("protectivetarget") == "防护目标"
    assert type_label("major_hazard") == "重大危险源" and type_label("monitoring_point") == "监测点位"


def test_values_in_words() -> None:
    square = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}
    assert value_text(ProtectiveTarget, "geometry", square) == "图形（4 个坐标点）"
    assert value_text(Enterprise, "name", None) == "空"
    assert value_text(None, "x", True) == "是"
    assert value_text(None, "rows", {"unit": 2, "tank": 3}) == "生产单元 2、储罐 3"


def test_gb18218_notes_in_chinese() -> None:
    assert in_chinese("Table 1 row 12") == "表1第12项"
    assert in_chinese("Table 4 W2 (category of Table 1 row 8, inferred)") == "表4 W2 (表1第8项物质的类别，推定)"
    assert "Table" not in in_chinese("not in Table 1; no GHS class of the chemical maps to a Table 2 category")


def _rename(park: SmallPark, name: str) -> None:
    registry_update(
        actor=park.actor(Role.BUREAU_ADMIN), kind="enterprise", pk=park.enterprise_a.pk, values={"name": name}
    )


def test_auditor_filters_by_type_name_actor_and_day(park: SmallPark, client: Any) -> None:
    with time_machine.travel("2026-03-01 10:00 +08:00", tick=False):
        _rename(park, "三月化工")
    with time_machine.travel("2026-04-01 10:00 +08:00", tick=False):
        _rename(park, "四月化工")
    client.force_login(park.users[Role.AUDITOR])
    page = client.get("/accounts/audit/").content.decode()
    assert '<option value="enterprise">企业</option>' in page and "局系统管理员" in page
    html = client.get(
        "/accounts/audit/?object_type=enterprise&object_name=四月&username=bureau_admin&since=2026-04-01&until=2026-04-01"
    ).content.decode()
    assert "<del>三月化工</del> → 四月化工" in html and "2026-04-01 10:00:00" in html
    assert "enterprise" not in html.split("<tbody>")[1], "no stored type name in the rows"
    march = client.get("/accounts/audit/?object_type=enterprise&until=2026-03-01").content.decode()
    assert "三月化工" in march and "→ 四月化工" not in march


def test_export_is_the_filtered_trail_with_a_chinese_name(park: SmallPark, client: Any) -> None:
    _rename(park, "导出化工")
    client.force_login(park.users[Role.AUDITOR])
    response = client.get("/accounts/audit/export.xlsx?object_type=enterprise&object_name=导出")
    assert unquote(response["Content-Disposition"].split("''")[1]).startswith("审计日志-")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet.freeze_panes == "A2"
    rows = list(sheet.values)
    assert rows[0][:2] == ("时间（北京时间）", "操作人") and len(rows) == 2
    assert rows[1][5].startswith("企业 #") and "企业名称：" in rows[1][6] and "导出化工" in rows[1][6]
    client.force_login(park.users[Role.ENTERPRISE])
    assert client.get("/accounts/audit/export.xlsx").status_code == 403
