"""Reading the registry workbook (企业 / 单元 / 储罐 / 存量 sheets) into checked rows.

Pure: openpyxl only, no Django. Every problem is reported with its sheet, row and column so that an
enterprise clerk can fix the file; nothing is written by this module.
"""

from __future__ import annotations

import io
import math
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException


@dataclass(frozen=True)
class Column:
    header: str
    key: str
    kind: str = "text"  # text | decimal | float | int | choice
    required: bool = False
    choices: tuple[tuple[str, str], ...] = ()  # (stored value, Chinese label)


@dataclass(frozen=True)
class Sheet:
    title: str
    key: str
    columns: tuple[Column, ...]


ENTERPRISE_KINDS = (("production", "生产"), ("storage", "储存"), ("use", "使用"), ("operation", "经营"),
                    ("other", "其他"))
ENTERPRISE_STATUSES = (("operating", "正常生产"), ("suspended", "停产"), ("under_construction", "在建"),
                       ("closed", "关闭"))
UNIT_KINDS = (("production", "生产单元"), ("storage", "储存单元"))
TANK_KINDS = (("fixed_roof", "固定顶储罐"), ("floating_roof", "浮顶储罐"), ("pressure", "压力储罐"),
              ("sphere", "球罐"), ("cryogenic", "低温储罐"), ("warehouse", "仓库"), ("other", "其他"))

SHEETS: tuple[Sheet, ...] = (
    Sheet("企业", "enterprise", (
        Column("统一社会信用代码", "uscc", required=True),
        Column("企业名称", "name", required=True),
        Column("企业类型", "kind", "choice", True, ENTERPRISE_KINDS),
        Column("行业", "industry"),
        Column("地址", "address"),
        Column("经度", "lon", "float", True),
        Column("纬度", "lat", "float", True),
        Column("法定代表人", "legal_representative"),
        Column("安全负责人", "safety_contact"),
        Column("联系电话", "safety_phone"),
        Column("从业人数", "employees", "int"),
        Column("状态", "status", "choice", False, ENTERPRISE_STATUSES),
    )),
    Sheet("单元", "unit", (
        Column("企业统一社会信用代码", "enterprise_uscc", required=True),
        Column("单元编码", "code", required=True),
        Column("单元名称", "name", required=True),
        Column("单元类型", "kind", "choice", True, UNIT_KINDS),
        Column("经度", "lon", "float", True),
        Column("纬度", "lat", "float", True),
        Column("说明", "description"),
    )),
    Sheet("储罐", "tank", (
        Column("企业统一社会信用代码", "enterprise_uscc", required=True),
        Column("单元编码", "unit_code", required=True),
        Column("储罐编号", "code", required=True),
        Column("储罐名称", "name", required=True),
        Column("储罐类型", "kind", "choice", True, TANK_KINDS),
        Column("储存介质（CAS 号或中文名）", "chemical"),
        Column("容积(m³)", "volume_m3", "decimal"),
        Column("设计最大量(t)", "design_max_t", "decimal", True),
        Column("围堰面积(m²)", "bund_area_m2", "decimal"),
    )),
    Sheet("存量", "inventory", (
        Column("企业统一社会信用代码", "enterprise_uscc", required=True),
        Column("单元编码", "unit_code", required=True),
        Column("危险化学品（CAS 号或中文名）", "chemical", required=True),
        Column("设计最大量(t)", "design_max_t", "decimal", True),
        Column("当前存量(t)", "current_t", "decimal", True),
    )),
)


@dataclass(frozen=True)
class CellError:
    sheet: str
    row: int
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"sheet": self.sheet, "row": self.row, "column": self.column, "message": self.message}


@dataclass
class ParsedRow:
    sheet: str
    row: int
    values: dict[str, Any]


@dataclass
class ParsedWorkbook:
    rows: dict[str, list[ParsedRow]] = field(default_factory=dict)
    errors: list[CellError] = field(default_factory=list)

    @property
    def total_rows(self) -> int:
        return sum(len(rows) for rows in self.rows.values())


def _text(column: Column, raw: Any) -> str:
    # Excel stores a typed code like 001 as the number 1.0; keep whole numbers without ".0".
    return str(int(raw)) if isinstance(raw, float) and raw.is_integer() else str(raw).strip()


def _choice(column: Column, raw: Any) -> str:
    text = str(raw).strip()
    for value, label in column.choices:
        if text in (value, label):
            return value
    raise ValueError(f"取值须为 {'、'.join(label for _v, label in column.choices)} 之一，收到 {text!r}")


def _int(column: Column, raw: Any) -> int:
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, str) and raw.strip().isdigit():
        raw = int(raw.strip())
    if isinstance(raw, bool) or not isinstance(raw, int) or raw < 0:
        raise ValueError(f"须为非负整数，收到 {raw!r}")
    return int(raw)


def _float(column: Column, raw: Any) -> float:
    if isinstance(raw, bool):
        raise ValueError(f"须为数值，收到 {raw!r}")
    try:
        value = float(raw)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"须为数值，收到 {raw!r}") from exc
    if not math.isfinite(value):
        raise ValueError("须为有限数值")
    return value


def _decimal(column: Column, raw: Any) -> Decimal:
    if isinstance(raw, bool):
        raise ValueError(f"须为数值，收到 {raw!r}")
    try:
        number = Decimal(str(raw).strip())
    except InvalidOperation as exc:
        raise ValueError(f"须为数值，收到 {raw!r}") from exc
    if not number.is_finite() or number < 0:
        raise ValueError(f"须为非负数值，收到 {raw!r}")
    return number


_CONVERTERS: dict[str, Callable[[Column, Any], Any]] = {
    "text": _text, "choice": _choice, "int": _int, "float": _float, "decimal": _decimal,
}


def _convert(column: Column, raw: Any) -> Any:
    """Convert one cell; raises ValueError with a reason a clerk understands."""
    return _CONVERTERS[column.kind](column, raw)


def _read_sheet(spec: Sheet, worksheet: Any, result: ParsedWorkbook) -> None:
    rows = worksheet.iter_rows(values_only=True)
    header = next(rows, None)
    headers = [str(h).strip().rstrip("*") if h is not None else "" for h in (header or ())]
    positions: dict[str, int] = {}
    for column in spec.columns:
        if column.header in headers:
            positions[column.key] = headers.index(column.header)
        elif column.required:
            result.errors.append(CellError(spec.title, 1, column.header, "缺少必填列"))
    if any(e.sheet == spec.title and e.row == 1 for e in result.errors):
        return
    parsed: list[ParsedRow] = []
    for row_number, cells in enumerate(rows, start=2):
        if cells is None or all(c is None or str(c).strip() == "" for c in cells):
            continue
        values: dict[str, Any] = {}
        for column in spec.columns:
            index = positions.get(column.key)
            raw = cells[index] if index is not None and index < len(cells) else None
            letter = get_column_letter(index + 1) if index is not None else "-"
            if raw is None or (isinstance(raw, str) and raw.strip() == ""):
                if column.required:
                    result.errors.append(CellError(spec.title, row_number, f"{letter}（{column.header}）", "必填"))
                continue
            try:
                values[column.key] = _convert(column, raw)
            except ValueError as exc:
                result.errors.append(CellError(spec.title, row_number, f"{letter}（{column.header}）", str(exc)))
        parsed.append(ParsedRow(spec.title, row_number, values))
    result.rows[spec.key] = parsed


def read_workbook(content: bytes, *, max_rows: int = 100_000) -> ParsedWorkbook:
    """Parse an uploaded workbook. Sheets may be absent (a file of inventories alone is fine)."""
    result = ParsedWorkbook()
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        result.errors.append(CellError("-", 0, "-", f"不是有效的 xlsx 文件：{exc}"))
        return result
    known = {spec.title for spec in SHEETS}
    if not known & set(workbook.sheetnames):
        result.errors.append(CellError("-", 0, "-", f"工作簿中没有 {'、'.join(known)} 任一工作表"))
        return result
    for spec in SHEETS:
        if spec.title in workbook.sheetnames:
            _read_sheet(spec, workbook[spec.title], result)
    if result.total_rows > max_rows:
        result.errors.append(CellError("-", 0, "-", f"行数 {result.total_rows} 超过上限 {max_rows}"))
    workbook.close()
    return result


def template_workbook() -> bytes:
    """The downloadable template: one sheet per entity, headers marked * when required."""
    workbook = Workbook()
    for sheet in list(workbook.worksheets):
        workbook.remove(sheet)
    for spec in SHEETS:
        sheet = workbook.create_sheet(spec.title)
        sheet.append([c.header + ("*" if c.required else "") for c in spec.columns])
        for index, column in enumerate(spec.columns, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = max(12, len(column.header) * 2 + 2)
    notes = workbook.create_sheet("说明")
    notes.append(["带 * 的列为必填。类型列可填中文名称，例如：企业类型 生产/储存/使用/经营/其他。"])
    notes.append(["导入为整体操作：任何一行有错误，整个文件都不会导入，并列出每个错误的工作表、行、列和原因。"])
    notes.append(["企业按统一社会信用代码、单元按（企业，单元编码）、储罐按（单元，储罐编号）、存量按（单元，危险化学品）匹配："
                  "已存在则更新，否则新增。"])
    notes.append(["围堰面积(m²)：防火堤或围堰内的地面面积，须大于 0；无围堰或未知时留空。"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
