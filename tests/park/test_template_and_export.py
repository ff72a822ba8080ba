"""The import templates have a marked example row (skipped on import), drop-downs and a frozen header;
every importable list exports in its template's layout under a Chinese file name, so an exported
file goes back in unchanged."""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import unquote

import pytest
from openpyxl import load_workbook

from chempark.core.roles import Role
from chempark.park.imports import import_workbook
from chempark.park.models import Enterprise, Inventory, Tank, Unit
from chempark.park.workbook import EXAMPLE_MARK, SHEETS, read_workbook, template_workbook
from chempark.vehicles import imports as transport
from chempark.vehicles.models import Vehicle
from tests.conftest import SmallPark
from tests.vehicles.conftest import make_fleet


@pytest.mark.parametrize("content", [template_workbook, transport.template], ids=["registry", "transport"])
def test_every_template_sheet_has_an_example_drop_downs_and_a_frozen_header(content: Any) -> None:
    book = load_workbook(io.BytesIO(content()))
    sheets = SHEETS if content is template_workbook else transport.SHEETS
    for spec in sheets:
        sheet = book[spec.title]
        assert sheet.freeze_panes == "A2", spec.title
        example = [cell.value for cell in sheet[2]]
        assert str(example[0]).startswith(EXAMPLE_MARK) and len(example) == len(spec.columns), spec.title
        choice_columns = sum(1 for column in spec.columns if column.choices)
        assert len(sheet.data_validations.dataValidation) == choice_columns, spec.title
        for column, value in zip(spec.columns, example, strict=True):
            if column.choices and value:
                assert value in {label for _code, label in column.choices}, (spec.title, column.header)
    assert any("示例" in str(row[0]) for row in book["说明"].iter_rows(values_only=True))


def test_the_example_rows_are_read_but_not_imported(park: SmallPark) -> None:
    parsed = read_workbook(template_workbook())
    assert parsed.errors == [] and parsed.total_rows == 0
    before = (Enterprise.objects.count(), Unit.objects.count(), Tank.objects.count(), Inventory.objects.count())
    import_workbook(actor=park.actor(Role.INSPECTOR), content=template_workbook())
    assert (Enterprise.objects.count(), Unit.objects.count(), Tank.objects.count(), Inventory.objects.count()) == before
    assert read_workbook(transport.template(), sheets=transport.SHEETS).total_rows == 0


def test_the_example_rows_would_import(park: SmallPark) -> None:
    """The examples are real rows: without their mark the template's enterprise sheet imports."""
    book = load_workbook(io.BytesIO(template_workbook()))
    for title in ("单元", "储罐", "存量"):
        book.remove(book[title])
    book["企业"]["A2"] = str(book["企业"]["A2"].value).removeprefix(EXAMPLE_MARK)
    buffer = io.BytesIO()
    book.save(buffer)
    parsed = read_workbook(buffer.getvalue())
    assert parsed.errors == [] and parsed.total_rows == 1


@pytest.mark.parametrize(
    ("kind", "model", "label"),
    [
        ("enterprise", Enterprise, "企业"),
        ("unit", Unit, "生产"),
        ("tank", Tank, "储罐"),
        ("inventory", Inventory, "危化品存量"),
    ],
)
def test_an_export_imports_back_unchanged(park: SmallPark, client: Any, kind: str, model: Any, label: str) -> None:
    client.force_login(park.users[Role.INSPECTOR])
    response = client.get(f"/registry/{kind}/export.xlsx")
    disposition = unquote(response["Content-Disposition"])
    assert f"filename*=UTF-8''{label}" in disposition and ".xlsx" in disposition
    sheet = next(s for s in SHEETS if s.key == kind)
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [sheet.title] and book[sheet.title].freeze_panes == "A2"
    header = [cell.value for cell in book[sheet.title][1]]
    assert [str(h).rstrip("*") for h in header] == [c.header for c in sheet.columns]
    fields = [f.attname for f in model._meta.concrete_fields if f.name != "updated_at"]  # a save stamps it
    stored = list(model.objects.order_by("pk").values(*fields))
    errors, counts, _n = import_workbook(actor=park.actor(Role.INSPECTOR), content=response.content)
    assert errors == [] and counts == {kind: len(stored)}
    assert list(model.objects.order_by("pk").values(*fields)) == stored


def test_a_transport_export_imports_back_unchanged(park: SmallPark, client: Any) -> None:
    make_fleet()
    client.force_login(park.users[Role.INSPECTOR])
    response = client.get("/vehicles/vehicle/export.xlsx")
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    assert unquote(response["Content-Disposition"]).split("''")[1].startswith("车辆")
    stored = list(Vehicle.objects.order_by("pk").values())
    outcome = transport.import_transport_workbook(actor=park.actor(Role.INSPECTOR), content=response.content)
    assert outcome.errors == [] and outcome.counts == {"vehicle": len(stored)}
    assert list(Vehicle.objects.order_by("pk").values()) == stored
