"""The reader of the bureau's performance-target statement, against the statement itself."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from chempark.budget import document
from chempark.budget.targets import Operator, Unreadable, read_target

STATEMENT = Path(__file__).parents[2] / "src/chempark/budget/data/bureau-performance-targets.txt"
# The 预算数 of the 25 tables, copied by hand from the statement, in order.
BUDGETS = [
    "4.80",
    "13.70",
    "15.00",
    "2.00",
    "580.00",
    "125.70",
    "47.57",
    "4.90",
    "2.00",
    "3.00",
    "3.00",
    "4.80",
    "10.00",
    "20.00",
    "6.34",
    "296.60",
    "234.00",
    "19.30",
    "7.02",
    "2.00",
    "10.00",
    "2.00",
    "325.00",
    "413.00",
    "20.00",
]


@pytest.fixture(scope="module")
def parsed() -> document.Document:
    return document.parse(STATEMENT.read_bytes())


def test_the_statement_reads_without_problems(parsed: document.Document) -> None:
    assert parsed.problems == []
    assert (parsed.department_code, parsed.department_name) == ("467003", "河北唐山南堡经济开发区应急管理局")
    assert [p.number for p in parsed.projects] == list(range(1, 26))


def test_budgets_add_up_to_the_statement_totals(parsed: document.Document) -> None:
    assert [p.budget for p in parsed.projects] == [Decimal(b) for b in BUDGETS]
    assert parsed.total_budget == Decimal("2171.73")
    assert sum(p.fiscal_funds + p.other_funds for p in parsed.projects) == Decimal("2171.73")
    assert all(p.other_funds == 0 for p in parsed.projects)


def test_projects_carry_code_plan_goals_and_nine_indicator_rows(parsed: document.Document) -> None:
    first, fifteenth = parsed.projects[0], parsed.projects[14]
    assert first.code == "13021322P00000410108P"
    assert first.name == "2021南堡（化工集中区）安全风险评估（回头看）"
    assert [(c.month, c.percent) for c in first.checkpoints] == [(3, 25), (6, 50), (10, 75), (12, 100)]
    assert first.purpose.startswith("为全面排查化工园区安全风险")
    assert fifteenth.goals == ["1.利用监测预警系统，确保全区安全生产形式持续稳定"]
    assert all(len(p.indicators) == 9 for p in parsed.projects)
    for p in parsed.projects:
        assert [r.level1 for r in p.indicators].count("满意度指标") == 1
        assert {r.level1 for r in p.indicators} == set(document.LEVEL1)
    connected = fifteenth.indicators[0]
    assert (connected.level1, connected.level2, connected.level3) == ("产出指标", "数量指标", "企业接入平台数量")
    assert connected.comparable is not None
    assert (connected.comparable.operator, connected.comparable.value) == (Operator.GE, Decimal(90))


def test_rows_the_export_broke_with_a_blank_line_are_joined(parsed: document.Document) -> None:
    satisfaction = parsed.projects[18].indicators[-1]  # project 19: its basis cell after a blank line
    assert (satisfaction.target, satisfaction.basis) == ("100", "企业满意度")
    economic = parsed.projects[22].indicators[4]  # project 23: a blank line before its target
    assert economic.level3 == "安全生产维稳控制目标是否实现"
    assert economic.target == "促进区内安全生产和安全发展"
    assert economic.basis == ""


def test_department_goals_keep_sections_and_drop_field_codes(parsed: document.Document) -> None:
    sections = [g.section for g in parsed.goals]
    assert sections.count("总体绩效目标") == 4 and sections.count("分项绩效目标") == 4
    assert sections.count("工作保障措施") == 10
    assert parsed.goals[0].title == "组织全区安全生产综合监督管理"
    assert "TC" not in "".join(sections)


@pytest.mark.parametrize(
    ("text", "operator", "value", "unit", "label"),
    [
        ("≥98", Operator.GE, "98", "", ""),
        ("100", Operator.EQ, "100", "", ""),
        ("≥1次应急演练", Operator.GE, "1", "次", "应急演练"),
        (">98", Operator.GT, "98", "", ""),
        ("≤5%", Operator.LE, "5", "%", ""),
        ("≥100购买率（%）", Operator.GE, "100", "%", "购买率（%）"),
        ("100企业满意度", Operator.EQ, "100", "", "企业满意度"),
    ],
)
def test_comparable_targets(text: str, operator: Operator, value: str, unit: str, label: str) -> None:
    target = read_target(text)
    assert target is not None
    assert (target.operator, target.value, target.unit, target.label) == (operator, Decimal(value), unit, label)


def test_qualitative_and_unreadable_targets() -> None:
    assert read_target("按时完成") is None
    assert read_target("群众满意率高") is None
    with pytest.raises(Unreadable):
        read_target("≥若干")


def test_non_utf8_is_refused_with_the_line() -> None:
    with pytest.raises(document.DocumentUnreadable, match="UTF-8"):
        document.parse(STATEMENT.read_text(encoding="utf-8").encode("gb18030"))


def test_a_text_without_project_tables_is_refused() -> None:
    with pytest.raises(document.DocumentUnreadable, match="第二部分"):
        document.parse("部门整体绩效目标\n一、总体绩效目标\n".encode())


def test_a_truncated_statement_reports_the_cut_project_and_line() -> None:
    text = STATEMENT.read_text(encoding="utf-8")
    cut = text[: text.index("\t持续产生社会影响", text.index("25.专项检查费"))]
    parsed = document.parse(cut.encode())
    assert len(parsed.problems) == 1
    problem = parsed.problems[0]
    assert problem.project == "专项检查费"
    assert "截断" in problem.message and problem.line > 2600


def test_an_unreadable_target_and_a_bad_budget_name_project_and_line() -> None:
    text = STATEMENT.read_text(encoding="utf-8")
    text = text.replace("\t4.80\n\t其中：财政    资金\n\t4.80\n", "\t4,80\n\t其中：财政    资金\n\t4.80\n", 1)
    text = text.replace("\t≥1次应急演练\n", "\t≥若干次应急演练\n", 1)
    parsed = document.parse(text.encode())
    messages = {(p.project, p.message.split("：")[0]) for p in parsed.problems}
    assert ("2021南堡（化工集中区）安全风险评估（回头看）", "“预算数”不是金额") in messages
    assert ("应急演练", "指标值无法解读") in messages
    lines = text.split("\n")
    target_problem = next(p for p in parsed.problems if p.project == "应急演练")
    assert lines[target_problem.line - 1] == "\t≥若干次应急演练"


def test_bytes_cut_inside_a_character_are_a_truncation() -> None:
    data = STATEMENT.read_bytes()
    cut = data[: data.rindex("企业满意度".encode()) + 2]
    with pytest.raises(document.DocumentUnreadable, match="截断"):
        document.parse(cut)
