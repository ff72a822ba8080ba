"""Writes of budget performance: importing the statement, spending, indicator results and evidence,
the self-evaluation weights, training and education activities.

Each service checks the capability, validates, writes and appends its audit row in one transaction;
a refused request changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import PurePath
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from chempark.accounts import audit
from chempark.accounts.models import AuditAction
from chempark.budget import document, selectors, workbook
from chempark.budget.models import (
    Activity,
    ActivityKind,
    BudgetYear,
    DepartmentGoal,
    Evidence,
    Indicator,
    Project,
    Trainee,
)
from chempark.budget.models import Spending as SpendingRow
from chempark.core.actors import Actor
from chempark.core.errors import Conflict, ErrorCode, InvalidInput, NotFound

EARLIEST_YEAR, LATEST_YEAR = 2000, 2100
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
MAX_VALUE = Decimal(10) ** 10  # the columns hold 14 digits, 4 of them decimals
EVIDENCE_TYPES = {
    ".pdf": "application/pdf",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _too_precise(value: Decimal) -> bool:
    """More than 4 decimal places (万元 to the yuan). A finite Decimal's exponent is an int."""
    exponent = value.as_tuple().exponent
    return isinstance(exponent, int) and exponent < -4


def _field_error(field_name: str, message: str, code: ErrorCode = ErrorCode.VALIDATION_ERROR) -> InvalidInput:
    return InvalidInput(message, code=code, details={field_name: [message]})


def _project(pk: int) -> Project:
    project = Project.objects.select_for_update().select_related("budget_year").filter(pk=pk).first()
    if project is None:
        raise NotFound(f"预算项目 {pk} 不存在。")
    return project


# --- Import ---------------------------------------------------------------------------------------


@dataclass
class ImportOutcome:
    year: int
    projects: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    indicators: int = 0
    total_budget: Decimal = Decimal(0)
    not_in_document: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "projects": self.projects,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "indicators": self.indicators,
            "total_budget": str(self.total_budget),
            "not_in_document": self.not_in_document,
        }


def check_year(year: int) -> None:
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        raise _field_error("year", f"预算年度须在 {EARLIEST_YEAR}–{LATEST_YEAR} 之间。")


def _checked(read: Callable[[bytes], document.Document], data: bytes) -> document.Document:
    """The statement read, or a 422 listing every place it cannot interpret (nothing imported)."""
    try:
        parsed = read(data)
    except document.DocumentUnreadable as exc:
        raise InvalidInput(str(exc), code=ErrorCode.INVALID_DOCUMENT, details={"problems": [str(exc)]}) from None
    if parsed.problems:
        shown = "；".join(str(p) for p in parsed.problems[:5])
        more = f"等 {len(parsed.problems)} 处" if len(parsed.problems) > 5 else ""
        raise InvalidInput(
            f"文件中有无法解读的内容，未导入任何数据：{shown}{more}。",
            code=ErrorCode.INVALID_DOCUMENT,
            details={
                "problems": [{"line": p.line, "project": p.project, "message": p.message} for p in parsed.problems]
            },
        )
    return parsed


def document_import(*, actor: Actor, data: bytes, year: int, filename: str = "") -> ImportOutcome:
    """Import the statement's text export for ``year``. A project is keyed by its code within the
    year, an indicator by its row, so importing the same document again changes nothing; results
    already entered for an indicator are kept."""
    actor.require("budget.import")
    check_year(year)
    return _import(actor, _checked(document.parse, data), year, filename)


def workbook_import(*, actor: Actor, content: bytes, year: int, filename: str = "") -> ImportOutcome:
    """Import the xlsx template (``budget.workbook``) for ``year``, with the statement's rules."""
    actor.require("budget.import")
    check_year(year)
    return _import(actor, _checked(workbook.read, content), year, filename)


def _import(actor: Actor, parsed: document.Document, year: int, filename: str) -> ImportOutcome:
    outcome = ImportOutcome(year, projects=len(parsed.projects), total_budget=parsed.total_budget)
    with transaction.atomic():
        budget_year, created = BudgetYear.objects.select_for_update().get_or_create(year=year)
        changed = created | _set(
            budget_year, department_code=parsed.department_code, department_name=parsed.department_name
        )
        changed |= _goals(budget_year, parsed.goals)
        for table in parsed.projects:
            state = _import_project(budget_year, table)
            outcome.indicators += len(table.indicators)
            setattr(outcome, state, getattr(outcome, state) + 1)
        codes = {table.code for table in parsed.projects}
        outcome.not_in_document = list(
            budget_year.projects.exclude(code__in=codes).order_by("number").values_list("name", flat=True)
        )
        if changed or outcome.created or outcome.updated:
            budget_year.source_name = PurePath(filename).name[:200]
            budget_year.imported_at = timezone.now()
            budget_year.save()
        audit.record(
            actor=actor,
            action=AuditAction.IMPORT,
            object_type="budget_year",
            object_id=year,
            after={"filename": filename[:200], **outcome.as_dict()},
            object_label=f"{year} 年度预算绩效目标",
        )
    return outcome


def _set(instance: Any, **values: Any) -> bool:
    """Assign ``values`` that differ and save; whether anything changed."""
    changed = {name: value for name, value in values.items() if getattr(instance, name) != value}
    for name, value in changed.items():
        setattr(instance, name, value)
    if changed and instance.pk is not None:
        instance.save(update_fields=list(changed))
    return bool(changed)


def _goals(budget_year: BudgetYear, goals: list[document.DepartmentGoal]) -> bool:
    wanted = [(g.section, g.number, g.title, g.text) for g in goals]
    existing = list(budget_year.goals.order_by("position").values_list("section", "number", "title", "text"))
    if existing == wanted:
        return False
    budget_year.goals.all().delete()
    DepartmentGoal.objects.bulk_create(
        DepartmentGoal(budget_year=budget_year, position=i, section=s, number=n, title=t, text=x)
        for i, (s, n, t, x) in enumerate(wanted, start=1)
    )
    return True


def _plan(table: document.ProjectTable) -> list[dict[str, Any]]:
    return [{"month": c.month, "percent": str(c.percent)} for c in table.checkpoints]


def _import_project(budget_year: BudgetYear, table: document.ProjectTable) -> str:
    """Create or update one project and its indicators; "created", "updated" or "unchanged"."""
    values = {
        "number": table.number,
        "name": table.name,
        "budget": table.budget,
        "fiscal_funds": table.fiscal_funds,
        "other_funds": table.other_funds,
        "purpose": table.purpose,
        "goals": table.goals,
        "checkpoints": _plan(table),
    }
    project = Project.objects.filter(budget_year=budget_year, code=table.code).first()
    if project is None:
        project = Project.objects.create(budget_year=budget_year, code=table.code, **values)
        state = "created"
    else:
        state = "updated" if _set(project, **values) else "unchanged"
    existing = {row.position: row for row in project.indicators.all()}
    for position, row in enumerate(table.indicators, start=1):
        target = row.comparable
        indicator_values = {
            "level1": row.level1,
            "level2": row.level2,
            "level3": row.level3,
            "description": row.description,
            "target_text": row.target,
            "basis": row.basis,
            "operator": target.operator.value if target else "",
            "target_value": target.value if target else None,
            "target_unit": target.unit if target else "",
        }
        indicator = existing.pop(position, None)
        if indicator is None:
            figure = selectors.figure_named(row.level3)
            Indicator.objects.create(
                project=project,
                position=position,
                line=row.line,  # where the row was first read; not a difference between sources
                figure_code=figure.code if figure else "",
                **indicator_values,
            )
            state = "updated" if state == "unchanged" else state
        elif _set(indicator, **indicator_values):
            state = "updated" if state == "unchanged" else state
    if existing:
        Indicator.objects.filter(pk__in=[row.pk for row in existing.values()]).delete()
        state = "updated" if state == "unchanged" else state
    return state


# --- Execution ------------------------------------------------------------------------------------


def spent_of(project: Project) -> Decimal:
    total: Decimal = project.spending.filter(reversed_at__isnull=True).aggregate(total=Sum("amount"))["total"]
    return total or Decimal(0)


def spending_record(
    *, actor: Actor, project_id: int, date: dt.date, amount: Decimal, voucher: str = "", note: str = ""
) -> SpendingRow:
    """Record a payment against a project. Refused: a non-positive amount, a date outside the budget
    year or after today, more than the budget left."""
    actor.require("budget.spend")
    if not amount.is_finite() or amount <= 0:
        raise _field_error("amount", "金额须大于 0。")
    if _too_precise(amount):
        raise _field_error("amount", "金额最多保留 4 位小数（万元，即精确到元）。")
    with transaction.atomic():
        project = _project(project_id)
        year = project.budget_year.year
        if date.year != year:
            raise _field_error(
                "date", f"支出日期须在 {year} 年度内（{year}-01-01 至 {year}-12-31）。", ErrorCode.OUTSIDE_BUDGET_YEAR
            )
        if date > timezone.localdate():
            raise _field_error("date", "支出日期不能晚于今天。")
        remaining = project.budget - spent_of(project)
        if amount > remaining:
            raise _field_error(
                "amount",
                f"金额 {amount} 万元超出项目“{project.name}”的剩余预算 {remaining.normalize():f} 万元。",
                ErrorCode.OVER_BUDGET,
            )
        row = SpendingRow.objects.create(
            project=project, date=date, amount=amount, voucher=voucher, note=note, recorded_by=actor.username
        )
        audit.record(
            actor=actor,
            action=AuditAction.CREATE,
            object_type="budget_spending",
            object_id=row.pk,
            after=audit.snapshot(row),
            object_label=f"{project.name} 支出 {amount} 万元",
        )
    return row


def spending_reverse(*, actor: Actor, spending_id: int, reason: str) -> SpendingRow:
    """Reverse (冲销) a wrong entry: it stays on record, with who and why, and stops counting."""
    actor.require("budget.spend")
    if not reason.strip():
        raise _field_error("reason", "请填写冲销原因。", ErrorCode.REASON_REQUIRED)
    with transaction.atomic():
        row = SpendingRow.objects.select_for_update().select_related("project").filter(pk=spending_id).first()
        if row is None:
            raise NotFound(f"支出记录 {spending_id} 不存在。")
        if row.reversed_at is not None:
            raise Conflict("这笔支出已经冲销。")
        before = audit.snapshot(row)
        row.reversed_at, row.reversed_by, row.reversal_reason = timezone.now(), actor.username, reason.strip()
        audit.save_changes(actor=actor, instance=row, before=before, object_type="budget_spending", enterprise_id=None)
    return row


# --- Evaluation -----------------------------------------------------------------------------------


def indicator_update(
    *,
    actor: Actor,
    indicator_id: int,
    achieved_value: Decimal | None,
    grade: str,
    deviation_reason: str,
    figure_code: str,
) -> Indicator:
    """Enter an indicator's result by hand, or bind it to a platform figure (``figure_code``)."""
    actor.require("budget.evaluate")
    if figure_code and selectors.figure_of(figure_code) is None:
        raise _field_error("figure_code", f"没有这项平台数据：{figure_code}")
    if achieved_value is not None and (
        not achieved_value.is_finite() or abs(achieved_value) >= MAX_VALUE or _too_precise(achieved_value)
    ):
        raise _field_error("achieved_value", "实际完成值须为绝对值小于 10¹⁰、最多 4 位小数的数字。")
    with transaction.atomic():
        indicator = Indicator.objects.select_for_update().filter(pk=indicator_id).first()
        if indicator is None:
            raise NotFound(f"绩效指标 {indicator_id} 不存在。")
        before = audit.snapshot(indicator)
        indicator.achieved_value = achieved_value
        indicator.grade = grade
        indicator.deviation_reason = deviation_reason
        indicator.figure_code = figure_code
        audit.save_changes(
            actor=actor, instance=indicator, before=before, object_type="budget_indicator", enterprise_id=None
        )
    return indicator


def evidence_attach(*, actor: Actor, indicator_id: int, filename: str, content: bytes) -> Evidence:
    """Attach a file backing an indicator's result: PDF, image, Word or Excel, at most 10 MiB."""
    actor.require("budget.evaluate")
    name = PurePath(filename or "").name[:200]
    content_type = EVIDENCE_TYPES.get(PurePath(name).suffix.lower())
    if not name or content_type is None:
        raise _field_error("file", "佐证材料须为 PDF、JPG、PNG、DOCX 或 XLSX 文件。")
    if not content:
        raise _field_error("file", "佐证材料为空文件。")
    if len(content) > EVIDENCE_MAX_BYTES:
        raise _field_error("file", "佐证材料不能超过 10 MB。")
    with transaction.atomic():
        indicator = Indicator.objects.select_for_update().filter(pk=indicator_id).first()
        if indicator is None:
            raise NotFound(f"绩效指标 {indicator_id} 不存在。")
        row = Evidence.objects.create(
            indicator=indicator,
            filename=name,
            content_type=content_type,
            content=content,
            size=len(content),
            uploaded_by=actor.username,
        )
        audit.record(
            actor=actor,
            action=AuditAction.CREATE,
            object_type="budget_evidence",
            object_id=row.pk,
            after={"indicator_id": indicator.pk, "filename": name, "size": len(content)},
            object_label=f"{indicator.level3}：{name}",
        )
    return row


def weights_update(
    *, actor: Actor, project_id: int, execution: int, output: int, effect: int, satisfaction: int
) -> Project:
    """Set a project's self-evaluation weights; they must add up to 100."""
    actor.require("budget.evaluate")
    if execution + output + effect + satisfaction != 100:
        raise InvalidInput(
            "四项权重之和须为 100。",
            code=ErrorCode.INVALID_WEIGHTS,
            details={"weights": [f"当前之和为 {execution + output + effect + satisfaction}"]},
        )
    with transaction.atomic():
        project = _project(project_id)
        before = audit.snapshot(project)
        project.weight_execution, project.weight_output = execution, output
        project.weight_effect, project.weight_satisfaction = effect, satisfaction
        audit.save_changes(
            actor=actor, instance=project, before=before, object_type="budget_project", enterprise_id=None
        )
    return project


# --- Training and activities ----------------------------------------------------------------------


def activity_create(
    *,
    actor: Actor,
    kind: str,
    topic: str,
    date: dt.date,
    participants: int,
    organizer: str = "",
    passed: int | None = None,
    certificates: int = 0,
    note: str = "",
) -> Activity:
    """Record a training session or an education activity."""
    actor.require("training.write")
    if kind not in ActivityKind.values:
        raise _field_error("kind", "类别须为培训、安全生产月活动或警示教育。")
    if not topic.strip():
        raise _field_error("topic", "主题不能为空。")
    if passed is not None and passed > participants:
        raise _field_error("passed", "考核合格人数不能大于参加人数。")
    if certificates > (passed if passed is not None else participants):
        raise _field_error("certificates", "发证数不能大于考核合格人数（或参加人数）。")
    if kind != ActivityKind.TRAINING and (passed is not None or certificates):
        raise _field_error("passed", "只有培训有考核与发证。")
    if date > timezone.localdate():
        raise _field_error("date", "日期不能晚于今天。")
    with transaction.atomic():
        row = Activity.objects.create(
            kind=kind,
            topic=topic.strip(),
            date=date,
            organizer=organizer,
            participants=participants,
            passed=passed,
            certificates=certificates,
            note=note,
            recorded_by=actor.username,
        )
        audit.record(
            actor=actor,
            action=AuditAction.CREATE,
            object_type="budget_activity",
            object_id=row.pk,
            after=audit.snapshot(row),
        )
    return row


def trainee_add(
    *,
    actor: Actor,
    activity_id: int,
    name: str,
    organization: str = "",
    passed: bool | None = None,
    certificate_no: str = "",
) -> Trainee:
    """Add a person to a training session's name list; the session's counts follow the list."""
    actor.require("training.write")
    if not name.strip():
        raise _field_error("name", "姓名不能为空。")
    if certificate_no and passed is not True:
        raise _field_error("certificate_no", "只有考核合格的人员才能发证。")
    with transaction.atomic():
        activity = Activity.objects.select_for_update().filter(pk=activity_id).first()
        if activity is None:
            raise NotFound(f"活动 {activity_id} 不存在。")
        if activity.kind != ActivityKind.TRAINING:
            raise _field_error("activity", "只有培训有参训人员名单。")
        row = Trainee.objects.create(
            activity=activity,
            name=name.strip(),
            organization=organization,
            passed=passed,
            certificate_no=certificate_no,
        )
        trainees = activity.trainees.all()
        activity.participants = trainees.count()
        examined = trainees.exclude(passed=None)
        activity.passed = examined.filter(passed=True).count() if examined.exists() else None
        activity.certificates = trainees.exclude(certificate_no="").count()
        activity.save(update_fields=["participants", "passed", "certificates"])
        audit.record(
            actor=actor,
            action=AuditAction.CREATE,
            object_type="budget_trainee",
            object_id=row.pk,
            after={**audit.snapshot(row), "activity": activity.topic},
        )
    return row
