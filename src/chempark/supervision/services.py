"""Writes of the hidden-danger closed loop: reporting, ordering rectification (五定), rectifying with
evidence photos, verification, close-out (销号) and escalation (督办).

Each service checks the capability and the enterprise scope, validates before it writes anything,
writes and appends its audit row (and, for a transition, its history row) in one transaction.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Sequence
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from PIL import Image, UnidentifiedImageError

from chempark.accounts import audit
from chempark.accounts.models import AuditAction
from chempark.core.actors import Actor
from chempark.core.errors import Conflict, ErrorCode, Forbidden, InvalidInput
from chempark.core.roles import Role
from chempark.park.models import Enterprise
from chempark.supervision import selectors, workflow
from chempark.supervision.models import (
    Campaign,
    DangerGrade,
    DangerSource,
    DangerTransition,
    Evidence,
    HiddenDanger,
    MajorDangerCriterion,
)

SERVICE_SOURCES = frozenset({DangerSource.STEWARD, DangerSource.EXPERT_CHECK})
"""What a service organisation's user may record: its own service's findings and expert checks."""
EVIDENCE_MAX_BYTES = 8 * 1024 * 1024
EVIDENCE_MAX_PER_DANGER = 12
EVIDENCE_MAX_PIXELS = 40_000_000
_IMAGE_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png"}


def refuse(field: str, message: str, code: ErrorCode = ErrorCode.VALIDATION_ERROR) -> InvalidInput:
    """A 422 naming ``field`` (in ``details``, as the schema errors do)."""
    return InvalidInput(message, details={field: [message]}, code=code)


def required_text(value: str, field: str, label: str) -> str:
    text = (value or "").strip()
    if not text:
        raise refuse(field, f"{label}不能为空。")
    return text


def enterprise_in_scope(actor: Actor, enterprise_id: int) -> Enterprise:
    """The enterprise an actor writes for: an enterprise user only its own."""
    if actor.is_enterprise_scoped and actor.enterprise_id != enterprise_id:
        raise Forbidden("只能为本企业登记。", code=ErrorCode.OTHER_ENTERPRISE)
    scope = selectors.service_enterprises(actor)
    if scope is not None and enterprise_id not in scope:
        raise Forbidden("只能为本机构服务的企业登记。", code=ErrorCode.OTHER_ENTERPRISE)
    enterprise = Enterprise.objects.filter(pk=enterprise_id).first()
    if enterprise is None:
        raise refuse("enterprise", "企业不存在。")
    return enterprise


def campaign_or_none(campaign_id: int | None) -> Campaign | None:
    if campaign_id is None:
        return None
    campaign = Campaign.objects.filter(pk=campaign_id).first()
    if campaign is None:
        raise refuse("campaign", "专项行动不存在。")
    return campaign


# --- Reporting -----------------------------------------------------------------------------------


def _criteria(grade: str, criteria: Sequence[int]) -> list[MajorDangerCriterion]:
    """A major hidden danger names the criteria it meets; a general one names none."""
    rows = list(MajorDangerCriterion.objects.filter(pk__in=list(criteria), active=True))
    if len(rows) != len(set(criteria)):
        raise refuse("criteria", "判定依据中有不存在或已停用的条款。")
    if grade == DangerGrade.MAJOR and not rows:
        raise refuse("criteria", "重大隐患须选择至少一条判定依据。")
    if grade == DangerGrade.GENERAL and rows:
        raise refuse("criteria", "一般隐患不选判定依据；符合判定条款的应定为重大隐患。")
    return rows


def danger_report(
    *,
    actor: Actor,
    enterprise_id: int,
    source: str,
    grade: str,
    description: str,
    found_on: dt.date,
    location: str = "",
    criteria: Sequence[int] = (),
    campaign_id: int | None = None,
    inspection_id: int | None = None,
) -> HiddenDanger:
    """Register a hidden danger found by an inspection, an expert, the 安全管家 service, the
    enterprise's own investigation or a public tip (status ``found``)."""
    actor.require("danger.report")
    text = required_text(description, "description", "隐患描述")
    if source not in DangerSource.values:
        raise refuse("source", "隐患来源不合法。")
    if grade not in DangerGrade.values:
        raise refuse("grade", "隐患等级不合法。")
    if found_on > timezone.localdate():
        raise refuse("found_on", "发现日期不能晚于今天。")
    with transaction.atomic():
        enterprise = enterprise_in_scope(actor, enterprise_id)
        if actor.role is Role.SERVICE_ORG and source not in SERVICE_SOURCES:
            raise refuse("source", "第三方服务机构登记的隐患来源须为安全管家服务或专家检查。")
        rows = _criteria(grade, criteria)
        danger = HiddenDanger.objects.create(
            enterprise=enterprise,
            source=source,
            grade=grade,
            description=text,
            location=location.strip(),
            found_on=found_on,
            found_by=actor.username,
            campaign=campaign_or_none(campaign_id),
            inspection_id=inspection_id,
        )
        danger.criteria.set(rows)
        DangerTransition.objects.create(
            danger=danger, action="report", to_status=workflow.DangerStatus.FOUND, actor_username=actor.username
        )
        audit.record(
            actor=actor,
            action=AuditAction.CREATE,
            object_type="hidden_danger",
            object_id=danger.pk,
            after={**audit.snapshot(danger), "criteria": [r.code for r in rows]},
            enterprise_id=enterprise.pk,
        )
    return danger


# --- Transitions ---------------------------------------------------------------------------------


def _move(
    actor: Actor,
    danger_id: int,
    action: str,
    *,
    note: str = "",
    check: Callable[[HiddenDanger], None] | None = None,
    apply: Callable[[HiddenDanger], None] | None = None,
) -> HiddenDanger:
    """One step of the closed loop: capability, scope, transition table, the step's own check and
    changes, the history row and the audit row, all in one transaction."""
    with transaction.atomic():
        danger = selectors.danger_get(actor, danger_id, for_update=True)
        try:
            step = workflow.HIDDEN_DANGER.transition(danger.status, action)
        except workflow.TransitionNotAllowed as exc:
            raise Conflict(
                f"当前状态「{danger.get_status_display()}」不允许此操作。",
                code=ErrorCode.TRANSITION_NOT_ALLOWED,
                details={"status": danger.status, "action": action, "allowed": list(exc.allowed)},
            ) from None
        actor.require(step.capability)
        if check is not None:
            check(danger)
        before = audit.snapshot(danger)
        if apply is not None:
            apply(danger)
        danger.status = step.target
        danger.save()
        DangerTransition.objects.create(
            danger=danger,
            action=action,
            from_status=before["status"],
            to_status=step.target,
            actor_username=actor.username,
            note=note.strip(),
        )
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            object_type="hidden_danger",
            object_id=danger.pk,
            before=before,
            after={**audit.snapshot(danger), "transition": action},
            enterprise_id=danger.enterprise_id,
        )
    return danger


def danger_order(
    *,
    actor: Actor,
    danger_id: int,
    plan: str,
    owner: str,
    deadline: dt.date,
    interim_measures: str,
    funds_yuan: Decimal | None = None,
) -> HiddenDanger:
    """下达整改 with the 五定: plan, funds, owner, deadline and interim control measures."""
    clean_plan = required_text(plan, "plan", "整改方案")
    clean_owner = required_text(owner, "owner", "整改负责人")
    clean_measures = required_text(interim_measures, "interim_measures", "临时管控措施")
    if funds_yuan is not None and funds_yuan < 0:
        raise refuse("funds_yuan", "整改资金不能为负数。")

    def check(danger: HiddenDanger) -> None:
        if deadline < danger.found_on:
            raise refuse("deadline", f"整改期限不能早于发现日期（{danger.found_on:%Y-%m-%d}）。")

    def apply(danger: HiddenDanger) -> None:
        danger.plan, danger.owner, danger.deadline = clean_plan, clean_owner, deadline
        danger.interim_measures, danger.funds_yuan = clean_measures, funds_yuan

    return _move(actor, danger_id, "order", check=check, apply=apply)


def danger_start(*, actor: Actor, danger_id: int, note: str = "") -> HiddenDanger:
    return _move(actor, danger_id, "start", note=note)


def danger_submit(*, actor: Actor, danger_id: int, note: str) -> HiddenDanger:
    """Submit the rectification for verification: at least one evidence photo is required."""
    text = required_text(note, "note", "整改情况")

    def check(danger: HiddenDanger) -> None:
        if not danger.evidence.exists():
            raise refuse("evidence", "提交复查须至少上传一张整改照片。", code=ErrorCode.EVIDENCE_REQUIRED)

    def apply(danger: HiddenDanger) -> None:
        danger.rectification_note = text

    return _move(actor, danger_id, "submit", note=text, check=check, apply=apply)


def danger_verify(*, actor: Actor, danger_id: int, passed: bool, note: str = "") -> HiddenDanger:
    """复查: a pass makes the danger verified, a fail (with its reason) returns it to rectifying."""
    text = note.strip()
    if not passed and not text:
        raise refuse("note", "复查不通过须写明理由。", code=ErrorCode.REASON_REQUIRED)

    def apply(danger: HiddenDanger) -> None:
        danger.verification_note = text

    return _move(actor, danger_id, "verify_pass" if passed else "verify_fail", note=text, apply=apply)


def danger_close_out(*, actor: Actor, danger_id: int, note: str = "") -> HiddenDanger:
    def apply(danger: HiddenDanger) -> None:
        danger.closed_at = timezone.now()

    return _move(actor, danger_id, "close_out", note=note, apply=apply)


# --- Evidence ------------------------------------------------------------------------------------


def image_type(content: bytes) -> str:
    """The MIME type of a JPEG or PNG photo, judged by decoding it (not by its name or header)."""
    try:
        with Image.open(io.BytesIO(content)) as image:
            kind = image.format or ""
            width, height = image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        kind, width, height = "", 0, 0
    if kind not in _IMAGE_TYPES:
        raise refuse("photo", "整改照片须为 JPEG 或 PNG 图片。", code=ErrorCode.BAD_IMAGE)
    if width * height > EVIDENCE_MAX_PIXELS:
        raise refuse("photo", "图片像素过多，请压缩后上传。", code=ErrorCode.BAD_IMAGE)
    return _IMAGE_TYPES[kind]


def evidence_add(*, actor: Actor, danger_id: int, content: bytes, caption: str = "") -> Evidence:
    """Attach a rectification photo while the danger is being rectified."""
    if not content:
        raise refuse("photo", "请选择整改照片。")
    if len(content) > EVIDENCE_MAX_BYTES:
        raise refuse(
            "photo", f"整改照片不能超过 {EVIDENCE_MAX_BYTES // (1024 * 1024)} MB。", code=ErrorCode.PAYLOAD_TOO_LARGE
        )
    mime = image_type(content)
    with transaction.atomic():
        danger = selectors.danger_get(actor, danger_id, for_update=True)
        actor.require("danger.rectify")
        if danger.status != workflow.DangerStatus.RECTIFYING:
            raise Conflict(
                "只有整改中的隐患可以上传整改照片。",
                code=ErrorCode.TRANSITION_NOT_ALLOWED,
                details={"status": danger.status, "allowed": list(workflow.HIDDEN_DANGER.allowed(danger.status))},
            )
        if danger.evidence.count() >= EVIDENCE_MAX_PER_DANGER:
            raise refuse("photo", f"每条隐患最多 {EVIDENCE_MAX_PER_DANGER} 张照片。")
        evidence = Evidence.objects.create(
            danger=danger,
            content=content,
            content_type=mime,
            size_bytes=len(content),
            caption=caption.strip()[:200],
            uploaded_by=actor.username,
        )
        audit.record(
            actor=actor,
            action=AuditAction.CREATE,
            object_type="danger_evidence",
            object_id=evidence.pk,
            after={"danger_id": danger.pk, "content_type": mime, "size_bytes": len(content), "caption": caption},
            enterprise_id=danger.enterprise_id,
            object_label=str(danger),
        )
    return evidence


# --- Escalation ----------------------------------------------------------------------------------


def danger_escalate(*, actor: Actor, danger_id: int, note: str = "") -> HiddenDanger:
    """督办: the bureau escalates an overdue rectification (once; the audit row keeps who and when)."""
    with transaction.atomic():
        danger = selectors.danger_get(actor, danger_id, for_update=True)
        actor.require("danger.manage")
        if not danger.overdue_on(timezone.localdate()):
            raise Conflict("只有逾期未完成整改的隐患可以督办。", details={"status": danger.status, "allowed": []})
        if danger.escalated_at is not None:
            raise Conflict("该隐患已督办。", details={"status": danger.status, "allowed": []})
        before = audit.snapshot(danger)
        danger.escalated_at = timezone.now()
        danger.save(update_fields=["escalated_at"])
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            object_type="hidden_danger",
            object_id=danger.pk,
            before=before,
            after={**audit.snapshot(danger), "escalation": note.strip()},
            enterprise_id=danger.enterprise_id,
        )
    return danger


def danger_mark_reminded(*, actor: Actor, danger_id: int, on: dt.date) -> None:
    """Record that a reminder went out today, so the daily run reminds once a day."""
    with transaction.atomic():
        danger = selectors.danger_get(actor, danger_id, for_update=True)
        if danger.reminded_on == on:
            return
        HiddenDanger.objects.filter(pk=danger.pk).update(reminded_on=on)
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            object_type="hidden_danger",
            object_id=danger.pk,
            before={"reminded_on": danger.reminded_on.isoformat() if danger.reminded_on else None},
            after={"reminded_on": on.isoformat()},
            enterprise_id=danger.enterprise_id,
            object_label=str(danger),
        )
