"""The demo park's plans, drills and one public warning, all written through the services (validated
and audited): the bureau's comprehensive and hazardous-chemicals plans, each of the first enterprises'
comprehensive, specific and on-site plans with a DOCX document and its expert review; some filed,
one overdue for filing and one still within its 20 working days; drills done, one on-site plan
overdue for its half-yearly drill, an open improvement action; and one warning issued over the east
tank farm.

Running it twice changes nothing: the bureau's comprehensive plan marks it as loaded.
"""

from __future__ import annotations

import datetime as dt
import io

from django.utils import timezone
from docx import Document

from chempark.core.actors import SYSTEM
from chempark.park.models import Enterprise, Inventory, Park
from chempark.plans import services
from chempark.plans.models import Plan

BUREAU_PLAN = "化工园区生产安全事故综合应急预案"
ENTERPRISES = 6


def _docx(title: str, paragraphs: list[str]) -> bytes:
    document = Document()
    document.add_heading(title, 0)
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _plan(
    title: str,
    kind: str,
    enterprise: Enterprise | None,
    published: dt.date,
    body: list[str],
    *,
    incident_types: list[str],
    chemicals: list[int] | None = None,
) -> Plan:
    plan = services.plan_create(
        actor=SYSTEM,
        kind=kind,
        title=title,
        enterprise=enterprise.pk if enterprise else None,
        published_on=published,
        incident_types=incident_types,
        chemicals=chemicals,
    )
    services.plan_version_add(
        actor=SYSTEM,
        plan_id=plan.pk,
        version="2024版" if published.year < timezone.localdate().year else "现行版",
        file_name=f"{title}.docx",
        content=_docx(title, body),
        review=services.Review(
            published - dt.timedelta(days=14), "王建国、李明、赵晓峰", "同意通过评审，按意见修改后发布。"
        ),
    )
    return plan


def _enterprise_plans(enterprise: Enterprise, index: int, today: dt.date) -> None:
    chemicals = sorted({i.chemical for i in Inventory.objects.filter(unit__enterprise=enterprise)}, key=lambda c: c.pk)
    names = "、".join(c.name_zh for c in chemicals[:3]) or "危险化学品"
    published = today - dt.timedelta(days=400 + 37 * index)
    comprehensive = _plan(
        f"{enterprise.name}生产安全事故综合应急预案",
        "comprehensive",
        enterprise,
        published,
        [f"本预案适用于{enterprise.name}发生的火灾、爆炸、泄漏和中毒窒息事故。", f"主要危险物质：{names}。"],
        incident_types=["fire", "explosion", "leak", "poisoning"],
        chemicals=[c.pk for c in chemicals],
    )
    specific = _plan(
        f"{enterprise.name}危险化学品泄漏专项应急预案",
        "specific",
        enterprise,
        published,
        [f"{names}泄漏时，立即启动紧急切断，设置警戒区，组织下风向人员撤离。", "应急处置人员佩戴正压式空气呼吸器。"],
        incident_types=["leak", "poisoning"],
        chemicals=[c.pk for c in chemicals],
    )
    units = list(enterprise.units.order_by("id")[:2])
    on_site = [
        _plan(
            f"{unit.name}泄漏现场处置方案",
            "on_site",
            enterprise,
            published,
            [f"{unit.name}发生泄漏：关闭进出料阀门，启动喷淋，报告值班长。"],
            incident_types=["leak"],
        )
        for unit in units
    ]
    for plan in (comprehensive, specific, *on_site):
        if index != 1:  # the second enterprise has not filed: its plans are overdue for filing
            services.plan_file(
                actor=SYSTEM,
                pk=plan.pk,
                filed_on=published + dt.timedelta(days=20),
                filing_number=f"备案-{plan.pk:04d}",
            )
    _drills(enterprise, index, today, specific, on_site)


def _drills(enterprise: Enterprise, index: int, today: dt.date, specific: Plan, on_site: list[Plan]) -> None:
    done = today - dt.timedelta(days=60 + 20 * index)
    drill = services.drill_create(
        actor=SYSTEM,
        title=f"{enterprise.name}泄漏事故专项演练",
        kind="specific",
        form="live",
        planned_on=done,
        enterprise=enterprise.pk,
        plan=specific.pk,
        done_on=done,
        participants="生产部、安全环保部、企业专职消防队",
        participant_count=24 + index,
        evaluation="响应及时，警戒区设置合理；通讯联络不畅。",
    )
    services.action_add(
        actor=SYSTEM,
        drill_id=drill.pk,
        problem="对讲机在罐区信号弱，指挥指令传达延迟。",
        action="增设罐区中继台，每月测试一次通讯。",
        owner="设备部 刘工",
        deadline=done + dt.timedelta(days=90),
    )
    for number, plan in enumerate(on_site):
        # Every enterprise but the third keeps its on-site drills within the half-year.
        gap = 230 if index == 2 and number == 0 else 40 + 10 * number
        services.drill_create(
            actor=SYSTEM,
            title=f"{plan.title}演练",
            kind="on_site",
            form="tabletop" if number else "live",
            planned_on=today - dt.timedelta(days=gap),
            enterprise=enterprise.pk,
            plan=plan.pk,
            done_on=today - dt.timedelta(days=gap),
            participant_count=8,
        )
    services.drill_create(
        actor=SYSTEM,
        title=f"{enterprise.name}年度综合应急演练",
        kind="comprehensive",
        form="live",
        planned_on=today + dt.timedelta(days=30 + index),
        enterprise=enterprise.pk,
    )


def _warning(park: Park) -> None:
    lon_min, lat_min, lon_max, lat_max = 118.196, 39.196, 118.214, 39.208
    if isinstance(park.boundary, dict) and park.boundary.get("coordinates"):
        ring = park.boundary["coordinates"][0]
        lons, lats = [p[0] for p in ring], [p[1] for p in ring]
        lon_mid, lat_mid = (min(lons) + max(lons)) / 2, (min(lats) + max(lats)) / 2
        lon_min, lon_max, lat_min, lat_max = lon_mid, max(lons), lat_mid, max(lats)
    zone = {
        "type": "Polygon",
        "coordinates": [
            [[lon_min, lat_min], [lon_max, lat_min], [lon_max, lat_max], [lon_min, lat_max], [lon_min, lat_min]]
        ],
    }
    services.warning_issue_for_zone(
        actor=SYSTEM,
        zone=zone,
        event="危险化学品泄漏",
        headline="园区东北片区危险化学品泄漏，请就地避险",
        area_desc="园区东北片区及下风向居民区",
        instruction="关闭门窗和通风设备，留在室内，用湿毛巾捂住口鼻，等待进一步通知。",
        description="园区东北片区一企业储罐发生泄漏，应急处置正在进行。",
    )


def load_demo_plans() -> str:
    if Plan.objects.filter(title=BUREAU_PLAN).exists():
        return "预案演示数据已存在，未重复载入。"
    today = timezone.localdate()
    general = _plan(
        BUREAU_PLAN,
        "comprehensive",
        None,
        today - dt.timedelta(days=700),
        ["本预案规定园区生产安全事故的分级响应、指挥协调和信息发布。", "一级响应由区人民政府启动。"],
        incident_types=["fire", "explosion", "leak", "poisoning", "other"],
    )
    services.plan_file(
        actor=SYSTEM, pk=general.pk, filed_on=today - dt.timedelta(days=690), filing_number="区政府备-2025-01"
    )
    _plan(
        "化工园区危险化学品事故专项应急预案",
        "specific",
        None,
        today - dt.timedelta(days=5),  # still within its 20 working days
        ["危险化学品泄漏、火灾、爆炸事故的处置程序、警戒疏散和环境监测。"],
        incident_types=["leak", "fire", "explosion", "poisoning"],
    )
    enterprises = list(Enterprise.objects.order_by("id")[:ENTERPRISES])
    for index, enterprise in enumerate(enterprises):
        _enterprise_plans(enterprise, index, today)
    park = Park.objects.order_by("id").first()
    if park is not None:
        _warning(park)
    return f"预案演示数据：{Plan.objects.count()} 个预案，{len(enterprises)} 家企业的演练，1 条公众预警。"
