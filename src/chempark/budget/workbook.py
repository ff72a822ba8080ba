"""The xlsx template of a budget year's performance targets, for the years after the Word statement:
written from a year already in the platform (so next year's starts as a copy to edit) and read back
into the same :class:`~chempark.budget.document.Document` the text reader gives, so both imports
share every check and the update-not-duplicate rule.

Sheets: 部门目标 (部分, 编号, 标题, 内容), 项目 (序号, 项目编码, 项目名称, 预算数, 财政资金, 其他资金,
资金用途, 绩效目标, 资金支出计划 as "3月底25%；6月底50%…"), 指标 (项目编码 and the six columns of
the statement's indicator table). A problem names the sheet and row.

Pure: no Django; the zip is checked for bombs before openpyxl opens it (``park.workbook``).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from typing import Any

from openpyxl import Workbook, load_workbook

from chempark.budget.document import (
    LEVEL1,
    Checkpoint,
    DepartmentGoal,
    Document,
    DocumentUnreadable,
    IndicatorRow,
    Problem,
    ProjectTable,
)
from chempark.budget.targets import Unreadable, read_target
from chempark.park.workbook import archive_problem

GOALS = ("部门目标", ("部分", "编号", "标题", "内容"))
PROJECTS = (
    "项目",
    (
        "序号",
        "项目编码",
        "项目名称",
        "预算数（万元）",
        "财政资金（万元）",
        "其他资金（万元）",
        "资金用途",
        "绩效目标",
        "资金支出计划",
    ),
)
INDICATORS = ("指标", ("项目编码", "一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据"))
_PLAN_ITEM = re.compile(r"(\d{1,2})\s*月底\s*(\d+(?:\.\d+)?)\s*[%％]")
MAX_ROWS = 5000


def _safe(text: str) -> str:
    """Cell text that a spreadsheet cannot take for a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def plan_text(checkpoints: list[Checkpoint]) -> str:
    return "；".join(f"{c.month}月底{format(c.percent.normalize(), 'f')}%" for c in checkpoints)


def export(document: Document) -> bytes:
    workbook = Workbook()
    first = workbook.active
    assert first is not None
    workbook.remove(first)
    goals = workbook.create_sheet(GOALS[0])
    goals.append(list(GOALS[1]))
    for goal in document.goals:
        goals.append([_safe(goal.section), _safe(goal.number), _safe(goal.title), _safe(goal.text)])
    projects = workbook.create_sheet(PROJECTS[0])
    projects.append(list(PROJECTS[1]))
    indicators = workbook.create_sheet(INDICATORS[0])
    indicators.append(list(INDICATORS[1]))
    for p in document.projects:
        projects.append(
            [
                p.number,
                _safe(p.code),
                _safe(p.name),
                float(p.budget),
                float(p.fiscal_funds),
                float(p.other_funds),
                _safe(p.purpose),
                _safe("\n".join(p.goals)),
                plan_text(p.checkpoints),
            ]
        )
        for row in p.indicators:
            indicators.append(
                [_safe(p.code)]
                + [_safe(t) for t in (row.level1, row.level2, row.level3, row.description, row.target, row.basis)]
            )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _rows(workbook: Any, sheet: tuple[str, tuple[str, ...]]) -> Iterator[tuple[int, list[str]]]:
    """(row number, cell texts) of a sheet after its heading; refuses a missing sheet or heading."""
    name, heading = sheet
    if name not in workbook.sheetnames:
        raise DocumentUnreadable(f"工作簿缺少“{name}”工作表，请使用平台导出的模板。")
    for number, values in enumerate(workbook[name].iter_rows(values_only=True, max_col=len(heading)), start=1):
        texts = ["" if v is None else (format(v, "f") if isinstance(v, Decimal) else str(v)).strip() for v in values]
        texts += [""] * (len(heading) - len(texts))
        if number == 1:
            if tuple(texts) != heading:
                raise DocumentUnreadable(f"“{name}”工作表的表头应为：{'、'.join(heading)}。")
            continue
        if number > MAX_ROWS:
            raise DocumentUnreadable(f"“{name}”工作表超过 {MAX_ROWS} 行。")
        if any(texts):
            yield number, [t[1:] if t.startswith("'") else t for t in texts]


def _amount(text: str, label: str, table: ProjectTable, problems: list[Problem]) -> Decimal:
    try:
        value = Decimal(text or "0")
    except InvalidOperation:
        value = Decimal(-1)
    if not value.is_finite() or value < 0:
        problems.append(Problem(table.line, table.title, f"项目表“{label}”不是有效金额：{text}"))
        return Decimal(0)
    return value


def _plan(text: str, where: int, project: str, problems: list[Problem]) -> list[Checkpoint]:
    items = [(int(m), Decimal(p)) for m, p in _PLAN_ITEM.findall(text)]
    months = [m for m, _p in items]
    percents = [p for _m, p in items]
    if not items or months != sorted(set(months)) or not 1 <= months[0] <= months[-1] <= 12:
        problems.append(Problem(where, project, f"项目表“资金支出计划”应写作“3月底25%；6月底50%…”：{text}"))
        return []
    if percents != sorted(percents) or percents[-1] != 100:
        problems.append(Problem(where, project, "项目表“资金支出计划”的百分比须逐个不减，且最后为 100%"))
        return []
    return [Checkpoint(m, p) for m, p in items]


def read(content: bytes) -> Document:
    """The workbook as a document; ``DocumentUnreadable`` when it is no sane xlsx of the template."""
    problem = archive_problem(content)
    if problem is not None:
        raise DocumentUnreadable(problem)
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise DocumentUnreadable(f"无法打开工作簿：{type(exc).__name__}") from None
    document = Document()
    document.goals = [DepartmentGoal(*texts) for _n, texts in _rows(workbook, GOALS)]
    by_code = _projects(workbook, document.problems)
    _indicators(workbook, by_code, document.problems)
    document.projects = list(by_code.values())
    if not document.projects:
        raise DocumentUnreadable("工作簿的项目表中没有任何项目。")
    for table in document.projects:
        missing = [name for name in LEVEL1 if all(row.level1 != name for row in table.indicators)]
        if missing:
            document.problems.append(Problem(table.line, table.title, f"指标表缺少该项目的{'、'.join(missing)}"))
    return document


def _projects(workbook: Any, problems: list[Problem]) -> dict[str, ProjectTable]:
    by_code: dict[str, ProjectTable] = {}
    for number, t in _rows(workbook, PROJECTS):
        title = t[2] or f"第 {number} 行"
        if not t[1] or not t[2]:
            problems.append(Problem(number, title, "项目表“项目编码”和“项目名称”不能为空"))
            continue
        if t[1] in by_code:
            problems.append(Problem(number, title, f"项目编码重复：{t[1]}"))
            continue
        table = ProjectTable(number=len(by_code) + 1, line=number, title=t[2], code=t[1], name=t[2])
        table.budget = _amount(t[3], "预算数", table, problems)
        table.fiscal_funds = _amount(t[4], "财政资金", table, problems)
        table.other_funds = _amount(t[5], "其他资金", table, problems)
        if table.budget != table.fiscal_funds + table.other_funds:
            problems.append(Problem(number, title, f"预算数 {t[3]} 不等于财政资金与其他资金之和"))
        table.purpose, table.goals = t[6], [g for g in t[7].split("\n") if g.strip()]
        table.checkpoints = _plan(t[8], number, title, problems)
        by_code[t[1]] = table
    return by_code


def _indicators(workbook: Any, by_code: dict[str, ProjectTable], problems: list[Problem]) -> None:
    for number, t in _rows(workbook, INDICATORS):
        project = by_code.get(t[0])
        if project is None:
            problems.append(Problem(number, t[0], f"指标表第 {number} 行的项目编码不在项目表中：{t[0]}"))
            continue
        if t[1] not in LEVEL1:
            problems.append(Problem(number, project.title, f"指标表一级指标应为{'、'.join(LEVEL1)}之一：{t[1]}"))
            continue
        try:
            comparable = read_target(t[5])
        except Unreadable:
            problems.append(Problem(number, project.title, f"指标表“指标值”无法解读：{t[5]}"))
            continue
        project.indicators.append(IndicatorRow(number, t[1], t[2], t[3], t[4], t[5], t[6], comparable))
