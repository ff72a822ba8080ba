"""Importing the statement, spending against the plan, indicators filled from platform figures, the
self-evaluation score and its reports."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from docx import Document as WordDocument
from openpyxl import load_workbook

from chempark.accounts.models import AuditEvent
from chempark.budget import reports, selectors, services, workbook
from chempark.budget.models import BudgetYear, DepartmentGoal, Indicator, Project, Spending
from chempark.core.actors import SYSTEM
from chempark.core.errors import Conflict, ErrorCode, Forbidden, InvalidInput
from chempark.core.roles import Role
from chempark.monitoring.models import Point, PointKind, Rollup
from tests.budget.conftest import STATEMENT, YEAR
from tests.conftest import SmallPark

MID_JULY = dt.datetime(YEAR, 7, 15, 10, 0, tzinfo=dt.UTC)


def _state() -> list[Any]:
    """Everything an import writes, to compare before and after."""
    return [
        list(BudgetYear.objects.values()),
        list(DepartmentGoal.objects.order_by("id").values()),
        list(Project.objects.order_by("id").values()),
        list(Indicator.objects.order_by("id").values()),
    ]


def test_import_gives_25_projects_adding_up_and_a_second_import_changes_nothing(imported: list[Project]) -> None:
    assert len(imported) == 25
    assert sum(p.budget for p in imported) == Decimal("2171.73")
    assert all(p.indicators.count() == 9 for p in imported)
    assert imported[4].budget == Decimal("580.00") and imported[4].checkpoints[1] == {"month": 6, "percent": "50"}
    before = _state()
    outcome = services.document_import(actor=SYSTEM, data=STATEMENT.read_bytes(), year=YEAR, filename=STATEMENT.name)
    assert (outcome.created, outcome.updated, outcome.unchanged) == (0, 0, 25)
    assert _state() == before


def test_reimport_updates_a_changed_budget_and_keeps_entered_results(imported: list[Project]) -> None:
    indicator = imported[0].indicators.get(level3="服务对象满意度")
    services.indicator_update(
        actor=SYSTEM,
        indicator_id=indicator.pk,
        achieved_value=Decimal(96),
        grade="",
        deviation_reason="调查样本少",
        figure_code="",
    )
    changed = STATEMENT.read_text(encoding="utf-8").replace(
        "\t4.80\n\t其中：财政    资金\n\t4.80", "\t5.80\n\t其中：财政    资金\n\t5.80", 1
    )
    outcome = services.document_import(actor=SYSTEM, data=changed.encode(), year=YEAR)
    assert (outcome.created, outcome.updated, outcome.unchanged) == (0, 1, 24)
    assert Project.objects.get(pk=imported[0].pk).budget == Decimal("5.80")
    assert Project.objects.count() == 25
    assert Indicator.objects.get(pk=indicator.pk).achieved_value == Decimal(96)


@pytest.mark.parametrize(
    "data",
    [
        STATEMENT.read_text(encoding="utf-8").encode("gb18030"),
        STATEMENT.read_bytes()[:-3000],
        STATEMENT.read_text(encoding="utf-8").replace("\t≥1次应急演练", "\t≥若干次").encode(),
    ],
    ids=["non-utf8", "truncated", "unreadable-target"],
)
def test_a_bad_document_imports_nothing(park: SmallPark, data: bytes) -> None:
    with pytest.raises(InvalidInput) as refused:
        services.document_import(actor=SYSTEM, data=data, year=YEAR)
    assert refused.value.code is ErrorCode.INVALID_DOCUMENT
    assert refused.value.details["problems"]
    assert not BudgetYear.objects.exists() and not Project.objects.exists()
    assert not AuditEvent.objects.filter(object_type="budget_year").exists()


def test_the_command_imports_and_reports_problems(park: SmallPark, tmp_path: Any) -> None:
    out = io.StringIO()
    call_command("budget", "import", str(STATEMENT), "--year", str(YEAR), stdout=out)
    assert "25 个项目" in out.getvalue() and "2171.73" in out.getvalue()
    broken = tmp_path / "broken.txt"
    broken.write_bytes(STATEMENT.read_text(encoding="utf-8")[:-1000].encode())
    err = io.StringIO()
    with pytest.raises(CommandError, match="无法解读"):
        call_command("budget", "import", str(broken), "--year", "2027", stderr=err)
    assert "智慧化应急平台" in err.getvalue() and "截断" in err.getvalue()


@time_machine.travel(MID_JULY, tick=False)
def test_spending_moves_the_execution_rate_and_is_refused_when_wrong(imported: list[Project], park: SmallPark) -> None:
    finance = park.actor(Role.FINANCE)
    project = imported[1]  # 13.70 万元
    assert selectors.project_view(project).rate == 0
    services.spending_record(actor=finance, project_id=project.pk, date=dt.date(YEAR, 3, 20), amount=Decimal("3.425"))
    view = selectors.project_view(project)
    assert view.rate == Decimal("0.25") and view.spent == Decimal("3.425")
    # end of March met (25 %), end of June missed (50 % = 6.85), October and December to come
    assert [c.state for c in view.checkpoints] == ["met", "behind", "upcoming", "upcoming"]
    assert view.behind is not None and view.behind.month == 6
    chart = selectors.chart(view)
    assert chart["planned"][2] == pytest.approx(3.425) and chart["planned"][5] == pytest.approx(6.85)
    assert chart["actual"][2] == pytest.approx(3.425) and chart["actual"][7] is None
    refusals = [
        ({"date": dt.date(YEAR, 5, 1), "amount": Decimal("10.2751")}, ErrorCode.OVER_BUDGET, "amount"),
        ({"date": dt.date(YEAR, 5, 1), "amount": Decimal("-1")}, ErrorCode.VALIDATION_ERROR, "amount"),
        ({"date": dt.date(YEAR - 1, 12, 31), "amount": Decimal("1")}, ErrorCode.OUTSIDE_BUDGET_YEAR, "date"),
        ({"date": dt.date(YEAR, 8, 1), "amount": Decimal("1")}, ErrorCode.VALIDATION_ERROR, "date"),
    ]
    for values, code, field in refusals:
        with pytest.raises(InvalidInput) as refused:
            services.spending_record(actor=finance, project_id=project.pk, **values)
        assert refused.value.code is code and field in refused.value.details, values
    assert Spending.objects.count() == 1
    services.spending_record(actor=finance, project_id=project.pk, date=dt.date(YEAR, 7, 1), amount=Decimal("10.275"))
    assert selectors.project_view(project).rate == 1
    with pytest.raises(Forbidden):
        services.spending_record(
            actor=park.actor(Role.BUREAU_ADMIN), project_id=project.pk, date=dt.date(YEAR, 7, 1), amount=Decimal(1)
        )


def test_a_bound_indicator_follows_the_platform_data(imported: list[Project], park: SmallPark) -> None:
    connected = Indicator.objects.get(project=imported[14], level3="企业接入平台数量")
    assert connected.figure_code == "enterprises_connected"  # bound on import by its name

    def achieved() -> Decimal | None:
        view = selectors.project_view(Project.objects.get(pk=imported[14].pk))
        return next(i.achieved for i in view.indicators if i.row.pk == connected.pk)

    assert achieved() == 0
    point = Point.objects.create(
        enterprise=park.enterprise_a,
        unit=park.unit_a,
        code="PT-1",
        name="压力",
        kind=PointKind.PRESSURE,
        unit_of_measure="MPa",
        range_min=0,
        range_max=2,
        lon=118.2,
        lat=39.2,
    )
    minute = int(dt.datetime(YEAR, 5, 1, tzinfo=dt.UTC).timestamp() * 1000)
    Rollup.objects.create(point=point, minute_ms=minute, count=1, sum_value=1, min_value=1, max_value=1)
    assert achieved() == 1
    drills = Indicator.objects.get(project=imported[20], level3="全年开展应急演练次数")
    view = selectors.project_view(imported[20])
    item = next(i for i in view.indicators if i.row.pk == drills.pk)
    assert item.figure is not None and not item.figure.available and item.achieved is None  # 不可用, not 0
    training = Indicator.objects.get(project=imported[10], level3="培训人员人次")
    assert training.figure_code == "training_person_times"
    with time_machine.travel(MID_JULY, tick=False):
        services.activity_create(
            actor=park.actor(Role.INSPECTOR),
            kind="training",
            topic="执法证培训",
            date=dt.date(YEAR, 3, 1),
            participants=12,
            passed=11,
            certificates=11,
        )
    view = selectors.project_view(imported[10])
    assert next(i.achieved for i in view.indicators if i.row.pk == training.pk) == 12
    # the project's own 预算执行率 (target 100) follows its spending
    rate = Indicator.objects.get(project=imported[10], level3="预算执行率")
    assert rate.figure_code == "project_execution_rate"
    Spending.objects.create(project=imported[10], date=dt.date(YEAR, 2, 1), amount=Decimal("0.75"), recorded_by="t")
    view = selectors.project_view(imported[10])
    item = next(i for i in view.indicators if i.row.pk == rate.pk)
    assert item.achieved == Decimal("25.00") and item.met is False


def test_score_follows_the_documented_rule(imported: list[Project]) -> None:
    project = imported[20]  # 应急演练, 10 万元: 4 output, 4 effect and 1 satisfaction indicators
    for indicator in project.indicators.all():
        services.indicator_update(
            actor=SYSTEM,
            indicator_id=indicator.pk,
            achieved_value=None,
            grade="achieved",
            deviation_reason="",
            figure_code="",
        )
    satisfaction = project.indicators.get(level1="满意度指标")
    services.indicator_update(
        actor=SYSTEM,
        indicator_id=satisfaction.pk,
        achieved_value=None,
        grade="partly",
        deviation_reason="部分群众不满意",
        figure_code="",
    )
    Spending.objects.create(project=project, date=dt.date(YEAR, 1, 10), amount=Decimal(5), recorded_by="t")
    score = selectors.project_view(project).score
    # execution 10 × 0.5 = 5; outputs 50; effects 30; satisfaction 10 × 0.6 = 6
    assert score.execution == 5 and score.groups == {"产出指标": 50, "效益指标": 30, "满意度指标": 6}
    assert score.total == 91 and score.rating == "优"
    with pytest.raises(InvalidInput) as refused:
        services.weights_update(
            actor=SYSTEM, project_id=project.pk, execution=20, output=50, effect=30, satisfaction=10
        )
    assert refused.value.code is ErrorCode.INVALID_WEIGHTS
    services.weights_update(actor=SYSTEM, project_id=project.pk, execution=20, output=40, effect=30, satisfaction=10)
    assert selectors.project_view(Project.objects.get(pk=project.pk)).score.total == Decimal(86)


def test_reports_open_and_carry_the_score(imported: list[Project]) -> None:
    view = selectors.project_view(imported[0])
    word = WordDocument(io.BytesIO(reports.project_docx(view)))
    text = "\n".join(cell.text for table in word.tables for row in table.rows for cell in row.cells)
    assert imported[0].name in text and "自评总分" in text
    sheet = load_workbook(io.BytesIO(reports.project_xlsx(view))).active
    assert sheet is not None and sheet["B1"].value == imported[0].name
    views = selectors.year_views(SYSTEM, YEAR)
    summary = load_workbook(io.BytesIO(reports.summary_xlsx(BudgetYear.objects.get(year=YEAR), views))).active
    assert summary is not None and summary.max_row == 27 and summary.cell(27, 4).value == pytest.approx(2171.73)


def test_the_xlsx_template_round_trips_a_year_into_the_next(imported: list[Project]) -> None:
    content = workbook.export(selectors.year_document(SYSTEM, YEAR))
    outcome = services.workbook_import(actor=SYSTEM, content=content, year=YEAR + 1, filename="next.xlsx")
    assert (outcome.projects, outcome.created, outcome.indicators) == (25, 25, 225)
    assert outcome.total_budget == Decimal("2171.73")
    again = services.workbook_import(actor=SYSTEM, content=content, year=YEAR, filename="same.xlsx")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 25)  # the same data as the statement
    this, following = (
        list(
            Indicator.objects.filter(project__budget_year__year=y)
            .order_by("project__number", "position")
            .values_list("level1", "level3", "target_text", "operator", "target_value", "figure_code")
        )
        for y in (YEAR, YEAR + 1)
    )
    assert this == following
    assert DepartmentGoal.objects.filter(budget_year__year=YEAR + 1).count() == 18


def test_a_bad_workbook_names_sheet_and_row_and_imports_nothing(park: SmallPark) -> None:
    book = load_workbook(io.BytesIO(workbook.export(selectors.year_document(SYSTEM, None))))
    book["项目"].append([1, "P-1", "试点项目", 10, 8, 1, "", "", "3月底25%；6月底50%；10月底75%；12月底100%"])
    book["指标"].append(["P-1", "产出指标", "数量指标", "次数", "", "≥若干", ""])
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(InvalidInput) as refused:
        services.workbook_import(actor=SYSTEM, content=out.getvalue(), year=YEAR, filename="bad.xlsx")
    messages = [p["message"] for p in refused.value.details["problems"]]
    assert any("不等于财政资金与其他资金之和" in m for m in messages)
    assert any("“指标值”无法解读" in m for m in messages)
    assert not Project.objects.exists()
    with pytest.raises(InvalidInput) as refused:
        services.workbook_import(actor=SYSTEM, content=b"not a zip", year=YEAR, filename="x.xlsx")
    assert refused.value.code is ErrorCode.INVALID_DOCUMENT and not BudgetYear.objects.exists()


@time_machine.travel(MID_JULY, tick=False)
def test_api_refusals_are_structured(imported: list[Project], api: Any) -> None:
    finance = api(Role.FINANCE)
    truncated = STATEMENT.read_text(encoding="utf-8")[:-1000]
    answer = finance.call("POST", f"/budget/years/{YEAR + 1}/import", {"document": truncated})
    assert answer.status_code == 422
    body = answer.json()
    assert body["code"] == "invalid_document" and body["details"]["problems"][0]["project"] == "智慧化应急平台"
    assert not BudgetYear.objects.filter(year=YEAR + 1).exists()
    project = imported[3]  # 2.00 万元
    over = finance.call("POST", f"/budget/projects/{project.pk}/spending", {"date": f"{YEAR}-07-01", "amount": "2.01"})
    assert over.status_code == 422 and over.json()["code"] == "over_budget" and "amount" in over.json()["details"]
    early = finance.call("POST", f"/budget/projects/{project.pk}/spending", {"date": f"{YEAR + 1}-01-02", "amount": 1})
    assert early.json()["code"] == "outside_budget_year" and "date" in early.json()["details"]
    detail = finance.call("POST", f"/budget/projects/{project.pk}/spending", {"date": f"{YEAR}-03-31", "amount": 0.5})
    assert detail.status_code == 201
    read = finance.call("GET", f"/budget/projects/{project.pk}").json()
    assert read["execution_rate"] == "0.25" and read["checkpoints"][0]["state"] == "met"
    assert read["checkpoints"][1]["state"] == "behind" and read["behind_schedule"] is True
    huge = finance.call("PUT", f"/budget/indicators/{read['indicators'][0]['id']}", {"achieved_value": "1e20"})
    assert huge.status_code == 422 and "achieved_value" in huge.json()["details"]


@time_machine.travel(MID_JULY, tick=False)
def test_a_reversed_entry_stays_on_record_and_stops_counting(imported: list[Project], park: SmallPark) -> None:
    finance, project = park.actor(Role.FINANCE), imported[3]  # 2.00 万元
    wrong = services.spending_record(actor=finance, project_id=project.pk, date=dt.date(YEAR, 3, 1), amount=Decimal(2))
    with pytest.raises(InvalidInput) as refused:
        services.spending_reverse(actor=finance, spending_id=wrong.pk, reason=" ")
    assert refused.value.code is ErrorCode.REASON_REQUIRED
    services.spending_reverse(actor=finance, spending_id=wrong.pk, reason="金额录错")
    view = selectors.project_view(project)
    assert view.spent == 0 and view.rate == 0
    assert [s.reversal_reason for s in selectors.spending(SYSTEM, project)] == ["金额录错"]
    with pytest.raises(Conflict):
        services.spending_reverse(actor=finance, spending_id=wrong.pk, reason="再次")
    services.spending_record(actor=finance, project_id=project.pk, date=dt.date(YEAR, 3, 1), amount=Decimal("0.5"))
    assert selectors.project_view(project).rate == Decimal("0.25")
    assert AuditEvent.objects.filter(object_type="budget_spending", action="update").count() == 1
