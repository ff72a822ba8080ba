"""The workbook import service: all rows are checked, then written in one transaction, or none are.

Rows go through the same registry services as a form or the API, so every rule (USCC check
character, enterprise scope, constraints) applies, and each change leaves its own audit row.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.db import close_old_connections, models, transaction
from django.db.models import Q
from django.utils import timezone

from chempark.accounts import audit
from chempark.accounts.models import AuditAction
from chempark.core.actors import Actor
from chempark.core.errors import DomainError, Forbidden
from chempark.park import services
from chempark.park.models import Chemical, Enterprise, ImportJob, ImportStatus, Inventory, Park, Tank, Unit
from chempark.park.workbook import CellError, ParsedRow, read_workbook

ProgressCallback = Callable[[int, int], None]


class _Rejected(Exception):
    """Raised inside the transaction to roll everything back once all rows have been tried."""


def _upsert(actor: Actor, kind: str, existing: models.Model | None, values: dict[str, Any]) -> models.Model:
    if existing is None:
        return services.registry_create(actor=actor, kind=kind, values=values)
    return services.registry_update(actor=actor, kind=kind, pk=existing.pk, values=values)


def _enterprise_row(actor: Actor, row: ParsedRow) -> None:
    values = dict(row.values)
    existing = Enterprise.objects.filter(uscc=values.get("uscc", "")).first()
    if existing is None:
        park = Park.objects.order_by("id").first()
        if park is None:
            raise DomainError("系统中还没有园区，不能新增企业。")
        values["park"] = park.pk
        values.setdefault("status", "operating")
    _upsert(actor, "enterprise", existing, values)


def _enterprise_for(uscc: str) -> Enterprise:
    enterprise = Enterprise.objects.filter(uscc=uscc).first()
    if enterprise is None:
        raise DomainError(f"统一社会信用代码 {uscc} 的企业不存在（也不在本文件的企业表中）。")
    return enterprise


def _unit_row(actor: Actor, row: ParsedRow) -> None:
    values = dict(row.values)
    enterprise = _enterprise_for(values.pop("enterprise_uscc"))
    values["enterprise"] = enterprise.pk
    existing = Unit.objects.filter(enterprise=enterprise, code=values["code"]).first()
    _upsert(actor, "unit", existing, values)


def _unit_for(values: dict[str, Any]) -> Unit:
    """The unit a row names by its enterprise's USCC and its unit code (both taken out of ``values``)."""
    enterprise = _enterprise_for(values.pop("enterprise_uscc"))
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
    unit = _unit_for(values)
    values["unit"] = unit.pk
    if "chemical" in values:
        values["chemical"] = _chemical_for(values["chemical"]).pk
    existing = Tank.objects.filter(unit=unit, code=values["code"]).first()
    _upsert(actor, "tank", existing, values)


def _inventory_row(actor: Actor, row: ParsedRow) -> None:
    values = dict(row.values)
    unit = _unit_for(values)
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
    return CellError(row.sheet, row.row, "-", exc.message)


def import_workbook(
    *, actor: Actor, content: bytes, filename: str = "", on_progress: ProgressCallback | None = None
) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """Import a registry workbook. Returns (errors, counts); with any error nothing is kept."""
    actor.require("registry.import")
    parsed = read_workbook(content)
    if parsed.errors:
        return [e.as_dict() for e in parsed.errors], {}
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
                    if on_progress is not None and (done % 50 == 0 or done == total):
                        on_progress(done, total)
            if errors:
                raise _Rejected
            audit.record(actor=actor, action=AuditAction.IMPORT, object_type="workbook", object_id=filename,
                         after={"rows": counts})
    except _Rejected:
        return [e.as_dict() for e in errors], {}
    return [], counts


def import_job_start(*, actor: Actor, job: ImportJob, content: bytes, background: bool = True) -> ImportJob:
    """Run an import for ``job``, recording progress on it; in a thread unless ``background`` is off."""

    def progress(done: int, total: int) -> None:
        ImportJob.objects.filter(pk=job.pk).update(processed_rows=done, total_rows=total)

    def run() -> None:
        try:
            ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING)
            try:
                errors, counts = import_workbook(actor=actor, content=content, filename=job.filename,
                                                 on_progress=progress)
            except DomainError as exc:
                errors, counts = [{"sheet": "-", "row": 0, "column": "-", "message": exc.message}], {}
            ImportJob.objects.filter(pk=job.pk).update(
                status=ImportStatus.FAILED if errors else ImportStatus.SUCCEEDED,
                errors=errors, summary=counts, finished_at=timezone.now(),
            )
        finally:
            if background:
                close_old_connections()

    if background:
        threading.Thread(target=run, name=f"import-{job.pk}", daemon=True).start()
    else:
        run()
    job.refresh_from_db()
    return job


def import_job_create(*, actor: Actor, filename: str) -> ImportJob:
    actor.require("registry.import")
    if actor.user_id is None:
        raise Forbidden("导入任务须由登录用户发起。")
    return ImportJob.objects.create(created_by_id=actor.user_id, filename=filename[:255])


