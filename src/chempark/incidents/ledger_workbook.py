"""The resources ledger as an xlsx workbook: export of what the actor sees, and an import that is
all-or-nothing with an error per row and column (the registry's reader, :mod:`chempark.park.workbook`,
checks the archive first, so a zip bomb is refused unread).

Entries match by (类别, 名称): an existing one is updated, another is created. The ledger is small
(hundreds of rows), so the import runs in the request, capped at :data:`MAX_ROWS` rows.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from openpyxl import Workbook

from chempark.core.actors import Actor
from chempark.core.errors import DomainError, InvalidInput
from chempark.incidents import ledger_services, selectors
from chempark.incidents.models import Availability, EquipmentType, OwnerKind, Resource, ResourceKind
from chempark.park.export import format_decimal
from chempark.park.selectors import registry_visible
from chempark.park.workbook import CellError, Column, Sheet, column_of, read_workbook

MAX_ROWS = 2000
SHEET = Sheet(
    "应急资源",
    "resource",
    (
        Column("类别", "kind", "choice", True, tuple((k.value, str(k.label)) for k in ResourceKind)),
        Column("名称", "name", required=True),
        Column("归属", "owner_kind", "choice", False, tuple((k.value, str(k.label)) for k in OwnerKind)),
        Column("所属企业统一社会信用代码", "enterprise_uscc"),
        Column("经度", "lon", "float"),
        Column("纬度", "lat", "float"),
        Column("可用状态", "availability", "choice", False, tuple((k.value, str(k.label)) for k in Availability)),
        Column("联系人", "contact"),
        Column("值班/联系电话", "phone"),
        Column("队员人数", "members", "int"),
        Column("专业", "specialty"),
        Column("装备类型", "equipment_type", "choice", False, tuple((k.value, str(k.label)) for k in EquipmentType)),
        Column("最近检验日期", "last_inspected_on"),
        Column("数量", "quantity", "decimal"),
        Column("最低库存", "min_stock", "decimal"),
        Column("计量单位", "unit_of_measure"),
        Column("有效期至", "expires_on"),
        Column("容纳人数", "capacity", "int"),
        Column("已设置标识（是/否）", "signage"),
        Column("备注", "notes"),
    ),
)
DATE_KEYS = ("last_inspected_on", "expires_on")


def _cell(resource: Resource, key: str) -> Any:
    if key == "enterprise_uscc":
        return resource.enterprise.uscc if resource.enterprise else ""
    value = getattr(resource, key)
    column = next(c for c in SHEET.columns if c.key == key)
    if column.kind == "choice":
        return dict(column.choices).get(value, "")
    if key == "signage":
        return "是" if value else "否"
    if hasattr(value, "as_tuple"):
        return format_decimal(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return "" if value is None else value


def export_workbook(rows: Iterable[Resource]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # a new workbook has its first sheet
    sheet.title = SHEET.title
    sheet.append([c.header + ("*" if c.required else "") for c in SHEET.columns])
    for resource in rows:
        sheet.append([_cell(resource, c.key) for c in SHEET.columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    errors: list[CellError] = field(default_factory=list)


def _date(key: str, raw: Any) -> dt.date | None:
    text = str(raw or "").strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        message = f"日期须为 YYYY-MM-DD，收到 {text!r}"
        raise InvalidInput(message, details={key: [message]}) from None


def _values(actor: Actor, row: dict[str, Any]) -> dict[str, Any]:
    values = {
        k: v for k, v in row.items() if k not in ("enterprise_uscc", *DATE_KEYS, "signage") and v not in (None, "")
    }
    for key in DATE_KEYS:
        values[key] = _date(key, row.get(key))
    values["signage"] = str(row.get("signage") or "").strip() in ("是", "1", "true", "True", "yes")
    uscc = str(row.get("enterprise_uscc") or "").strip()
    if uscc:
        enterprise = registry_visible(actor, "enterprise").filter(uscc=uscc).first()
        if enterprise is None:
            message = f"没有统一社会信用代码为 {uscc} 的企业"
            raise InvalidInput(message, details={"enterprise_uscc": [message]})
        values["enterprise"] = enterprise.pk
        values.setdefault("owner_kind", OwnerKind.ENTERPRISE)
    return values


class _Refused(Exception):
    pass


def import_workbook(*, actor: Actor, content: bytes) -> ImportResult:
    """Import the ledger sheet; any error anywhere refuses the whole file and lists the errors, those
    of the cells and those of the rows that read well, in row order."""
    actor.require("resource.write")
    parsed = read_workbook(content, max_rows=MAX_ROWS, sheets=(SHEET,))
    result = ImportResult(errors=list(parsed.errors))
    try:
        with transaction.atomic():
            unreadable = {e.row for e in parsed.errors}
            for item in parsed.rows.get(SHEET.key, []):
                if item.row in unreadable:
                    continue
                try:
                    values = _values(actor, item.values)
                    existing = (
                        selectors.resources(actor).filter(kind=values.get("kind"), name=values.get("name")).first()
                    )
                    ledger_services.resource_save(actor=actor, values=values, pk=existing.pk if existing else None)
                except (DomainError, ValueError) as exc:
                    message = exc.message if isinstance(exc, DomainError) else str(exc)
                    details = exc.details if isinstance(exc, DomainError) else None
                    column = column_of((SHEET,), SHEET.title, details)
                    result.errors.append(CellError(SHEET.title, item.row, column, message))
                    continue
                if existing:
                    result.updated += 1
                else:
                    result.created += 1
            if result.errors:
                raise _Refused
    except _Refused:
        result.created = result.updated = 0
        result.errors.sort(key=lambda e: (e.row, e.column))
    return result
