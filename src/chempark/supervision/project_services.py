"""Writes of 三同时 construction projects: registration and the decision on each stage (a pass moves
the project on, a return keeps it at its stage with the reasons). Same rules as
:mod:`chempark.supervision.services`."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from chempark.accounts import audit
from chempark.accounts.models import AuditAction
from chempark.core.actors import Actor
from chempark.core.errors import Conflict, ErrorCode
from chempark.core.selectors import one_visible
from chempark.supervision import selectors, workflow
from chempark.supervision.models import ConstructionProject, ProjectDecision
from chempark.supervision.services import enterprise_in_scope, refuse, required_text


def project_register(*, actor: Actor, enterprise_id: int, name: str, description: str = "") -> ConstructionProject:
    actor.require("project.manage")
    label = required_text(name, "name", "项目名称")
    with transaction.atomic():
        enterprise = enterprise_in_scope(actor, enterprise_id)
        project = ConstructionProject.objects.create(enterprise=enterprise, name=label, description=description.strip())
        audit.record(
            actor=actor,
            action=AuditAction.CREATE,
            object_type="construction_project",
            object_id=project.pk,
            after=audit.snapshot(project),
            enterprise_id=enterprise.pk,
            object_label=str(project),
        )
    return project


def project_decide(
    *,
    actor: Actor,
    project_id: int,
    action: str,
    passed: bool,
    decided_on: dt.date,
    documents: str = "",
    note: str = "",
) -> ConstructionProject:
    """The decision ``action`` on the project's current stage, dated, with its documents."""
    if decided_on > timezone.localdate():
        raise refuse("decided_on", "决定日期不能晚于今天。")
    if not passed and not note.strip():
        raise refuse("note", "不通过须写明意见。", code=ErrorCode.REASON_REQUIRED)
    with transaction.atomic():
        project = one_visible(selectors.projects(actor), project_id, "项目", for_update=True)
        try:
            step = workflow.PROJECT.transition(project.stage, action)
        except workflow.TransitionNotAllowed as exc:
            raise Conflict(
                f"当前阶段「{project.get_stage_display()}」不允许此操作。",
                code=ErrorCode.TRANSITION_NOT_ALLOWED,
                details={"stage": project.stage, "action": action, "allowed": list(exc.allowed)},
            ) from None
        actor.require(step.capability)
        before = audit.snapshot(project)
        ProjectDecision.objects.create(
            project=project,
            stage=project.stage,
            passed=passed,
            decided_on=decided_on,
            documents=documents.strip(),
            note=note.strip(),
            actor_username=actor.username,
        )
        if passed:
            project.stage = step.target
            project.save(update_fields=["stage"])
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            object_type="construction_project",
            object_id=project.pk,
            before=before,
            after={**audit.snapshot(project), "decision": action, "passed": passed, "documents": documents.strip()},
            enterprise_id=project.enterprise_id,
            object_label=str(project),
        )
    return project
