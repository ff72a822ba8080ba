"""The self-evaluation (绩效自评) reports: one project as Word (python-docx) and Excel, and the
department summary across a year's projects as Excel. Values are written as text or numbers, never
as formulas, so a cell cannot carry an injected formula."""

from __future__ import annotations

import io
from decimal import Decimal

from docx import Document as WordDocument
from openpyxl import Workbook

from chempark.budget.models import BudgetYear, Grade
from chempark.budget.selectors import ProjectView, summary

_GRADES = dict(Grade.choices)


def _text(value: Decimal | None) -> str:
    return "—" if value is None else format(value.normalize(), "f")


def _percent(fraction: Decimal) -> str:
    return f"{(fraction * 100).quantize(Decimal('0.01'))}%"


def _safe(text: str) -> str:
    """Spreadsheet text that cannot start a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def _indicator_rows(view: ProjectView) -> list[list[str]]:
    return [
        [
            item.row.level1,
            item.row.level2,
            item.row.level3,
            item.row.target_text,
            _text(item.achieved) if item.achieved is not None else str(_GRADES.get(item.row.grade, "未评价")),
            ("平台数据：" + item.figure.name) if item.figure else "人工填报",
            _text(item.points),
            item.row.deviation_reason,
        ]
        for item in view.indicators
    ]


_INDICATOR_HEAD = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "数据来源", "得分", "偏差原因"]


def _overview(view: ProjectView) -> list[tuple[str, str]]:
    project, score = view.project, view.score
    return [
        ("项目名称", project.name),
        ("项目编码", project.code),
        ("预算年度", str(project.budget_year.year)),
        ("预算数（万元）", _text(project.budget)),
        ("已支出（万元）", _text(view.spent)),
        ("预算执行率", _percent(view.rate)),
        ("预算执行得分", f"{score.execution} / {project.weight_execution}"),
        ("产出指标得分", f"{score.groups['产出指标']} / {project.weight_output}"),
        ("效益指标得分", f"{score.groups['效益指标']} / {project.weight_effect}"),
        ("满意度指标得分", f"{score.groups['满意度指标']} / {project.weight_satisfaction}"),
        ("自评总分", f"{score.total}（{score.rating}）"),
        ("未评价指标", str(score.open_indicators)),
    ]


def project_docx(view: ProjectView) -> bytes:
    document = WordDocument()
    document.add_heading(f"{view.project.budget_year.year} 年度项目支出绩效自评表", level=1)
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in _overview(view):
        cells = table.add_row().cells
        cells[0].text, cells[1].text = label, value
    document.add_heading("资金支出计划执行情况", level=2)
    plan = document.add_table(rows=1, cols=4)
    plan.style = "Table Grid"
    for cell, text in zip(plan.rows[0].cells, ("时点", "计划（万元）", "实际（万元）", "状态"), strict=True):
        cell.text = text
    states = {"met": "已达计划", "behind": "滞后", "upcoming": "未到期"}
    for checkpoint in view.checkpoints:
        cells = plan.add_row().cells
        cells[0].text = f"{checkpoint.month}月底（{_text(checkpoint.percent)}%）"
        cells[1].text, cells[2].text = _text(checkpoint.planned.quantize(Decimal("0.01"))), _text(checkpoint.actual)
        cells[3].text = states[checkpoint.state]
    document.add_heading("绩效指标完成情况", level=2)
    indicators = document.add_table(rows=1, cols=len(_INDICATOR_HEAD))
    indicators.style = "Table Grid"
    for cell, text in zip(indicators.rows[0].cells, _INDICATOR_HEAD, strict=True):
        cell.text = text
    for row in _indicator_rows(view):
        for cell, text in zip(indicators.add_row().cells, row, strict=True):
            cell.text = text
    document.add_paragraph(
        "评分规则：预算执行得分 = 权重 × min(1, 执行率)；各一级指标权重在其三级指标间平均分配，"
        "定量指标按完成值与指标值之比计分（达到即满分），定性指标达成计满分、部分达成计 60%、未达成不计分。"
        "总分 90 分及以上为优，80–90 为良，60–80 为中，60 以下为差。"
    )
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def project_xlsx(view: ProjectView) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "绩效自评"
    for label, value in _overview(view):
        sheet.append([label, _safe(value)])
    sheet.append([])
    sheet.append(_INDICATOR_HEAD)
    for row in _indicator_rows(view):
        sheet.append([_safe(text) for text in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def summary_xlsx(budget_year: BudgetYear, views: list[ProjectView]) -> bytes:
    """The department summary: one row per project, then the totals."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = f"{budget_year.year}部门汇总"
    sheet.append(
        ["序号", "项目编码", "项目名称", "预算数（万元）", "已支出（万元）", "预算执行率", "自评得分", "等级", "进度"]
    )
    for view in views:
        sheet.append(
            [
                view.project.number,
                view.project.code,
                _safe(view.project.name),
                float(view.project.budget),
                float(view.spent),
                _percent(view.rate),
                float(view.score.total),
                view.score.rating,
                "滞后" if view.behind else "正常",
            ]
        )
    total = summary(views)
    sheet.append(
        [
            "合计",
            "",
            f"{total['projects']} 个项目",
            float(total["budget"]),
            float(total["spent"]),
            _percent(total["rate"]),
            float(total["score"]),
            "",
            f"滞后 {total['behind']} 个",
        ]
    )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
