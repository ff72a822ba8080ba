"""Writes of plans, drills, the calendar and public warnings.

Each service checks the capability and the enterprise scope, validates, writes and appends its audit
row in one transaction, so a refused request changes nothing. Public warnings follow an explicit
state machine (:data:`WARNING_TRANSITIONS`); each publication appends a CAP message that is
validated against the OASIS schema before it is stored.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from chempark import config
from chempark.accounts import audit
from chempark.accounts.models import AuditAction
from chempark.core.actors import Actor
from chempark.core.errors import Conflict, ErrorCode, Forbidden, InvalidInput
from chempark.hazards.models import MajorHazard
from chempark.park.models import Chemical, Enterprise
from chempark.plans import cap, selectors, text
from chempark.plans.models import (
    CalendarDay,
    CapMessage,
    Drill,
    ImprovementAction,
    MsgType,
    Plan,
    PlanVersion,
    PublicWarning,
    WarningStatus,
)

CAP_SENDER = "yjj.chempark"


def cap_incident_id(incident_id: int) -> str:
    """The identifier by which a CAP message names the incident it is about (``<incidents>``)."""
    return f"{CAP_SENDER}-incident-{incident_id}"


MAX_DOCUMENT_BYTES = 20 * 1024 * 1024


def _dates_in_order(earlier: dt.date | None, later: dt.date | None, field: str, message: str) -> None:
    if earlier is not None and later is not None and later < earlier:
        raise InvalidInput(message, code=ErrorCode.DATES_OUT_OF_ORDER, details={"field": field})


def _not_future(day: dt.date | None, field: str, label: str) -> None:
    if day is not None and day > timezone.localdate():
        raise InvalidInput(f"{label}不能晚于今天。", code=ErrorCode.DATES_OUT_OF_ORDER, details={"field": field})


def _enterprise_for(actor: Actor, enterprise_id: int | None) -> Enterprise | None:
    """The enterprise a new plan or drill belongs to: an enterprise user only its own; the bureau's
    own rows have none."""
    if actor.is_enterprise_scoped and enterprise_id != actor.enterprise_id:
        raise Forbidden("只能为本企业登记。", code=ErrorCode.OTHER_ENTERPRISE)
    if enterprise_id is None:
        return None
    enterprise = Enterprise.objects.filter(pk=enterprise_id).first()
    if enterprise is None:
        raise InvalidInput("企业不存在。", code=ErrorCode.INVALID_ENTERPRISE, details={"field": "enterprise"})
    return enterprise


# --- Calendar ------------------------------------------------------------------------------------


@transaction.atomic
def calendar_day_set(*, actor: Actor, date: dt.date, kind: str, name: str = "") -> CalendarDay:
    actor.require("calendar.manage")
    day, created = CalendarDay.objects.update_or_create(date=date, defaults={"kind": kind, "name": name})
    audit.record(
        actor=actor,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        object_type="calendar_day",
        object_id=day.pk,
        after=audit.snapshot(day),
        object_label=str(day),
    )
    return day


@transaction.atomic
def calendar_day_delete(*, actor: Actor, date: dt.date) -> None:
    actor.require("calendar.manage")
    day = CalendarDay.objects.filter(date=date).first()
    if day is None:
        raise InvalidInput(f"{date} 不在节假日安排中。", details={"field": "date"})
    before = audit.snapshot(day)
    day.delete()
    audit.record(
        actor=actor, action=AuditAction.DELETE, object_type="calendar_day", before=before, object_label=str(day)
    )


# --- Plans ---------------------------------------------------------------------------------------


def _refresh_search_text(plan: Plan) -> None:
    current = plan.versions.order_by("-uploaded_at", "-id").values_list("text", flat=True).first() or ""
    plan.search_text = text.index_words(f"{plan.title}\n{current}")


def _links(plan: Plan, chemicals: list[int] | None, major_hazards: list[int] | None) -> None:
    if chemicals is not None:
        found = list(Chemical.objects.filter(pk__in=chemicals))
        if len(found) != len(set(chemicals)):
            raise InvalidInput("涉及化学品中有不存在的化学品。", details={"field": "chemicals"})
        plan.chemicals.set(found)
    if major_hazards is not None:
        hazards = list(MajorHazard.objects.filter(pk__in=major_hazards))
        if len(hazards) != len(set(major_hazards)) or any(h.enterprise_id != plan.enterprise_id for h in hazards):
            raise InvalidInput("涉及重大危险源须是本企业的重大危险源。", details={"field": "major_hazards"})
        plan.major_hazards.set(hazards)


def _plan_snapshot(plan: Plan) -> dict[str, Any]:
    data = audit.snapshot(plan)
    data.pop("search_text", None)
    data["chemicals"] = sorted(plan.chemicals.values_list("pk", flat=True))
    data["major_hazards"] = sorted(plan.major_hazards.values_list("pk", flat=True))
    return data


def _check_plan_dates(plan: Plan) -> None:
    _not_future(plan.published_on, "published_on", "发布日期")
    _dates_in_order(plan.published_on, plan.filed_on, "filed_on", "备案日期不能早于发布日期。")
    _dates_in_order(plan.published_on, plan.evaluated_on, "evaluated_on", "评估日期不能早于发布日期。")
    if plan.filed_on is not None and plan.published_on is None:
        raise InvalidInput("未发布的预案不能备案。", code=ErrorCode.DATES_OUT_OF_ORDER, details={"field": "filed_on"})


@transaction.atomic
def plan_create(
    *,
    actor: Actor,
    kind: str,
    title: str,
    enterprise: int | None = None,
    incident_types: list[str] | None = None,
    chemicals: list[int] | None = None,
    major_hazards: list[int] | None = None,
    published_on: dt.date | None = None,
) -> Plan:
    actor.require("plan.write")
    owner = _enterprise_for(actor, enterprise)
    plan = Plan(
        enterprise=owner, kind=kind, title=title, incident_types=incident_types or [], published_on=published_on
    )
    _check_plan_dates(plan)
    plan.search_text = text.index_words(title)
    plan.save()
    _links(plan, chemicals, major_hazards)
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        object_type="plan",
        object_id=plan.pk,
        after=_plan_snapshot(plan),
        enterprise_id=plan.enterprise_id,
        object_label=plan.title,
    )
    return plan


@transaction.atomic
def plan_update(*, actor: Actor, pk: int, **values: Any) -> Plan:
    """Change a plan's title, kind, links or publication date (filing and evaluation have their own
    services, which say who did them)."""
    actor.require("plan.write")
    plan = selectors.plan_get(actor, pk, for_update=True)
    before = _plan_snapshot(plan)
    chemicals, major_hazards = values.pop("chemicals", None), values.pop("major_hazards", None)
    for name, value in values.items():
        setattr(plan, name, value if name != "incident_types" else value or [])
    _check_plan_dates(plan)
    _refresh_search_text(plan)
    plan.save()
    _links(plan, chemicals, major_hazards)
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        object_type="plan",
        object_id=plan.pk,
        before=before,
        after=_plan_snapshot(plan),
        enterprise_id=plan.enterprise_id,
        object_label=plan.title,
    )
    return plan


@transaction.atomic
def plan_file(*, actor: Actor, pk: int, filed_on: dt.date, filing_number: str) -> Plan:
    """Record that the bureau accepted the plan's filing (备案), on ``filed_on``."""
    actor.require("plan.file")
    plan = selectors.plan_get(actor, pk, for_update=True)
    before = _plan_snapshot(plan)
    plan.filed_on, plan.filing_number = filed_on, filing_number.strip()
    if not plan.filing_number:
        raise InvalidInput("请填写备案编号。", details={"field": "filing_number"})
    _not_future(filed_on, "filed_on", "备案日期")
    _check_plan_dates(plan)
    return _save_dated(actor, plan, before, ["filed_on", "filing_number"], "plan_filing")


@transaction.atomic
def plan_evaluate(*, actor: Actor, pk: int, evaluated_on: dt.date, conclusion: str = "") -> Plan:
    """Record the plan's evaluation (评估, every 3 years): the next one falls due 3 years later."""
    actor.require("plan.write")
    plan = selectors.plan_get(actor, pk, for_update=True)
    before = _plan_snapshot(plan)
    plan.evaluated_on, plan.evaluation_conclusion = evaluated_on, conclusion
    _not_future(evaluated_on, "evaluated_on", "评估日期")
    _check_plan_dates(plan)
    return _save_dated(actor, plan, before, ["evaluated_on", "evaluation_conclusion"], "plan_evaluation")


def _save_dated(actor: Actor, plan: Plan, before: dict[str, Any], fields: list[str], object_type: str) -> Plan:
    """Save a filing or an evaluation of ``plan`` with its audit row (in the caller's transaction)."""
    plan.save(update_fields=fields)
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        object_type=object_type,
        object_id=plan.pk,
        before=before,
        after=_plan_snapshot(plan),
        enterprise_id=plan.enterprise_id,
        object_label=plan.title,
    )
    return plan


@dataclass(frozen=True)
class Review:
    """The expert review record of a version (专家评审)."""

    reviewed_on: dt.date | None = None
    experts: str = ""
    conclusion: str = ""


def _document_limit() -> int:
    return min(MAX_DOCUMENT_BYTES, config.current().upload_max_bytes)


@transaction.atomic
def plan_version_add(
    *, actor: Actor, plan_id: int, version: str, file_name: str, content: bytes, review: Review | None = None
) -> PlanVersion:
    """A new document of the plan: its kind checked by content (PDF or DOCX), its text extracted for
    search."""
    actor.require("plan.write")
    plan = selectors.plan_get(actor, plan_id, for_update=True)
    review = review or Review()
    if not content:
        raise InvalidInput("上传的文件为空。", code=ErrorCode.BAD_DOCUMENT, details={"field": "file"})
    if len(content) > _document_limit():
        raise InvalidInput(
            f"文件过大（{len(content)} 字节，上限 {_document_limit()} 字节）。",
            code=ErrorCode.BAD_DOCUMENT,
            details={"field": "file"},
        )
    try:
        kind = text.sniff(content)
        body = text.document_text(content, kind)
    except text.UnreadableFile as exc:
        raise InvalidInput(str(exc), code=ErrorCode.BAD_DOCUMENT, details={"field": "file"}) from None
    if plan.versions.filter(version=version).exists():
        raise InvalidInput(f"版本号 {version} 已存在。", details={"field": "version"})
    _dates_in_order(review.reviewed_on, plan.published_on, "reviewed_on", "评审日期不能晚于发布日期。")
    _not_future(review.reviewed_on, "reviewed_on", "评审日期")
    row = PlanVersion.objects.create(
        plan=plan,
        version=version,
        file_name=file_name[-200:],
        content_type=text.CONTENT_TYPES[kind],
        content=content,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        text=body,
        reviewed_on=review.reviewed_on,
        review_experts=review.experts,
        review_conclusion=review.conclusion,
        uploaded_by=actor.username,
    )
    _refresh_search_text(plan)
    plan.save(update_fields=["search_text"])
    after = audit.snapshot(row)
    for bulky in ("content", "text"):
        after.pop(bulky)
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        object_type="plan_version",
        object_id=row.pk,
        after=after,
        enterprise_id=plan.enterprise_id,
        object_label=str(row),
    )
    return row


# --- Drills --------------------------------------------------------------------------------------


def _drill_plan(actor: Actor, plan_id: int | None, enterprise_id: int | None) -> Plan | None:
    if plan_id is None:
        return None
    plan = selectors.plan_get(actor, plan_id)
    if plan.enterprise_id != enterprise_id:
        raise InvalidInput("演练预案须是同一单位的预案。", details={"field": "plan"})
    return plan


def _check_drill(drill: Drill) -> None:
    _not_future(drill.done_on, "done_on", "实施日期")
    if drill.plan is not None and drill.plan.kind != drill.kind:
        raise InvalidInput("演练类别须与所演练预案的类别一致。", details={"field": "kind"})


@transaction.atomic
def drill_create(
    *,
    actor: Actor,
    title: str,
    kind: str,
    form: str,
    planned_on: dt.date,
    enterprise: int | None = None,
    plan: int | None = None,
    done_on: dt.date | None = None,
    participants: str = "",
    participant_count: int = 0,
    evaluation: str = "",
) -> Drill:
    actor.require("plan.write")
    owner = _enterprise_for(actor, enterprise)
    drill = Drill(
        enterprise=owner,
        plan=_drill_plan(actor, plan, enterprise),
        title=title,
        kind=kind,
        form=form,
        planned_on=planned_on,
        done_on=done_on,
        participants=participants,
        participant_count=participant_count,
        evaluation=evaluation,
    )
    _check_drill(drill)
    drill.save()
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        object_type="drill",
        object_id=drill.pk,
        after=audit.snapshot(drill),
        enterprise_id=drill.enterprise_id,
        object_label=drill.title,
    )
    return drill


@transaction.atomic
def drill_record(
    *, actor: Actor, pk: int, done_on: dt.date, participants: str = "", participant_count: int = 0, evaluation: str = ""
) -> Drill:
    """Record that a planned drill took place, who took part and how it went."""
    actor.require("plan.write")
    drill = selectors.drill_get(actor, pk, for_update=True)
    before = audit.snapshot(drill)
    drill.done_on, drill.participants = done_on, participants
    drill.participant_count, drill.evaluation = participant_count, evaluation
    _check_drill(drill)
    drill.save()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        object_type="drill",
        object_id=drill.pk,
        before=before,
        after=audit.snapshot(drill),
        enterprise_id=drill.enterprise_id,
        object_label=drill.title,
    )
    return drill


@transaction.atomic
def action_add(
    *, actor: Actor, drill_id: int, problem: str, action: str, owner: str, deadline: dt.date
) -> ImprovementAction:
    actor.require("plan.write")
    drill = selectors.drill_get(actor, drill_id, for_update=True)
    if drill.done_on is None:
        raise Conflict("演练尚未实施，不能登记发现的问题。", code=ErrorCode.CONFLICT)
    _dates_in_order(drill.done_on, deadline, "deadline", "整改期限不能早于演练日期。")
    row = ImprovementAction.objects.create(drill=drill, problem=problem, action=action, owner=owner, deadline=deadline)
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        object_type="drill_action",
        object_id=row.pk,
        after=audit.snapshot(row),
        enterprise_id=drill.enterprise_id,
        object_label=str(row),
    )
    return row


@transaction.atomic
def action_complete(*, actor: Actor, pk: int, completed_on: dt.date) -> ImprovementAction:
    actor.require("plan.write")
    row = selectors.action_get(actor, pk, for_update=True)
    if row.completed_on is not None:
        raise Conflict("该整改措施已完成。")
    _not_future(completed_on, "completed_on", "完成日期")
    _dates_in_order(row.drill.done_on, completed_on, "completed_on", "完成日期不能早于演练日期。")
    before = audit.snapshot(row)
    row.completed_on = completed_on
    row.save(update_fields=["completed_on"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        object_type="drill_action",
        object_id=row.pk,
        before=before,
        after=audit.snapshot(row),
        enterprise_id=row.drill.enterprise_id,
        object_label=str(row),
    )
    return row


# --- Public warnings ------------------------------------------------------------------------------

# action → (statuses it may start from, status it leads to)
WARNING_TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "publish": (frozenset({WarningStatus.DRAFT}), WarningStatus.ISSUED),
    "update": (frozenset({WarningStatus.ISSUED}), WarningStatus.ISSUED),
    "cancel": (frozenset({WarningStatus.ISSUED}), WarningStatus.CANCELLED),
    "edit": (frozenset({WarningStatus.DRAFT}), WarningStatus.DRAFT),
}


def warning_actions(status: str) -> list[str]:
    return [action for action, (sources, _target) in WARNING_TRANSITIONS.items() if status in sources]


def _transition(warning: PublicWarning, action: str) -> str:
    sources, target = WARNING_TRANSITIONS[action]
    if warning.status not in sources:
        raise Conflict(
            f"当前状态（{warning.get_status_display()}）不能执行该操作。",
            code=ErrorCode.TRANSITION_NOT_ALLOWED,
            details={"status": warning.status, "allowed": warning_actions(warning.status)},
        )
    return target


def area_polygons(area: Any) -> tuple[cap.Ring, ...]:
    """The CAP polygons of a GeoJSON area, or the 422 that names the area."""
    if area in (None, {}, ""):
        raise InvalidInput(
            "预警必须有区域：请在地图上绘制或给出 GeoJSON 多边形。",
            code=ErrorCode.INVALID_AREA,
            details={"field": "area"},
        )
    try:
        return cap.polygons_from_geojson(area)
    except cap.CapError as exc:
        raise InvalidInput(str(exc), code=ErrorCode.INVALID_AREA, details={"field": "area"}) from None


WARNING_FIELDS = (
    "event",
    "headline",
    "description",
    "instruction",
    "response_type",
    "urgency",
    "severity",
    "certainty",
    "area_desc",
    "area",
    "expires",
)


def _check_warning(warning: PublicWarning) -> None:
    area_polygons(warning.area)
    if warning.expires is not None and timezone.is_naive(warning.expires):  # a time without offset is the park's
        warning.expires = timezone.make_aware(warning.expires)
    if warning.expires is not None and warning.expires <= timezone.now():
        raise InvalidInput("失效时间须晚于现在。", code=ErrorCode.DATES_OUT_OF_ORDER, details={"field": "expires"})


def _audit_warning(actor: Actor, warning: PublicWarning, action: AuditAction, before: dict[str, Any] | None) -> None:
    audit.record(
        actor=actor,
        action=action,
        object_type="public_warning",
        object_id=warning.pk,
        before=before,
        after=audit.snapshot(warning),
        object_label=warning.headline,
    )


@transaction.atomic
def warning_create(*, actor: Actor, incident_id: int | None = None, **values: Any) -> PublicWarning:
    """A draft warning; nothing is sent until it is published. ``incident_id`` links it to the
    incident it warns about (checked by the caller, the incident's own service)."""
    actor.require("warning.issue")
    warning = PublicWarning(
        created_by=actor.username, incident_id=incident_id, **{k: values[k] for k in WARNING_FIELDS if k in values}
    )
    _check_warning(warning)
    warning.save()
    _audit_warning(actor, warning, AuditAction.CREATE, None)
    return warning


def _alert(warning: PublicWarning, msg_type: str, sent: dt.datetime, note: str = "") -> cap.Alert:
    earlier = selectors.warning_messages(warning)
    local = timezone.localtime(sent)
    return cap.Alert(
        identifier=f"{CAP_SENDER}-{warning.pk}-{len(earlier) + 1}",
        sender=CAP_SENDER,
        sent=local,
        msg_type=msg_type,
        note=note,
        references=tuple(cap.Reference(CAP_SENDER, m.identifier, timezone.localtime(m.sent)) for m in earlier),
        incidents=(cap_incident_id(warning.incident_id),) if warning.incident_id is not None else (),
        categories=("CBRNE", "Safety"),
        event=warning.event,
        response_types=(warning.response_type,) if msg_type != MsgType.CANCEL else ("AllClear",),
        urgency=warning.urgency,
        severity=warning.severity,
        certainty=warning.certainty,
        expires=timezone.localtime(warning.expires) if warning.expires else None,
        sender_name="应急管理局",
        headline=warning.headline,
        description=warning.description,
        instruction=warning.instruction,
        area_desc=warning.area_desc,
        polygons=area_polygons(warning.area),
    )


def _send(actor: Actor, warning: PublicWarning, msg_type: str, note: str = "") -> CapMessage:
    sent = timezone.now().replace(microsecond=0)
    alert = _alert(warning, msg_type, sent, note)
    document = cap.to_xml(alert)
    problems = cap.validate(document)
    if problems:  # our own writer's fault, never the user's: refuse rather than send invalid CAP
        raise InvalidInput("生成的 CAP 消息未通过 CAP 1.2 模式校验。", details={"problems": problems})
    return CapMessage.objects.create(
        warning=warning,
        identifier=alert.identifier,
        msg_type=msg_type,
        sent=sent,
        xml=document,
        sent_by=actor.username,
    )


@transaction.atomic
def warning_publish(*, actor: Actor, pk: int) -> CapMessage:
    actor.require("warning.issue")
    warning = selectors.warning_get(actor, pk, for_update=True)
    before = audit.snapshot(warning)
    warning.status = _transition(warning, "publish")
    _check_warning(warning)
    message = _send(actor, warning, MsgType.ALERT)
    warning.save(update_fields=["status"])
    _audit_warning(actor, warning, AuditAction.UPDATE, before)
    return message


@transaction.atomic
def warning_edit(*, actor: Actor, pk: int, **values: Any) -> PublicWarning:
    """Change a draft (an issued warning changes only by an update message)."""
    actor.require("warning.issue")
    warning = selectors.warning_get(actor, pk, for_update=True)
    _transition(warning, "edit")
    before = audit.snapshot(warning)
    for name in WARNING_FIELDS:
        if name in values:
            setattr(warning, name, values[name])
    _check_warning(warning)
    warning.save()
    _audit_warning(actor, warning, AuditAction.UPDATE, before)
    return warning


@transaction.atomic
def warning_update(*, actor: Actor, pk: int, **values: Any) -> CapMessage:
    """Change an issued warning and send a CAP ``Update`` referencing every earlier message."""
    actor.require("warning.issue")
    warning = selectors.warning_get(actor, pk, for_update=True)
    before = audit.snapshot(warning)
    warning.status = _transition(warning, "update")
    for name in WARNING_FIELDS:
        if name in values:
            setattr(warning, name, values[name])
    _check_warning(warning)
    message = _send(actor, warning, MsgType.UPDATE)
    warning.save()
    _audit_warning(actor, warning, AuditAction.UPDATE, before)
    return message


@transaction.atomic
def warning_cancel(*, actor: Actor, pk: int, note: str = "") -> CapMessage:
    """Lift an issued warning: a CAP ``Cancel`` referencing every earlier message."""
    actor.require("warning.issue")
    warning = selectors.warning_get(actor, pk, for_update=True)
    before = audit.snapshot(warning)
    warning.status = _transition(warning, "cancel")
    message = _send(actor, warning, MsgType.CANCEL, note or "预警解除")
    warning.save(update_fields=["status"])
    _audit_warning(actor, warning, AuditAction.UPDATE, before)
    return message


@transaction.atomic
def warning_issue_for_zone(
    *,
    actor: Actor,
    zone: dict[str, Any],
    event: str,
    headline: str,
    area_desc: str,
    response_type: str = "Shelter",
    urgency: str = "Immediate",
    severity: str = "Severe",
    certainty: str = "Likely",
    instruction: str = "",
    description: str = "",
    incident_id: int | None = None,
) -> CapMessage:
    """Compose and publish a warning for a threat zone (a GeoJSON polygon, e.g. an incident's zone
    from the accident simulation) in one step; ``incident_id`` names the incident it is about."""
    warning = warning_create(
        actor=actor,
        incident_id=incident_id,
        event=event,
        headline=headline,
        area_desc=area_desc,
        area=zone,
        response_type=response_type,
        urgency=urgency,
        severity=severity,
        certainty=certainty,
        instruction=instruction,
        description=description,
    )
    return warning_publish(actor=actor, pk=warning.pk)
