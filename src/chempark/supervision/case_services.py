"""Writes of enforcement cases (行政处罚): filing and moving through the legal stages. Same rules as
:mod:`chempark.supervision.services`."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from chempark.accounts import audit
from chempark.accounts.models import AuditAction
from chempark.core.actors import Actor
from chempark.core.errors import Conflict, ErrorCode
from chempark.supervision import selectors, services, workflow
from chempark.supervision.models import CaseTransition, DocumentTemplate, EnforcementCase, ViolationKind
from chempark.supervision.services import refuse, required_text


def case_file(
    *,
    actor: Actor,
    number: str,
    enterprise_id: int,
    violation_kind: str,
    violation: str,
    filed_on: dt.date,
    handler: str,
    legal_basis: str = "",
    inspection_id: int | None = None,
) -> EnforcementCase:
    """立案: open a case with its number and the facts found."""
    actor.require("enforcement.manage")
    clean_number = required_text(number, "number", "案件编号")
    facts = required_text(violation, "violation", "违法事实")
    who = required_text(handler, "handler", "承办人")
    if violation_kind not in ViolationKind.values:
        raise refuse("violation_kind", "违法类型不合法。")
    if filed_on > timezone.localdate():
        raise refuse("filed_on", "立案日期不能晚于今天。")
    if EnforcementCase.objects.filter(number=clean_number).exists():
        raise refuse("number", f"案件编号 {clean_number} 已被使用。")
    with transaction.atomic():
        enterprise = services.enterprise_in_scope(actor, enterprise_id)
        case = EnforcementCase.objects.create(
            number=clean_number,
            enterprise=enterprise,
            inspection_id=inspection_id,
            violation_kind=violation_kind,
            violation=facts,
            legal_basis=legal_basis.strip(),
            filed_on=filed_on,
            handler=who,
        )
        CaseTransition.objects.create(
            case=case, action="file", to_stage=workflow.CaseStage.FILED, on=filed_on, actor_username=actor.username
        )
        audit.record(
            actor=actor,
            action=AuditAction.CREATE,
            object_type="enforcement_case",
            object_id=case.pk,
            after=audit.snapshot(case),
            enterprise_id=enterprise.pk,
        )
    return case


def case_advance(
    *,
    actor: Actor,
    case_id: int,
    action: str,
    on: dt.date,
    note: str = "",
    legal_basis: str | None = None,
    penalty_yuan: Decimal | None = None,
) -> EnforcementCase:
    """Move a case to its next stage on date ``on``; the decision (``to_decided``) records the legal
    basis and the penalty."""
    actor.require("enforcement.manage")
    if on > timezone.localdate():
        raise refuse("on", "日期不能晚于今天。")
    with transaction.atomic():
        case = selectors.case_get(actor, case_id, for_update=True)
        try:
            step = workflow.ENFORCEMENT_CASE.transition(case.stage, action)
        except workflow.TransitionNotAllowed as exc:
            raise Conflict(
                f"当前阶段「{case.get_stage_display()}」不允许此操作。",
                code=ErrorCode.TRANSITION_NOT_ALLOWED,
                details={"stage": case.stage, "action": action, "allowed": list(exc.allowed)},
            ) from None
        actor.require(step.capability)
        last = case.transitions.order_by("-on", "-id").first()
        if last is not None and on < last.on:
            raise refuse("on", f"日期不能早于上一阶段（{last.on:%Y-%m-%d}）。")
        before = audit.snapshot(case)
        if step.target == workflow.CaseStage.DECIDED:
            case.legal_basis = required_text(legal_basis or case.legal_basis, "legal_basis", "处罚依据")
            if penalty_yuan is None or penalty_yuan < 0:
                raise refuse("penalty_yuan", "作出决定须填写罚款金额（不罚款填 0）。")
            case.penalty_yuan = penalty_yuan
        case.stage = step.target
        case.save()
        CaseTransition.objects.create(
            case=case,
            action=action,
            from_stage=before["stage"],
            to_stage=step.target,
            on=on,
            actor_username=actor.username,
            note=note.strip(),
        )
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            object_type="enforcement_case",
            object_id=case.pk,
            before=before,
            after={**audit.snapshot(case), "transition": action, "on": on.isoformat()},
            enterprise_id=case.enterprise_id,
        )
    return case


def template_update(*, actor: Actor, kind: str, title: str, body: str) -> DocumentTemplate:
    """Change a document template's text (its placeholders are checked when a document is made)."""
    actor.require("enforcement.manage")
    clean_title = required_text(title, "title", "标题")
    clean_body = required_text(body, "body", "正文")
    with transaction.atomic():
        template = DocumentTemplate.objects.select_for_update().filter(kind=kind).first()
        if template is None:
            raise refuse("kind", "没有这种文书。")
        before = audit.snapshot(template)
        template.title, template.body = clean_title, clean_body
        template.save()
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            object_type="document_template",
            object_id=template.pk,
            before=before,
            after=audit.snapshot(template),
            object_label=clean_title,
        )
    return template
