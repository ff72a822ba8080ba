"""Writes of special operations: an enterprise's filing (报备), the work permits its system sends
(machine token), and the bureau's online spot checks. Same rules as
:mod:`chempark.supervision.services`."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from chempark.accounts import audit
from chempark.accounts.models import AuditAction
from chempark.core.actors import Actor
from chempark.core.errors import ErrorCode, Forbidden
from chempark.supervision import selectors
from chempark.supervision.models import (
    OperationGrade,
    OperationKind,
    SpecialOperation,
    SpotCheck,
    WorkPermit,
)
from chempark.supervision.operation_checks import HOT_WORK, HOT_WORK_LIMITS
from chempark.supervision.services import enterprise_in_scope, refuse, required_text


def _validated(kind: str, grade: str, starts: dt.datetime, ends: dt.datetime, ends_field: str) -> None:
    if kind not in OperationKind.values:
        raise refuse("kind", "作业类别不合法。")
    if grade not in OperationGrade.values:
        raise refuse("grade", "作业级别不合法。")
    if kind == HOT_WORK and grade not in HOT_WORK_LIMITS:
        raise refuse("grade", "动火作业须为特级、一级或二级。")
    if ends <= starts:
        raise refuse(ends_field, "结束时间须晚于开始时间。")


def operation_file(
    *,
    actor: Actor,
    enterprise_id: int,
    kind: str,
    grade: str,
    place: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    permit_number: str,
    guardian: str,
) -> SpecialOperation:
    """报备: the enterprise files an operation before it starts (a window over the standard's limit is
    accepted and flagged by the checks, so the bureau sees it)."""
    actor.require("operation.file")
    where = required_text(place, "place", "作业地点")
    number = required_text(permit_number, "permit_number", "作业票编号")
    who = required_text(guardian, "guardian", "监护人")
    _validated(kind, grade, starts_at, ends_at, "ends_at")
    with transaction.atomic():
        enterprise = enterprise_in_scope(actor, enterprise_id)
        if SpecialOperation.objects.filter(enterprise=enterprise, permit_number=number).exists():
            raise refuse("permit_number", f"作业票编号 {number} 已报备。")
        row = SpecialOperation.objects.create(
            enterprise=enterprise,
            kind=kind,
            grade=grade,
            place=where,
            starts_at=starts_at,
            ends_at=ends_at,
            permit_number=number,
            guardian=who,
            filed_by=actor.username,
        )
        audit.record(
            actor=actor,
            action=AuditAction.CREATE,
            object_type="special_operation",
            object_id=row.pk,
            after=audit.snapshot(row),
            enterprise_id=enterprise.pk,
        )
    return row


def permit_receive(
    *,
    actor: Actor,
    permit_number: str,
    kind: str,
    grade: str,
    place: str,
    valid_from: dt.datetime,
    valid_to: dt.datetime,
    issuer: str = "",
) -> WorkPermit:
    """A work permit from an enterprise's system (its machine token): stored, or updated when the same
    number arrives again (a permit's validity may be corrected before the work starts)."""
    actor.require("ingest.write")
    if actor.enterprise_id is None:
        raise Forbidden("设备令牌未绑定企业。", code=ErrorCode.MACHINE_WITHOUT_ENTERPRISE)
    number = required_text(permit_number, "permit_number", "作业票编号")
    where = required_text(place, "place", "作业地点")
    _validated(kind, grade, valid_from, valid_to, "valid_to")
    values = {
        "kind": kind,
        "grade": grade,
        "place": where,
        "valid_from": valid_from,
        "valid_to": valid_to,
        "issuer": issuer.strip(),
    }
    with transaction.atomic():
        existing = (
            WorkPermit.objects.select_for_update()
            .filter(enterprise_id=actor.enterprise_id, permit_number=number)
            .first()
        )
        before = audit.snapshot(existing) if existing is not None else None
        if existing is None:
            row = WorkPermit.objects.create(enterprise_id=actor.enterprise_id, permit_number=number, **values)
        else:
            row = existing
            for name, value in values.items():
                setattr(row, name, value)
            row.save()
        audit.record(
            actor=actor,
            action=AuditAction.CREATE if before is None else AuditAction.UPDATE,
            object_type="work_permit",
            object_id=row.pk,
            before=before,
            after=audit.snapshot(row),
            enterprise_id=actor.enterprise_id,
        )
    return row


def spot_check(*, actor: Actor, operation_id: int, compliant: bool, note: str = "") -> SpotCheck:
    """在线抽查: the bureau records the result of checking a filed operation (a finding needs its note)."""
    if not compliant and not note.strip():
        raise refuse("note", "不符合要求须写明抽查情况。", code=ErrorCode.REASON_REQUIRED)
    with transaction.atomic():
        operation = selectors.operation_get(actor, operation_id)
        actor.require("operation.check")
        row = SpotCheck.objects.create(
            operation=operation, compliant=compliant, note=note.strip(), checked_by=actor.username
        )
        audit.record(
            actor=actor,
            action=AuditAction.CREATE,
            object_type="operation_spot_check",
            object_id=row.pk,
            after={"operation_id": operation.pk, "compliant": compliant, "note": row.note},
            enterprise_id=operation.enterprise_id,
            object_label=str(operation),
        )
    return row
