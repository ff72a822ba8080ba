"""Reader of the bureau's performance-target statement (部门整体绩效目标 + 预算项目绩效目标表), as
the plain-text export of its Word file comes, without manual clean-up.

The export's layout: part one (第一部分) is prose — numbered sections (一、二、三、) whose headings may
carry Word field codes (``TC 总体绩效目标 \\f A \\l 1``), numbered items (``1、`` or ``（一）、``) and
paragraphs. Part two (第二部分) holds one table per project, titled ``N.<名称>绩效目标表``; every
table cell is a line starting with a tab, a blank line ends a table row, and an empty cell is a lone
tab. The project header is read by its labels (项目编码, 项目名称, 预算数, 其中：财政资金, 其他资金,
资金支出计划（%）, 绩效目标), not by position. The indicator table has six columns (一级/二级/三级指标,
绩效指标描述, 指标值, 指标值确定依据); an empty first cell continues the level-1 group above (a merged
cell in Word), and the export sometimes breaks one row with a stray blank line (projects 19 and 23),
so a row shorter than six cells continues into the next group.

Everything the reader cannot interpret is a :class:`Problem` naming the line and the project; the
importer refuses a document with any problem, so nothing is half-imported. Bytes that are not UTF-8,
or a text without projects, raise :class:`Unreadable`.

Pure: no Django (import-linter contract), mypy strict.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from chempark.budget.targets import Comparable, Unreadable, read_target

LEVEL1 = ("产出指标", "效益指标", "满意度指标")
COLUMNS = 6
_PROJECT_TITLE = re.compile(r"^(\d+)\s*[.．、]\s*(.+?)绩效目标表\s*$")
_SECTION = re.compile(r"^\s*([一二三四五六七八九十]+)、\s*(.+?)\s*(?:TC\s.*)?$")
_ITEM = re.compile(r"^\s*(\d+|（[一二三四五六七八九十]+）)[、.．]\s*(.*)$")
_DEPARTMENT = re.compile(r"^(\d+)\s*(\S.*)$")
_CHECKPOINT = re.compile(r"^(\d{1,2})月底$")
_PERCENT = re.compile(r"^(\d+(?:\.\d+)?)\s*[%％]$")
_PAGE_NUMBER = re.compile(r"^\s*\d+\s*$")
_SPACES = re.compile(r"\s+")


class DocumentUnreadable(ValueError):
    """The bytes are not a performance-target statement this reader can open at all."""


@dataclass(frozen=True)
class Problem:
    line: int
    project: str
    message: str

    def __str__(self) -> str:
        where = f"第 {self.line} 行" + (f"（{self.project}）" if self.project else "")
        return f"{where}：{self.message}"


@dataclass(frozen=True)
class DepartmentGoal:
    section: str  # 总体绩效目标, 分项绩效目标, 工作保障措施 as headed in the document
    number: str
    title: str
    text: str


@dataclass(frozen=True)
class Checkpoint:
    month: int
    percent: Decimal


@dataclass(frozen=True)
class IndicatorRow:
    line: int
    level1: str
    level2: str
    level3: str
    description: str
    target: str
    basis: str
    comparable: Comparable | None


@dataclass
class ProjectTable:
    number: int
    line: int
    title: str
    code: str = ""
    name: str = ""
    budget: Decimal = Decimal(0)
    fiscal_funds: Decimal = Decimal(0)
    other_funds: Decimal = Decimal(0)
    purpose: str = ""
    checkpoints: list[Checkpoint] = field(default_factory=list)
    goals: list[str] = field(default_factory=list)
    indicators: list[IndicatorRow] = field(default_factory=list)


@dataclass
class Document:
    department_code: str = ""
    department_name: str = ""
    goals: list[DepartmentGoal] = field(default_factory=list)
    projects: list[ProjectTable] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def total_budget(self) -> Decimal:
        return sum((p.budget for p in self.projects), Decimal(0))


Cell = tuple[int, str]  # (line number, text)


def decode(data: bytes) -> str:
    """The document's text; refuses bytes that are not UTF-8 (a GBK export, a binary file)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        if exc.end == len(data) and "end of data" in exc.reason:
            raise DocumentUnreadable(f"文件被截断：第 {line} 行的最后一个字不完整，请重新导出完整的文件。") from None
        raise DocumentUnreadable(
            f"文件不是 UTF-8 编码的文本（第 {line} 行起无法解码），请导出为 UTF-8 纯文本后再导入。"
        ) from None
    if "\x00" in text:
        raise DocumentUnreadable("文件含有二进制内容，不是纯文本。")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse(data: bytes) -> Document:
    """Read the whole statement. Raises ``DocumentUnreadable``; other faults are ``problems``."""
    lines = decode(data).split("\n")
    part_two = next((i for i, line in enumerate(lines) if line.strip() == "第二部分"), None)
    titles = [i for i, line in enumerate(lines) if part_two is not None and i > part_two and _PROJECT_TITLE.match(line)]
    if part_two is None or not titles:
        raise DocumentUnreadable(
            "没有找到“第二部分 预算项目绩效目标”及其项目绩效目标表，文件不是部门绩效目标文本或内容不全。"
        )
    document = Document(goals=list(_department_goals(lines[:part_two])))
    for index, start in enumerate(titles):
        end = titles[index + 1] if index + 1 < len(titles) else len(lines)
        document.projects.append(_project(lines, start, end, document))
    for expected, project in enumerate(document.projects, start=1):
        if project.number != expected:
            document.problems.append(
                Problem(project.line + 1, project.title, f"项目序号应为 {expected}，缺少项目或顺序错乱")
            )
            break
    return document


# --- Part one -------------------------------------------------------------------------------------


def _department_goals(lines: list[str]) -> Iterator[DepartmentGoal]:
    section = ""
    current: list[str] | None = None  # number, heading, paragraphs...
    for raw in lines:
        line = raw.strip()
        if not line or line in ("第一部分", "部门整体绩效目标"):
            continue
        heading = _SECTION.match(line)
        item = _ITEM.match(line)
        if heading:
            if current:
                yield _goal(section, current)
            section, current = heading[2], None
        elif item:
            if current:
                yield _goal(section, current)
            current = [item[1], item[2]]
        elif current is not None:
            current.append(line)
    if current:
        yield _goal(section, current)


def _goal(section: str, parts: list[str]) -> DepartmentGoal:
    number, first, paragraphs = parts[0], parts[1], parts[2:]
    if paragraphs:
        return DepartmentGoal(section, number, first, "\n".join(paragraphs))
    title, colon, rest = first.partition("：")
    if colon and len(title) <= 40:
        return DepartmentGoal(section, number, title, rest)
    return DepartmentGoal(section, number, "", first)


# --- Part two -------------------------------------------------------------------------------------


def _groups(lines: list[str], start: int, end: int, project: str, problems: list[Problem]) -> list[list[Cell]]:
    """The table cells between ``start`` and ``end`` grouped by the blank lines between them."""
    groups: list[list[Cell]] = [[]]
    for index in range(start, end):
        line = lines[index]
        if line.startswith("\t"):
            groups[-1].append((index + 1, line[1:].strip()))
        elif not line.strip():
            if groups[-1]:
                groups.append([])
        elif not _PAGE_NUMBER.match(line):  # a page number the export left between tables
            problems.append(Problem(index + 1, project, f"无法识别的行：{line.strip()[:40]}"))
    return [group for group in groups if group]


def _project(lines: list[str], start: int, end: int, document: Document) -> ProjectTable:
    title_match = _PROJECT_TITLE.match(lines[start])
    assert title_match is not None
    table = ProjectTable(number=int(title_match[1]), line=start + 1, title=title_match[2].strip())
    problems = document.problems
    groups = _groups(lines, start + 1, end, table.title, problems)
    header = next((i for i, g in enumerate(groups) if g[0][1] == "一级指标"), None)
    if header is None:
        problems.append(Problem(start + 1, table.title, "缺少绩效指标表（“一级指标”表头），文件可能不完整"))
        return table
    cells = [cell for group in groups[:header] for cell in group]
    _header(cells, table, document)
    _indicators(groups[header + 1 :], groups[header][0][0], table, problems)
    return table


def _after(cells: list[Cell], label: str, table: ProjectTable, problems: list[Problem]) -> int | None:
    """Index of the cell after the one reading ``label`` (spaces ignored)."""
    wanted = _SPACES.sub("", label)
    for index, (_line, text) in enumerate(cells):
        if _SPACES.sub("", text) == wanted:
            return index + 1
    problems.append(Problem(cells[0][0] if cells else table.line, table.title, f"缺少“{label}”"))
    return None


def _header(cells: list[Cell], table: ProjectTable, document: Document) -> None:
    problems = document.problems
    for _line, text in cells[:1]:
        department = _DEPARTMENT.match(text)
        if department and not document.department_code:
            document.department_code, document.department_name = department[1], department[2].strip()
    for label, attribute in (("项目编码", "code"), ("项目名称", "name")):
        at = _after(cells, label, table, problems)
        if at is not None and at < len(cells) and cells[at][1]:
            setattr(table, attribute, cells[at][1])
        elif at is not None:
            problems.append(Problem(cells[at - 1][0], table.title, f"“{label}”为空"))
    _amounts(cells, table, problems)
    plan = next((i for i, (_l, text) in enumerate(cells) if text.startswith("资金支出计划")), None)
    other = _after(cells, "其他资金", table, [])
    if other is not None and plan is not None:
        table.purpose = "\n".join(text for _l, text in cells[other + 1 : plan] if text)
    if plan is None:
        problems.append(Problem(table.line, table.title, "缺少“资金支出计划（%）”"))
    else:
        _checkpoints(cells, plan, table, problems)
    goals = _after(cells, "绩效目标", table, problems)
    if goals is not None:
        table.goals = [text for _line, text in cells[goals:] if text]


def _amounts(cells: list[Cell], table: ProjectTable, problems: list[Problem]) -> None:
    """预算数, 财政资金 and 其他资金 (blank means none), which must add up."""
    amounts: dict[str, Decimal] = {}
    for label, blank_is_zero in (("预算数", False), ("其中：财政资金", False), ("其他资金", True)):
        at = _after(cells, label, table, problems)
        if at is None:
            continue
        text = cells[at][1] if at < len(cells) else ""
        if not text and blank_is_zero:
            amounts[label] = Decimal(0)
            continue
        try:
            amounts[label] = Decimal(text)
        except InvalidOperation:
            problems.append(Problem(cells[at - 1][0], table.title, f"“{label}”不是金额：{text or '（空）'}"))
            continue
        if not amounts[label].is_finite() or amounts[label] < 0:
            problems.append(Problem(cells[at][0], table.title, f"“{label}”不是有效金额：{text}"))
            amounts.pop(label)
    if len(amounts) == 3:
        table.budget, table.fiscal_funds, table.other_funds = (
            amounts["预算数"],
            amounts["其中：财政资金"],
            amounts["其他资金"],
        )
        if table.budget != table.fiscal_funds + table.other_funds:
            problems.append(Problem(table.line, table.title, f"预算数 {table.budget} 不等于财政资金与其他资金之和"))


def _checkpoints(cells: list[Cell], plan: int, table: ProjectTable, problems: list[Problem]) -> None:
    months: list[int] = []
    index = plan + 1
    while index < len(cells) and (month := _CHECKPOINT.match(cells[index][1])):
        months.append(int(month[1]))
        index += 1
    while index < len(cells) and not cells[index][1]:
        index += 1
    percents: list[Decimal] = []
    while index < len(cells) and (percent := _PERCENT.match(cells[index][1])):
        percents.append(Decimal(percent[1]))
        index += 1
    line = cells[plan][0]
    if not months or len(months) != len(percents):
        problems.append(Problem(line, table.title, "资金支出计划的月份与百分比数目不符"))
        return
    if months != sorted(set(months)) or months[-1] > 12 or months[0] < 1:
        problems.append(Problem(line, table.title, "资金支出计划的月份须在 1–12 月之间且逐个递增"))
        return
    if percents != sorted(percents) or percents[-1] != 100:
        problems.append(Problem(line, table.title, "资金支出计划的百分比须逐个不减，且最后为 100%"))
        return
    table.checkpoints = [Checkpoint(m, p) for m, p in zip(months, percents, strict=True)]


def _indicators(groups: list[list[Cell]], header_line: int, table: ProjectTable, problems: list[Problem]) -> None:
    level1 = ""
    pending: list[Cell] = []
    for group in groups:
        pending += group
        if len(pending) < COLUMNS:
            continue  # a row the export broke with a blank line
        if len(pending) > COLUMNS:
            problems.append(Problem(pending[0][0], table.title, f"指标行有 {len(pending)} 格，应为 {COLUMNS} 格"))
            pending = []
            continue
        row, pending = pending, []
        line = row[0][0]
        level1 = row[0][1] or level1
        if level1 not in LEVEL1:
            problems.append(Problem(line, table.title, f"一级指标应为{'、'.join(LEVEL1)}之一：{level1 or '（空）'}"))
            continue
        texts = [text for _line, text in row]
        try:
            comparable = read_target(texts[4])
        except Unreadable:
            problems.append(Problem(row[4][0], table.title, f"指标值无法解读：{texts[4]}"))
            continue
        table.indicators.append(
            IndicatorRow(line, level1, texts[1], texts[2], texts[3], texts[4], texts[5], comparable)
        )
    if pending:
        problems.append(Problem(pending[0][0], table.title, f"指标行不完整（只有 {len(pending)} 格），文件可能被截断"))
    missing = [name for name in LEVEL1 if all(row.level1 != name for row in table.indicators)]
    if missing and not any(p.project == table.title for p in problems):
        problems.append(Problem(header_line, table.title, f"指标表缺少{'、'.join(missing)}，文件可能被截断"))
