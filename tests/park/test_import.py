"""Workbook import: the template round-trips, a good file lands whole, a bad file lands not at all
and says where every problem is (sheet, row, column, reason)."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from chempark.accounts.models import AuditEvent
from chempark.core.errors import Forbidden
from chempark.core.roles import Role
from chempark.park.demo import demo_uscc
from chempark.park.imports import import_workbook
from chempark.park.models import Enterprise, Inventory, Unit
from chempark.park.workbook import SHEETS, read_workbook, template_workbook
from tests.conftest import SmallPark


def workbook(sheets: dict[str, list[list[Any]]]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def headers(key: str) -> list[str]:
    return [c.header for c in next(s for s in SHEETS if s.key == key).columns]


def snapshot() -> tuple[int, int, int, int]:
    """Rows and audit rows of the registry (not the import's own audit row, which a refusal leaves too)."""
    return (
        Enterprise.objects.count(),
        Unit.objects.count(),
        Inventory.objects.count(),
        AuditEvent.objects.exclude(action="import").count(),
    )


def good_file(park: SmallPark) -> bytes:
    new_uscc = demo_uscc(60)
    return workbook(
        {
            "企业": [
                headers("enterprise"),
                [new_uscc, "丁化工有限公司", "储存", "仓储", "纬一路", 118.21, 39.21, "", "", "", 30, "正常生产"],
                [
                    park.enterprise_a.uscc,
                    park.enterprise_a.name,
                    "production",
                    "氯碱",
                    "改后的地址",
                    118.2,
                    39.2,
                    "",
                    "",
                    "",
                    120,
                    "",
                ],
            ],
            "单元": [
                headers("unit"),
                [new_uscc, "U01", "液氨罐区", "储存单元", 118.211, 39.211, ""],
                [park.enterprise_a.uscc, "U02", "新装置", "生产单元", 118.2, 39.2, "说明"],
            ],
            "存量": [
                headers("inventory"),
                [new_uscc, "U01", "7664-41-7", 50, 20.5],
                [park.enterprise_a.uscc, "U01", "氯", 40, "30"],
            ],
        }
    )


def test_template_has_every_sheet_and_reads_back_empty() -> None:
    book = load_workbook(io.BytesIO(template_workbook()))
    assert {s.title for s in SHEETS} <= set(book.sheetnames)
    parsed = read_workbook(template_workbook())
    assert parsed.errors == [] and parsed.total_rows == 0


def test_good_workbook_lands_whole(park: SmallPark) -> None:
    errors, counts, _n = import_workbook(actor=park.actor(Role.INSPECTOR), content=good_file(park), filename="a.xlsx")
    assert errors == []
    assert counts == {"enterprise": 2, "unit": 2, "inventory": 2}
    new = Enterprise.objects.get(uscc=demo_uscc(60))
    assert new.kind == "storage" and new.employees == 30
    assert Inventory.objects.get(unit__enterprise=new).current_t == Decimal("20.5")
    park.enterprise_a.refresh_from_db()
    assert park.enterprise_a.address == "改后的地址"
    park.inventory_a.refresh_from_db()
    assert park.inventory_a.current_t == Decimal("30")
    assert AuditEvent.objects.filter(action="import", object_id="a.xlsx").exists()


def test_bad_rows_reject_the_whole_file_with_positions(park: SmallPark) -> None:
    content = workbook(
        {
            "企业": [
                headers("enterprise"),
                [demo_uscc(61), "好企业", "生产", "", "", 118.2, 39.2],
                ["91130209MA00000610", "坏代码企业", "生产", "", "", 118.2, 39.2],
                [demo_uscc(62), "坏类型企业", "工厂", "", "", "东经118", 39.2],
            ],
            "存量": [
                headers("inventory"),
                [park.enterprise_a.uscc, "U01", "不存在的化学品", 1, 1],
                [park.enterprise_a.uscc, "U01", "氯", 10, 20],
            ],
        }
    )
    before = snapshot()
    errors, counts, _n = import_workbook(actor=park.actor(Role.INSPECTOR), content=content)
    assert counts == {}
    assert snapshot() == before
    where = {(e["sheet"], e["row"]) for e in errors}
    # cell-level problems are found first, before anything is written
    assert ("企业", 4) in where
    kind_error = next(e for e in errors if e["row"] == 4 and "企业类型" in e["column"])
    assert kind_error["column"].startswith("C") and "工厂" in kind_error["message"]
    assert any(e["row"] == 4 and e["column"].startswith("F") for e in errors)


def test_row_level_rule_violations_are_all_reported(park: SmallPark) -> None:
    content = workbook(
        {
            "企业": [headers("enterprise"), ["91130209MA00000610", "坏代码企业", "生产", "", "", 118.2, 39.2]],
            "存量": [
                headers("inventory"),
                [park.enterprise_a.uscc, "U01", "不存在的化学品", 1, 1],
                [park.enterprise_a.uscc, "U01", "氯", 10, 20],
            ],
        }
    )
    before = snapshot()
    errors, _counts, _n = import_workbook(actor=park.actor(Role.INSPECTOR), content=content)
    assert snapshot() == before
    assert {(e["sheet"], e["row"]) for e in errors} == {("企业", 2), ("存量", 2), ("存量", 3)}
    assert "uscc" in errors[0]["message"] or "统一社会信用代码" in errors[0]["message"]


@pytest.mark.parametrize("content", [b"", b"not a workbook", b"PK\x03\x04broken zip"])
def test_not_a_workbook(park: SmallPark, content: bytes) -> None:
    before = snapshot()
    errors, _, _n = import_workbook(actor=park.actor(Role.INSPECTOR), content=content)
    assert len(errors) == 1 and "xlsx" in errors[0]["message"]
    assert snapshot() == before


def test_missing_required_column(park: SmallPark) -> None:
    content = workbook({"单元": [["单元编码", "单元名称"], ["U9", "x"]]})
    errors, _, _n = import_workbook(actor=park.actor(Role.INSPECTOR), content=content)
    assert {e["column"] for e in errors} >= {"企业统一社会信用代码", "单元类型"}


def test_enterprise_user_imports_only_its_own(park: SmallPark) -> None:
    content = workbook({"单元": [headers("unit"), [park.enterprise_b.uscc, "U09", "x", "生产单元", 118.2, 39.2]]})
    before = snapshot()
    errors, _, _n = import_workbook(actor=park.actor(Role.ENTERPRISE), content=content)
    assert errors and errors[0]["row"] == 2
    assert snapshot() == before


@pytest.mark.parametrize("sheet", ["enterprise", "unit", "inventory"])
def test_another_enterprise_is_only_not_yours(park: SmallPark, sheet: str) -> None:
    """The refusal names neither the other enterprise nor any of its ids."""
    b = park.enterprise_b
    rows = {
        "enterprise": [b.uscc, "改名", "production", "氯碱", "", 118.2, 39.2, "", "", "", 10, ""],
        "unit": [b.uscc, "U01", "x", "生产单元", 118.2, 39.2, ""],
        "inventory": [b.uscc, "U01", "氯", 40, 1],
    }
    title = next(s.title for s in SHEETS if s.key == sheet)
    errors, _, _n = import_workbook(
        actor=park.actor(Role.ENTERPRISE), content=workbook({title: [headers(sheet), rows[sheet]]})
    )
    assert [error["message"] for error in errors] == [f"统一社会信用代码 {b.uscc} 的企业不属于本企业。"]
    assert Enterprise.objects.get(pk=b.pk).name == "乙化工有限公司"


def test_a_refused_import_leaves_an_audit_row(park: SmallPark) -> None:
    content = workbook({"单元": [headers("unit"), [demo_uscc(77), "U09", "x", "生产单元", 118.2, 39.2, ""]]})
    errors, counts, count = import_workbook(actor=park.actor(Role.INSPECTOR), content=content, filename="u.xlsx")
    assert errors and not counts
    row = AuditEvent.objects.filter(action="import", object_id="u.xlsx").get()
    assert row.after == {"refused": True, "errors": count} and row.actor_username == "inspector"


def test_roles_without_import_right(park: SmallPark) -> None:
    with pytest.raises(Forbidden):
        import_workbook(actor=park.actor(Role.DISPATCHER), content=good_file(park))


def test_import_page_queues_the_job_and_reports(park: SmallPark, client: Any, run_jobs: Any) -> None:
    client.force_login(park.users[Role.INSPECTOR])
    upload = io.BytesIO(good_file(park))
    upload.name = "registry.xlsx"
    response = client.post("/registry/import/", {"file": upload})
    assert response.status_code == 302
    assert 'data-status="pending"' in client.get(response["Location"]).content.decode()
    assert not Enterprise.objects.filter(uscc=demo_uscc(60)).exists()  # the request only queued it
    assert run_jobs() == 1
    page = client.get(response["Location"])
    assert page.status_code == 200 and 'data-status="succeeded"' in page.content.decode()
    assert Enterprise.objects.filter(uscc=demo_uscc(60)).exists()
    # not an xlsx at all: refused at once, with the reason, and nothing queued
    bad = io.BytesIO(b"nonsense")
    bad.name = "bad.xlsx"
    refused = client.post("/registry/import/", {"file": bad})
    assert refused.status_code == 422 and "xlsx" in refused.content.decode()
    assert run_jobs() == 0
    assert client.get("/registry/import/template.xlsx").status_code == 200


def test_tank_sheet_carries_the_bund_area_through_import_and_export(park: SmallPark, client: Any) -> None:
    from chempark.park.models import Tank

    assert "围堰面积(m²)" in headers("tank")
    template = load_workbook(io.BytesIO(template_workbook()))
    assert "围堰面积(m²)" in [cell.value for cell in template["储罐"][1]]
    uscc = park.enterprise_a.uscc
    content = workbook(
        {
            "储罐": [
                headers("tank"),
                [uscc, "U01", "T01", "液氯储罐", "压力储罐", "7782-50-5", 50, 40, 60],
                [uscc, "U01", "T02", "氨储罐", "fixed_roof", "氨", "", 12.5, "35.5"],
            ]
        }
    )
    errors, counts, _n = import_workbook(actor=park.actor(Role.INSPECTOR), content=content, filename="tanks.xlsx")
    assert errors == [] and counts == {"tank": 2}
    park.tank_a.refresh_from_db()
    assert park.tank_a.bund_area_m2 == Decimal("60")
    new = Tank.objects.get(unit=park.unit_a, code="T02")
    assert (new.bund_area_m2, new.chemical_id, new.volume_m3) == (Decimal("35.5"), park.ammonia.pk, None)
    # the list's export carries it in the template's layout, and the exported file imported again changes nothing
    client.force_login(park.users[Role.INSPECTOR])
    exported = client.get(f"/registry/tank/export.xlsx?enterprise={park.enterprise_a.pk}")
    header, *rows = load_workbook(io.BytesIO(exported.content))["储罐"].iter_rows(values_only=True)
    assert [str(h).rstrip("*") for h in header] == headers("tank")
    at = {label: header.index(label) for label in ("储罐编号*", "围堰面积(m²)")}
    assert {row[at["储罐编号*"]]: row[at["围堰面积(m²)"]] for row in rows} == {"T01": 60, "T02": "35.5"}
    stored = list(Tank.objects.filter(unit=park.unit_a).order_by("code").values())
    errors, counts, _n = import_workbook(actor=park.actor(Role.INSPECTOR), content=exported.content)
    assert errors == [] and counts == {"tank": 2}
    assert list(Tank.objects.filter(unit=park.unit_a).order_by("code").values()) == stored


@pytest.mark.parametrize("bund", [0, -5, "很大", "0"])
def test_bad_bund_area_rejects_the_tank_sheet(park: SmallPark, bund: Any) -> None:
    content = workbook(
        {"储罐": [headers("tank"), [park.enterprise_a.uscc, "U01", "T02", "甲醇储罐", "固定顶储罐", "", "", 10, bund]]}
    )
    before = snapshot()
    errors, counts, _n = import_workbook(actor=park.actor(Role.INSPECTOR), content=content)
    assert counts == {} and snapshot() == before
    assert [(e["sheet"], e["row"]) for e in errors] == [("储罐", 2)]
    assert "围堰面积" in errors[0]["column"] or "bund_area_m2" in errors[0]["message"]
