"""The demo's budget year: the bureau's own statement imported for the current year, spending that
follows the plan for most projects and lags for some, and a few training and education activities."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from django.utils import timezone

from chempark.budget import services
from chempark.budget.models import Activity, ActivityKind, BudgetYear, Project
from chempark.budget.scoring import month_end
from chempark.core.actors import SYSTEM

DOCUMENT = Path(__file__).parent / "data" / "bureau-performance-targets.txt"
_ACTIVITIES = (
    (ActivityKind.TRAINING, "危险化学品企业主要负责人安全培训", 2, 46, 44, 44),
    (ActivityKind.TRAINING, "安全执法证、稽查证培训", 4, 12, 12, 12),
    (ActivityKind.SAFETY_MONTH, "“安全生产月”宣传咨询日", 6, 320, None, 0),
    (ActivityKind.WARNING_EDUCATION, "事故案例警示教育大会", 9, 150, None, 0),
)


def load_demo_budget() -> str:
    today = timezone.localdate()
    year = today.year
    if BudgetYear.objects.filter(year=year).exists():
        return f"{year} 年度预算绩效目标已存在。"
    outcome = services.document_import(actor=SYSTEM, data=DOCUMENT.read_bytes(), year=year, filename=DOCUMENT.name)
    entries = 0
    for project in Project.objects.filter(budget_year__year=year).order_by("number"):
        # every fourth project spends only 60 % of its plan: the list shows it behind schedule
        pace = Decimal("0.6") if project.number % 4 == 0 else Decimal(1)
        previous = Decimal(0)
        for checkpoint in project.checkpoints:
            day = month_end(year, int(checkpoint["month"])) - dt.timedelta(days=5)
            if day > today:
                break
            percent = Decimal(checkpoint["percent"])
            amount = (project.budget * (percent - previous) / 100 * pace).quantize(Decimal("0.01"))
            previous = percent
            if amount > 0:
                services.spending_record(
                    actor=SYSTEM,
                    project_id=project.pk,
                    date=day,
                    amount=amount,
                    voucher=f"记-{int(checkpoint['month']):02d}-{project.number:03d}",
                    note="按合同进度付款",
                )
                entries += 1
    for kind, topic, month, participants, passed, certificates in _ACTIVITIES:
        day = dt.date(year, month, 15)
        if day <= today:
            Activity.objects.create(
                kind=kind,
                topic=topic,
                date=day,
                organizer="区应急管理局",
                participants=participants,
                passed=passed,
                certificates=certificates,
                recorded_by=SYSTEM.username,
            )
    return (
        f"已导入 {year} 年度预算绩效目标：{outcome.projects} 个项目，"
        f"预算合计 {outcome.total_budget} 万元，{entries} 笔支出。"
    )
