"""The workbook import: all rows are checked, then written in one transaction, or none are.

Rows go through the same registry services as a form or the API, so every rule (USCC check
character, enterprise scope, constraints) applies, and each change leaves its own audit row. An
upload is stored and imported by the job worker (``chempark worker``), never in the web process.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_noop

from chempark.accounts import audit
from chempark.accounts.models import AuditAction, User
from chempark.core.actors import Actor, actor_for_user
from chempark.core.errors import Conflict, DomainError, ErrorCode, Forbidden, InvalidInput
from chempark.core.jobs.context import JobContext
from chempark.core.jobs.queue import job_active_for, job_enqueue
from chempark.core.models import Job
from chempark.park import services
from chempark.park.models import (
    IMPORT_OBJECT,
    Chemical,
    Enterprise,
    ImportJob,
    ImportStatus,
    Inventory,
    Park,
    Tank,
    Unit,
)
from chempark.park.workbook import (
    SHEETS,
    CellError,
    ParsedRow,
    ParsedWorkbook,
    archive_problem,
    column_of,
    read_workbook,
)

ProgressCallback = Callable[[int, int, str], None]  # (done, total, what is being done)

MAX_REPORTED_ERRORS = 200  # a refused file lists this many errors and says how many more there are
PROGRESS_EVERY_ROWS = 25
# the stages a progress report names (stored as written; the page translates them)
READING = gettext_noop("读取工作簿")
WRITING = gettext_noop("写入数据")


class _Rejected(Exception):
    """Raised inside the transaction to roll everything back once all rows have been tried."""


def _upsert(actor: Actor, kind: str, existing: models.Model | None, values: dict[str, Any]) -> models.Model:
    if existing is None:
        return services.registry_create(actor=actor, kind=kind, values=values)
    return services.registry_update(actor=actor, kind=kind, pk=existing.pk, values=values)


NOT_YOURS = "不属于本企业"


def _not_yours(actor: Actor, enterprise: Enterprise) -> None:
    """An enterprise user's row naming another enterprise is refused with "not yours" and nothing
    else: neither that enterprise's name nor its ids, which the registry's own refusal would give."""
    if actor.is_enterprise_scoped and enterprise.pk != actor.enterprise_id:
        raise DomainError(f"统一社会信用代码 {enterprise.uscc} 的企业{NOT_YOURS}。")


def _enterprise_row(actor: Actor, row: ParsedRow) -> None:
    values = dict(row.values)
    existing = Enterprise.objects.filter(uscc=values.get("uscc", "")).first()
    if existing is not None:
        _not_yours(actor, existing)
    if existing is None:
        park = Park.objects.order_by("id").first()
        if park is None:
            raise DomainError("系统中还没有园区，不能新增企业。")
        values["park"] = park.pk
        values.setdefault("status", "operating")
    _upsert(actor, "enterprise", existing, values)


def _enterprise_for(actor: Actor, uscc: str) -> Enterprise:
    enterprise = Enterprise.objects.filter(uscc=uscc).first()
    if enterprise is None:
        raise DomainError(f"统一社会信用代码 {uscc} 的企业不存在（也不在本文件的企业表中）。")
    _not_yours(actor, enterprise)
    return enterprise


def _unit_row(actor: Actor, row: ParsedRow) -> None:
    values = dict(row.values)
    enterprise = _enterprise_for(actor, values.pop("enterprise_uscc"))
    values["enterprise"] = enterprise.pk
    existing = Unit.objects.filter(enterprise=enterprise, code=values["code"]).first()
    _upsert(actor, "unit", existing, values)


def _unit_for(actor: Actor, values: dict[str, Any]) -> Unit:
    """The unit a row names by its enterprise's USCC and its unit code (both taken out of ``values``)."""
    enterprise = _enterprise_for(actor, values.pop("enterprise_uscc"))
    unit_code = values.pop("unit_code")
    unit = Unit.objects.filter(enterprise=enterprise, code=unit_code).first()
    if unit is None:
        raise DomainError(f"企业 {enterprise.name} 没有单元编码为 {unit_code} 的单元。")
    return unit


def _chemical_for(reference: object) -> Chemical:
    text = str(reference).strip()
    chemical = Chemical.objects.filter(Q(cas=text) | Q(name_zh=text)).first()
    if chemical is None:
        raise DomainError(f"危险化学品目录中没有 {text}（请填 CAS 号或目录中的中文名称）。")
    return chemical


def _tank_row(actor: Actor, row: ParsedRow) -> None:
    values = dict(row.values)
    unit = _unit_for(actor, values)
    values["unit"] = unit.pk
    if "chemical" in values:
        values["chemical"] = _chemical_for(values["chemical"]).pk
    existing = Tank.objects.filter(unit=unit, code=values["code"]).first()
    _upsert(actor, "tank", existing, values)


def _inventory_row(actor: Actor, row: ParsedRow) -> None:
    values = dict(row.values)
    unit = _unit_for(actor, values)
    chemical = _chemical_for(values.pop("chemical"))
    existing = Inventory.objects.filter(unit=unit, chemical=chemical).first()
    _upsert(actor, "inventory", existing, {"unit": unit.pk, "chemical": chemical.pk, **values})


HANDLERS: dict[str, Callable[[Actor, ParsedRow], None]] = {
    "enterprise": _enterprise_row,
    "unit": _unit_row,
    "tank": _tank_row,
    "inventory": _inventory_row,
}


def _row_error(row: ParsedRow, exc: DomainError) -> CellError:
    """A service's refusal of a row, at the sheet's own Chinese heading when it names a field."""
    return CellError(row.sheet, row.row, column_of(SHEETS, row.sheet, exc.details), exc.message)


class ImportOutcome(NamedTuple):
    errors: list[dict[str, Any]]  # the first MAX_REPORTED_ERRORS
    counts: dict[str, int]  # rows written per sheet; empty when refused
    error_count: int  # all errors found


def _refused(errors: list[CellError], count: int) -> ImportOutcome:
    return ImportOutcome([e.as_dict() for e in errors[:MAX_REPORTED_ERRORS]], {}, count)


def _read(content: bytes, on_progress: ProgressCallback | None) -> ParsedWorkbook:
    def on_row(read: int, expected: int) -> None:
        if on_progress is not None:
            on_progress(read, expected, READING)

    return read_workbook(content, max_rows=settings.IMPORT_MAX_ROWS, max_errors=MAX_REPORTED_ERRORS, on_row=on_row)


def _write(actor: Actor, parsed: ParsedWorkbook, filename: str, on_progress: ProgressCallback | None) -> ImportOutcome:
    """Write every row through the registry services; with any error, roll all of them back."""
    total, done = parsed.total_rows, 0
    errors: list[CellError] = []
    counts: dict[str, int] = {}
    try:
        with transaction.atomic():
            for kind, handler in HANDLERS.items():  # enterprises first, so units (then tanks) can refer to new ones
                for row in parsed.rows.get(kind, []):
                    try:
                        with transaction.atomic():
                            handler(actor, row)
                    except DomainError as exc:
                        errors.append(_row_error(row, exc))
                    else:
                        counts[kind] = counts.get(kind, 0) + 1
                    done += 1
                    if on_progress is not None and (done % PROGRESS_EVERY_ROWS == 0 or done == total):
                        on_progress(done, total, WRITING)
            if errors:
                raise _Rejected
            audit.record(
                actor=actor,
                action=AuditAction.IMPORT,
                object_type="workbook",
                object_id=filename,
                after={"rows": counts},
            )
    except _Rejected:
        return _refused(errors, len(errors))
    return ImportOutcome([], counts, 0)


def import_workbook(
    *, actor: Actor, content: bytes, filename: str = "", on_progress: ProgressCallback | None = None
) -> ImportOutcome:
    """Import a registry workbook; with any error nothing is kept."""
    actor.require("registry.import")
    parsed = _read(content, on_progress)
    if parsed.errors:
        outcome = _refused(parsed.errors, parsed.error_count)
    else:
        outcome = _write(actor, parsed, filename, on_progress)
    if outcome.error_count:  # a refused import leaves its trace too (the rows it tried are rolled back)
        audit.record(
            actor=actor,
            action=AuditAction.IMPORT,
            object_type="workbook",
            object_id=filename,
            after={"refused": True, "errors": outcome.error_count},
        )
    return outcome


# --- the import as a background job ------------------------------------------------------------------

IMPORT_JOB = "park.import_workbook"


def _active(record: ImportJob) -> bool:
    return record.status in (ImportStatus.PENDING, ImportStatus.RUNNING) and job_active_for(IMPORT_OBJECT, record.pk)


def import_job_create(*, actor: Actor, filename: str, content: bytes) -> ImportJob:
    """Store an upload and queue its import; the request returns at once and the page polls the job.

    A file that is not a sane xlsx (not a zip, or a zip bomb) is refused here, before anything is
    stored or opened. An enterprise user has one import at a time (409 while the last one runs)."""
    actor.require("registry.import")
    if actor.user_id is None:
        raise Forbidden("导入任务须由登录用户发起。")
    problem = archive_problem(content)
    if problem is not None:
        raise InvalidInput(problem, code=ErrorCode.INVALID_WORKBOOK, details={"file": [problem]})
    with transaction.atomic():
        # one upload of a user at a time decides whether another import of theirs is still running
        User.objects.select_for_update().filter(pk=actor.user_id).first()
        mine = ImportJob.objects.filter(
            created_by_id=actor.user_id, status__in=(ImportStatus.PENDING, ImportStatus.RUNNING)
        ).defer("content")
        if actor.is_enterprise_scoped and any(_active(record) for record in mine):
            raise Conflict("您已有一个导入正在进行，请等它完成后再上传下一个文件。", code=ErrorCode.IMPORT_RUNNING)
        record = ImportJob.objects.create(created_by_id=actor.user_id, filename=filename[:255], content=content)
        job_enqueue(
            kind=IMPORT_JOB,
            arguments={"import_id": record.pk},
            enqueued_by_id=actor.user_id,
            object_type=IMPORT_OBJECT,
            object_id=record.pk,
        )
    return record


def _report(job: JobContext, done: int, total: int, message: str) -> None:
    job.progress(done, total, message)


def run_import_job(job: JobContext) -> None:
    """Read the stored upload (outside any transaction), then write its rows and the outcome in one
    transaction: the data and the "imported" mark land together or not at all, so a worker that
    dies after the commit leaves nothing to do twice."""
    record = ImportJob.objects.select_related("created_by").get(pk=job.arguments["import_id"])
    if record.status not in (ImportStatus.PENDING, ImportStatus.RUNNING):
        return
    ImportJob.objects.filter(pk=record.pk).update(status=ImportStatus.RUNNING)
    actor = actor_for_user(record.created_by)

    def progress(done: int, total: int, message: str) -> None:
        _report(job, done, total, message)

    outcome: ImportOutcome | None = None
    parsed = ParsedWorkbook()
    try:
        actor.require("registry.import")  # the uploader's role may have changed since
    except DomainError as exc:
        outcome = _refused([CellError("-", 0, "-", exc.message)], 1)
    else:
        parsed = _read(bytes(record.content), progress)
    with transaction.atomic():
        if outcome is None:
            outcome = (
                _refused(parsed.errors, parsed.error_count)
                if parsed.errors
                else _write(actor, parsed, record.filename, progress)
            )
        ImportJob.objects.filter(pk=record.pk).update(
            status=ImportStatus.FAILED if outcome.error_count else ImportStatus.SUCCEEDED,
            errors=outcome.errors,
            error_count=outcome.error_count,
            summary=outcome.counts,
            total_rows=parsed.total_rows,
            processed_rows=0 if outcome.error_count else parsed.total_rows,
            content=b"",
            finished_at=timezone.now(),
        )


def import_job_failed(job: Job, reason: str) -> None:
    """The job gave up (its attempts used up): the import says why; nothing of it was written."""
    error = CellError("-", 0, "-", f"导入未完成：{reason}")
    ImportJob.objects.filter(
        pk=job.arguments["import_id"], status__in=(ImportStatus.PENDING, ImportStatus.RUNNING)
    ).update(
        status=ImportStatus.FAILED, errors=[error.as_dict()], error_count=1, content=b"", finished_at=timezone.now()
    )
