# ruff: noqa: N999 — Django names a command after its file, and the command is `chempark hazards-daily`
"""``chempark hazards-daily``: run the major hazard module's daily checks and print what needs doing."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from chempark.hazards.tasks import run_daily


class Command(BaseCommand):
    help = "Safety assessments due, overdue duty checks, missing daily commitments, open level changes"

    def handle(self, *args: Any, **options: Any) -> None:
        report = run_daily()
        self.stdout.write(f"安全评估到期或未做（三年一次）：{len(report.assessments_due)}")
        for hazard in report.assessments_due:
            due = hazard.next_safety_assessment_due.isoformat() if hazard.next_safety_assessment_due else "未记录"
            self.stdout.write(f"  {hazard.enterprise.name} · {hazard} · {due}")
        self.stdout.write(f"履职检查逾期：{len(report.overdue_checks)}")
        for row in report.overdue_checks:
            self.stdout.write(
                f"  {row.guarantor.hazard} · {row.guarantor.get_role_display()} {row.guarantor.name}"
                f" · 应检 {row.due_on.isoformat()} · 逾期 {row.days_overdue} 天"
            )
        self.stdout.write(f"今日未提交安全承诺（截止时间后）：{len(report.missing_commitments)}")
        for enterprise in report.missing_commitments:
            self.stdout.write(f"  {enterprise.name} · {enterprise.safety_contact} {enterprise.safety_phone}")
        self.stdout.write(f"级别变化待确认：{len(report.open_level_changes)}")
