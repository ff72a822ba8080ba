"""Writes of the major hazard registry: recomputing units, the filing workflow, safety assessments,
level-change notices, responsible persons, duty checks and daily commitments.

Each service checks the capability and the enterprise scope, validates, writes and appends its audit
row in one transaction. Recomputation is also called by the park registry's services, inside their
transaction, so an inventory change and the snapshot it causes commit together.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from chempark.accounts import audit
from chempark.accounts.models import AuditAction
from chempark.core.actors import Actor
from chempark.core.errors import Conflict, ErrorCode, Forbidden, InvalidInput
from chempark.hazards import selectors, workflow
from chempark.hazards.identification import InventoryInput, assess
from chempark.hazards.listeners import major_hazards_changed
from chempark.hazards.models import (
    AssessmentReason,
    DutyCheck,
    Guarantor,
    GuarantorRole,
    HazardStatus,
    HazardTransition,
    LevelChange,
    MajorHazard,
    SafetyCommitment,
    UnitAssessment,
)
from chempark.hazards.settings import commitment_deadline
from chempark.park.models import Inventory, Unit

SAFETY_ASSESSMENT_YEARS = 3
_Q6 = Decimal("0.000001")  # stored S and R: 6 decimals (the exact values are in the result JSON)
_CHEMICAL_INPUTS = ("cas", "name_zh", "ghs_categories", "gb18218_categories", "boiling_point_k")


# --- Recomputation -------------------------------------------------------------------------------


def _inputs(unit: Unit) -> list[InventoryInput]:
    rows = Inventory.objects.filter(unit=unit).select_related("chemical").order_by("chemical_id", "id")
    return [
        InventoryInput(
            inventory_id=row.pk,
            chemical_id=row.chemical_id,
            chemical_name=row.chemical.name_zh,
            cas=row.chemical.cas or None,
            design_max_t=row.design_max_t,
            explicit_categories=tuple(row.chemical.gb18218_categories or ()),
            ghs_classes=tuple(row.chemical.ghs_categories or ()),
            boiling_point_k=row.chemical.boiling_point_k,
            mass_fraction=row.mass_fraction,
        )
        for row in rows
    ]


def _same(latest: UnitAssessment, outcome: Any) -> bool:
    return (latest.holdings, latest.unclassified, latest.population_500m, latest.result) == (
        outcome.holdings,
        outcome.unclassified,
        outcome.population_500m,
        outcome.result,
    )


def _reassess(actor: Actor, unit: Unit, reason: str) -> UnitAssessment | None:
    """Compute the unit now; store a snapshot when inputs or result changed, and follow up on the
    unit's major hazard record. Returns the unit's latest snapshot (None for a unit never assessed
    that holds nothing)."""
    items = _inputs(unit)
    latest = UnitAssessment.objects.filter(unit=unit).order_by("-computed_at", "-id").first()
    if latest is None and not items:
        return None
    outcome = assess(items, unit.enterprise.population_500m)
    if latest is not None and _same(latest, outcome):
        return latest
    result = outcome.assessment
    snapshot = UnitAssessment.objects.create(
        unit=unit,
        enterprise_id=unit.enterprise_id,
        actor_username=actor.username,
        reason=reason,
        table_version=result.table_version,
        population_500m=outcome.population_500m,
        population_reported=outcome.population_reported,
        holdings=outcome.holdings,
        unclassified=outcome.unclassified,
        result=outcome.result,
        s=result.s.quantize(_Q6),
        is_major=result.is_major,
        r=result.r.quantize(_Q6) if result.r is not None else None,
        level=result.level,
        alpha=result.alpha,
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        object_type="unit_assessment",
        object_id=snapshot.pk,
        after={
            "unit_id": unit.pk,
            "s": str(snapshot.s),
            "r": str(snapshot.r),
            "level": snapshot.level,
            "reason": reason,
        },
        enterprise_id=unit.enterprise_id,
    )
    _follow_up(actor, unit, snapshot)
    return snapshot


def _follow_up(actor: Actor, unit: Unit, snapshot: UnitAssessment) -> None:
    """Open a major hazard record when the unit first reaches S ≥ 1; otherwise update the open record and
    raise a level change to the bureau when S or the level moved."""
    hazard = MajorHazard.objects.select_for_update().filter(unit=unit).exclude(status=HazardStatus.CANCELLED).first()
    if hazard is None:
        if not snapshot.is_major:
            return
        hazard = MajorHazard.objects.create(
            unit=unit,
            enterprise_id=unit.enterprise_id,
            assessment=snapshot,
            s=snapshot.s,
            r=snapshot.r,
            level=snapshot.level,
            name=f"{unit.enterprise.name}{unit.name}",
        )
        HazardTransition.objects.create(
            hazard=hazard,
            action="identify",
            from_status="",
            to_status=HazardStatus.IDENTIFIED,
            actor_username=actor.username,
            reason=f"S = {snapshot.result.get('S')}",
        )
        audit.record(
            actor=actor,
            action=AuditAction.CREATE,
            object_type="major_hazard",
            object_id=hazard.pk,
            after=audit.snapshot(hazard),
            enterprise_id=unit.enterprise_id,
        )
        major_hazards_changed(unit.enterprise_id)
        return
    before_snapshot = hazard.assessment
    if (before_snapshot.s, before_snapshot.level) != (snapshot.s, snapshot.level):
        LevelChange.objects.create(
            hazard=hazard,
            before=before_snapshot,
            after=snapshot,
            old_s=before_snapshot.s,
            new_s=snapshot.s,
            old_level=before_snapshot.level,
            new_level=snapshot.level,
        )
    before = audit.snapshot(hazard)
    hazard.assessment, hazard.s, hazard.r, hazard.level = snapshot, snapshot.s, snapshot.r, snapshot.level
    hazard.still_major = snapshot.is_major
    hazard.save()
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        object_type="major_hazard",
        object_id=hazard.pk,
        before=before,
        after=audit.snapshot(hazard),
        enterprise_id=unit.enterprise_id,
    )
    if before["level"] != hazard.level:
        major_hazards_changed(unit.enterprise_id)


_REASONS = {
    "inventory": AssessmentReason.INVENTORY,
    "unit": AssessmentReason.UNIT,
    "enterprise": AssessmentReason.ENTERPRISE,
    "chemical": AssessmentReason.CHEMICAL,
}


def _units_touched(kind: str, before: dict[str, Any] | None, after: dict[str, Any] | None) -> list[int]:
    old, new = before or {}, after or {}
    if kind == "inventory":
        return sorted({v for v in (old.get("unit_id"), new.get("unit_id")) if v is not None})
    if kind == "unit" and after is not None:
        return [new["id"]]
    if (
        kind == "enterprise"
        and before is not None
        and after is not None
        and old.get("population_500m") != new.get("population_500m")
    ):
        return list(Unit.objects.filter(enterprise_id=new["id"]).values_list("id", flat=True))
    if (
        kind == "chemical"
        and before is not None
        and after is not None
        and any(old.get(name) != new.get(name) for name in _CHEMICAL_INPUTS)
    ):
        return list(Inventory.objects.filter(chemical_id=new["id"]).values_list("unit_id", flat=True).distinct())
    return []


def reassess_after_registry_change(
    *, actor: Actor, kind: str, before: dict[str, Any] | None, after: dict[str, Any] | None
) -> None:
    """Recompute every unit a registry change touches. Subscribed to the park registry hook, so the
    park services call it inside their transaction, after checking the actor's right to the change."""
    reason = _REASONS.get(kind)
    if reason is None:
        return
    for unit in Unit.objects.filter(pk__in=_units_touched(kind, before, after)).select_related("enterprise"):
        _reassess(actor, unit, reason)


def unit_reassess(*, actor: Actor, unit_id: int) -> UnitAssessment | None:
    """Recompute one unit on request (for example after the tables were revised)."""
    actor.require("hazard.submit")
    with transaction.atomic():
        unit = selectors.unit_get(actor, unit_id, for_update=True)
        return _reassess(actor, unit, AssessmentReason.MANUAL)


# --- Workflow ------------------------------------------------------------------------------------


def _transition(
    actor: Actor, hazard_id: int, action: workflow.Action, *, reason: str = "", apply: Any = None
) -> MajorHazard:
    transition = workflow.TRANSITIONS[action]
    actor.require(transition.capability)
    with transaction.atomic():
        hazard = selectors.major_hazard_get(actor, hazard_id, for_update=True)
        previous = workflow.Status(hazard.status_before_request) if hazard.status_before_request else None
        try:
            new_status = workflow.next_status(workflow.Status(hazard.status), action, previous=previous, reason=reason)
        except workflow.TransitionNotAllowed as exc:
            allowed = [a.value for a in exc.allowed]
            raise Conflict(
                f"当前状态“{hazard.get_status_display()}”不允许执行 {action.value}；"
                f"允许的操作：{', '.join(allowed) or '无'}",
                code=ErrorCode.TRANSITION_NOT_ALLOWED,
                details={"status": hazard.status, "action": action.value, "allowed": allowed},
            ) from exc
        except workflow.ReasonRequired as exc:
            raise InvalidInput(
                "此操作须填写理由。", code=ErrorCode.REASON_REQUIRED, details={"reason": ["此操作须填写理由。"]}
            ) from exc
        before = audit.snapshot(hazard)
        if apply is not None:
            apply(hazard)
        old_status = hazard.status
        if action is workflow.Action.REQUEST_CANCELLATION:
            hazard.status_before_request = old_status
        elif action in (workflow.Action.APPROVE_CANCELLATION, workflow.Action.REJECT_CANCELLATION):
            hazard.status_before_request = ""
        hazard.status = new_status.value
        hazard.save()
        HazardTransition.objects.create(
            hazard=hazard,
            action=action.value,
            from_status=old_status,
            to_status=new_status.value,
            actor_username=actor.username,
            reason=reason.strip(),
        )
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            object_type="major_hazard",
            object_id=hazard.pk,
            before=before,
            after=audit.snapshot(hazard),
            enterprise_id=hazard.enterprise_id,
        )
        if new_status is workflow.Status.CANCELLED:
            major_hazards_changed(hazard.enterprise_id)
    return hazard


def _required_text(value: str, field: str, label: str) -> str:
    text = (value or "").strip()
    if not text:
        raise InvalidInput(f"{label}不能为空。", details={field: [f"{label}不能为空。"]})
    return text


def major_hazard_register(
    *, actor: Actor, hazard_id: int, name: str, process_description: str = "", safety_measures: str = ""
) -> MajorHazard:
    """登记建档: the enterprise records the registration data (identified → registered)."""
    clean_name = _required_text(name, "name", "重大危险源名称")

    def apply(hazard: MajorHazard) -> None:
        hazard.name, hazard.process_description = clean_name, process_description.strip()
        hazard.safety_measures, hazard.registered_at = safety_measures.strip(), timezone.now()

    return _transition(actor, hazard_id, workflow.Action.REGISTER, apply=apply)


def major_hazard_submit_filing(*, actor: Actor, hazard_id: int) -> MajorHazard:
    """备案: the enterprise submits the filing to the bureau (registered → filing_submitted)."""

    def apply(hazard: MajorHazard) -> None:
        hazard.filing_submitted_at = timezone.now()

    return _transition(actor, hazard_id, workflow.Action.SUBMIT_FILING, apply=apply)


def major_hazard_approve_filing(*, actor: Actor, hazard_id: int, filing_number: str, filed_on: dt.date) -> MajorHazard:
    """The bureau accepts the filing and gives it a number and date (filing_submitted → filed)."""
    number = _required_text(filing_number, "filing_number", "备案编号")
    if filed_on > timezone.localdate():
        raise InvalidInput("备案日期不能晚于今天。", details={"filed_on": ["备案日期不能晚于今天。"]})
    if MajorHazard.objects.filter(filing_number=number).exclude(pk=hazard_id).exists():
        raise InvalidInput(f"备案编号 {number} 已被使用。", details={"filing_number": ["备案编号已被使用。"]})

    def apply(hazard: MajorHazard) -> None:
        hazard.filing_number, hazard.filed_on = number, filed_on

    return _transition(actor, hazard_id, workflow.Action.APPROVE_FILING, apply=apply)


def major_hazard_return_filing(*, actor: Actor, hazard_id: int, reason: str) -> MajorHazard:
    """The bureau returns the filing with a reason (filing_submitted → registered)."""
    return _transition(actor, hazard_id, workflow.Action.RETURN_FILING, reason=reason)


def major_hazard_request_cancellation(*, actor: Actor, hazard_id: int, reason: str) -> MajorHazard:
    """核销 is asked for with a reason; it takes effect only when the bureau approves."""
    return _transition(actor, hazard_id, workflow.Action.REQUEST_CANCELLATION, reason=reason)


def major_hazard_approve_cancellation(*, actor: Actor, hazard_id: int, reason: str = "") -> MajorHazard:
    def apply(hazard: MajorHazard) -> None:
        hazard.cancelled_at = timezone.now()

    return _transition(actor, hazard_id, workflow.Action.APPROVE_CANCELLATION, reason=reason, apply=apply)


def major_hazard_reject_cancellation(*, actor: Actor, hazard_id: int, reason: str) -> MajorHazard:
    return _transition(actor, hazard_id, workflow.Action.REJECT_CANCELLATION, reason=reason)


TRANSITION_SERVICES: dict[workflow.Action, Callable[..., MajorHazard]] = {
    workflow.Action.SUBMIT_FILING: major_hazard_submit_filing,
    workflow.Action.RETURN_FILING: major_hazard_return_filing,
    workflow.Action.REQUEST_CANCELLATION: major_hazard_request_cancellation,
    workflow.Action.APPROVE_CANCELLATION: major_hazard_approve_cancellation,
    workflow.Action.REJECT_CANCELLATION: major_hazard_reject_cancellation,
}


def _open_hazard(actor: Actor, hazard_id: int, capability: str) -> MajorHazard:
    actor.require(capability)
    hazard = selectors.major_hazard_get(actor, hazard_id, for_update=True)
    if hazard.status == HazardStatus.CANCELLED:
        raise Conflict(
            "该重大危险源已核销。", code=ErrorCode.HAZARD_CANCELLED, details={"status": hazard.status, "allowed": []}
        )
    return hazard


def add_years(day: dt.date, years: int) -> dt.date:
    """``day`` plus whole years; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def major_hazard_record_safety_assessment(
    *, actor: Actor, hazard_id: int, assessed_on: dt.date, agency: str, report_number: str = ""
) -> MajorHazard:
    """Record the safety assessment (安全评估); the next is due three years later."""
    clean_agency = _required_text(agency, "agency", "评估机构")
    if assessed_on > timezone.localdate():
        raise InvalidInput("评估日期不能晚于今天。", details={"assessed_on": ["评估日期不能晚于今天。"]})
    with transaction.atomic():
        hazard = _open_hazard(actor, hazard_id, "hazard.submit")
        before = audit.snapshot(hazard)
        hazard.last_safety_assessment_on = assessed_on
        hazard.safety_assessment_agency, hazard.safety_assessment_report = clean_agency, report_number.strip()
        hazard.next_safety_assessment_due = add_years(assessed_on, SAFETY_ASSESSMENT_YEARS)
        hazard.save()
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            object_type="major_hazard",
            object_id=hazard.pk,
            before=before,
            after=audit.snapshot(hazard),
            enterprise_id=hazard.enterprise_id,
        )
    return hazard


def level_change_acknowledge(*, actor: Actor, change_id: int) -> LevelChange:
    """The bureau acknowledges a level change raised by a recomputation."""
    actor.require("hazard.approve")
    with transaction.atomic():
        change = selectors.level_change_get(actor, change_id, for_update=True)
        if change.acknowledged_at is not None:
            raise Conflict("该级别变化已确认。", code=ErrorCode.ALREADY_ACKNOWLEDGED, details={"allowed": []})
        before = audit.snapshot(change)
        change.acknowledged_at, change.acknowledged_by = timezone.now(), actor.username
        change.save()
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            object_type="level_change",
            object_id=change.pk,
            before=before,
            after=audit.snapshot(change),
            enterprise_id=change.hazard.enterprise_id,
        )
    return change


# --- Responsible persons and duty checks -----------------------------------------------------------


def guarantor_assign(
    *,
    actor: Actor,
    hazard_id: int,
    role: str,
    name: str,
    position: str = "",
    phone: str = "",
    check_interval_days: int | None = None,
) -> Guarantor:
    """Name (or replace) the responsible person of ``role`` for a major hazard."""
    if role not in GuarantorRole.values:
        raise InvalidInput(f"包保角色须为 {', '.join(GuarantorRole.values)}", details={"role": ["未知角色"]})
    clean_name = _required_text(name, "name", "姓名")
    if check_interval_days is not None and check_interval_days < 1:
        raise InvalidInput("检查周期至少 1 天。", details={"check_interval_days": ["至少 1 天"]})
    with transaction.atomic():
        hazard = _open_hazard(actor, hazard_id, "hazard.submit")
        guarantor = Guarantor.objects.select_for_update().filter(hazard=hazard, role=role).first()
        before = audit.snapshot(guarantor) if guarantor is not None else None
        if guarantor is None:
            guarantor = Guarantor(hazard=hazard, role=role)
        guarantor.name, guarantor.position, guarantor.phone = clean_name, position.strip(), phone.strip()
        guarantor.check_interval_days = check_interval_days
        if before is not None and before.get("name") != clean_name:
            guarantor.assigned_on = timezone.localdate()
        guarantor.save()
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE if before else AuditAction.CREATE,
            object_type="guarantor",
            object_id=guarantor.pk,
            before=before,
            after=audit.snapshot(guarantor),
            enterprise_id=hazard.enterprise_id,
        )
    return guarantor


def duty_check_record(*, actor: Actor, guarantor_id: int, checked_on: dt.date, findings: str = "") -> DutyCheck:
    """Record a responsible person's duty check (履职检查)."""
    actor.require("hazard.submit")
    if checked_on > timezone.localdate():
        raise InvalidInput("检查日期不能晚于今天。", details={"checked_on": ["检查日期不能晚于今天。"]})
    with transaction.atomic():
        guarantor = selectors.guarantor_get(actor, guarantor_id)
        if guarantor.hazard.status == HazardStatus.CANCELLED:
            raise Conflict("该重大危险源已核销。", code=ErrorCode.HAZARD_CANCELLED, details={"allowed": []})
        check = DutyCheck.objects.create(
            guarantor=guarantor, checked_on=checked_on, findings=findings.strip(), recorded_by=actor.username
        )
        audit.record(
            actor=actor,
            action=AuditAction.CREATE,
            object_type="duty_check",
            object_id=check.pk,
            after=audit.snapshot(check),
            enterprise_id=guarantor.hazard.enterprise_id,
        )
    return check


# --- Daily safety commitment -------------------------------------------------------------------------


def commitment_submit(
    *,
    actor: Actor,
    enterprise_id: int,
    units_running: int,
    units_under_maintenance: int,
    special_operations: int,
    special_operations_note: str,
    hazards_under_control: bool,
    principal_name: str,
    commitment: str,
    now: dt.datetime | None = None,
) -> SafetyCommitment:
    """Today's safety commitment of one enterprise (once a day); late if after the deadline."""
    actor.require("hazard.submit")
    if actor.is_enterprise_scoped and enterprise_id != actor.enterprise_id:
        raise Forbidden("只能提交本企业的承诺。", code=ErrorCode.OTHER_ENTERPRISE)
    for field, value in (
        ("units_running", units_running),
        ("units_under_maintenance", units_under_maintenance),
        ("special_operations", special_operations),
    ):
        if value < 0:
            raise InvalidInput("数量不能为负。", details={field: ["数量不能为负。"]})
    clean_principal = _required_text(principal_name, "principal_name", "承诺人")
    clean_commitment = _required_text(commitment, "commitment", "承诺内容")
    moment = timezone.localtime(now or timezone.now())
    with transaction.atomic():
        enterprise = selectors.enterprise_get(actor, enterprise_id)
        if SafetyCommitment.objects.filter(enterprise=enterprise, date=moment.date()).exists():
            raise Conflict("今日承诺已提交，每天一份。", code=ErrorCode.ALREADY_SUBMITTED, details={"allowed": []})
        try:
            with transaction.atomic():
                row = SafetyCommitment.objects.create(
                    enterprise=enterprise,
                    date=moment.date(),
                    units_running=units_running,
                    units_under_maintenance=units_under_maintenance,
                    special_operations=special_operations,
                    special_operations_note=special_operations_note.strip(),
                    hazards_under_control=hazards_under_control,
                    principal_name=clean_principal,
                    commitment=clean_commitment,
                    submitted_at=moment,
                    submitted_by=actor.username,
                    late=moment.time() > commitment_deadline(),
                )
        except IntegrityError as exc:
            raise Conflict(
                "今日承诺已提交，每天一份。", code=ErrorCode.ALREADY_SUBMITTED, details={"allowed": []}
            ) from exc
        audit.record(
            actor=actor,
            action=AuditAction.CREATE,
            object_type="safety_commitment",
            object_id=row.pk,
            after=audit.snapshot(row),
            enterprise_id=enterprise.pk,
        )
    return row
