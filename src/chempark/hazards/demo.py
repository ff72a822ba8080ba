"""The demo park's major hazard part. Every unit was identified while the park loader wrote its
inventories; this takes some records through the filing workflow, names responsible persons with
their duty checks (some overdue), records safety assessments (some due) and today's commitments
(some enterprises missing) — all through the services, so it is validated and audited.

Running it twice changes nothing: a registered record marks it as loaded.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from chempark.core.actors import SYSTEM
from chempark.hazards import selectors, services
from chempark.hazards.models import (
    Guarantor,
    GuarantorRole,
    HazardStatus,
    HazardTransition,
    LevelChange,
    MajorHazard,
)
from chempark.park.models import Enterprise, EnterpriseStatus

MEASURES = "液位、温度、压力监测；可燃/有毒气体检测报警；紧急切断"
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"


def _person(index: int, role: str) -> str:
    return (
        SURNAMES[(index * 3 + len(role)) % len(SURNAMES)]
        + {"principal": "总", "technical": "工", "operations": "班长"}[role]
    )


def load_demo_hazards() -> str:
    if HazardTransition.objects.filter(action="register").exists():
        return "重大危险源演示数据已存在，未重复载入。"
    if not MajorHazard.objects.exists():
        return "没有重大危险源（园区演示数据未载入），跳过。"
    today = timezone.localdate()
    # The park loader wrote inventories one by one: the level changes it raised are history, not news.
    for change in LevelChange.objects.filter(acknowledged_at__isnull=True):
        services.level_change_acknowledge(actor=SYSTEM, change_id=change.pk)
    first_enterprise = Enterprise.objects.order_by("id").first()
    hazards = list(MajorHazard.objects.exclude(enterprise=first_enterprise).order_by("id"))
    filed = 0
    for index, hazard in enumerate(hazards):
        stage = index % 6  # 0 identified, 1 registered, 2 submitted, 3-5 filed
        if stage == 0:
            continue
        process = "常温常压储存" if hazard.unit.kind == "storage" else "连续生产工艺"
        services.major_hazard_register(
            actor=SYSTEM, hazard_id=hazard.pk, name=str(hazard), process_description=process, safety_measures=MEASURES
        )
        if stage == 1:
            continue
        services.major_hazard_submit_filing(actor=SYSTEM, hazard_id=hazard.pk)
        if stage == 2:
            continue
        filed += 1
        services.major_hazard_approve_filing(
            actor=SYSTEM,
            hazard_id=hazard.pk,
            filing_number=f"唐应急危备〔{today.year - 1}〕{filed:03d}号",
            filed_on=today - dt.timedelta(days=200 + index),
        )
        # Safety assessments between about 3 years and a few months ago: some are due soon or overdue.
        services.major_hazard_record_safety_assessment(
            actor=SYSTEM,
            hazard_id=hazard.pk,
            assessed_on=today - dt.timedelta(days=1000 + (index * 37) % 260),
            agency="河北安科安全评价有限公司（虚构）",
            report_number=f"AKPJ-{index:04d}",
        )
        for role in GuarantorRole.values:
            guarantor = services.guarantor_assign(
                actor=SYSTEM,
                hazard_id=hazard.pk,
                role=role,
                name=_person(index, role),
                position="",
                phone=f"1390315{index:04d}",
            )
            _duty_checks(guarantor, (index + len(role)) % 4, index, today)
        if stage == 5 and index % 12 == 5:
            services.major_hazard_request_cancellation(
                actor=SYSTEM, hazard_id=hazard.pk, reason="装置拟停用拆除，申请核销"
            )
    _commitments(today)
    _practice_duty_checks(first_enterprise, today)
    counts = {status: MajorHazard.objects.filter(status=status).count() for status in HazardStatus.values}
    return f"重大危险源演示数据已载入：{counts}"


def _practice_duty_checks(enterprise: Enterprise | None, today: dt.date) -> None:
    """The enterprise user's (ent1's) own responsible persons, so the overdue list has something of
    theirs to practise on: on its first major hazard (left unregistered for the user to register), one
    person never checked since being named months ago, one last checked more than a period ago, one
    checked today."""
    hazard = MajorHazard.objects.filter(enterprise=enterprise).exclude(status=HazardStatus.CANCELLED).first()
    if hazard is None:
        return
    for pattern, role in enumerate(GuarantorRole.values):
        index = 900 + pattern
        guarantor = services.guarantor_assign(
            actor=SYSTEM, hazard_id=hazard.pk, role=role, name=_person(index, role), phone=f"1390315{index:04d}"
        )
        _duty_checks(guarantor, pattern, index, today)


FINDINGS = (
    "储罐区可燃气体检测报警器 1 台故障，已要求限期整改",
    "液位计显示与现场不符，已通知校验",
    "现场检查，未发现问题",
)


def _duty_checks(guarantor: Guarantor, pattern: int, index: int, today: dt.date) -> None:
    """Half of the persons check on time; the rest give the inspector's overdue list something to
    show: a quarter last checked one period and a few days ago (with what they found), and a quarter
    named months before the platform came and never checked since."""
    if pattern == 0:
        Guarantor.objects.filter(pk=guarantor.pk).update(assigned_on=today - dt.timedelta(days=120 + index % 30))
        return
    interval = selectors.interval_of(guarantor)
    checked_on = today - dt.timedelta(days=interval + 3 + index % 15) if pattern == 1 else today
    findings = FINDINGS[index % len(FINDINGS)] if pattern == 1 else FINDINGS[-1]
    services.duty_check_record(actor=SYSTEM, guarantor_id=guarantor.pk, checked_on=checked_on, findings=findings)


def _commitments(today: dt.date) -> None:
    """Today's commitments, submitted from 08:30 on a few minutes apart — but never after now: loaded
    earlier in the day, the schedule is pulled back to end a few minutes ago (a submission's time in
    the future would be a lie on every page that lists it)."""
    morning = timezone.make_aware(dt.datetime.combine(today, dt.time(8, 30)))
    midnight = timezone.make_aware(dt.datetime.combine(today, dt.time(0, 0)))
    now = timezone.now()
    enterprises = list(Enterprise.objects.filter(status=EnterpriseStatus.OPERATING).order_by("id"))
    for index, enterprise in enumerate(enterprises):
        if index == 0 or index % 5 == 3:  # the first enterprise (ent1) and a few others have not submitted yet
            continue
        at = min(morning + dt.timedelta(minutes=index * 7), now - dt.timedelta(minutes=len(enterprises) - index))
        if at < midnight:  # just after midnight: not yet submitted today
            continue
        services.commitment_submit(
            actor=SYSTEM,
            enterprise_id=enterprise.pk,
            units_running=2 + index % 3,
            units_under_maintenance=index % 2,
            special_operations=index % 3,
            special_operations_note="动火作业1处" if index % 3 else "",
            hazards_under_control=True,
            principal_name=enterprise.legal_representative or "主要负责人",
            commitment="今天我公司已进行安全风险研判，各项安全风险防控措施已落实到位，我承诺所有生产装置处于安全运行状态，"
            "罐区、仓库等重大危险源安全风险得到有效管控。",
            now=at,
        )
