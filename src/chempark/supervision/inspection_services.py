"""Writes of inspections: campaigns, 双随机 draws and inspection records whose findings become
hidden dangers. Same rules as :mod:`chempark.supervision.services`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction

from chempark.accounts import audit
from chempark.accounts.models import AuditAction
from chempark.core.actors import Actor
from chempark.core.errors import ErrorCode
from chempark.hazards.selectors import enterprise_major_hazard_levels
from chempark.park.models import Enterprise, EnterpriseStatus
from chempark.supervision import draw, services
from chempark.supervision.models import (
    Campaign,
    CampaignKind,
    Checklist,
    DangerSource,
    Inspection,
    PoolKind,
    PoolMember,
    RandomDraw,
)
from chempark.supervision.services import refuse, required_text

# Risk weight of an enterprise in a weighted draw, by its highest major hazard level (一级 is the
# most hazardous); enterprises without a major hazard weigh 1.
RISK_WEIGHTS = {1: 4.0, 2: 3.0, 3: 2.0, 4: 1.5}


def campaign_create(
    *, actor: Actor, name: str, kind: str, starts_on: dt.date, ends_on: dt.date, description: str = ""
) -> Campaign:
    actor.require("inspection.manage")
    clean = required_text(name, "name", "名称")
    if kind not in CampaignKind.values:
        raise refuse("kind", "类型不合法。")
    if ends_on < starts_on:
        raise refuse("ends_on", "结束日期不能早于开始日期。")
    if Campaign.objects.filter(name=clean).exists():
        raise refuse("name", "同名的计划或专项行动已存在。")
    with transaction.atomic():
        campaign = Campaign.objects.create(
            name=clean, kind=kind, starts_on=starts_on, ends_on=ends_on, description=description.strip()
        )
        audit.record(
            actor=actor,
            action=AuditAction.CREATE,
            object_type="campaign",
            object_id=campaign.pk,
            after=audit.snapshot(campaign),
        )
    return campaign


def _enterprise_population(kind: str, weighted: bool) -> list[draw.Candidate]:
    rows = Enterprise.objects.filter(status=EnterpriseStatus.OPERATING)
    if kind:
        rows = rows.filter(kind=kind)
    ids = list(rows.values_list("id", flat=True))
    levels = enterprise_major_hazard_levels(ids) if weighted else {}
    return [draw.Candidate(pk, RISK_WEIGHTS.get(levels.get(pk, 0), 1.0)) for pk in ids]


def _pool(kind: str) -> list[draw.Candidate]:
    ids = PoolMember.objects.filter(kind=kind, active=True).values_list("id", flat=True)
    return [draw.Candidate(pk) for pk in ids]


def _drawn(population: list[draw.Candidate], count: int, seed: int, field: str, label: str) -> list[int]:
    if count == 0:
        return []
    try:
        return draw.draw(population, count, seed)
    except draw.EmptyPopulation:
        raise refuse(field, f"没有可抽取的{label}。", code=ErrorCode.EMPTY_POPULATION) from None


def draw_run(
    *,
    actor: Actor,
    campaign_id: int,
    enterprise_count: int,
    inspector_count: int,
    expert_count: int = 0,
    enterprise_kind: str = "",
    weighted: bool = False,
    seed: int | None = None,
) -> RandomDraw:
    """双随机: draw enterprises (of one kind or all operating ones, weighted by major hazard level if
    asked) and inspectors and experts from the pools, from a recorded seed. Each list uses the seed
    with its own offset, so adding experts does not change the enterprises drawn."""
    actor.require("inspection.manage")
    if enterprise_count < 1:
        raise refuse("enterprise_count", "抽取企业数至少为 1。")
    if inspector_count < 2:
        raise refuse("inspector_count", "执法检查须至少两名执法人员。")
    if expert_count < 0:
        raise refuse("expert_count", "抽取专家数不能为负数。")
    if seed is not None and not 0 <= seed <= draw.MAX_SEED:
        raise refuse("seed", "随机种子须为非负整数。")
    campaign = Campaign.objects.filter(pk=campaign_id).first()
    if campaign is None:
        raise refuse("campaign", "专项行动不存在。")
    chosen_seed = draw.new_seed() if seed is None else seed
    enterprises = _enterprise_population(enterprise_kind, weighted)
    inspectors, experts = _pool(PoolKind.INSPECTOR), _pool(PoolKind.EXPERT)
    picked = {
        "enterprises": _drawn(enterprises, enterprise_count, chosen_seed, "enterprise_kind", "企业"),
        "inspectors": _drawn(inspectors, inspector_count, chosen_seed + 1, "inspector_count", "执法人员"),
        "experts": _drawn(experts, expert_count, chosen_seed + 2, "expert_count", "专家"),
    }
    names = dict(Enterprise.objects.filter(pk__in=picked["enterprises"]).values_list("id", "name"))
    people = dict(PoolMember.objects.filter(pk__in=picked["inspectors"] + picked["experts"]).values_list("id", "name"))
    result = {
        "enterprises": [{"id": pk, "name": names[pk]} for pk in picked["enterprises"]],
        "inspectors": [{"id": pk, "name": people[pk]} for pk in picked["inspectors"]],
        "experts": [{"id": pk, "name": people[pk]} for pk in picked["experts"]],
    }
    population = {
        "enterprises": [[c.id, c.weight] for c in enterprises],
        "inspectors": [c.id for c in inspectors],
        "experts": [c.id for c in experts],
    }
    with transaction.atomic():
        row = RandomDraw.objects.create(
            campaign=campaign,
            seed=chosen_seed,
            enterprise_kind=enterprise_kind,
            weighted=weighted,
            enterprise_count=enterprise_count,
            inspector_count=inspector_count,
            expert_count=expert_count,
            population=population,
            result=result,
            drawn_by=actor.username,
        )
        audit.record(
            actor=actor,
            action=AuditAction.CREATE,
            object_type="random_draw",
            object_id=row.pk,
            after={"seed": chosen_seed, "weighted": weighted, "result": result},
            object_label=str(row),
        )
    return row


def draw_replay(row: RandomDraw) -> dict[str, list[int]]:
    """The draw repeated from its recorded seed and population: equal to its result when untouched."""
    enterprises = [draw.Candidate(int(pk), float(w)) for pk, w in row.population["enterprises"]]

    def again(population: list[draw.Candidate], count: int, offset: int) -> list[int]:
        return draw.draw(population, count, row.seed + offset) if count and population else []

    return {
        "enterprises": again(enterprises, row.enterprise_count, 0),
        "inspectors": again([draw.Candidate(pk) for pk in row.population["inspectors"]], row.inspector_count, 1),
        "experts": again([draw.Candidate(pk) for pk in row.population["experts"]], row.expert_count, 2),
    }


@dataclass(frozen=True)
class Finding:
    """A finding of an inspection: becomes a hidden danger; with a deadline, rectification is ordered
    on the spot (责令限期整改) with the given plan."""

    description: str
    grade: str = "general"
    location: str = ""
    criteria: Sequence[int] = ()
    deadline: dt.date | None = None
    plan: str = ""
    owner: str = ""
    interim_measures: str = ""


def _answers(checklist: Checklist | None, answers: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Checklist answers, one per item of the checklist, in its order."""
    if checklist is None:
        return []
    by_item = {str(a.get("item", "")): a for a in answers}
    result = []
    for item in checklist.items:
        answer = by_item.get(item)
        if answer is None or answer.get("ok") is None:
            raise refuse("answers", f"检查项「{item}」未填写结果。")
        result.append({"item": item, "ok": bool(answer["ok"]), "note": str(answer.get("note", ""))[:500]})
    return result


def inspection_record(
    *,
    actor: Actor,
    enterprise_id: int,
    inspected_on: dt.date,
    inspectors: str,
    findings: Sequence[Finding] = (),
    experts: str = "",
    expert_fee_yuan: Decimal = Decimal(0),
    campaign_id: int | None = None,
    checklist_id: int | None = None,
    answers: Sequence[dict[str, Any]] = (),
    summary: str = "",
) -> Inspection:
    """Record an inspection and turn each finding into a hidden danger, all or nothing."""
    actor.require("inspection.manage")
    people = required_text(inspectors, "inspectors", "执法人员")
    if expert_fee_yuan < 0:
        raise refuse("expert_fee_yuan", "专家费不能为负数。")
    if expert_fee_yuan > 0 and not experts.strip():
        raise refuse("experts", "记录专家费须填写参与专家。")
    checklist = Checklist.objects.filter(pk=checklist_id).first() if checklist_id is not None else None
    if checklist_id is not None and checklist is None:
        raise refuse("checklist", "检查表不存在。")
    source = DangerSource.EXPERT_CHECK if experts.strip() else DangerSource.BUREAU_INSPECTION
    with transaction.atomic():
        enterprise = services.enterprise_in_scope(actor, enterprise_id)
        inspection = Inspection.objects.create(
            enterprise=enterprise,
            campaign=services.campaign_or_none(campaign_id),
            checklist=checklist,
            inspected_on=inspected_on,
            inspectors=people,
            experts=experts.strip(),
            expert_fee_yuan=expert_fee_yuan,
            answers=_answers(checklist, answers),
            summary=summary.strip(),
            recorded_by=actor.username,
        )
        audit.record(
            actor=actor,
            action=AuditAction.CREATE,
            object_type="inspection",
            object_id=inspection.pk,
            after=audit.snapshot(inspection),
            enterprise_id=enterprise.pk,
            object_label=str(inspection),
        )
        for finding in findings:
            danger = services.danger_report(
                actor=actor,
                enterprise_id=enterprise.pk,
                source=source,
                grade=finding.grade,
                description=finding.description,
                location=finding.location,
                found_on=inspected_on,
                criteria=finding.criteria,
                campaign_id=campaign_id,
                inspection_id=inspection.pk,
            )
            if finding.deadline is not None:
                services.danger_order(
                    actor=actor,
                    danger_id=danger.pk,
                    plan=finding.plan or finding.description,
                    owner=finding.owner or enterprise.safety_contact or enterprise.name,
                    deadline=finding.deadline,
                    interim_measures=finding.interim_measures or "整改完成前落实现场监护和警示措施",
                )
    return inspection
