"""Importing the transport registry from a workbook: 承运企业, 车辆 and 驾驶员与押运员 sheets, read by
the park registry's reader (Chinese headers, every cell problem with its sheet, row and column) and
written through this module's services in one transaction — any refused row, and nothing is kept.

Carriers match by name, vehicles by plate, drivers and escorts by ID number: an existing row is
updated, a new one created. The transport registry holds hundreds of rows, not the park registry's
ten thousands, so the import runs in the request (bounded by ``MAX_ROWS``) instead of the job worker.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any, NamedTuple

from django.db import models, transaction

from chempark.accounts import audit
from chempark.accounts.models import AuditAction
from chempark.common.plates import normalise_plate
from chempark.core.actors import Actor
from chempark.core.errors import DomainError, InvalidInput
from chempark.park.workbook import (
    EXAMPLE_NOTE,
    CellError,
    Column,
    ParsedRow,
    Sheet,
    blank_workbook,
    column_of,
    read_workbook,
)
from chempark.vehicles.models import Carrier, CrewMember, Vehicle
from chempark.vehicles.services import entity_create, entity_update

MAX_ROWS = 2_000
MAX_REPORTED_ERRORS = 200

SHEETS: tuple[Sheet, ...] = (
    Sheet(
        "承运企业",
        "carrier",
        (
            Column("承运企业名称", "name", required=True),
            Column("统一社会信用代码", "uscc"),
            Column("道路运输经营许可证号", "permit_no", required=True),
            Column("许可证有效期至", "permit_expires", "date", True),
            Column("联系人", "contact"),
            Column("联系电话", "phone"),
        ),
        (
            "某某危货运输有限公司",
            "91130200MA0XXXXXXX",
            "冀交运管许可唐字130200000001号",
            "2027-12-31",
            "王五",
            "13900000000",
        ),
    ),
    Sheet(
        "车辆",
        "vehicle",
        (
            Column("车牌号", "plate", required=True),
            Column("承运企业名称", "carrier", required=True),
            Column(
                "车辆类型",
                "vehicle_type",
                "choice",
                True,
                (
                    ("tank", "罐式车辆"),
                    ("van", "厢式车辆"),
                    ("flatbed", "栏板/平板车辆"),
                    ("tractor", "牵引车"),
                    ("trailer", "挂车"),
                    ("other", "其他"),
                ),
            ),
            Column("罐体容积(m³)", "tank_capacity_m3", "decimal"),
            Column("道路运输证号", "road_permit_no"),
            Column("终端手机号", "terminal_phone"),
        ),
        ("冀B12345", "某某危货运输有限公司", "罐式车辆", 30, "冀交运管唐字130200000001号", "013800000001"),
    ),
    Sheet(
        "驾驶员与押运员",
        "crew",
        (
            Column("姓名", "name", required=True),
            Column("岗位", "duty", "choice", True, (("driver", "驾驶员"), ("escort", "押运员"))),
            Column("身份证号", "id_number", required=True),
            Column("承运企业名称", "carrier", required=True),
            Column("联系电话", "phone"),
            Column("从业资格证号", "certificate_no", required=True),
            Column("资格证有效期至", "certificate_expires", "date", True),
        ),
        (
            "张三",
            "驾驶员",
            "130203198001010000",
            "某某危货运输有限公司",
            "13900000001",
            "1302031980010100",
            "2028-06-30",
        ),
    ),
)


class ImportOutcome(NamedTuple):
    errors: list[dict[str, Any]]  # the first MAX_REPORTED_ERRORS, each with sheet, row, column, message
    counts: dict[str, int]  # rows written per sheet; empty when refused


def _carrier_id(name: object) -> int:
    carrier = Carrier.objects.filter(name=str(name)).first()
    if carrier is None:
        raise InvalidInput(f"承运企业“{name}”不存在（可在“承运企业”工作表中一并导入）。")
    return carrier.pk


def _upsert(actor: Actor, kind: str, existing: models.Model | None, values: dict[str, Any]) -> None:
    if existing is None:
        entity_create(actor=actor, kind=kind, values=values)
    else:
        entity_update(actor=actor, kind=kind, pk=existing.pk, values=values)


def _carrier_row(actor: Actor, values: dict[str, Any]) -> None:
    _upsert(actor, "carrier", Carrier.objects.filter(name=values["name"]).first(), values)


def _vehicle_row(actor: Actor, values: dict[str, Any]) -> None:
    values = values | {"carrier": _carrier_id(values["carrier"])}
    existing = Vehicle.objects.filter(plate=normalise_plate(str(values["plate"]))).first()
    _upsert(actor, "vehicle", existing, values)


def _crew_row(actor: Actor, values: dict[str, Any]) -> None:
    values = values | {"carrier": _carrier_id(values["carrier"])}
    _upsert(actor, "crew", CrewMember.objects.filter(id_number=values["id_number"]).first(), values)


HANDLERS: dict[str, Callable[[Actor, dict[str, Any]], None]] = {
    "carrier": _carrier_row,  # first, so vehicles and crew can name new carriers
    "vehicle": _vehicle_row,
    "crew": _crew_row,
}


class _Rejected(Exception):
    pass


def _row_error(row: ParsedRow, exc: DomainError) -> CellError:
    return CellError(row.sheet, row.row, column_of(SHEETS, row.sheet, exc.details), exc.message)


def import_transport_workbook(*, actor: Actor, content: bytes, filename: str = "") -> ImportOutcome:
    """Import the workbook all or nothing; the answer lists every problem found (the first 200)."""
    actor.require("vehicle.manage")
    parsed = read_workbook(content, max_rows=MAX_ROWS, max_errors=MAX_REPORTED_ERRORS, sheets=SHEETS)
    if parsed.errors:
        return ImportOutcome([e.as_dict() for e in parsed.errors], {})
    errors: list[CellError] = []
    counts: dict[str, int] = {}
    try:
        with transaction.atomic():
            for kind, handler in HANDLERS.items():
                for row in parsed.rows.get(kind, []):
                    try:
                        with transaction.atomic():
                            handler(actor, row.values)
                    except DomainError as exc:
                        errors.append(_row_error(row, exc))
                    else:
                        counts[kind] = counts.get(kind, 0) + 1
            if errors:
                raise _Rejected
            audit.record(
                actor=actor,
                action=AuditAction.IMPORT,
                object_type="transport_workbook",
                object_id=filename[:100],
                after={"rows": counts},
            )
    except _Rejected:
        return ImportOutcome([e.as_dict() for e in errors[:MAX_REPORTED_ERRORS]], {})
    return ImportOutcome([], counts)


def template() -> bytes:
    """The empty workbook to fill in."""
    workbook = blank_workbook(SHEETS, examples=True)
    notes = workbook.create_sheet("说明")
    notes.append(["带 * 的列为必填。日期格式 YYYY-MM-DD。车辆类型、岗位可填中文名称。"])
    notes.append([EXAMPLE_NOTE])
    notes.append(["承运企业按名称、车辆按车牌号、驾驶员与押运员按身份证号匹配：已存在则更新，否则新增。"])
    notes.append(["导入为整体操作：任何一行有错误，整个文件都不会导入，并列出每个错误的工作表、行、列和原因。"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
