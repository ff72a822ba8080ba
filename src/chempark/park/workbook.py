"""Reading the registry workbook (企业 / 单元 / 储罐 / 存量 sheets) into checked rows.

Pure: openpyxl only, no Django. Every problem is reported with its sheet, row and column so that an
enterprise clerk can fix the file; nothing is written by this module.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation


@dataclass(frozen=True)
class Column:
    header: str
    key: str
    kind: str = "text"  # text | decimal | float | int | choice | date
    required: bool = False
    choices: tuple[tuple[str, str], ...] = ()  # (stored value, Chinese label)


@dataclass(frozen=True)
class Sheet:
    title: str
    key: str
    columns: tuple[Column, ...]
    # one filled-in row for the template, as a user would type it; written with EXAMPLE_MARK before
    # its first cell, and a row so marked is skipped on import
    example: tuple[Any, ...] = ()


EXAMPLE_MARK = "示例："


ENTERPRISE_KINDS = (
    ("production", "生产"),
    ("storage", "储存"),
    ("use", "使用"),
    ("operation", "经营"),
    ("other", "其他"),
)
ENTERPRISE_STATUSES = (
    ("operating", "正常生产"),
    ("suspended", "停产"),
    ("under_construction", "在建"),
    ("closed", "关闭"),
)
UNIT_KINDS = (("production", "生产单元"), ("storage", "储存单元"))
TANK_KINDS = (
    ("fixed_roof", "固定顶储罐"),
    ("floating_roof", "浮顶储罐"),
    ("pressure", "压力储罐"),
    ("sphere", "球罐"),
    ("cryogenic", "低温储罐"),
    ("warehouse", "仓库"),
    ("other", "其他"),
)

SHEETS: tuple[Sheet, ...] = (
    Sheet(
        "企业",
        "enterprise",
        (
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
        ),
        (
            "91130200MA0XXXXXXX",
            "某某化工有限公司",
            "生产",
            "氯碱",
            "园区纬三路 8 号",
            118.2,
            39.2,
            "张三",
            "李四",
            "0315-1234567",
            120,
            "正常生产",
        ),
    ),
    Sheet(
        "单元",
        "unit",
        (
            Column("企业统一社会信用代码", "enterprise_uscc", required=True),
            Column("单元编码", "code", required=True),
            Column("单元名称", "name", required=True),
            Column("单元类型", "kind", "choice", True, UNIT_KINDS),
            Column("经度", "lon", "float", True),
            Column("纬度", "lat", "float", True),
            Column("说明", "description"),
        ),
        ("91130200MA0XXXXXXX", "U01", "液氯储罐区", "储存单元", 118.2, 39.2, "液氯储罐 2 台"),
    ),
    Sheet(
        "储罐",
        "tank",
        (
            Column("企业统一社会信用代码", "enterprise_uscc", required=True),
            Column("单元编码", "unit_code", required=True),
            Column("储罐编号", "code", required=True),
            Column("储罐名称", "name", required=True),
            Column("储罐类型", "kind", "choice", True, TANK_KINDS),
            Column("储存介质（CAS 号或中文名）", "chemical"),
            Column("容积(m³)", "volume_m3", "decimal"),
            Column("设计最大量(t)", "design_max_t", "decimal", True),
            Column("围堰面积(m²)", "bund_area_m2", "decimal"),
        ),
        ("91130200MA0XXXXXXX", "U01", "T01", "1 号液氯储罐", "压力储罐", "7782-50-5", 50, 40, 60),
    ),
    Sheet(
        "存量",
        "inventory",
        (
            Column("企业统一社会信用代码", "enterprise_uscc", required=True),
            Column("单元编码", "unit_code", required=True),
            Column("危险化学品（CAS 号或中文名）", "chemical", required=True),
            Column("设计最大量(t)", "design_max_t", "decimal", True),
            Column("当前存量(t)", "current_t", "decimal", True),
            Column("质量分数(0–1)", "mass_fraction", "decimal"),
        ),
        ("91130200MA0XXXXXXX", "U01", "液氯", 80, 45.5, ""),
    ),
)


@dataclass(frozen=True)
class CellError:
    sheet: str
    row: int
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"sheet": self.sheet, "row": self.row, "column": self.column, "message": self.message}


def column_of(sheets: tuple[Sheet, ...], sheet_title: str, details: Any) -> str:
    """The sheet's own Chinese heading(s) of the fields a service's refusal names in ``details``
    (the API's per-field error vocabulary), so a row refused after reading points at its column;
    "-" for a problem of the whole row."""
    if not isinstance(details, dict):
        return "-"
    for sheet in sheets:
        if sheet.title == sheet_title:
            headers = {column.key: column.header for column in sheet.columns}
            named = [headers[name] for name in details if name in headers]
            return "、".join(named) if named else "-"
    return "-"


@dataclass
class ParsedRow:
    sheet: str
    row: int
    values: dict[str, Any]


@dataclass
class ParsedWorkbook:
    rows: dict[str, list[ParsedRow]] = field(default_factory=dict)
    errors: list[CellError] = field(default_factory=list)
    # every error found; ``errors`` keeps the first ``max_errors`` so a refusal stays readable
    error_count: int = 0
    max_errors: int = 200

    @property
    def total_rows(self) -> int:
        return sum(len(rows) for rows in self.rows.values())

    def add_error(self, error: CellError) -> None:
        self.error_count += 1
        if len(self.errors) < self.max_errors:
            self.errors.append(error)


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


def _date(column: Column, raw: Any) -> dt.date:
    """A date cell (Excel gives a datetime) or its text, YYYY-MM-DD."""
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    try:
        return dt.date.fromisoformat(str(raw).strip())
    except ValueError as exc:
        raise ValueError(f"日期格式应为 YYYY-MM-DD，收到 {raw!r}") from exc


_CONVERTERS: dict[str, Callable[[Column, Any], Any]] = {
    "date": _date,
    "text": _text,
    "choice": _choice,
    "int": _int,
    "float": _float,
    "decimal": _decimal,
}


def _convert(column: Column, raw: Any) -> Any:
    """Convert one cell; raises ValueError with a reason a clerk understands."""
    return _CONVERTERS[column.kind](column, raw)


MiB = 1024 * 1024


@dataclass(frozen=True)
class ArchiveLimits:
    """What an uploaded xlsx (a zip archive) may declare before anything is decompressed. An
    enterprise's registry of a few thousand rows is far below every limit; a zip bomb (a few hundred
    kilobytes that expand to gigabytes, often in ``sharedStrings.xml``, which openpyxl holds in
    memory whole) is far above them."""

    max_entries: int = 200
    max_entry_bytes: int = 64 * MiB
    max_shared_strings_bytes: int = 16 * MiB
    max_total_bytes: int = 128 * MiB
    # deflated XML of real workbooks shrinks 5–20 times; only parts above the floor are judged
    max_ratio: int = 100
    ratio_floor_bytes: int = 1 * MiB


END_OF_CENTRAL_DIRECTORY = b"PK\x05\x06"


def _declared_entries(content: bytes) -> int | None:
    """The entry count of the zip's end record (None: no end record, so not a zip) — read before
    :mod:`zipfile` builds an object for every directory entry."""
    tail = content[-(65_535 + 22) :]
    at = tail.rfind(END_OF_CENTRAL_DIRECTORY)
    if at < 0 or len(tail) - at < 22:
        return None
    return int.from_bytes(tail[at + 10 : at + 12], "little")


def _entry_problem(info: zipfile.ZipInfo, limits: ArchiveLimits) -> str | None:
    shared = info.filename.lower().endswith("sharedstrings.xml")
    cap = limits.max_shared_strings_bytes if shared else limits.max_entry_bytes
    if info.file_size > cap:
        return (
            f"疑似压缩炸弹，已拒绝：压缩包内 {info.filename} 解压后为 {info.file_size / MiB:.0f} MiB，"
            f"超过上限 {cap // MiB} MiB。"
        )
    ratio = info.file_size / max(info.compress_size, 1)
    if info.file_size > limits.ratio_floor_bytes and ratio > limits.max_ratio:
        return (
            f"疑似压缩炸弹，已拒绝：压缩包内 {info.filename} 的压缩比为 {ratio:.0f}:1，超过上限 {limits.max_ratio}:1。"
        )
    return None


def archive_problem(content: bytes, limits: ArchiveLimits | None = None) -> str | None:
    """Why the upload must not be opened (not a zip, or a zip bomb), or None. Reads only the zip's
    directory — the sizes each part declares; :mod:`zipfile` never inflates a part past its declared
    size, so checking the declarations bounds what opening the workbook can cost."""
    limits = limits or ArchiveLimits()
    entries = _declared_entries(content)
    if entries is None:
        return "不是有效的 xlsx 文件（不是 zip 压缩包）。"
    if entries > limits.max_entries:
        return f"不是正常的 xlsx 文件：压缩包内有 {entries} 个文件，超过上限 {limits.max_entries}，已拒绝。"
    try:
        infos = zipfile.ZipFile(io.BytesIO(content)).infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
        return f"不是有效的 xlsx 文件：{exc}"
    problems = (_entry_problem(info, limits) for info in infos)
    problem = next((found for found in problems if found is not None), None)
    total = sum(info.file_size for info in infos)
    if problem is None and total > limits.max_total_bytes:
        cap_mib = limits.max_total_bytes // MiB
        problem = f"疑似压缩炸弹，已拒绝：解压后共 {total / MiB:.0f} MiB，超过上限 {cap_mib} MiB。"
    return problem


MAX_COLUMNS = 60  # wider rows are cut here: no template sheet has more than a dozen columns
PROGRESS_EVERY_ROWS = 100

RowProgress = Callable[[int, int], None]  # (rows read, rows expected)


class _TooManyRows(Exception):
    pass


@dataclass
class _Reading:
    """Counts rows while reading, to stop at the limit without reading the rest of the file."""

    max_rows: int
    expected: int
    on_row: RowProgress | None
    read: int = 0
    data_rows: int = 0

    def row(self, row_number: int, blank: bool) -> None:
        self.read += 1
        self.data_rows += 0 if blank else 1
        if self.data_rows > self.max_rows or row_number > self.max_rows + 1:
            raise _TooManyRows
        if self.on_row is not None and self.read % PROGRESS_EVERY_ROWS == 0:
            self.on_row(self.read, max(self.expected, self.read))


def _read_sheet(spec: Sheet, worksheet: Any, result: ParsedWorkbook, reading: _Reading) -> None:
    rows = worksheet.iter_rows(values_only=True, max_col=MAX_COLUMNS)
    header = next(rows, None)
    headers = [str(h).strip().rstrip("*") if h is not None else "" for h in (header or ())]
    positions: dict[str, int] = {}
    missing = False
    for column in spec.columns:
        if column.header in headers:
            positions[column.key] = headers.index(column.header)
        elif column.required:
            result.add_error(CellError(spec.title, 1, column.header, "缺少必填列"))
            missing = True
    if missing:
        return
    parsed: list[ParsedRow] = []
    for row_number, cells in enumerate(rows, start=2):
        blank = cells is None or all(c is None or str(c).strip() == "" for c in cells)
        reading.row(row_number, blank)
        if blank or (cells and isinstance(cells[0], str) and cells[0].startswith(EXAMPLE_MARK)):
            continue  # the template's example row is shown, not imported
        values: dict[str, Any] = {}
        for column in spec.columns:
            index = positions.get(column.key)
            raw = cells[index] if index is not None and index < len(cells) else None
            letter = get_column_letter(index + 1) if index is not None else "-"
            if raw is None or (isinstance(raw, str) and raw.strip() == ""):
                if column.required:
                    result.add_error(CellError(spec.title, row_number, f"{letter}（{column.header}）", "必填"))
                continue
            try:
                values[column.key] = _convert(column, raw)
            except ValueError as exc:
                result.add_error(CellError(spec.title, row_number, f"{letter}（{column.header}）", str(exc)))
        parsed.append(ParsedRow(spec.title, row_number, values))
    result.rows[spec.key] = parsed


def read_workbook(
    content: bytes,
    *,
    max_rows: int = 10_000,
    max_errors: int = 200,
    limits: ArchiveLimits | None = None,
    on_row: RowProgress | None = None,
    sheets: tuple[Sheet, ...] = SHEETS,
) -> ParsedWorkbook:
    """Parse an uploaded workbook, streaming (openpyxl's read-only mode), and stop reading as soon
    as it holds more than ``max_rows`` data rows. Sheets may be absent (a file of inventories alone
    is fine). The archive is checked first (:func:`archive_problem`). ``sheets``: the registry's
    sheets by default; other modules' workbooks describe their own."""
    result = ParsedWorkbook(max_errors=max_errors)
    problem = archive_problem(content, limits)
    if problem is not None:
        result.add_error(CellError("-", 0, "-", problem))
        return result
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        result.add_error(CellError("-", 0, "-", f"不是有效的 xlsx 文件：{exc}"))
        return result
    try:
        known = [spec.title for spec in sheets]
        if not set(known) & set(workbook.sheetnames):
            result.add_error(CellError("-", 0, "-", f"工作簿中没有 {'、'.join(known)} 任一工作表"))
            return result
        present = [(spec, workbook[spec.title]) for spec in sheets if spec.title in workbook.sheetnames]
        # the declared size is only an estimate for the progress bar; reading goes by the rows themselves
        expected = sum(max((sheet.max_row or 1) - 1, 0) for _spec, sheet in present)
        reading = _Reading(max_rows, min(expected, max_rows), on_row)
        for spec, sheet in present:
            sheet.reset_dimensions()
            _read_sheet(spec, sheet, result, reading)
    except _TooManyRows:
        limit = f"数据行数超过上限 {max_rows} 行，已停止读取；请拆分为多个文件分批导入。"
        result.errors.insert(0, CellError("-", 0, "-", limit))
        result.error_count += 1
        del result.errors[max_errors:]
    finally:
        workbook.close()
    return result


TEMPLATE_ROWS = 1001  # rows of the template's drop-downs (the heading and 1,000 data rows)


def template_workbook() -> bytes:
    """The downloadable template: one sheet per entity, headers marked * when required."""
    workbook = blank_workbook(SHEETS, examples=True)
    notes = workbook.create_sheet("说明")
    notes.append(["带 * 的列为必填。类型列可填中文名称，例如：企业类型 生产/储存/使用/经营/其他。"])
    notes.append([EXAMPLE_NOTE])
    notes.append(["导入为整体操作：任何一行有错误，整个文件都不会导入，并列出每个错误的工作表、行、列和原因。"])
    notes.append(
        [
            "企业按统一社会信用代码、单元按（企业，单元编码）、储罐按（单元，储罐编号）、存量按（单元，危险化学品）匹配："
            "已存在则更新，否则新增。"
        ]
    )
    notes.append(["围堰面积(m²)：防火堤或围堰内的地面面积，须大于 0；无围堰或未知时留空。"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


EXAMPLE_NOTE = f"各工作表第 2 行为填写示例（首列以“{EXAMPLE_MARK}”开头），导入时忽略；可保留、覆盖或删除。"


def blank_workbook(sheets: tuple[Sheet, ...], *, examples: bool = False) -> Workbook:
    """A workbook with one sheet per entity and its headers, marked * when required, with a frozen
    heading row and a drop-down of the Chinese labels for every column with choices; with
    ``examples``, each sheet's example row (grey, marked, skipped on import) under the headings."""
    workbook = Workbook()
    for sheet in list(workbook.worksheets):
        workbook.remove(sheet)
    for spec in sheets:
        sheet = workbook.create_sheet(spec.title)
        sheet.append([c.header + ("*" if c.required else "") for c in spec.columns])
        sheet.freeze_panes = "A2"  # the headings stay in view while filling many rows
        if examples and spec.example:
            first, *rest = spec.example
            sheet.append([f"{EXAMPLE_MARK}{first}", *rest])
            for cell in sheet[2]:
                cell.font = Font(italic=True, color="808080")
        for index, column in enumerate(spec.columns, start=1):
            letter = get_column_letter(index)
            sheet.column_dimensions[letter].width = max(12, len(column.header) * 2 + 2)
            if column.choices:  # a drop-down of the Chinese labels the import reads
                listed = DataValidation(
                    type="list", formula1='"' + ",".join(label for _, label in column.choices) + '"'
                )
                listed.error, listed.errorTitle = f"请从列表中选择{column.header}", "无效的选项"
                sheet.add_data_validation(listed)
                listed.add(f"{letter}2:{letter}{TEMPLATE_ROWS}")
    return workbook
