"""The demo park's supervision part, written through the services (validated and audited): the
inspector and expert pools, two checklists, an annual plan and a running special campaign with its
drawn inspection list, inspections whose findings stand at every step of the closed loop (some
overdue, one escalated), and enforcement cases at several stages.

Running it twice changes nothing: an existing campaign marks it as loaded.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from django.utils import timezone
from PIL import Image

from chempark.accounts.models import User
from chempark.accounts.services import user_create
from chempark.config import current
from chempark.core.actors import SYSTEM, Actor, actor_for_user
from chempark.core.roles import Role
from chempark.park.models import Enterprise
from chempark.supervision import (
    case_services,
    inspection_services,
    licence_services,
    operation_services,
    organisation_services,
    project_services,
    risk_services,
    services,
)
from chempark.supervision.inspection_services import Finding
from chempark.supervision.models import Campaign, Checklist, PoolKind, PoolMember

INSPECTORS = ("王建国", "李明", "张伟", "刘洋", "陈静", "杨帆", "赵磊", "黄海")
EXPERTS = (("周工", "化工工艺"), ("吴工", "储运"), ("徐工", "电气仪表"), ("孙工", "消防"), ("胡工", "设备"))
CHECKLISTS = {
    "重大危险源和罐区专项检查表": [
        "重大危险源包保责任人履职记录齐全",
        "罐区紧急切断阀可远程关闭",
        "可燃有毒气体检测报警器在检定有效期内",
        "储罐液位、温度、压力监测数据接入平台",
        "防火堤完好、排水阀常闭",
        "特殊作业票证齐全并有监护人",
    ],
    "小化工复查检查表": [
        "安全生产许可证在有效期内",
        "主要负责人和安全管理人员考核合格",
        "特种作业人员持证上岗",
        "危险化学品分区分类储存",
    ],
}
FINDINGS = (
    ("储罐区可燃气体检测报警器超出检定有效期", "T01 罐区"),
    ("防火堤排水阀处于常开状态", "罐区防火堤"),
    ("动火作业票未注明监护人", "维修车间"),
    ("配电室应急照明不亮", "配电室"),
    ("消防通道堆放物料", "二号仓库"),
    ("液位计与DCS显示偏差超过 5%", "T02 储罐"),
)
# (days before today it was found, rectification days given, how far along: ordered, rectifying,
# submitted, closed)
PLAN = ((40, 20, "ordered"), (30, 10, "rectifying"), (20, 30, "submitted"), (50, 15, "closed"), (10, 30, "rectifying"))


def _photo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (90, 140, 90)).save(buffer, format="PNG")
    return buffer.getvalue()


def _advance(danger_id: int, stage: str) -> None:
    if stage == "ordered":
        return
    services.danger_start(actor=SYSTEM, danger_id=danger_id)
    if stage == "rectifying":
        return
    services.evidence_add(actor=SYSTEM, danger_id=danger_id, content=_photo(), caption="整改后现场照片")
    services.danger_submit(actor=SYSTEM, danger_id=danger_id, note="已按整改方案完成整改")
    if stage == "submitted":
        return
    services.danger_verify(actor=SYSTEM, danger_id=danger_id, passed=True, note="现场复查符合要求")
    services.danger_close_out(actor=SYSTEM, danger_id=danger_id)


def load_demo_supervision() -> str:
    if Campaign.objects.exists():
        return "监管执法演示数据已存在，未重复载入。"
    enterprises = list(Enterprise.objects.order_by("id"))
    if not enterprises:
        return "没有企业（园区演示数据未载入），跳过。"
    today = timezone.localdate()
    for name in INSPECTORS:
        PoolMember.objects.create(name=name, kind=PoolKind.INSPECTOR, organisation="区应急管理局")
    for name, specialty in EXPERTS:
        PoolMember.objects.create(name=name, kind=PoolKind.EXPERT, organisation="区安全生产专家库", specialty=specialty)
    checklists = {name: Checklist.objects.create(name=name, items=items) for name, items in CHECKLISTS.items()}
    inspection_services.campaign_create(
        actor=SYSTEM,
        name=f"{today.year}年度执法检查计划",
        kind="annual_plan",
        starts_on=dt.date(today.year, 1, 1),
        ends_on=dt.date(today.year, 12, 31),
    )
    running = inspection_services.campaign_create(
        actor=SYSTEM,
        name="重大危险源和罐区专项检查",
        kind="major_hazard_tank",
        starts_on=today - dt.timedelta(days=60),
        ends_on=today + dt.timedelta(days=30),
        description="对构成重大危险源的企业和储罐区开展专项检查，专家参与。",
    )
    drawn = inspection_services.draw_run(
        actor=SYSTEM,
        campaign_id=running.pk,
        enterprise_count=min(4, len(enterprises)),
        inspector_count=2,
        expert_count=1,
        weighted=True,
        seed=20260315,
    )
    targets = [enterprises[0]] + [
        e for e in enterprises if e.pk in {x["id"] for x in drawn.result["enterprises"]} and e != enterprises[0]
    ]
    checklist = checklists["重大危险源和罐区专项检查表"]
    dangers = 0
    for index, enterprise in enumerate(targets[:4]):
        found_days, _given, _stage = PLAN[index % len(PLAN)]
        found_on = today - dt.timedelta(days=found_days)
        chosen = [PLAN[(index + k) % len(PLAN)] for k in range(2)]
        inspection = inspection_services.inspection_record(
            actor=SYSTEM,
            enterprise_id=enterprise.pk,
            inspected_on=found_on,
            inspectors="、".join(p["name"] for p in drawn.result["inspectors"]),
            experts="、".join(p["name"] for p in drawn.result["experts"]),
            expert_fee_yuan=Decimal("1500"),
            campaign_id=running.pk,
            checklist_id=checklist.pk,
            answers=[{"item": item, "ok": i % 3 != 1} for i, item in enumerate(checklist.items)],
            summary="按专项检查表逐项检查。",
            findings=[
                Finding(
                    description=FINDINGS[(index * 2 + k) % len(FINDINGS)][0],
                    location=FINDINGS[(index * 2 + k) % len(FINDINGS)][1],
                    deadline=found_on + dt.timedelta(days=given),
                    plan="更换或修复，完成后报复查",
                    owner="安全科长",
                )
                for k, (_days, given, _s) in enumerate(chosen)
            ],
        )
        for danger, (_days, _given, stage) in zip(inspection.findings.order_by("id"), chosen, strict=True):
            _advance(danger.pk, stage)
            dangers += 1
        if index == 1:
            overdue = inspection.findings.order_by("id").first()
            if overdue is not None and overdue.deadline is not None and overdue.deadline < today:
                services.danger_escalate(actor=SYSTEM, danger_id=overdue.pk, note="逾期未整改，挂牌督办")
        if index == 2:
            case = case_services.case_file(
                actor=SYSTEM,
                number=f"应急罚〔{today.year}〕{index + 1:03d}号",
                enterprise_id=enterprise.pk,
                violation_kind="hidden_danger",
                violation="未按规定对重大危险源罐区可燃气体检测报警器进行检定",
                filed_on=found_on,
                handler="王建国、李明",
                inspection_id=inspection.pk,
            )
            for step, days in (("to_investigated", 2), ("to_reviewed", 5), ("to_notified", 6), ("to_decided", 12)):
                case_services.case_advance(
                    actor=SYSTEM,
                    case_id=case.pk,
                    action=step,
                    on=found_on + dt.timedelta(days=days),
                    legal_basis="《中华人民共和国安全生产法》第一百零一条" if step == "to_decided" else None,
                    penalty_yuan=Decimal("30000") if step == "to_decided" else None,
                )
    case_services.case_file(
        actor=SYSTEM,
        number=f"应急罚〔{today.year}〕101号",
        enterprise_id=enterprises[-1].pk,
        violation_kind="special_operation",
        violation="动火作业未按规定办理作业票",
        filed_on=today - dt.timedelta(days=3),
        handler="张伟、刘洋",
    )
    holdings = _load_licences(enterprises, today)
    operations = _load_operations(enterprises)
    risks = _load_risk_points(enterprises, today)
    projects = _load_projects(enterprises, today)
    steward = _load_service_organisation(enterprises, today)
    return (
        f"监管执法：{len(targets[:4])} 次检查，{dangers} 条隐患，1 次双随机抽取，2 个处罚案件，{holdings} 张证照，"
        f"{operations} 项特殊作业报备，{risks} 个风险点，{projects} 个三同时项目；{steward}"
    )


def _load_licences(enterprises: list[Enterprise], today: dt.date) -> int:
    """A safety production licence per enterprise and its principal's and safety manager's
    certificates; some expire within 90 or 30 days, one enterprise lacks a valid safety manager."""
    count = 0
    for index, enterprise in enumerate(enterprises):
        expires = today + dt.timedelta(days=(25, 80, 400, 700)[index % 4])
        licence_services.licence_create(
            actor=SYSTEM,
            enterprise_id=enterprise.pk,
            kind="safety_production",
            number=f"（冀）WH安许证字〔{today.year - 2}〕{index + 1:04d}",
            scope=enterprise.industry or "危险化学品生产",
            issued_on=expires - dt.timedelta(days=3 * 365),
            expires_on=expires,
        )
        certificates = [("principal", "王总", 900), ("safety_manager", "李工", 60 if index % 5 == 1 else 800)]
        if index % 7 == 3:
            certificates[1] = ("safety_manager", "李工", -20)
        for kind, holder, days in certificates:
            ends = today + dt.timedelta(days=days)
            licence_services.certificate_create(
                actor=SYSTEM,
                enterprise_id=enterprise.pk,
                kind=kind,
                holder=f"{holder}{index + 1}",
                number=f"{kind[:2].upper()}{enterprise.pk:04d}{index:03d}",
                issued_on=ends - dt.timedelta(days=3 * 365),
                expires_on=ends,
            )
        count += 1 + len(certificates)
    return count


OPERATIONS = (
    # kind, grade, place, start (hours from now), duration (h), permit sent by the enterprise's system
    ("hot_work", "first", "T01 储罐区管廊", -2, 6, True),
    ("hot_work", "second", "T01 储罐区管廊", 1, 8, True),  # overlaps the first at the same place
    ("confined_space", "none", "R-201 反应釜", -1, 4, True),
    ("height", "second", "精馏塔平台", -3, 8, False),  # filed, but no permit arrived
    ("hot_work", "special", "氯气压缩机房", -30, 12, True),  # over the 8 h limit
    ("lifting", "third", "装卸站台", 20, 6, True),
)


def _load_operations(enterprises: list[Enterprise]) -> int:
    """Filings of the first enterprises, each with the permit its system sent (all but one), and one
    permit that was never filed: the checks have something of every kind to show."""
    now = timezone.now()
    for index, (kind, grade, place, start, hours, sent) in enumerate(OPERATIONS):
        enterprise = enterprises[index % min(3, len(enterprises))]
        starts = now + dt.timedelta(hours=start)
        number = f"ZY-{now:%Y%m%d}-{index + 1:03d}"
        operation_services.operation_file(
            actor=SYSTEM,
            enterprise_id=enterprise.pk,
            kind=kind,
            grade=grade,
            place=place,
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=hours),
            permit_number=number,
            guardian="赵师傅",
        )
        if sent:
            end = starts + dt.timedelta(hours=hours)
            _permit(enterprise, number, kind=kind, grade=grade, place=place, start=starts, end=end)
    end = now + dt.timedelta(hours=5)
    _permit(
        enterprises[0], f"ZY-{now:%Y%m%d}-900", kind="excavation", grade="none", place="厂区东路", start=now, end=end
    )
    return len(OPERATIONS)


def _permit(
    enterprise: Enterprise, number: str, *, kind: str, grade: str, place: str, start: dt.datetime, end: dt.datetime
) -> None:
    gateway = Actor(user_id=None, username="作业许可网关", role=Role.MACHINE, enterprise_id=enterprise.pk)
    operation_services.permit_receive(
        actor=gateway,
        permit_number=number,
        kind=kind,
        grade=grade,
        place=place,
        valid_from=start,
        valid_to=end,
        issuer="车间主任",
    )


RISK_POINTS = (
    ("液氯储罐区", "unit", "matrix", {"likelihood": 4, "severity": 5}, "紧急切断、SIS、有毒气体检测报警、双人巡检"),
    (
        "氯化反应釜",
        "equipment",
        "lec",
        {"likelihood": "3", "exposure": "6", "consequence": "15"},
        "温度压力联锁、DCS 监控",
    ),
    (
        "装卸作业",
        "operation",
        "lec",
        {"likelihood": "1", "exposure": "6", "consequence": "15"},
        "万向管道充装、静电接地",
    ),
    ("化验室", "unit", "matrix", {"likelihood": 2, "severity": 2}, "通风橱、个体防护"),
)


def _load_risk_points(enterprises: list[Enterprise], today: dt.date) -> int:
    """Risk points of every enterprise: the colours vary so the four-colour map shows all four."""
    count = 0
    for index, enterprise in enumerate(enterprises):
        for offset in range(2):
            name, kind, method, factors, measures = RISK_POINTS[(index + offset * 3) % len(RISK_POINTS)]
            risk_services.risk_point_assess(
                actor=SYSTEM,
                enterprise_id=enterprise.pk,
                name=name,
                kind=kind,
                method=method,
                factors=factors,
                control_measures=measures,
                responsible=f"{enterprise.safety_contact or '安全科长'}",
                assessed_on=today - dt.timedelta(days=30 + index),
            )
            count += 1
    return count


PROJECTS = (
    ("20 万吨/年离子膜烧碱扩建项目", ("pass_conditions_review", "pass_design_review", "finish_trial_production")),
    ("危化品仓库改建项目", ("pass_conditions_review",)),
    ("罐区油气回收装置新建项目", ()),
)


def _load_projects(enterprises: list[Enterprise], today: dt.date) -> int:
    """Three projects at different stages, one design review returned once before it passed."""
    for index, (name, decisions) in enumerate(PROJECTS):
        enterprise = enterprises[index % len(enterprises)]
        project = project_services.project_register(actor=SYSTEM, enterprise_id=enterprise.pk, name=name)
        for step, action in enumerate(decisions):
            day = today - dt.timedelta(days=300 - 60 * step)
            if action == "pass_design_review":
                project_services.project_decide(
                    actor=SYSTEM,
                    project_id=project.pk,
                    action=action,
                    passed=False,
                    decided_on=day - dt.timedelta(days=20),
                    documents="设计审查意见书",
                    note="安全设施设计专篇未包含紧急切断系统",
                )
            project_services.project_decide(
                actor=SYSTEM, project_id=project.pk, action=action, passed=True, decided_on=day, documents="审查批复"
            )
    return len(PROJECTS)


def _load_service_organisation(enterprises: list[Enterprise], today: dt.date) -> str:
    """The association's 安全管家 team serving the first three enterprises, its account ``steward``
    (the demo password) and one finding it recorded."""
    user = User.objects.filter(username="steward").first() or user_create(
        actor=SYSTEM,
        username="steward",
        password=current().demo_password,
        role=Role.SERVICE_ORG,
        display_name="协会安全管家",
        check_password_rules=False,
    )
    served = enterprises[:3]
    organisation_services.organisation_create(
        actor=SYSTEM, name="化工协会安全管家服务队", enterprises=[e.pk for e in served], members=[user.pk]
    )
    services.danger_report(
        actor=actor_for_user(user),
        enterprise_id=served[-1].pk,
        source="steward",
        grade="general",
        description="应急物资柜内空气呼吸器气瓶压力不足",
        location="中控室",
        found_on=today - dt.timedelta(days=2),
    )
    return f"安全管家账号 steward 服务 {len(served)} 家企业。"
